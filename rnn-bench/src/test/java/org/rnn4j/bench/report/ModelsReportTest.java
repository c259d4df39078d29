package org.rnn4j.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rnn4j.bench.report.ModelsReport.Allocation;
import org.rnn4j.bench.report.ModelsReport.Report;
import org.rnn4j.bench.report.ModelsReport.Result;
import org.rnn4j.bench.report.ReportMath.Status;

class ModelsReportTest {
    private static final Reports.Env ENV =
            new Reports.Env("vector", 256, "", "OpenJDK 64-Bit Server VM 25", 2, "Test CPU", "Linux");
    private static final long FMA_FLOPS = 1_920_000;
    private static final String MODEL = "org.rnn4j.bench.ModelBenchmark.";
    private static final String SMALL = "32x100x128x256";
    private static final String LARGE = "64x50x256x512";

    private static Result model(String method, String cell, String shape, int threads, double millis, double err) {
        return Result.raw(MODEL + method, Map.of("cell", cell, "shape", shape, "threads", String.valueOf(threads)),
                "avgt", millis, err, "ms/op", 5);
    }

    private static Allocation alloc(String cell, String shape, Double bytes) {
        return new Allocation(MODEL + "trainingStep", Map.of("cell", cell, "shape", shape, "threads", "1"),
                bytes, bytes == null ? null : 0.5, 60, 1.0, "ms/op", 5);
    }

    private static List<Result> sample() {
        List<Result> r = new ArrayList<>();
        // 1 920 000 FLOP in 16 000 ns: 120 GFLOP/s
        r.add(Result.raw(Reports.FMA_BENCHMARK, Map.of(), "avgt", 16_000, 100, "ns/op", 5));
        // LSTM forward 2.5166 GFLOP: in 20.97 ms = 120 GFLOP/s = 100 % of the limit
        r.add(model("forward", "LSTM", SMALL, 1, 20.97152, 0.1));
        r.add(model("forward", "LSTM", SMALL, 2, 11.0, 0.2));
        r.add(model("forwardBackward", "LSTM", SMALL, 1, 80, 1));
        r.add(model("trainingStep", "LSTM", SMALL, 1, 90, 1));
        r.add(model("trainingStep", "LSTM", SMALL, 2, 50, 1));
        // RNN forward 0.6291 GFLOP in 6 ms: 104.9 GFLOP/s
        r.add(model("forward", "RNN", SMALL, 1, 6, Double.NaN));
        r.add(model("trainingStep", "RNN", LARGE, 1, 100, 2));
        r.add(model("trainingStep", "RNN", LARGE, 2, 50, 2));
        r.add(Result.raw("org.example.Other.thing", Map.of("x", "1"), "thrpt", 3, 0.1, "ops/s", 5));
        return r;
    }

    private static Report build(List<Result> results, List<Allocation> allocations) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("forks", "1");
        return ModelsReport.build("models-test", "2025-01-01T00:00:00Z", settings, ENV, 10_000, 8, FMA_FLOPS,
                results, allocations);
    }

    private static Report build() {
        return build(sample(), List.of(alloc("LSTM", SMALL, 0.02), alloc("RNN", SMALL, 4096.0)));
    }

    private static Result find(Report report, String method, String cell, String shape, int threads) {
        return report.results().stream()
                .filter(r -> r.benchmark().equals(MODEL + method) && cell.equals(r.params().get("cell"))
                        && shape.equals(r.params().get("shape"))
                        && String.valueOf(threads).equals(r.params().get("threads")))
                .findFirst().orElseThrow();
    }

    @Test
    void derivesFlopsGflopsFractionsAndSpeedups() {
        Report report = build();
        assertEquals(120.0, report.fmaLimit().gflops(), 1e-9);
        Result fma = report.results().get(0);
        assertEquals(1.0, fma.fractionOfFmaLimit());
        Result lstm = find(report, "forward", "LSTM", SMALL, 1);
        assertEquals(2_516_582_400.0, lstm.flops());
        assertEquals(120.0, lstm.gflops(), 1e-6);
        assertEquals(1.0, lstm.fractionOfFmaLimit(), 1e-9);
        assertNull(lstm.speedupOverOneThread());
        Result lstm2 = find(report, "forward", "LSTM", SMALL, 2);
        assertEquals(20.97152 / 11.0, lstm2.speedupOverOneThread(), 1e-12);
        Result fb = find(report, "forwardBackward", "LSTM", SMALL, 1);
        assertEquals(3 * 2_516_582_400.0, fb.flops());
        assertEquals(3 * 2_516_582_400.0 / 80e6, fb.gflops(), 1e-9);
        Result rnn = find(report, "forward", "RNN", SMALL, 1);
        assertNull(rnn.error());
        assertEquals(629_145_600.0 / 6e6 / 120, rnn.fractionOfFmaLimit(), 1e-12);
        Result other = report.results().get(report.results().size() - 1);
        assertNull(other.gflops());
        assertNull(other.flops());
    }

    @Test
    void checksTheTargets() {
        List<ModelMath.TargetCheck> t = build().targets();
        assertEquals(List.of(
                        Status.MET,          // LSTM forward 21.0 ms <= 24 ms
                        Status.MISSED,       // LSTM forward+backward 80 ms > 75 ms
                        Status.MET,          // RNN forward 6 ms <= 7 ms
                        Status.NOT_MEASURED, // RNN forward+backward
                        Status.NOT_MEASURED, // RNN 32x100x128x256 training step: no runs
                        Status.MET,          // RNN 64x50x256x512: 100 ms -> 50 ms = 2.0x
                        Status.MET,          // LSTM 32x100x128x256: 90 ms -> 50 ms = 1.8x
                        Status.NOT_MEASURED), // LSTM 64x50x256x512
                t.stream().map(ModelMath.TargetCheck::status).toList());
        assertEquals(1.8, t.get(6).measured(), 1e-12);
    }

    @Test
    void markdownHasTheTablesTargetsAndNotes() {
        String md = ModelsReport.markdown(build());
        assertTrue(md.startsWith("# rnn4j model benchmarks\n\nSuite **models-test**, 2025-01-01T00:00:00Z. "
                + "JMH settings: forks 1."), md);
        assertTrue(md.contains("**FMA limit, one thread: 120 GFLOP/s** (119–121)"), md);
        assertTrue(md.contains("| CPU | Test CPU |"), md);
        assertTrue(md.contains("| cell | B | T | D | H | threads | benchmark | time | GFLOP/s | % of FMA limit "
                + "| speed-up vs 1 thread |"), md);
        assertTrue(md.contains("| LSTM | 32 | 100 | 128 | 256 | 1 | forward | 21.0 ± 0.1 ms | 120 | 100 % |  |"), md);
        assertTrue(md.contains("| LSTM | 32 | 100 | 128 | 256 | 2 | forward | 11.0 ± 0.2 ms | 229 | 191 % | 1.91× |"),
                md);
        assertTrue(md.contains("| LSTM | 32 | 100 | 128 | 256 | 1 | forward+backward | 80.0 ± 1.0 ms | 94.4 | 78.6 % |  |"),
                md);
        assertTrue(md.contains("| RNN | 32 | 100 | 128 | 256 | 1 | forward | 6.00 ms | 105 | 87.4 % |  |"), md);
        // rows: RNN before LSTM, small shape before large, forward before training step, 1 thread before 2
        assertTrue(md.indexOf("| RNN | 32 | 100") < md.indexOf("| RNN | 64 | 50"));
        assertTrue(md.indexOf("| RNN | 64 | 50 | 256 | 512 | 2 |") < md.indexOf("| LSTM | 32 | 100"));
        assertTrue(md.indexOf("| LSTM | 32 | 100 | 128 | 256 | 2 | forward |")
                < md.indexOf("| LSTM | 32 | 100 | 128 | 256 | 1 | forward+backward |"));
        // targets, with the FMA-limit bound (LSTM forward: 2.52 GFLOP / 120 GFLOP/s = 21.0 ms)
        assertTrue(md.contains("| LSTM forward, one thread | 32×100×128×256 | 21.0 ms | ≤ 24.0 ms | met ✅ | 2.52 G "
                + "| 21.0 ms |"), md);
        // LSTM forward+backward: 7.55 GFLOP / 120 = 62.9 ms, within 75 ms
        assertTrue(md.contains("| LSTM forward+backward, one thread | 32×100×128×256 | 80.0 ms | ≤ 75.0 ms "
                + "| **missed** ❌ | 7.55 G | 62.9 ms |"), md);
        // RNN forward+backward: 1.89 GFLOP / 120 = 15.7 ms; RNN forward 5.24 ms
        assertTrue(md.contains("| RNN forward+backward, one thread | 32×100×128×256 | — | ≤ 20.0 ms | not measured "
                + "| 1.89 G | 15.7 ms |"), md);
        assertTrue(md.contains("| training step, two threads over one | RNN 64×50×256×512 | 2.00× | ≥ 1.70× | met ✅ "
                + "|  |  |"), md);
        assertTrue(md.contains("| training step, two threads over one | LSTM 32×100×128×256 | 1.80× | ≥ 1.70× "
                + "| met ✅ |"), md);
        assertTrue(md.contains("4 met, 1 missed, 3 not measured in this run."), md);
        // allocation
        assertTrue(md.contains("| LSTM | 32×100×128×256 | 1 | training step | 0.0200 ± 0.5000 B |"), md);
        assertTrue(md.contains("| RNN | 32×100×128×256 | 1 | training step | 4.00 ± 0.00 KiB |"), md);
        assertTrue(md.indexOf("| RNN | 32×100×128×256 | 1 | training step") < md.indexOf("| LSTM | 32×100×128×256 | 1 | training step"));
        // reference numbers, with this run's times next to them
        assertTrue(md.contains("## Reference numbers from the issue, not measured by this run"), md);
        assertTrue(md.contains("| LSTM forward | 38.7 ms | 26.8 ms | 114 ms | 21.0 ± 0.1 ms |"), md);
        assertTrue(md.contains("| LSTM forward+backward | 108 ms | — | 466 ms (fit) | 80.0 ± 1.0 ms |"), md);
        assertTrue(md.contains("| RNN forward | 10.6 ms | — | 25.0 ms | 6.00 ms |"), md);
        assertTrue(md.contains("| RNN forward+backward | 28.6 ms | — | 149 ms (fit) | — |"), md);
        // how to read it
        assertTrue(md.contains("GFLOP/s counts only the recurrent layer's matrix products"), md);
        assertTrue(md.contains("The output head"), md);
        assertTrue(md.contains("| org.example.Other.thing | x=1 | thrpt | 3.00 ± 0.100 | ops/s |"), md);
        assertTrue(md.endsWith("`BenchMain report --in models.json` renders this file again from the JSON.\n"), md);
    }

    @Test
    void flagsTargetsThatNeedMoreThanTheFmaLimit() {
        List<Result> results = new ArrayList<>(sample());
        // 1 920 000 FLOP in 48 000 ns: 40 GFLOP/s; LSTM forward then needs 62.9 ms at the limit, > 24 ms
        results.set(0, Result.raw(Reports.FMA_BENCHMARK, Map.of(), "avgt", 48_000, 100, "ns/op", 5));
        String md = ModelsReport.markdown(build(results, List.of()));
        assertTrue(md.contains("| 2.52 G | 62.9 ms ⚠ needs 262 % of the limit |"), md);
        assertTrue(md.contains("Not measured in this run (the GC-profiled run"), md);
    }

    @Test
    void withoutTheFmaBenchmarkFractionsAndBoundsAreMissing() {
        List<Result> results = new ArrayList<>(sample());
        results.remove(0);
        Report report = build(results, List.of());
        assertNull(report.fmaLimit().gflops());
        assertNull(find(report, "forward", "LSTM", SMALL, 1).fractionOfFmaLimit());
        assertEquals(120.0, find(report, "forward", "LSTM", SMALL, 1).gflops(), 1e-6);
        assertNull(report.targets().get(0).millisAtFmaLimit());
        String md = ModelsReport.markdown(report);
        assertTrue(md.contains("FMA limit: not measured in this run"), md);
        assertTrue(md.contains("| LSTM | 32 | 100 | 128 | 256 | 1 | forward | 21.0 ± 0.1 ms | 120 | — |  |"), md);
        assertTrue(md.contains("| LSTM forward, one thread | 32×100×128×256 | 21.0 ms | ≤ 24.0 ms | met ✅ | 2.52 G "
                + "| — |"), md);
    }

    @Test
    void allocationFromTheGcProfilersSecondaryResult() {
        Map<String, Reports.Secondary> secondary = new LinkedHashMap<>();
        secondary.put("gc.alloc.rate", new Reports.Secondary(0.01, 0.001, "MB/sec"));
        secondary.put("gc.alloc.rate.norm", new Reports.Secondary(16.0, 2.0, "B/op"));
        secondary.put("gc.count", new Reports.Secondary(0, Double.NaN, "counts"));
        Reports.Jmh r = new Reports.Jmh(MODEL + "trainingStep", Map.of("cell", "RNN", "shape", SMALL, "threads", "1"),
                "avgt", 20, 0.5, "ms/op", 3, secondary);
        Allocation a = ModelsReport.allocation(r);
        assertEquals(16.0, a.bytesPerOp());
        assertEquals(2.0, a.bytesError());
        assertEquals(20.0, a.score());
        // JMH up to 1.36 labelled it "·gc.alloc.rate.norm"
        Reports.Jmh old = new Reports.Jmh(r.benchmark(), r.params(), "avgt", 20, Double.NaN, "ms/op", 3,
                Map.of("·gc.alloc.rate.norm", new Reports.Secondary(8.0, Double.NaN, "B/op")));
        Allocation b = ModelsReport.allocation(old);
        assertEquals(8.0, b.bytesPerOp());
        assertNull(b.bytesError());
        assertNull(b.error());
        Allocation none = ModelsReport.allocation(new Reports.Jmh(r.benchmark(), r.params(), "avgt", 20, 0.5,
                "ms/op", 3, Map.of()));
        assertNull(none.bytesPerOp());
        String md = ModelsReport.markdown(build(sample(), List.of(none)));
        assertTrue(md.contains("| RNN | 32×100×128×256 | 1 | training step | — (no gc.alloc.rate.norm) |"), md);
    }

    @Test
    void jsonRoundTripRendersTheSame() throws Exception {
        Report report = build();
        String json = ModelsReport.toJson(report);
        assertFalse(json.contains("NaN"), json);
        assertTrue(ModelsReport.isModelsJson(json));
        Report back = ModelsReport.fromJson(json);
        assertEquals(report, back);
        assertEquals(ModelsReport.markdown(report), ModelsReport.markdown(ModelsReport.rebuild(back)));
        String kernels = KernelsReport.toJson(KernelsReport.build("k", "2025-01-01T00:00:00Z", Map.of(), ENV,
                10_000, 8, FMA_FLOPS, List.of()));
        assertFalse(ModelsReport.isModelsJson(kernels));
    }

    @Test
    void modelCasesOnlyForModelBenchmarkResults() {
        assertNull(ModelsReport.modelCase("org.rnn4j.bench.GemmBenchmark.gemm", Map.of("cell", "RNN",
                "shape", SMALL, "threads", "1"), 1));
        assertNull(ModelsReport.modelCase(MODEL + "forward", Map.of("cell", "RNN", "shape", SMALL), 1));
        assertNull(ModelsReport.modelCase(MODEL + "forward", Map.of("cell", "XYZ", "shape", SMALL, "threads", "1"), 1));
        assertNull(ModelsReport.modelCase(MODEL + "forward", Map.of("cell", "RNN", "shape", "1x2", "threads", "1"), 1));
        assertNull(ModelsReport.modelCase(MODEL + "other", Map.of("cell", "RNN", "shape", SMALL, "threads", "1"), 1));
        ModelMath.ModelTime t = ModelsReport.modelCase(MODEL + "forwardBackward",
                Map.of("cell", "LSTM_NO_FORGET", "shape", SMALL, "threads", "2"), 5);
        assertEquals(new ModelMath.ModelTime("LSTM_NO_FORGET", ModelMath.ModelShape.parse(SMALL), 2,
                ModelMath.Bench.FORWARD_BACKWARD, 5), t);
    }
}
