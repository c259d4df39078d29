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
}
