package org.rnn4j.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The contract run against the Vector API kernels. */
class VectorKernelsTest extends KernelsContract {
    @Override
    public Kernels kernels() {
        return TestSupport.vectorOrSkip();
    }

    @Test
    void identity() {
        Kernels k = kernels();
        assertSame(VectorKernels.INSTANCE, k);
        assertEquals("vector", k.name());
        assertTrue(k.vectorBitSize() >= 128, "vector width " + k.vectorBitSize());
        assertEquals(VectorKernels.L * 32, k.vectorBitSize());
        assertEquals(1, k.threads());
        assertSame(k, k.withThreads(1));
    }

    /** The tile height is the one asked for (the 4-row test execution really runs the 4-row kernel). */
    @Test
    void tileRows() {
        kernels();
        String asked = System.getProperty("rnn4j.gemm.mr");
        assertEquals(asked != null ? Integer.parseInt(asked) : VectorKernels.L >= 16 ? 12 : 4, VectorKernels.MR);
        assertThrows(IllegalArgumentException.class, () -> VectorKernels.tileRows(6));
    }

    /**
     * The packed-A strips tile every block height, for each tile height in use: each strip has a
     * kernel (the tile height, or 8 beside 12-row tiles), only the last strip is padded, and by
     * less than a 4-row step past 8 rows.
     */
    @Test
    void stripsTileEveryBlock() {
        for (int tr : new int[] {VectorKernels.tileRowsFor(1), VectorKernels.tileRowsFor(1 << 20)}) {
            for (int mc = 1; mc <= VectorKernels.MC; mc++) {
                int covered = 0;
                int strips = 0;
                while (covered < mc) {
                    int h = VectorKernels.stripRows(mc - covered, tr);
                    assertTrue(h == tr || (tr == 12 && h == 8), "mc " + mc + ": strip of " + h);
                    covered += h;
                    strips++;
                }
                int padding = covered - mc;
                int allowed = tr == 12 ? (mc <= 8 ? 8 - mc : (4 - mc % 4) % 4) : (tr - mc % tr) % tr;
                assertEquals(allowed, padding, "tiles of " + tr + ", mc " + mc + " padded by " + padding + " in "
                        + strips + " strips");
                assertTrue(covered <= VectorKernels.MC, "mc " + mc + " overflows the packed block");
            }
        }
        assertEquals(12, VectorKernels.stripRows(32, 12));
        assertEquals(12, VectorKernels.stripRows(20, 12));
        assertEquals(8, VectorKernels.stripRows(16, 12));
        assertEquals(8, VectorKernels.stripRows(8, 12));
        assertEquals(VectorKernels.MR == 12 ? 8 : VectorKernels.MR, VectorKernels.tileRowsFor(VectorKernels.TALL_MIN_N - 1));
        assertEquals(VectorKernels.MR, VectorKernels.tileRowsFor(VectorKernels.TALL_MIN_N));
    }

    /**
     * An element's activation does not depend on where it sits (vector body or tail): the models
     * cut a batch into row blocks and must get the whole batch's values bit for bit.
     */
    @Test
    void activationsDoNotDependOnPosition() {
        Kernels k = kernels();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        int n = 3 * VectorKernels.L + 7;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rnd.nextDouble() * 16 - 8);
        }
        for (Activation f : Activation.values()) {
            float[] whole = new float[n];
            k.activate(f, n, x, 0, whole, 0);
            float[] one = new float[1];
            for (int i = 0; i < n; i++) {
                k.activate(f, 1, x, i, one, 0);
                assertEquals(Float.floatToRawIntBits(whole[i]), Float.floatToRawIntBits(one[0]), f + " at " + i);
            }
        }
    }

    /** The size sweep really crosses every block of the packed GEMM. */
    @Test
    void sweepCrossesEveryBlock() {
        kernels();
        assertTrue(gemmSizes().anyMatch(c -> c.k() > VectorKernels.KC && c.m() > VectorKernels.MC
                && c.n() > VectorKernels.NC), "no case beyond KC, MC and NC at once");
        assertTrue(gemmSizes().anyMatch(c -> c.m() <= VectorKernels.SMALL_M), "no unpacked case");
    }
}
