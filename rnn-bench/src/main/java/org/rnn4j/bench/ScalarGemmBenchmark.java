package org.rnn4j.bench;

import org.openjdk.jmh.annotations.Param;

/**
 * GEMM of the scalar reference kernels, at the sizes where a call takes milliseconds rather than
 * seconds: the squares up to 256³ and two RNN gate products (inference, batch 1; training,
 * batch 32). The baseline the SIMD kernels of {@link GemmBenchmark} are compared with.
 */
public class ScalarGemmBenchmark extends AbstractGemmBenchmark {
    /** Only {@code scalar} by default; any impl of {@link AbstractGemmBenchmark#kernels} works. */
    @Param({"scalar"})
    public String impl;

    /** m × n × k. */
    @Param({"64x64x64", "128x128x128", "256x256x256", "1x1024x256", "32x1024x256"})
    public String size;

    @Override
    String impl() {
        return impl;
    }

    @Override
    String size() {
        return size;
    }
}
