package org.rnn4j.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportsTest {

    @Test
    void formatsBytes() {
        assertEquals("0 B", Reports.bytes(0, Double.NaN));
        assertEquals("0.0200 ± 0.0100 B", Reports.bytes(0.02, 0.01));
        assertEquals("512 ± 3 B", Reports.bytes(512, 3));
        assertEquals("1.50 KiB", Reports.bytes(1536, Double.NaN));
        assertEquals("2.00 ± 0.50 MiB", Reports.bytes(2 * 1024 * 1024, 512 * 1024));
        assertEquals("3.00 GiB", Reports.bytes(3.0 * 1024 * 1024 * 1024, Double.NaN));
    }

    @Test
    void findsSecondaryResultsWithOrWithoutJmhsOldPrefix() {
        Reports.Secondary norm = new Reports.Secondary(1, 0, "B/op");
        Reports.Secondary rate = new Reports.Secondary(2, 0, "MB/sec");
        assertEquals(norm, Reports.secondary(Map.of("gc.alloc.rate.norm", norm, "gc.alloc.rate", rate),
                "gc.alloc.rate.norm"));
        assertEquals(norm, Reports.secondary(Map.of("·gc.alloc.rate.norm", norm, "·gc.alloc.rate", rate),
                "gc.alloc.rate.norm"));
        assertEquals(rate, Reports.secondary(Map.of("·gc.alloc.rate.norm", norm, "·gc.alloc.rate", rate),
                "gc.alloc.rate"));
        assertNull(Reports.secondary(Map.of("gc.alloc.rate", rate), "gc.alloc.rate.norm"));
    }

    @Test
    void fmaLimitFromTheProbesTime() {
        Reports.FmaLimit f = Reports.FmaLimit.of(10_000, 8, 1_920_000, 16_000, Double.NaN);
        assertEquals(120.0, f.gflops(), 1e-12);
        assertNull(f.errorNanos());
        assertEquals(120.0, f.gflopsOrNaN(), 1e-12);
        Reports.FmaLimit none = Reports.FmaLimit.of(10_000, 8, 1_920_000, Double.NaN, 5);
        assertNull(none.gflops());
        assertNull(none.nanosPerCall());
        assertNull(none.errorNanos());
        assertEquals(Double.NaN, none.gflopsOrNaN());
    }
}
