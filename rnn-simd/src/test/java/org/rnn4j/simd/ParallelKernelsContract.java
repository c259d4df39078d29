package org.rnn4j.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.simd.GemmCase.Layout;
import org.rnn4j.simd.GemmCase.Shape;

/**
 * The contract of a parallel view ({@link Kernels#withThreads(int)}): everything in
 * {@link KernelsContract}, plus the promise that a GEMM large enough to be split gives results
 * bitwise identical to the single-threaded kernels it is a view of.
 */
abstract class ParallelKernelsContract extends KernelsContract {

    /** The single-threaded kernels {@link #kernels()} is a view of. */
    abstract Kernels single();

    @Test
    void describesItself() {
        Kernels k = kernels();
        assertEquals(single().name() + "x2", k.name());
        assertEquals(2, k.threads());
        assertEquals(single().vectorBitSize(), k.vectorBitSize());
        assertSame(single(), k.withThreads(1), "withThreads(1) of a parallel view is the single-threaded kernels");
        assertSame(k, single().withThreads(2), "parallel views are created once and cached");
        assertEquals(3, k.withThreads(3).threads());
    }

    /**
     * Products above {@link KernelProvider#PARALLEL_MIN_FLOPS}: split by columns (n ≥ 64), by
     * rows (n < 64, tall-skinny), with few rows (m = 5: the halves have 3 and 2 rows) and with
     * m = 2 (the unpacked path), for the three shapes and several (alpha, beta).
     */
    static Stream<GemmCase> parallelCases() {
        int[][] triples = {
            {200, 300, 150}, // columns
            {97, 70, 300},   // columns, the second part only 6 wide
            {64, beyondNc(), 64}, // columns, each part crossing an NC block differently
            {2, 300, 3000},  // columns, m = 2
            {1000, 40, 100}, // rows (tall-skinny, n < 64)
            {130, 63, 120},  // rows, just above the threshold
            {5, 48, 4000},   // rows: 3 + 2
        };
        // alpha = 0.7 (not a power of two) makes alpha·acc round, so any difference in how a
        // part applies alpha and beta shows in the bits
        float[][] scalars = {{1f, 0f}, {1f, 1f}, {0.5f, -2f}, {0.7f, -1.3f}};
        List<GemmCase> cases = new ArrayList<>();
        for (int[] t : triples) {
            for (Shape shape : Shape.values()) {
                for (float[] ab : scalars) {
                    cases.add(new GemmCase(shape, t[0], t[1], t[2], ab[0], ab[1], Layout.PADDED));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parallelCases")
    void parallelGemmIsBitwiseIdenticalToSingleThreaded(GemmCase g) {
        assertTrue(2L * g.m() * g.n() * g.k() >= KernelProvider.PARALLEL_MIN_FLOPS, g + " is too small to be split");
        float[] a = g.a(), b = g.b();
        float[] parallel = g.c(), sequential = g.c();
        g.run(kernels(), a, b, parallel);
        g.run(single(), a, b, sequential);
        TestSupport.assertBitwiseEquals(kernels().name() + " vs " + single().name() + " " + g, sequential, parallel);
        g.check(kernels().name(), parallel);
    }

    /**
     * Two caller threads using the same parallel view at once (one of them then finds the
     * workers busy and runs single-threaded): both still get the single-threaded bits.
     */
    @Test
    void concurrentCallersGetTheSameBits() throws InterruptedException {
        GemmCase g = new GemmCase(Shape.MULT, 200, 300, 150, 0.5f, -2f, Layout.PADDED);
        float[] a = g.a(), b = g.b();
        float[] expected = g.c();
        g.run(single(), a, b, expected);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] callers = new Thread[2];
        for (int t = 0; t < callers.length; t++) {
            callers[t] = new Thread(() -> {
                try {
                    for (int rep = 0; rep < 8; rep++) {
                        float[] c = g.c();
                        g.run(kernels(), a, b, c);
                        TestSupport.assertBitwiseEquals(kernels().name() + " concurrent call " + rep, expected, c);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "caller-" + t);
            callers[t].start();
        }
        for (Thread t : callers) {
            t.join();
        }
        assertNull(failure.get(), () -> "a concurrent caller failed: " + failure.get());
    }
}
