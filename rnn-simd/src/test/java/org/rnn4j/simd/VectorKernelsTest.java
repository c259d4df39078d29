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
        assertEquals(asked != null ? Integer.parseInt(asked) : VectorKernels.L >= 16 ? 8 : 4, VectorKernels.MR);
        assertThrows(IllegalArgumentException.class, () -> VectorKernels.tileRows(6));
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
