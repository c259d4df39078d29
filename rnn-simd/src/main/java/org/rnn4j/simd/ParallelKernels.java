package org.rnn4j.simd;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.rnn4j.simd.internal.Checks;

/**
 * Multi-threaded GEMM (and row-wise kernels) over any single-threaded {@link Kernels}: C is cut into column (or row)
 * blocks, one per thread, and each block is one call of the base kernel on the calling thread or
 * on a persistent daemon worker. The job is handed over through fields and a generation counter,
 * so a call allocates nothing. The cut never splits k, so every element of C is summed in the same
 * order as single-threaded: results are bitwise identical for any thread count.
 *
 * <p>One job runs at a time per instance; a call that finds the workers busy (another thread is
 * in a parallel GEMM on the same instance) runs single-threaded instead of waiting.
 */
final class ParallelKernels implements Kernels {
    /** Column blocks are multiples of this, so every vector kernel keeps whole register tiles. */
    private static final int COLUMN_ALIGN = 32;
    /** Row blocks are multiples of this, so every part keeps the register tiles of the whole. */
    private static final int ROW_ALIGN = 8;
    private static final int SPINS_BEFORE_PARK = 1 << 14;
    private static final Map<String, ParallelKernels> CACHE = new ConcurrentHashMap<>();

    private enum Shape { MULT, MULT_TRANS_A, MULT_TRANS_B, PACKED, TASK, ADD_ROW_VECTOR, SUM_ROWS, SOFTMAX, LOG_SOFTMAX }

    /**
     * Row-wise kernels (bias add, column sums, softmax) run on all threads from this many
     * elements: below it the hand-over costs more than half the work saves.
     */
    static final long ROWWISE_MIN_ELEMENTS = 1 << 16;
    /**
     * Softmax and log-softmax run on all threads from this many elements: a row costs an exp per
     * element and a max, a sum and a log per row (about 9 ns per element on rows of 16 classes),
     * so 3200 × 16 logits took 12 % of a 2-thread RNN forward on the calling thread alone.
     */
    static final long SOFTMAX_MIN_ELEMENTS = 1 << 13;

    private final Kernels base;
    private final int threads;
    private final long minFlops;
    private final Thread[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile long generation;
    /** failures[p]: what part p threw; published to the caller by the pending countdown. */
    private final Throwable[] failures;

    // The current job: written by the caller before generation is bumped (a volatile write),
    // read by the workers after they see the new generation (a volatile read).
    private Shape shape;
    private boolean splitColumns;
    private int m, n, k, lda, ldb, ldc, aOff, bOff, cOff, chunk;
    private float alpha, beta;
    private float[] a, b, c;
    private PackedMatrix packed;
    private int col0;
    private PartTask task;
    private int parts;

    static Kernels of(Kernels base, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (threads == 1) {
            return base;
        }
        return CACHE.computeIfAbsent(base.name() + "x" + threads,
                key -> new ParallelKernels(base, threads, KernelProvider.PARALLEL_MIN_FLOPS));
    }

    private ParallelKernels(Kernels base, int threads, long minFlops) {
        this.base = base;
        this.threads = threads;
        this.minFlops = minFlops;
        this.workers = new Thread[threads - 1];
        this.failures = new Throwable[threads];
        for (int w = 0; w < workers.length; w++) {
            int part = w + 1;
            Thread t = new Thread(() -> workerLoop(part), "rnn4j-gemm-" + base.name() + "-" + part);
            t.setDaemon(true);
            workers[w] = t;
            t.start();
        }
    }

    @Override public String name() { return base.name() + "x" + threads; }
    @Override public int vectorBitSize() { return base.vectorBitSize(); }
    @Override public int threads() { return threads; }
    @Override public Kernels withThreads(int t) { return base.withThreads(t); }

    @Override
    public void mult(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        Checks.gemm(m, n, k, a, aOff, lda, false, b, bOff, ldb, false, c, cOff, ldc);
        if (!run(Shape.MULT, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, null, 0)) {
            base.mult(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    @Override
    public void multTransA(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                           float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        Checks.gemm(m, n, k, a, aOff, lda, true, b, bOff, ldb, false, c, cOff, ldc);
        if (!run(Shape.MULT_TRANS_A, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, null, 0)) {
            base.multTransA(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    @Override
    public void multTransB(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                           float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        Checks.gemm(m, n, k, a, aOff, lda, false, b, bOff, ldb, true, c, cOff, ldc);
        if (!run(Shape.MULT_TRANS_B, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, null, 0)) {
            base.multTransB(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    @Override
    public PackedMatrix packB(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        return base.packB(transB, k, n, b, bOff, ldb);
    }

    @Override
    public void repackB(PackedMatrix p, boolean transB, float[] b, int bOff, int ldb) {
        base.repackB(p, transB, b, bOff, ldb);
    }

    @Override
    public void multPacked(int m, int n, float alpha, float[] a, int aOff, int lda, PackedMatrix p, int col0,
                           float beta, float[] c, int cOff, int ldc) {
        Checks.packed(m, n, a, aOff, lda, p, col0, c, cOff, ldc);
        if (!run(Shape.PACKED, m, n, p.k, alpha, a, aOff, lda, null, 0, 0, beta, c, cOff, ldc, p, col0)) {
            base.multPacked(m, n, alpha, a, aOff, lda, p, col0, beta, c, cOff, ldc);
        }
    }

    @Override
    public void runParts(int parts, PartTask task) {
        Checks.parts(parts, task);
        if (parts == 1 || parts > threads || !busy.compareAndSet(false, true)) {
            Kernels.super.runParts(parts, task);
            return;
        }
        try {
            this.shape = Shape.TASK;
            this.task = task;
            this.parts = parts;
            dispatch();
        } finally {
            this.task = null;
            busy.set(false);
        }
    }

    /** Runs the product on all threads; false when it should run single-threaded instead. */
    private boolean run(Shape shape, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                        float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc,
                        PackedMatrix packed, int col0) {
        if (2L * m * n * k < minFlops || m < MIN_SPLIT_ROWS) {
            // One or two rows are a matrix-vector product: it streams B from memory once, and two
            // threads streaming halves of it were slower than one (1×2048×512: 0.62×).
            return false;
        }
        // Each part packs all of the operand that is not cut: a column cut repacks A (m × k) in
        // every thread, a row cut repacks B (k × n). Cut the side that keeps the larger one whole
        // from being packed twice: rows when m >= n.
        int rowChunk = ceilDiv(ceilDiv(m, threads), ROW_ALIGN) * ROW_ALIGN;
        boolean rowsOk = m >= ROW_ALIGN * threads && m - (threads - 1) * rowChunk >= MIN_SPLIT_ROWS;
        boolean columnsOk = n >= COLUMN_ALIGN * threads;
        boolean columns;
        int chunk;
        if (columnsOk && (!rowsOk || n > m)) {
            columns = true;
            chunk = ceilDiv(ceilDiv(n, threads), COLUMN_ALIGN) * COLUMN_ALIGN;
        } else if (rowsOk) {
            columns = false;
            chunk = rowChunk;
        } else {
            return false;
        }
        return submit(shape, columns, chunk, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
                packed, col0);
    }

    /**
     * Runs one job (GEMM or row-wise kernel) on all threads, cut into parts of {@code chunk} rows or
     * columns; false when another caller holds the workers (then the caller runs it alone).
     */
    private boolean submit(Shape shape, boolean columns, int chunk, int m, int n, int k, float alpha,
                           float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta,
                           float[] c, int cOff, int ldc, PackedMatrix packed, int col0) {
        if (!busy.compareAndSet(false, true)) {
            return false;
        }
        try {
            this.shape = shape;
            this.splitColumns = columns;
            this.chunk = chunk;
            this.m = m; this.n = n; this.k = k;
            this.alpha = alpha; this.beta = beta;
            this.a = a; this.aOff = aOff; this.lda = lda;
            this.b = b; this.bOff = bOff; this.ldb = ldb;
            this.c = c; this.cOff = cOff; this.ldc = ldc;
            this.packed = packed; this.col0 = col0;
            try {
                dispatch();
            } finally {
                this.a = null; this.b = null; this.c = null; this.packed = null; // do not keep user arrays reachable
            }
            return true;
        } finally {
            busy.set(false);
        }
    }

    /** Hands the job in the fields to the workers, runs part 0, waits for the rest, rethrows. */
    private void dispatch() {
        Arrays.fill(failures, null);
        pending.set(workers.length);
        generation = generation + 1;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        Throwable mine = null;
        try {
            runPart(0);
        } catch (Throwable t) {
            mine = t;
        }
        while (pending.get() != 0) {
            Thread.onSpinWait();
        }
        if (mine != null) {
            rethrow(mine);
        }
        for (Throwable theirs : failures) {
            if (theirs != null) {
                rethrow(theirs);
            }
        }
    }

    private void runPart(int part) {
        if (shape == Shape.TASK) {
            if (part < parts) {
                task.run(part, parts);
            }
            return;
        }
        int total = splitColumns ? n : m;
        int from = Math.min(total, part * chunk);
        int to = Math.min(total, from + chunk);
        if (from == to) {
            return;
        }
        int mm = splitColumns ? m : to - from;
        int nn = splitColumns ? to - from : n;
        int ao = aOff, bo = bOff, co = cOff;
        if (splitColumns) {
            bo += shape == Shape.MULT_TRANS_B ? from * ldb : from;
            co += from;
        } else {
            ao += shape == Shape.MULT_TRANS_A ? from : from * lda;
            co += from * ldc;
        }
        switch (shape) {
            case MULT -> base.mult(mm, nn, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
            case MULT_TRANS_A -> base.multTransA(mm, nn, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
            case MULT_TRANS_B -> base.multTransB(mm, nn, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc);
            case PACKED -> base.multPacked(mm, nn, alpha, a, ao, lda, packed, splitColumns ? col0 + from : col0,
                    beta, c, co, ldc);
            case ADD_ROW_VECTOR -> base.addRowVector(mm, nn, b, bOff, c, co, ldc);
            case SUM_ROWS -> base.sumRows(mm, nn, a, aOff + from, lda, c, co);
            case SOFTMAX -> base.softmaxRows(mm, nn, a, ao, lda, c, co, ldc);
            case LOG_SOFTMAX -> base.logSoftmaxRows(mm, nn, a, ao, lda, c, co, ldc);
            case TASK -> throw new AssertionError("handled above");
        }
    }

    private void workerLoop(int part) {
        long seen = 0;
        while (true) {
            long g;
            int spins = 0;
            while ((g = generation) == seen) {
                if (spins < SPINS_BEFORE_PARK) {
                    spins++;
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            seen = g;
            try {
                runPart(part);
            } catch (Throwable t) {
                failures[part] = t;
            } finally {
                pending.decrementAndGet();
            }
        }
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    private static void rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }

    // Row-wise kernels: cut by rows (each row is computed alone) or, for the column sums, by
    // columns in multiples of 32 (each column is summed alone, over the rows in order), so the
    // results are bitwise those of one thread.

    // Steps are a few rows: one thread (a stream's latency is its own; run streams on threads).

    @Override
    public StepWeights packStep(int gates, int width, float[] wx, int wxOff, int d, float[] wh, int whOff, int r,
                                float[] b, int bOff, StepWeights.Storage storage) {
        return base.packStep(gates, width, wx, wxOff, d, wh, whOff, r, b, bOff, storage);
    }

    @Override
    public void stepInput(int m, StepWeights w, float[] x, int xOff, int ldx, float[] gates, int gOff, int ldg) {
        base.stepInput(m, w, x, xOff, ldx, gates, gOff, ldg);
    }

    @Override
    public void stepConcatenated(int m, StepWeights w, float[] a, int aOff, int lda, float[] gates, int gOff, int ldg) {
        base.stepConcatenated(m, w, a, aOff, lda, gates, gOff, ldg);
    }

    @Override
    public void stepRecurrent(int m, StepWeights w, float[] h, int hOff, int ldh, float[] gates, int gOff, int ldg) {
        base.stepRecurrent(m, w, h, hOff, ldh, gates, gOff, ldg);
    }

    @Override
    public void addRowVector(int m, int n, float[] v, int vOff, float[] c, int cOff, int ldc) {
        Checks.rowVector(m, n, v, vOff, c, cOff, ldc);
        if (!runRowwise(Shape.ADD_ROW_VECTOR, false, m, n, null, 0, 0, v, vOff, c, cOff, ldc)) {
            base.addRowVector(m, n, v, vOff, c, cOff, ldc);
        }
    }

    @Override
    public void sumRows(int m, int n, float[] a, int aOff, int lda, float[] out, int outOff) {
        Checks.sumRows(m, n, a, aOff, lda, out, outOff);
        if (!runRowwise(Shape.SUM_ROWS, true, m, n, a, aOff, lda, null, 0, out, outOff, 0)) {
            base.sumRows(m, n, a, aOff, lda, out, outOff);
        }
    }

    @Override
    public void softmaxRows(int m, int n, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        Checks.rows(m, n, x, xOff, ldx, y, yOff, ldy);
        if (!runRowwise(Shape.SOFTMAX, false, m, n, x, xOff, ldx, null, 0, y, yOff, ldy)) {
            base.softmaxRows(m, n, x, xOff, ldx, y, yOff, ldy);
        }
    }

    @Override
    public void logSoftmaxRows(int m, int n, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        Checks.rows(m, n, x, xOff, ldx, y, yOff, ldy);
        if (!runRowwise(Shape.LOG_SOFTMAX, false, m, n, x, xOff, ldx, null, 0, y, yOff, ldy)) {
            base.logSoftmaxRows(m, n, x, xOff, ldx, y, yOff, ldy);
        }
    }

    /** Runs a row-wise kernel on all threads; false when it should run single-threaded instead. */
    private boolean runRowwise(Shape shape, boolean columns, int m, int n, float[] a, int aOff, int lda,
                               float[] b, int bOff, float[] c, int cOff, int ldc) {
        int total = columns ? n : m;
        int align = columns ? COLUMN_ALIGN : 1;
        long least = shape == Shape.SOFTMAX || shape == Shape.LOG_SOFTMAX ? SOFTMAX_MIN_ELEMENTS : ROWWISE_MIN_ELEMENTS;
        if ((long) m * n < least || total < align * threads) {
            return false;
        }
        return submit(shape, columns, ceilDiv(ceilDiv(total, threads), align) * align, m, n, 0, 1f,
                a, aOff, lda, b, bOff, 0, 0f, c, cOff, ldc, null, 0);
    }
    @Override public void activate(Activation f, int n, float[] x, int xOff, float[] y, int yOff) { base.activate(f, n, x, xOff, y, yOff); }
    @Override public void derivativeFromOutput(Activation f, int n, float[] y, int yOff, float[] d, int dOff) { base.derivativeFromOutput(f, n, y, yOff, d, dOff); }
    @Override public void multiplyDerivative(Activation f, int n, float[] y, int yOff, float[] g, int gOff) { base.multiplyDerivative(f, n, y, yOff, g, gOff); }
    @Override public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) { base.axpy(n, alpha, x, xOff, y, yOff); }
    @Override public void scale(int n, float alpha, float[] x, int xOff) { base.scale(n, alpha, x, xOff); }
    @Override public void hadamard(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) { base.hadamard(n, x, xOff, y, yOff, z, zOff); }
    @Override public int firstNonFinite(int n, float[] x, int xOff) { return base.firstNonFinite(n, x, xOff); }
    @Override public double sumOfSquares(int n, float[] x, int xOff) { return base.sumOfSquares(n, x, xOff); }
    @Override public void lstmForward(int m, int n, boolean forgetGate, float[] gates, int gOff, float[] cPrev, int cPrevOff, float[] c, int cOff, float[] h, int hOff) { base.lstmForward(m, n, forgetGate, gates, gOff, cPrev, cPrevOff, c, cOff, h, hOff); }
    @Override public void gruForward(int m, int n, float[] gates, int gOff, float[] hPrev, int hpOff, float[] h, int hOff) { base.gruForward(m, n, gates, gOff, hPrev, hpOff, h, hOff); }
    @Override public void gruBackward(int m, int n, float[] gates, int gOff, float[] hPrev, int hpOff, float[] dh, int dhOff, float[] dGates, int dgOff) { base.gruBackward(m, n, gates, gOff, hPrev, hpOff, dh, dhOff, dGates, dgOff); }
    @Override public void gru2014Reset(int m, int n, float[] gates, int gOff, float[] hPrev, int hpOff) { base.gru2014Reset(m, n, gates, gOff, hPrev, hpOff); }
    @Override public void gru2014Forward(int m, int n, float[] gates, int gOff, float[] hPrev, int hpOff, float[] h, int hOff) { base.gru2014Forward(m, n, gates, gOff, hPrev, hpOff, h, hOff); }
    @Override public void gru2014Backward(int m, int n, float[] gates, int gOff, float[] hPrev, int hpOff, float[] dh, int dhOff, float[] dGates, int dgOff) { base.gru2014Backward(m, n, gates, gOff, hPrev, hpOff, dh, dhOff, dGates, dgOff); }
    @Override public void gru2014ResetBackward(int m, int n, float[] gates, int gOff, float[] hPrev, int hpOff, float[] dh, int dhOff, float[] dGates, int dgOff) { base.gru2014ResetBackward(m, n, gates, gOff, hPrev, hpOff, dh, dhOff, dGates, dgOff); }
    @Override public void lstmBackward(int m, int n, boolean forgetGate, float[] gates, int gOff, float[] cPrev, int cPrevOff, float[] c, int cOff, float[] dh, int dhOff, float[] dc, int dcOff, float[] dGates, int dgOff) { base.lstmBackward(m, n, forgetGate, gates, gOff, cPrev, cPrevOff, c, cOff, dh, dhOff, dc, dcOff, dGates, dgOff); }
}
