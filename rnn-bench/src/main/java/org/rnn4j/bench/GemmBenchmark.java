package org.rnn4j.bench;

import org.openjdk.jmh.annotations.Param;

/**
 * GEMM of the SIMD kernels at every size: the squares 64³–1024³ and the RNN gate products
 * m × 4k × k (m = batch 1, 32, 64; k = 128, 256, 512). {@code impl} also accepts {@code scalar}
 * ({@code -p impl=scalar}), but the scalar kernels take seconds per call at 1024³, so by default
 * they run only in {@link ScalarGemmBenchmark}, at the small sizes.
 */
public class GemmBenchmark extends AbstractGemmBenchmark {
    /** {@code vector} = one thread; {@code vector2t} = {@code KernelProvider.vector().withThreads(2)}. */
    @Param({"vector", "vector2t"})
    public String impl;

    /** m × n × k. */
    @Param({"64x64x64", "128x128x128", "256x256x256", "512x512x512", "1024x1024x1024",
            "1x512x128", "1x1024x256", "1x2048x512",
            "32x512x128", "32x1024x256", "32x2048x512",
            "64x512x128", "64x1024x256", "64x2048x512"})
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
