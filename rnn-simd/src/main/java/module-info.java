/**
 * rnn4j's CPU kernels: BLAS-shaped GEMM, activations, softmax and vector operations, with a
 * scalar reference and a {@code jdk.incubator.vector} implementation of one interface.
 * All Vector API imports of the project live in this module.
 */
module org.rnn4j.simd {
    requires java.management;
    requires jdk.incubator.vector;
    requires org.slf4j;

    exports org.rnn4j.simd;
    // Not exported, so module-path users never see them:
    //  - org.rnn4j.simd.internal: VectorMath and Checks, public only because org.rnn4j.simd and
    //    org.rnn4j.simd.bench both call them (Lucene keeps internal.vectorization unexported so);
    //  - org.rnn4j.simd.bench: FmaProbe and ActivationVariants, kernels only the benchmarks run
    //    (rnn-bench is a class-path application, so it reaches them without an export).
}
