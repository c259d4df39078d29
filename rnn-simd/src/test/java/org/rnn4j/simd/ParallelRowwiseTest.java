package org.rnn4j.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The row-wise kernels of a two-thread view (bias add, column sums, softmax, log-softmax) give
 * bitwise the single-threaded results, at sizes above {@link ParallelKernels#ROWWISE_MIN_ELEMENTS}
 * (split) and below it (not split), with offsets and leading dimensions wider than the rows; and
 * above the threshold the work really reaches the worker thread.
 */
class ParallelRowwiseTest {

    /** m × n pairs: awkward sizes, split by rows, by columns, and too small or too narrow to split. */
    private static final int[][] SIZES = {{1, 7}, {3, 33}, {257, 257}, {1031, 65}, {70000, 1}, {33, 2049}, {129, 1000},
        {3203, 16}, {601, 15}};  // the last two: softmax split, bias add and column sums not

    @Test
    void bitwiseTheSingleThreadedResults() {
        for (Kernels base : new Kernels[] {KernelProvider.scalar(), TestSupport.vectorOrSkip()}) {
            Kernels two = base.withThreads(2);
            for (int[] size : SIZES) {
                int m = size[0], n = size[1], ld = n + 5, off = 3;
                String what = base.name() + " " + m + "x" + n;
                float[] x = random(off + m * ld, m * 31L + n);
                float[] v = random(off + n, n);

                float[] c1 = x.clone(), c2 = x.clone();
                base.addRowVector(m, n, v, off, c1, off, ld);
                two.addRowVector(m, n, v, off, c2, off, ld);
                assertArrayEquals(c1, c2, what + " addRowVector");

                float[] s1 = random(off + n, 7), s2 = s1.clone();
                base.sumRows(m, n, x, off, ld, s1, off);
                two.sumRows(m, n, x, off, ld, s2, off);
                assertArrayEquals(s1, s2, what + " sumRows");

                float[] y1 = new float[off + m * ld], y2 = new float[y1.length];
                base.softmaxRows(m, n, x, off, ld, y1, off, ld);
                two.softmaxRows(m, n, x, off, ld, y2, off, ld);
                assertArrayEquals(y1, y2, what + " softmaxRows");
                base.logSoftmaxRows(m, n, x, off, ld, y1, off, ld);
                two.logSoftmaxRows(m, n, x, off, ld, y2, off, ld);
                assertArrayEquals(y1, y2, what + " logSoftmaxRows");
            }
        }
    }

    /** Above the threshold each kernel runs on the calling thread and a worker; below, on the caller only. */
    @Test
    void largeCallsReachTheWorker() {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        Kernels recording = (Kernels) Proxy.newProxyInstance(Kernels.class.getClassLoader(),
                new Class<?>[] {Kernels.class}, (self, method, args) -> {
                    switch (method.getName()) {
                        case "name" -> {
                            return "rowwise-recording";
                        }
                        case "threads" -> {
                            return 1;
                        }
                        case "withThreads" -> {
                            return ParallelKernels.of((Kernels) self, (Integer) args[0]);
                        }
                        case "hashCode" -> {
                            return System.identityHashCode(self);
                        }
                        case "equals" -> {
                            return self == args[0];
                        }
                        case "addRowVector", "sumRows", "softmaxRows", "logSoftmaxRows" ->
                                threads.add(method.getName() + "@" + Thread.currentThread().getName());
                        default -> { }
                    }
                    try {
                        return method.invoke(ScalarKernels.INSTANCE, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Kernels two = recording.withThreads(2);
        int m = 600, n = 128; // 76 800 elements
        float[] x = random(m * n, 1), y = new float[m * n], v = random(n, 2), s = new float[n];
        two.addRowVector(m, n, v, 0, y, 0, n);
        two.sumRows(m, n, x, 0, n, s, 0);
        two.softmaxRows(m, n, x, 0, n, y, 0, n);
        two.logSoftmaxRows(m, n, x, 0, n, y, 0, n);
        String me = Thread.currentThread().getName();
        for (String kernel : new String[] {"addRowVector", "sumRows", "softmaxRows", "logSoftmaxRows"}) {
            assertTrue(threads.contains(kernel + "@" + me), kernel + ": " + threads);
            assertTrue(threads.stream().anyMatch(t -> t.startsWith(kernel + "@rnn4j-gemm-")), kernel + ": " + threads);
        }
        threads.clear();
        two.softmaxRows(10, 10, x, 0, 10, y, 0, 10);
        assertEquals(Set.of("softmaxRows@" + me), threads);
        // between the two thresholds (3200 × 16 logits): the softmax kernels split, the bias add does not
        threads.clear();
        int rows = 3200, classes = 16;
        float[] logits = random(rows * classes, 3), out = new float[rows * classes];
        assertTrue(rows * classes >= ParallelKernels.SOFTMAX_MIN_ELEMENTS && rows * classes < ParallelKernels.ROWWISE_MIN_ELEMENTS);
        two.addRowVector(rows, classes, v, 0, out, 0, classes);
        two.softmaxRows(rows, classes, logits, 0, classes, out, 0, classes);
        two.logSoftmaxRows(rows, classes, logits, 0, classes, out, 0, classes);
        assertEquals(Set.of("addRowVector@" + me), threads.stream().filter(t -> t.startsWith("addRowVector")).collect(
                java.util.stream.Collectors.toSet()));
        for (String kernel : new String[] {"softmaxRows", "logSoftmaxRows"}) {
            assertTrue(threads.stream().anyMatch(t -> t.startsWith(kernel + "@rnn4j-gemm-")), kernel + ": " + threads);
        }
    }

    @Test
    void badArgumentsAreRejectedBeforeAnyPartRuns() {
        Kernels two = KernelProvider.scalar().withThreads(2);
        float[] c = new float[600 * 128];
        float[] before = c.clone();
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> two.addRowVector(600, 128, new float[100], 0, c, 0, 128));
        assertTrue(e.getMessage().contains("v"), e.getMessage());
        assertArrayEquals(before, c);
        assertThrows(RuntimeException.class, () -> two.softmaxRows(600, 128, c, 0, 128, new float[10], 0, 128));
    }

    private static float[] random(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rnd.nextDouble() * 8 - 4);
        }
        return a;
    }
}
