package org.rnn4j.simd;

/** The contract, and bitwise identity with the single-threaded kernels, for the scalar kernels on two threads. */
class ParallelScalarKernelsTest extends ParallelKernelsContract {
    @Override
    public Kernels kernels() {
        return KernelProvider.scalar().withThreads(2);
    }

    @Override
    Kernels single() {
        return KernelProvider.scalar();
    }
}
