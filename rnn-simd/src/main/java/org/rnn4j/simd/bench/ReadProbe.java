package org.rnn4j.simd.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The read bandwidth a step's weight stream can reach: sums an array front to back with eight
 * independent vector accumulators (the access pattern of a one-row step over its packed weights,
 * without the FMAs' dependence on a broadcast input), from memory aligned like the packed weights
 * (off the heap, at a 64-byte boundary, read by long byte offsets: see {@code StepWeights}). Data
 * that fits a cache level measures that level's read bandwidth on one core.
 */
public final class ReadProbe {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private ReadProbe() {}

    /** Floats of 64-byte-aligned off-heap memory for {@link #sum(MemorySegment)}, filled from {@code a}. */
    public static MemorySegment aligned(float[] a) {
        MemorySegment m = Arena.ofAuto().allocate(4L * a.length, 64);
        MemorySegment.copy(a, 0, m, ValueLayout.JAVA_FLOAT, 0, a.length);
        return m;
    }

    /** The sum of the floats of {@code m} (whole multiples of 8 vectors; the rest is ignored). */
    public static float sum(MemorySegment m) {
        FloatVector s0 = FloatVector.zero(S), s1 = FloatVector.zero(S), s2 = FloatVector.zero(S), s3 = FloatVector.zero(S);
        FloatVector s4 = FloatVector.zero(S), s5 = FloatVector.zero(S), s6 = FloatVector.zero(S), s7 = FloatVector.zero(S);
        long step = 32L * L;
        long upper = m.byteSize() - m.byteSize() % step;
        ByteOrder o = ByteOrder.nativeOrder();
        for (long i = 0; i < upper; i += step) {
            s0 = s0.add(FloatVector.fromMemorySegment(S, m, i, o));
            s1 = s1.add(FloatVector.fromMemorySegment(S, m, i + 4L * L, o));
            s2 = s2.add(FloatVector.fromMemorySegment(S, m, i + 8L * L, o));
            s3 = s3.add(FloatVector.fromMemorySegment(S, m, i + 12L * L, o));
            s4 = s4.add(FloatVector.fromMemorySegment(S, m, i + 16L * L, o));
            s5 = s5.add(FloatVector.fromMemorySegment(S, m, i + 20L * L, o));
            s6 = s6.add(FloatVector.fromMemorySegment(S, m, i + 24L * L, o));
            s7 = s7.add(FloatVector.fromMemorySegment(S, m, i + 28L * L, o));
        }
        return s0.add(s1).add(s2).add(s3).add(s4).add(s5).add(s6).add(s7).reduceLanes(VectorOperators.ADD);
    }

    /** The sum of {@code a} (length a multiple of 8·lanes), from the heap (alignment as it falls). */
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
