package org.rnn4j.bench.stability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThroughputTest {

    /** JMH in this JVM (0 forks), one 20 ms iteration per benchmark, at a toy shape. */
    @Test
    void everyBenchmarkOfBothCellsIsTimed(@TempDir Path dir) throws Exception {
        // In this JVM and for milliseconds: no need to wait for a JMH run of someone else on the machine.
        System.setProperty("jmh.ignoreLock", "true");
        ThroughputSettings s = new ThroughputSettings(0, 0, "1ms", 1, "20ms", "2x3x4x5", 4);
        AtomicLong units = new AtomicLong();
        ThroughputResult r = Throughput.run(s, dir, (u, w) -> units.addAndGet(u));
        assertEquals(Throughput.units(), units.get());
        assertEquals(8, r.timings().size());
        for (String cell : Throughput.CELLS) {
            for (String bench : Throughput.BENCHMARKS) {
                Timing t = r.find(cell, bench);
                assertNotNull(t, cell + " " + bench);
                assertTrue(t.nanos() > 0 && Double.isFinite(t.nanos()), t.toString());
                assertEquals(bench.equals("singleStep") ? "1x1x4x4" : "2x3x4x5", t.shape());
            }
        }
        assertEquals(2 * 3 / (r.find("RNN", "forward").nanos() * 1e-9),
                r.find("RNN", "forward").sequenceStepsPerSecond(), 1e-6);
    }

    @Test
    void badShapesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ThroughputSettings(1, 1, "1s", 1, "1s", "32x100x64", 128));
        assertTrue(e.getMessage().contains("'32x100x64'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ThroughputShape.parse("32x0x64x128"));
        assertTrue(e.getMessage().contains("'32x0x64x128'"), e.getMessage());
    }
}
