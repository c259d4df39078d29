package org.rnn4j.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.bench.report.ReportMath.GemmSize;
import org.rnn4j.bench.report.ReportMath.GemmTime;
import org.rnn4j.bench.report.ReportMath.Kind;
import org.rnn4j.bench.report.ReportMath.Status;
import org.rnn4j.bench.report.ReportMath.TargetCheck;

class ReportMathTest {

    @Test
    void convertsJmhTimeUnitsToNanoseconds() {
        assertEquals(12.5, ReportMath.nanosPerOp(12.5, "ns/op"));
        assertEquals(12_500, ReportMath.nanosPerOp(12.5, "us/op"));
        assertEquals(12_500, ReportMath.nanosPerOp(12.5, "µs/op"));
        assertEquals(12_500_000, ReportMath.nanosPerOp(12.5, "ms/op"));
        assertEquals(2.5e9, ReportMath.nanosPerOp(2.5, "s/op"));
        assertThrows(IllegalArgumentException.class, () -> ReportMath.nanosPerOp(1, "ops/s"));
        assertThrows(IllegalArgumentException.class, () -> ReportMath.nanosPerOp(1, "fortnights/op"));
    }

    @Test
    void parsesGemmSizes() {
        GemmSize s = GemmSize.parse("32x1024x256");
        assertEquals(new GemmSize(32, 1024, 256), s);
        assertEquals("32x1024x256", s.spec());
        assertEquals("32×1024×256", s.pretty());
        assertTrue(s.isRnnShape());
        assertFalse(s.isSquare());
        GemmSize cube = GemmSize.parse(" 256X256x256 ");
        assertTrue(cube.isSquare());
        assertFalse(cube.isRnnShape());
        assertEquals("256³", cube.pretty());
        assertThrows(IllegalArgumentException.class, () -> GemmSize.parse("64x64"));
        assertThrows(IllegalArgumentException.class, () -> GemmSize.parse("64x64x"));
        assertThrows(IllegalArgumentException.class, () -> GemmSize.parse("0x64x64"));
        assertThrows(IllegalArgumentException.class, () -> GemmSize.parse("ax64x64"));
    }

    @Test
    void gemmGflopsIsTwoMnkOverTime() {
        GemmSize s = new GemmSize(1024, 1024, 1024);
        assertEquals(2.0 * 1024 * 1024 * 1024, s.flops());
        // 2^31 FLOP in 2^31 ns / 100 = 100 GFLOP/s
        assertEquals(100.0, ReportMath.gemmGflops(s, s.flops() / 100), 1e-9);
        // 64x2048x512 in 10 ms: 2*64*2048*512 = 134 217 728 FLOP / 10 000 000 ns = 13.42 GFLOP/s
        assertEquals(13.4217728, ReportMath.gemmGflops(new GemmSize(64, 2048, 512), 10_000_000), 1e-9);
        // no int overflow at the largest sizes
        assertTrue(new GemmSize(4096, 4096, 4096).flops() > Integer.MAX_VALUE);
    }

    @Test
    void fmaLimitAndFractions() {
        // 12 chains x 8 lanes x 2 FLOP x 10 000 iterations = 1 920 000 FLOP in 16 us = 120 GFLOP/s
        double limit = ReportMath.fmaLimitGflops(1_920_000, 16_000);
        assertEquals(120.0, limit, 1e-12);
        assertEquals(0.75, ReportMath.fraction(90, limit), 1e-12);
        assertTrue(Double.isNaN(ReportMath.fraction(90, Double.NaN)));
        assertTrue(Double.isNaN(ReportMath.fraction(90, 0)));
        assertEquals(1.8, ReportMath.speedup(18, 10), 1e-12);
        assertEquals(4.096, ReportMath.elementsPerNs(4096, 1000), 1e-12);
    }

    @Test
    void rateIntervalFromTimeError() {
        double[] r = ReportMath.rateInterval(100, 10, 1);
        assertEquals(100 / 11.0, r[0], 1e-12);
        assertEquals(100 / 9.0, r[1], 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, ReportMath.rateInterval(100, 10, 10)[1]);
        assertTrue(Double.isNaN(ReportMath.rateInterval(100, 10, Double.NaN)[0]));
    }

    @Test
    void softmaxUsesWholeRows() {
        assertEquals(409, ReportMath.softmaxRows(4096, 10));
        assertEquals(4090, ReportMath.softmaxElements(4096, 10));
        assertEquals(4096, ReportMath.softmaxElements(4096, 1024));
        assertEquals(1, ReportMath.softmaxRows(100, 1024));
        assertEquals(1024, ReportMath.softmaxElements(100, 1024));
        assertThrows(IllegalArgumentException.class, () -> ReportMath.softmaxRows(0, 10));
    }

    private static GemmTime at(String impl, String shape, String size, double gflops) {
        GemmSize s = GemmSize.parse(size);
        return new GemmTime(impl, shape, s, s.flops() / gflops);
    }

    private static List<TargetCheck> of(List<TargetCheck> checks, String targetPrefix) {
        return checks.stream().filter(c -> c.target().startsWith(targetPrefix)).toList();
    }

    @Test
    void abSquareTargetAt90PercentFrom256To1024() {
        double limit = 100;
        List<TargetCheck> checks = ReportMath.checkTargets(List.of(
                at("vector", "AB", "128x128x128", 10),     // below 256: not a target case
                at("vector", "AB", "256x256x256", 90),     // exactly 90 %: met
                at("vector", "AB", "512x512x512", 89.9),   // missed
                at("vector2t", "AB", "1024x1024x1024", 99), // two threads never count for this target
                at("scalar", "AB", "256x256x256", 99)), limit);
        List<TargetCheck> ab = of(checks, "vector A·B, one thread, squares");
        assertEquals(2, ab.size());
        assertEquals("A·B 256³", ab.get(0).subject());
        assertEquals(Status.MET, ab.get(0).status());
        assertEquals(0.90, ab.get(0).measured(), 1e-12);
        assertEquals(Status.MISSED, ab.get(1).status());
        assertEquals(Kind.FRACTION_OF_FMA_LIMIT, ab.get(1).kind());
    }

    @Test
    void rnnTargetOnlyForBatchAtLeast32() {
        List<TargetCheck> checks = ReportMath.checkTargets(List.of(
                at("vector", "AB", "1x1024x256", 10),
                at("vector", "AB", "32x1024x256", 76),
                at("vector", "AB", "64x2048x512", 74)), 100);
        List<TargetCheck> rnn = of(checks, "vector A·B, one thread, RNN");
        assertEquals(List.of("A·B 32×1024×256", "A·B 64×2048×512"), rnn.stream().map(TargetCheck::subject).toList());
        assertEquals(List.of(Status.MET, Status.MISSED), rnn.stream().map(TargetCheck::status).toList());
        assertEquals(0.75, rnn.get(0).required());
    }

    @Test
    void transposedTargetsAt80Percent() {
        List<TargetCheck> checks = ReportMath.checkTargets(List.of(
                at("vector", "ATB", "1024x1024x1024", 80),
                at("vector", "ABT", "512x512x512", 79),
                at("vector", "AB", "512x512x512", 95)), 100);
        List<TargetCheck> t = of(checks, "vector Aᵀ·B and A·Bᵀ");
        assertEquals(List.of("Aᵀ·B 1024³", "A·Bᵀ 512³"), t.stream().map(TargetCheck::subject).toList());
        assertEquals(List.of(Status.MET, Status.MISSED), t.stream().map(TargetCheck::status).toList());
    }

    @Test
    void parallelTargetIsSpeedupAt1024() {
        List<TargetCheck> checks = ReportMath.checkTargets(List.of(
                at("vector", "AB", "1024x1024x1024", 90),
                at("vector2t", "AB", "1024x1024x1024", 153),   // 1.7x: met
                at("vector", "ABT", "1024x1024x1024", 80),
                at("vector2t", "ABT", "1024x1024x1024", 120),  // 1.5x: missed
                at("vector", "ATB", "1024x1024x1024", 80),     // no vector2t: no row
                at("vector", "AB", "512x512x512", 90),
                at("vector2t", "AB", "512x512x512", 180)), 100); // not 1024: no row
        List<TargetCheck> p = of(checks, "vector2t over vector");
        assertEquals(2, p.size());
        assertEquals("A·B 1024³", p.get(0).subject());
        assertEquals(1.7, p.get(0).measured(), 1e-9);
        assertEquals(Status.MET, p.get(0).status());
        assertEquals(Kind.SPEEDUP, p.get(0).kind());
        assertEquals("A·Bᵀ 1024³", p.get(1).subject());
        assertEquals(Status.MISSED, p.get(1).status());
    }

    @Test
    void everyTargetWithoutMeasurementsIsOneNotMeasuredRow() {
        List<TargetCheck> none = ReportMath.checkTargets(List.of(), 100);
        assertEquals(ReportMath.TARGETS.size(), none.size());
        for (TargetCheck c : none) {
            assertEquals(Status.NOT_MEASURED, c.status());
            assertNull(c.measured());
        }
        // Without an FMA limit the fraction targets cannot be checked; the speed-up still can.
        List<TargetCheck> noLimit = ReportMath.checkTargets(List.of(
                at("vector", "AB", "1024x1024x1024", 90),
                at("vector2t", "AB", "1024x1024x1024", 180)), Double.NaN);
        assertEquals(List.of(Status.NOT_MEASURED, Status.NOT_MEASURED, Status.NOT_MEASURED, Status.MET,
                        Status.NOT_MEASURED, Status.NOT_MEASURED),
                noLimit.stream().map(TargetCheck::status).toList());
    }
}
