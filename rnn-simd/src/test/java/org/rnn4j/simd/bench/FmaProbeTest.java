package org.rnn4j.simd.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rnn4j.simd.KernelProvider;
import org.rnn4j.simd.TestSupport;

/** {@link FmaProbe}: finite results and a FLOP count consistent with the vector width. */
class FmaProbeTest {
    @BeforeEach
    void needsVector() {
        TestSupport.vectorOrSkip();
    }

    @Test
    void lanesMatchTheVectorKernels() {
        assertEquals(KernelProvider.vector().vectorBitSize() / 32, FmaProbe.lanes());
        assertTrue(FmaProbe.lanes() >= 4, "lanes " + FmaProbe.lanes());
    }

    @Test
    void flopsCountTwoPerLanePerFmaOfTwelveChains() {
        assertEquals(0, FmaProbe.flops(0));
        for (int n : new int[] {1, 7, 1000, 1_000_000}) {
            assertEquals(2L * 12 * n * FmaProbe.lanes(), FmaProbe.flops(n), "n = " + n);
        }
        assertEquals(1000 * FmaProbe.flops(1), FmaProbe.flops(1000));
        // no int overflow for large counts
        assertEquals(2L * 12 * Integer.MAX_VALUE * FmaProbe.lanes(), FmaProbe.flops(Integer.MAX_VALUE));
    }

    @Test
    void runReturnsAFiniteValue() {
        for (int iterations : new int[] {0, 1, 1000, 100_000}) {
            for (float seed : new float[] {1e-3f, 2.5e-3f}) {
                float v = FmaProbe.run(iterations, seed);
                assertTrue(Float.isFinite(v), "run(" + iterations + ", " + seed + ") = " + v);
            }
        }
        // zero iterations: the sum of the 12 start values (seed + c, c = 0..11) over all lanes
        float seed = 1e-3f;
        assertEquals(FmaProbe.lanes() * (12 * seed + 66), FmaProbe.run(0, seed), 1e-3);
        // deterministic
        assertEquals(FmaProbe.run(12345, seed), FmaProbe.run(12345, seed));
    }
}
