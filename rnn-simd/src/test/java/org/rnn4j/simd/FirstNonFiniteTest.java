package org.rnn4j.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Kernels#firstNonFinite} on every implementation, at every position of awkward lengths. */
class FirstNonFiniteTest {
    static Stream<Kernels> kernels() {
        return List.of(KernelProvider.scalar(), KernelProvider.vector(),
                KernelProvider.scalar().withThreads(2), KernelProvider.vector().withThreads(2)).stream();
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void findsTheFirstNanOrInfinity(Kernels k) {
        SplittableRandom rnd = new SplittableRandom(3);
        float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (int n : new int[] {0, 1, 3, 7, 8, 13, 127, 128, 129, 257, 1000}) {
            int off = 5;
            float[] x = new float[off + n + 3];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (rnd.nextGaussian() * 1e30); // huge but finite: x·0 is still 0
            }
            x[off - 1] = Float.NaN;      // outside the range: must be ignored
            x[off + n] = Float.NaN;
            assertEquals(-1, k.firstNonFinite(n, x, off), "all finite, n=" + n);
            for (int at = 0; at < n; at += Math.max(1, n / 17)) {
                float saved = x[off + at];
                x[off + at] = bad[at % 3];
                if (at + 1 < n) {
                    x[off + n - 1] = Float.NaN; // a later one must not be reported
                }
                assertEquals(at, k.firstNonFinite(n, x, off), "n=" + n + ", bad at " + at);
                x[off + at] = saved;
                x[off + n - 1] = (float) rnd.nextGaussian();
            }
        }
        assertThrows(IndexOutOfBoundsException.class, () -> k.firstNonFinite(10, new float[9], 0));
    }
}
