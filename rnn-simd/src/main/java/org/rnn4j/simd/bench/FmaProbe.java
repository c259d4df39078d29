package org.rnn4j.simd.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Measures the machine's floating-point limit: independent chains of vector FMAs held in
 * registers, no memory traffic. Twelve chains cover the FMA latency × throughput product of
 * current x86 and ARM cores (e.g. 4 cycles × 2 ports = 8 in flight). The benchmarks divide
 * every GEMM's FLOP/s by this probe's FLOP/s on one thread.
 */
public final class FmaProbe {
    private static final int CHAINS = 12;
    // the vector kernels' species (VectorKernels.S), so the limit is that of the width they run at
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private FmaProbe() {}

    /** Floating-point operations one {@link #run(int, float)} performs (2 per lane per FMA). */
    public static long flops(int iterations) {
        return 2L * CHAINS * iterations * L;
    }

    /** SIMD width the probe runs at, in float lanes. */
    public static int lanes() {
        return L;
    }

    /**
     * Runs {@code iterations} rounds of {@value #CHAINS} independent FMAs and returns a value that
     * depends on all of them (so the JIT cannot remove the work).
     *
     * @param seed a value not known at compile time; around 1e-3 keeps every chain finite
     */
    public static float run(int iterations, float seed) {
        FloatVector m = FloatVector.broadcast(S, 1f - seed * 1e-3f);
        FloatVector d = FloatVector.broadcast(S, seed);
        FloatVector a0 = d, a1 = d.add(1f), a2 = d.add(2f), a3 = d.add(3f), a4 = d.add(4f), a5 = d.add(5f);
        FloatVector a6 = d.add(6f), a7 = d.add(7f), a8 = d.add(8f), a9 = d.add(9f), a10 = d.add(10f), a11 = d.add(11f);
        for (int i = 0; i < iterations; i++) {
            a0 = a0.fma(m, d);
            a1 = a1.fma(m, d);
            a2 = a2.fma(m, d);
            a3 = a3.fma(m, d);
            a4 = a4.fma(m, d);
            a5 = a5.fma(m, d);
            a6 = a6.fma(m, d);
            a7 = a7.fma(m, d);
            a8 = a8.fma(m, d);
            a9 = a9.fma(m, d);
            a10 = a10.fma(m, d);
            a11 = a11.fma(m, d);
        }
        FloatVector s = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11);
        // Lanes summed in order: reduceLanes(ADD) may add floats in another order interpreted than
        // compiled, and then two calls with the same arguments differ in the last bit.
        float sum = 0;
        for (float lane : s.toArray()) {
            sum += lane;
        }
        return sum;
    }
}
