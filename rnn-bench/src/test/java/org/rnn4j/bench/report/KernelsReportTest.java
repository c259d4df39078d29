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
import org.rnn4j.bench.report.KernelsReport.Report;
import org.rnn4j.bench.report.KernelsReport.Result;

class KernelsReportTest {
    private static final Reports.Env ENV =
            new Reports.Env("vector", 256, "", "OpenJDK 64-Bit Server VM 25", 2, "Test CPU", "Linux");
    private static final long FMA_FLOPS = 1_920_000;

    private static Result gemm(String cls, String impl, String shape, String size, double micros, double err) {
        return Result.raw("org.rnn4j.bench." + cls + ".gemm", Map.of("impl", impl, "shape", shape, "size", size),
                "avgt", micros, err, "us/op", 5);
    }

    private static Result act(String method, int n, double nanos) {
        return Result.raw("org.rnn4j.bench.ActivationBenchmark." + method, Map.of("n", String.valueOf(n)),
                "avgt", nanos, 1, "ns/op", 5);
    }

    private static List<Result> sample() {
        List<Result> r = new ArrayList<>();
        // 1 920 000 FLOP in 16 000 ns: 120 GFLOP/s
        r.add(Result.raw(KernelsReport.FMA_BENCHMARK, Map.of(), "avgt", 16_000, 100, "ns/op", 5));
        // 2*512^3 = 268 435 456 FLOP; 2684.35456 us -> 100 GFLOP/s = 83.3 % of 120
        r.add(gemm("GemmBenchmark", "vector", "AB", "512x512x512", 2684.35456, 10));
        r.add(gemm("GemmBenchmark", "vector2t", "AB", "512x512x512", 1342.17728, 10));
        r.add(gemm("ScalarGemmBenchmark", "scalar", "AB", "128x128x128", 500, Double.NaN));
        r.add(gemm("GemmBenchmark", "vector", "AB", "128x128x128", 50, 1));
        r.add(act("tanhScalar", 4096, 40_960));
        r.add(act("tanhVector", 4096, 2_048));
        r.add(act("tanhLanewise", 4096, 4_096));
        r.add(act("expPolynomial", 4096, 1_024));
        r.add(Result.raw("org.rnn4j.bench.ActivationBenchmark.softmaxVector",
                Map.of("n", "4096", "rowLength", "10"), "avgt", 4090, 1, "ns/op", 5));
        r.add(Result.raw("org.example.Other.thing", Map.of("x", "1"), "thrpt", 3, 0.1, "ops/s", 5));
        return r;
    }

    private static Report build(List<Result> results) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("forks", "1");
        return KernelsReport.build("test", "2025-01-01T00:00:00Z", settings, ENV, 10_000, 8, FMA_FLOPS, results);
    }

    @Test
    void derivesGflopsFractionsAndRates() {
        Report report = build(sample());
        assertEquals(120.0, report.fmaLimit().gflops(), 1e-9);
        assertEquals(16_000.0, report.fmaLimit().nanosPerCall(), 1e-9);
        Map<String, Result> byKey = new LinkedHashMap<>();
        for (Result r : report.results()) {
            byKey.put(r.method() + r.params(), r);
        }
        Result ab = report.results().get(1);
        assertEquals(100.0, ab.gflops(), 1e-6);
        assertEquals(100.0 / 120, ab.fractionOfFmaLimit(), 1e-9);
        Result parallel = report.results().get(2);
        assertEquals(200.0 / 120, parallel.fractionOfFmaLimit(), 1e-9);
        Result scalar = report.results().get(3);
        assertNull(scalar.error());
        assertEquals(0.1, act(report, "tanhScalar").elementsPerNs(), 1e-12);
        assertEquals(2.0, act(report, "tanhVector").elementsPerNs(), 1e-12);
        assertEquals(1.0, act(report, "softmaxVector").elementsPerNs(), 1e-12); // 409 rows x 10 in 4090 ns
        Result other = report.results().get(report.results().size() - 1);
        assertNull(other.gflops());
        assertNull(other.elementsPerNs());
        assertEquals(1.0, report.results().get(0).fractionOfFmaLimit());
    }

    private static Result act(Report report, String method) {
        return report.results().stream().filter(r -> r.method().equals(method)).findFirst().orElseThrow();
    }

    @Test
    void markdownHasTheTablesAndTargets() {
        String md = KernelsReport.markdown(build(sample()));
        assertTrue(md.contains("**FMA limit, one thread: 120 GFLOP/s** (119–121)"), md);
        assertTrue(md.contains("| vector | A·B | 512 | 512 | 512 | 2.68 ± 0.01 ms | 100 | 83.3 % |  |"), md);
        assertTrue(md.contains("| vector2t | A·B | 512 | 512 | 512 | 1.34 ± 0.01 ms | 200 | 167 % | 2.00× vector |"), md);
        assertTrue(md.contains("| scalar | A·B | 128 | 128 | 128 | 500 µs | 8.39 | 6.99 % |  |"), md);
        assertTrue(md.contains("| vector | A·B | 128 | 128 | 128 | 50.0 ± 1.0 µs | 83.9 | 69.9 % | 10.0× scalar |"), md);
        assertTrue(md.contains("| vector A·B, one thread, squares 256³–1024³ | A·B 512³ | 83.3 % | ≥ 90.0 % | **missed** ❌ |"), md);
        assertTrue(md.contains("| vector A·B, Aᵀ·B and A·Bᵀ, one thread, squares 256³–1024³ | A·B 512³ | 83.3 % | ≥ 92.0 % | **missed** ❌ |"), md);
        assertTrue(md.contains("0 met, 2 missed, 4 not measured"), md);
        assertTrue(md.contains("| tanh | 4096 | 0.100 | 2.00 | 1.00 | 20.0× | 2.00× |"), md);
        assertTrue(md.contains("| exp | 4096 | — | 4.00 | — | — | — |"), md);
        assertTrue(md.contains("| softmax, rows of 10 | 4090 | — | 1.00 | — | — | — |"), md);
        assertTrue(md.contains("| org.example.Other.thing | x=1 | thrpt | 3.00 ± 0.100 | ops/s |"), md);
        assertTrue(md.contains("| CPU | Test CPU |"), md);
        // rows of the GEMM table: shape, then size (squares first), then impl
        assertTrue(md.indexOf("| scalar | A·B | 128") < md.indexOf("| vector | A·B | 128"));
        assertTrue(md.indexOf("| vector | A·B | 128") < md.indexOf("| vector | A·B | 512"));
    }

    @Test
    void withoutTheFmaBenchmarkFractionsAreMissing() {
        List<Result> results = new ArrayList<>(sample());
        results.remove(0);
        Report report = build(results);
        assertNull(report.fmaLimit().gflops());
        assertNull(report.results().get(0).fractionOfFmaLimit());
        assertEquals(100.0, report.results().get(0).gflops(), 1e-6);
        String md = KernelsReport.markdown(report);
        assertTrue(md.contains("FMA limit: not measured in this run"), md);
        assertTrue(md.contains("| vector | A·B | 512 | 512 | 512 | 2.68 ± 0.01 ms | 100 | — |  |"), md);
    }

    @Test
    void jsonRoundTripRendersTheSame() throws Exception {
        Report report = build(sample());
        String json = KernelsReport.toJson(report);
        assertFalse(json.contains("NaN"), json);
        Report back = KernelsReport.fromJson(json);
        assertEquals(report, back);
        assertEquals(KernelsReport.markdown(report), KernelsReport.markdown(KernelsReport.rebuild(back)));
    }

    @Test
    void formatsAboutThreeSignificantDigits() {
        assertEquals("123", KernelsReport.num(123.4));
        assertEquals("12.3", KernelsReport.num(12.34));
        assertEquals("1.23", KernelsReport.num(1.234));
        assertEquals("0.123", KernelsReport.num(0.1234));
        assertEquals("0.00123", KernelsReport.num(0.001234));
        assertEquals("1235", KernelsReport.num(1234.5));
        assertEquals("—", KernelsReport.num(Double.NaN));
        assertEquals("—", KernelsReport.num(null));
        assertEquals("83.3 %", KernelsReport.percent(0.8333));
        assertEquals("512 ± 3 ns", KernelsReport.time(512, 3));
        assertEquals("5.12 ± 0.10 µs", KernelsReport.time(5_120, 100));
        assertEquals("1.50 s", KernelsReport.time(1.5e9, Double.NaN));
    }
}
