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
     * Products at most one vector wide read A in place ({@code narrowGemm}) with the packed
     * path's k-blocks and roundings, so they are bitwise those of {@code multPacked}, which still
     * packs A and B into tiles: across k-blocks (k > KC), leftover rows (m mod 8), every width
     * up to the vector and both (alpha, beta) forms.
     */
    @Test
    void narrowProductsMatchThePackedPathBitwise() {
        Kernels k = kernels();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(11);
        int[][] shapes = {{3, 1, 7}, {13, 5, 600}, {203, VectorKernels.L, 513}, {33, VectorKernels.L - 1, 257},
            {129, 3, 31}, {97, 7, 1029}};
        float[][] scalars = {{1f, 0f}, {0.5f, -2f}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], kk = s[2];
            float[] a = new float[m * kk];
            float[] b = new float[kk * n];
            float[] c0 = new float[m * n];
            for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextDouble(-1, 1);
            for (int i = 0; i < b.length; i++) b[i] = (float) rnd.nextDouble(-1, 1);
            for (int i = 0; i < c0.length; i++) c0[i] = (float) rnd.nextDouble(-1, 1);
            PackedMatrix packed = k.packB(false, kk, n, b, 0, n);
            for (float[] ab : scalars) {
                float[] direct = c0.clone();
                float[] viaPanels = c0.clone();
                k.mult(m, n, kk, ab[0], a, 0, kk, b, 0, n, ab[1], direct, 0, n);
                k.multPacked(m, n, ab[0], a, 0, kk, packed, 0, ab[1], viaPanels, 0, n);
                for (int i = 0; i < direct.length; i++) {
                    assertEquals(Float.floatToRawIntBits(viaPanels[i]), Float.floatToRawIntBits(direct[i]),
                            m + " x " + n + " x " + kk + " alpha " + ab[0] + " beta " + ab[1] + ": C[" + i / n + "]["
                                    + i % n + "] " + direct[i] + " vs the packed path's " + viaPanels[i]);
                }
            }
        }
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
