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
     * Pre-packed products above {@link KernelProvider#PARALLEL_MIN_FLOPS}, (m, k, N, col0, n): all
     * columns, a slice at col0 = 32 (each part starts at col0 + a multiple of 32, so every part of
     * the vector kernels stays on the panel path), a slice at col0 = 5 (every part on the plain
     * path), a row split (n = 40 &lt; 64) and m = 2 (the unpacked path); transB false and true.
     */
    static Stream<PackedCase> parallelPackedCases() {
        int[][] tuples = {
            {64, 256, 1024, 0, 1024},
            {64, 256, 1024, 32, 512},
            {64, 256, 1024, 5, 700},
            {300, 100, 1029, 16, 40},
            {2, 512, 1100, 32, 1024},
        };
        float[][] scalars = {{1f, 0f}, {0.7f, -1.3f}};
        List<PackedCase> cases = new ArrayList<>();
        for (int[] t : tuples) {
            for (boolean transB : new boolean[] {false, true}) {
                for (float[] ab : scalars) {
                    cases.add(new PackedCase(transB, t[0], t[4], t[1], t[2], t[3], ab[0], ab[1], Layout.PADDED));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parallelPackedCases")
    void parallelMultPackedIsBitwiseIdenticalToSingleThreaded(PackedCase c) {
        assertTrue(2L * c.m() * c.n() * c.k() >= KernelProvider.PARALLEL_MIN_FLOPS, c + " is too small to be split");
        float[] a = c.a();
        PackedMatrix packed = c.pack(single(), c.b(c.opB(0)));
        float[] parallel = c.c(), sequential = c.c();
        c.multiply(kernels(), a, packed, parallel);
        c.multiply(single(), a, packed, sequential);
        TestSupport.assertBitwiseEquals(kernels().name() + " vs " + single().name() + " " + c, sequential, parallel);
        TestSupport.assertOutsideUntouched(kernels().name() + " " + c + ": C", parallel, c.layout().offC(), c.ldc(),
                c.m(), c.n());
        c.check(kernels().name(), parallel, 0);
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
