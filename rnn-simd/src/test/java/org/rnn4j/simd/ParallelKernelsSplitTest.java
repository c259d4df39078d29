package org.rnn4j.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How {@link ParallelKernels} cuts a GEMM, observed through a recording base kernel: by columns
 * in multiples of 32 when n is wide, by rows when it is narrow, not at all below
 * {@link KernelProvider#PARALLEL_MIN_FLOPS}; parts really run on the worker thread; a failure in
 * a part reaches the caller. This is what makes the bitwise-identity tests meaningful.
 */
class ParallelKernelsSplitTest {

    /** One base GEMM call: which thread, the sizes and the offsets of the part. */
    record Call(String thread, int m, int n, int k, int aOff, int bOff, int cOff) {}

    /**
     * Scalar kernels that record every GEMM call and can be told to fail in a worker: a dynamic
     * proxy over {@link Kernels}, so that it keeps up with methods added to the interface.
     */
    static final class Recording implements InvocationHandler {
        final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
        volatile boolean failInWorkers;
        final Kernels proxy = (Kernels) Proxy.newProxyInstance(Kernels.class.getClassLoader(),
                new Class<?>[] {Kernels.class}, this);

        @Override
        public Object invoke(Object self, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "name" -> {
                    return "recording";
                }
                case "threads" -> {
                    return 1;
                }
                case "withThreads" -> {
                    return ParallelKernels.of(proxy, (Integer) args[0]);
                }
                case "mult", "multTransA", "multTransB" -> {
                    String t = Thread.currentThread().getName();
                    calls.add(new Call(t, (Integer) args[0], (Integer) args[1], (Integer) args[2],
                            (Integer) args[5], (Integer) args[8], (Integer) args[12]));
                    if (failInWorkers && t.startsWith("rnn4j-gemm-")) {
                        throw new IllegalStateException("boom in " + t);
                    }
                }
                case "multPacked" -> { // (m, n, alpha, a, aOff, lda, packed, col0, beta, c, cOff, ldc): col0 as bOff
                    String t = Thread.currentThread().getName();
                    calls.add(new Call(t, (Integer) args[0], (Integer) args[1], ((PackedMatrix) args[6]).rows(),
                            (Integer) args[4], (Integer) args[7], (Integer) args[10]));
                    if (failInWorkers && t.startsWith("rnn4j-gemm-")) {
                        throw new IllegalStateException("boom in " + t);
                    }
                }
                case "hashCode" -> {
                    return System.identityHashCode(self);
                }
                case "equals" -> {
                    return self == args[0];
                }
                case "toString" -> {
                    return "recording kernels";
                }
                default -> { }
            }
            try {
                return method.invoke(ScalarKernels.INSTANCE, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

    /** One instance for the JVM: parallel views are cached by name. */
    private static final Recording BASE = new Recording();
    private final Kernels parallel = BASE.proxy.withThreads(2);

    @BeforeEach
    void reset() {
        BASE.calls.clear();
        BASE.failInWorkers = false;
    }

    private List<Call> calls() {
        List<Call> list = new ArrayList<>(BASE.calls);
        list.sort(Comparator.comparingInt(Call::cOff));
        return list;
    }

    private static void mult(Kernels k, GemmCase.Shape shape, int m, int n, int kk) {
        GemmCase g = new GemmCase(shape, m, n, kk, 1f, 0f, GemmCase.Layout.TIGHT);
        g.run(k, g.a(), g.b(), g.c());
    }

    /**
     * The recorded parts tile C exactly (contiguous, disjoint, covering it) along one dimension,
     * never split k, carry the offsets of their part of A, B and C (tight layout), and ran on at
     * least two threads.
     */
    private void assertTiles(GemmCase.Shape shape, int m, int n, int k, boolean byColumns) {
        List<Call> calls = calls();
        String what = shape + " " + m + "x" + n + "x" + k + ": " + calls;
        assertTrue(calls.size() >= 2, "not split: " + what);
        int from = 0;
        for (int p = 0; p < calls.size(); p++) {
            Call c = calls.get(p);
            assertEquals(k, c.k(), "k must never be split: " + what);
            if (byColumns) {
                assertEquals(m, c.m(), what);
                assertEquals(from, c.cOff(), what);
                assertEquals(shape == GemmCase.Shape.TRANS_B ? from * k : from, c.bOff(), "B offset: " + what);
                assertEquals(0, c.aOff(), what);
                if (p < calls.size() - 1) {
                    // whole register tiles of the vector kernels in every part but the last
                    assertEquals(0, c.n() % 32, "column part not a multiple of 32: " + what);
                }
                from += c.n();
            } else {
                assertEquals(n, c.n(), what);
                assertEquals(from * n, c.cOff(), what);
                assertEquals(shape == GemmCase.Shape.TRANS_A ? from : from * k, c.aOff(), "A offset: " + what);
                assertEquals(0, c.bOff(), what);
                from += c.m();
            }
        }
        assertEquals(byColumns ? n : m, from, "parts do not cover C: " + what);
        assertTrue(calls.stream().map(Call::thread).distinct().count() >= 2, "all parts on one thread: " + what);
        assertTrue(calls.stream().anyMatch(c -> c.thread().startsWith("rnn4j-gemm-recording-")), what);
    }

    @Test
    void wideProductsAreSplitByColumns() {
        for (GemmCase.Shape shape : GemmCase.Shape.values()) {
            reset();
            mult(parallel, shape, 200, 300, 150);
            assertTiles(shape, 200, 300, 150, true);
        }
    }

    @Test
    void narrowProductsAreSplitByRows() {
        for (GemmCase.Shape shape : GemmCase.Shape.values()) {
            reset();
            mult(parallel, shape, 1000, 40, 100);
            assertTiles(shape, 1000, 40, 100, false);
        }
    }

    /** Wide enough for a column cut, but taller than wide: rows, so the large A is packed once. */
    @Test
    void tallProductsAreSplitByRows() {
        for (GemmCase.Shape shape : GemmCase.Shape.values()) {
            reset();
            mult(parallel, shape, 400, 100, 50);
            assertTiles(shape, 400, 100, 50, false);
        }
    }

    /**
     * multPacked is cut like mult: by columns (each part's col0 is the caller's col0 plus a
     * multiple of 32, so the vector kernels' panel path stays on panel boundaries) or by rows (the
     * part's A and C offsets move, col0 does not), never along k, on two threads.
     */
    @Test
    void packedProductsAreSplitWithCol0Shifted() {
        for (boolean byColumns : new boolean[] {true, false}) {
            reset();
            // columns: 64 x [32, 544) x 256 of a 256 x 1024 packed B; rows: 300 x [16, 56) x 100
            int m = byColumns ? 64 : 300, n = byColumns ? 512 : 40, k = byColumns ? 256 : 100;
            int col0 = byColumns ? 32 : 16;
            PackedCase c = new PackedCase(false, m, n, k, byColumns ? 1024 : 1029, col0, 1f, 0f, GemmCase.Layout.TIGHT);
            PackedMatrix packed = c.pack(parallel, c.b(c.opB(0)));
            float[] out = c.c();
            c.multiply(parallel, c.a(), packed, out);
            List<Call> calls = calls();
            String what = c + ": " + calls;
            assertTrue(calls.size() >= 2, "not split: " + what);
            int from = 0;
            for (int p = 0; p < calls.size(); p++) {
                Call call = calls.get(p);
                assertEquals(k, call.k(), "k must never be split: " + what);
                if (byColumns) {
                    assertEquals(m, call.m(), what);
                    assertEquals(from, call.cOff(), what);
                    assertEquals(col0 + from, call.bOff(), "col0 of the part: " + what);
                    assertEquals(0, call.aOff(), what);
                    if (p < calls.size() - 1) {
                        assertEquals(0, call.n() % 32, "column part not a multiple of 32: " + what);
                    }
                    from += call.n();
                } else {
                    assertEquals(n, call.n(), what);
                    assertEquals(from * n, call.cOff(), what);
                    assertEquals(from * k, call.aOff(), "A offset: " + what);
                    assertEquals(col0, call.bOff(), "col0 of the part: " + what);
                    from += call.m();
                }
            }
            assertEquals(byColumns ? n : m, from, "parts do not cover C: " + what);
            assertTrue(calls.stream().map(Call::thread).distinct().count() >= 2, "all parts on one thread: " + what);
            c.check(parallel.name(), out, 0);
        }
    }

    @Test
    void productsBelowTheThresholdRunOnTheCallingThread() {
        String me = Thread.currentThread().getName();
        mult(parallel, GemmCase.Shape.MULT, 96, 96, 95); // 2·m·n·k just below PARALLEL_MIN_FLOPS
        mult(parallel, GemmCase.Shape.TRANS_B, 10, 1000, 10);
        mult(parallel, GemmCase.Shape.MULT, 2, 4096, 512); // above it, but a matrix-vector product
        List<Call> calls = new ArrayList<>(BASE.calls);
        assertEquals(3, calls.size(), calls.toString());
        for (Call c : calls) {
            assertEquals(me, c.thread());
        }
        // at the threshold it is split
        reset();
        mult(parallel, GemmCase.Shape.MULT, 96, 96, 96);
        assertTiles(GemmCase.Shape.MULT, 96, 96, 96, false); // square: rows (m >= n)
    }

    @Test
    void aFailureInAWorkerReachesTheCallerAndTheViewKeepsWorking() {
        BASE.failInWorkers = true;
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> mult(parallel, GemmCase.Shape.MULT, 200, 300, 150));
        assertTrue(e.getMessage().contains("boom"), e.getMessage());
        BASE.failInWorkers = false;
        GemmCase g = new GemmCase(GemmCase.Shape.MULT, 200, 300, 150, 1f, 1f, GemmCase.Layout.PADDED);
        g.runAndCheck(parallel);
    }

    @Test
    void viewIsCached() {
        assertSame(parallel, BASE.proxy.withThreads(2));
        assertEquals("recordingx2", parallel.name());
    }
}
