package org.rnn4j.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** The contract run against the scalar reference kernels. */
class ScalarKernelsTest extends KernelsContract {
    @Override
    public Kernels kernels() {
        return KernelProvider.scalar();
    }

    @Test
    void identity() {
        assertSame(ScalarKernels.INSTANCE, kernels());
        assertEquals("scalar", kernels().name());
        assertEquals(0, kernels().vectorBitSize());
        assertEquals(1, kernels().threads());
        assertSame(kernels(), kernels().withThreads(1));
    }
}
