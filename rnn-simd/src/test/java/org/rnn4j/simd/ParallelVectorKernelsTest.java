package org.rnn4j.simd;

/** The contract, and bitwise identity with the single-threaded kernels, for the vector kernels on two threads. */
class ParallelVectorKernelsTest extends ParallelKernelsContract {
    @Override
    public Kernels kernels() {
        return TestSupport.vectorOrSkip().withThreads(2);
    }

    @Override
    Kernels single() {
        return TestSupport.vectorOrSkip();
    }
}
