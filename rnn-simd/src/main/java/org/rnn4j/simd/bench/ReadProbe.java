package org.rnn4j.simd.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The read bandwidth a step's weight stream can reach: sums an array front to back with eight
 * independent vector accumulators (the access pattern of a one-row step over its packed weights,
 * without the FMAs' dependence on a broadcast input). An array that fits a cache level measures
 * that level's read bandwidth on one core.
 */
public final class ReadProbe {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private ReadProbe() {}

    /** The sum of {@code a} (length a multiple of 8·lanes). */
    public static float sum(float[] a) {
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S), s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
        FloatVector s4 = FloatVector.zero(S), s5 = FloatVector.zero(S), s6 = FloatVector.zero(S), s7 = FloatVector.zero(S);
        int step = 8 * L;
        int upper = a.length - a.length % step;
        for (int i = 0; i < upper; i += step) {
            s0 = s0.add(FloatVector.fromArray(S, a, i));
            s1 = s1.add(FloatVector.fromArray(S, a, i + L));
            s2 = s2.add(FloatVector.fromArray(S, a, i + 2 * L));
            s3 = s3.add(FloatVector.fromArray(S, a, i + 3 * L));
            s4 = s4.add(FloatVector.fromArray(S, a, i + 4 * L));
            s5 = s5.add(FloatVector.fromArray(S, a, i + 5 * L));
            s6 = s6.add(FloatVector.fromArray(S, a, i + 6 * L));
            s7 = s7.add(FloatVector.fromArray(S, a, i + 7 * L));
        }
        return s0.add(s1).add(s2).add(s3).add(s4).add(s5).add(s6).add(s7).reduceLanes(VectorOperators.ADD);
    }
}
