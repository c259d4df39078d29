package org.rnn4j.lstm;

import org.rnn4j.simd.KernelProvider;
import org.rnn4j.simd.Kernels;

/**
 * What the models run on here: the kernels chosen by {@link KernelProvider}, their SIMD width,
 * and the JVM. Benchmark reports print it so that every number says where it came from.
 *
 * @param kernels       "vector" or "scalar"
 * @param vectorBits    SIMD width in bits, 0 for scalar
 * @param fallbackReason why the vector kernels are not available here, or empty
 * @param jvm           the JVM's name and version
 * @param cores         available processors
 */
public record Environment(String kernels, int vectorBits, String fallbackReason, String jvm, int cores) {

    /** Describes the current JVM. */
    public static Environment current() {
        Kernels k = KernelProvider.get();
        return new Environment(k.name(), k.vectorBitSize(),
                KernelProvider.vectorUnavailableReason().orElse(""),
                System.getProperty("java.vm.name") + " " + Runtime.version(),
                Runtime.getRuntime().availableProcessors());
    }
}
