package org.rnn4j.lstm;

import org.rnn4j.api.NonFiniteException;
import org.rnn4j.simd.Kernels;
import org.rnn4j.simd.PartTask;

/**
 * The recurrent loop: runs a layer's {@link Cell} over the steps of a window, forward or backward
 * (BPTT), on one or more blocks of batch rows at once.
 *
 * <p>A sequence's state depends only on its own past, so the batch rows are cut into one block
 * per thread and each block runs every step without meeting the others (no barrier per step).
 * Each block has at least {@link Kernels#MIN_SPLIT_ROWS} rows, so its products are bitwise those
 * of the whole batch. Per-step clipping of ∂L/∂h_t needs the norm over all rows at every step,
 * so with it the backward loop stays in one block.
 *
 * <p>Per-sequence lengths stop a sequence's recurrence (PyTorch's packed sequences): at a step
 * t ≥ length(b) row b is frozen — the cell runs on every row (no repacking; the rows are not
 * contiguous), then a frozen row's new state is overwritten with its old one, so h_t = h_{t−1}
 * and the state after the last step is the state at step length(b) − 1. Backward, a frozen
 * step is the identity: its ∂L/∂h_t (and ∂L/∂c_t) passes to step t − 1 unchanged and its gate
 * gradients are zero, so the weight gradients are exactly those of the sequence's own steps. A
 * batch without lengths, or whose lengths are all T, runs no per-row check.
 *
 * <p>The loop object owns the arguments of the run in progress and the results of each block
 * (the first non-finite step, Σ(∂L/∂h_t)² per step); the blocks only write their own slots. One
 * loop serves every layer of a network, one run at a time. Nothing is allocated per run once
 * the result arrays have grown to the largest T.
 */
final class RecurrentLoop {
    private final Kernels kernels;
    /** The single-threaded kernels, for the work inside one block. */
    private final Kernels serial;
    private final PartTask forwardTask = this::forwardBlock;
    private final PartTask backwardTask = this::backwardBlock;

    // Arguments of the run in progress.
    private RecurrentLayer layer;
    private int steps;
    private int batch;
    private double hiddenClip;
    private float[] dHidden;
    private float[] dh;
    private float[] dc;
    private float[] dGates;
    /** Per-sequence lengths, or null when no sequence of the window stops early. */
    private int[] lengths;
    /** The absolute step of window step 0. */
    private int t0;
    /** The layer's input (T·m × d at inputOffset) while the forward loop projects it piece by piece. */
    private float[] input;
    private int inputOffset;
    /** Steps per projected piece of P, or 0 when all of P was projected before the loop. */
    private int pieceSteps;
    /** ∂L/∂h_t and ∂L/∂c_t of frozen rows, kept across the cell's backward step (m × n). */
    private float[] frozenDh = new float[0];
    private float[] frozenDc = new float[0];

    // Results, one slot per block.
    private final int[] badStep;          // the step of the block's first non-finite value, or −1
    private final int[] badIndex;         // forward: its index in h_t, counted from the batch's row 0
    private double[] normSq = new double[0]; // blocks × T: Σ (∂L/∂h_t)² over the block's rows
    private int blocks;

    RecurrentLoop(Kernels kernels) {
        this.kernels = kernels;
        this.serial = kernels.withThreads(1);
        this.badStep = new int[Math.max(1, kernels.threads())];
        this.badIndex = new int[badStep.length];
    }

    /** How many row blocks m rows are cut into (see the class comment). */
    private int blocks(int m, boolean backward) {
        if (backward && hiddenClip > 0) {
            return 1;
        }
        return Math.max(1, Math.min(kernels.threads(), m / Kernels.MIN_SPLIT_ROWS));
    }

    /** First row of block {@code q} of {@code blocks} over m rows (balanced, in order). */
    private static int rowStart(int m, int q, int blocks) {
        return (int) ((long) m * q / blocks);
    }

    /**
     * Forward over window steps 0 … steps − 1: h_t (and c_t) for every step from the input x
     * and the state in row block 0. The input projection P = X·W_x + b
     * ({@link RecurrentLayer#projectInputs}) runs before the loop when the rows are cut into
     * blocks, and in pieces of {@link RecurrentLayer#projectionSteps} steps inside it otherwise
     * (the bits are the same either way).
     *
     * @param x  <b>in</b> T·m × d at {@code xOff}: the inputs or the layer below's h_1 … h_T
     * @param t0 the absolute step of window step 0, for the error message
     * @throws NonFiniteException at the earliest step (over all blocks; ties: the lowest row)
     *                            where an h became NaN or infinite
     */
    void forward(RecurrentLayer layer, float[] x, int xOff, int steps, int m, int t0, int[] lengths) {
        this.layer = layer;
        this.steps = steps;
        this.batch = m;
        this.t0 = t0;
        this.lengths = stopsEarly(lengths, t0 + steps) ? lengths : null;
        this.blocks = blocks(m, false);
        layer.prepareForward(kernels);
        if (blocks == 1) {               // one block, on this thread: P in pieces, each just before its steps
            this.input = x;
            this.inputOffset = xOff;
            this.pieceSteps = layer.projectionSteps(m);
        } else {                         // row blocks cannot share a piece: all of P first, on every thread
            layer.projectInputs(kernels, x, xOff, 0, steps * m);
            this.pieceSteps = 0;
        }
        kernels.runParts(blocks, forwardTask);
        this.input = null;
        int worst = -1;
        for (int q = 0; q < blocks; q++) {
            if (badStep[q] >= 0 && (worst < 0 || badStep[q] < badStep[worst])) {
                worst = q;
            }
        }
        this.layer = null;
        if (worst >= 0) {
            int n = layer.hidden;
            int t = badStep[worst];
            int bad = badIndex[worst];
            throw new NonFiniteException("hidden state h of layer " + layer.index, t0 + t,
                    "h[b=" + bad / n + "][j=" + bad % n + "] = " + layer.h[(t + 1) * m * n + bad]);
        }
    }

    /** Whether some sequence is shorter than {@code end}, the window's last step + 1. */
    private static boolean stopsEarly(int[] lengths, int end) {
        if (lengths != null) {
            for (int len : lengths) {
                if (len < end) {
                    return true;
                }
            }
        }
        return false;
    }

    private void forwardBlock(int q, int parts) {
        RecurrentLayer l = layer;
        int m = batch;
        int n = l.hidden;
        int gn = l.workWidth;
        int row0 = rowStart(m, q, parts);
        int rows = rowStart(m, q + 1, parts) - row0;
        int mn = m * n;
        int[] len = lengths;
        boolean cells = l.cell.hasCellState();
        badStep[q] = -1;
        int piece = pieceSteps;
        for (int t = 0; t < steps; t++) {
            if (piece > 0 && t % piece == 0) {
                l.projectInputs(kernels, input, inputOffset, t * m, Math.min(piece, steps - t) * m);
            }
            int prev = t * mn + row0 * n;
            int next = prev + mn;
            l.cell.forward(serial, rows, n, l.whForward, l.whnForward, l.gates, (t * m + row0) * gn, l.h, l.c, prev, next);
            if (len != null) {
                for (int r = 0; r < rows; r++) {
                    if (len[row0 + r] <= t0 + t) {               // past its length: the state stays
                        System.arraycopy(l.h, prev + r * n, l.h, next + r * n, n);
                        if (cells) {
                            System.arraycopy(l.c, prev + r * n, l.c, next + r * n, n);
                        }
                    }
                }
            }
            int bad = serial.firstNonFinite(rows * n, l.h, next);
            if (bad >= 0) {
                badStep[q] = t;
                badIndex[q] = row0 * n + bad;
                return;
            }
        }
    }

    /**
     * BPTT over window steps steps − 1 … 0. At each step ∂L/∂h_t is what arrives from above
     * ({@code dHidden}, T·m × n) plus what came back from step t + 1 (in {@code dh}), optionally
     * clipped to norm {@code hiddenClip}; the cell turns it into ∂L/∂P_t ({@code dGates}) and
     * ∂L/∂h_{t−1}.
     *
     * @param dh     <b>inout</b> m × n: zeros in, ∂L/∂h_0 (the window's start state) out
     * @param dc     <b>inout</b> m × n: zeros in, ∂L/∂c_0 out (cells with a cell state)
     * @param dGates <b>out</b> T·m × G·n
     * @return the latest window step where ∂L/∂P was non-finite (the first met going back), or −1
     */
    int backward(RecurrentLayer layer, int steps, int m, int t0, int[] lengths, float[] dHidden, float[] dh,
                 float[] dc, float[] dGates, double hiddenClip) {
        this.layer = layer;
        this.steps = steps;
        this.batch = m;
        this.t0 = t0;
        this.lengths = stopsEarly(lengths, t0 + steps) ? lengths : null;
        if (this.lengths != null && frozenDh.length < m * layer.hidden) {
            frozenDh = new float[m * layer.hidden];
            frozenDc = new float[m * layer.hidden];
        }
        this.dHidden = dHidden;
        this.dh = dh;
        this.dc = dc;
        this.dGates = dGates;
        this.hiddenClip = hiddenClip;
        this.blocks = blocks(m, true);
        if (normSq.length < blocks * steps) {
            normSq = new double[blocks * steps];
        }
        kernels.runParts(blocks, backwardTask);
        this.layer = null;
        int bad = -1;
        for (int q = 0; q < blocks; q++) {
            bad = Math.max(bad, badStep[q]);
        }
        return bad;
    }

    /** ‖∂L/∂h_t‖ (Frobenius over the batch, after clipping) at window step t of the last backward run. */
    double hiddenGradientNorm(int t) {
        double sq = 0;
        for (int q = 0; q < blocks; q++) {
            sq += normSq[q * steps + t];
        }
        double norm = Math.sqrt(sq);
        return hiddenClip > 0 ? Math.min(norm, hiddenClip) : norm;
    }

    private void backwardBlock(int q, int parts) {
        RecurrentLayer l = layer;
        int m = batch;
        int n = l.hidden;
        int gn = l.workWidth;
        int row0 = rowStart(m, q, parts);
        int rows = rowStart(m, q + 1, parts) - row0;
        int mn = m * n;
        int rn = rows * n;
        int dOff = row0 * n;
        badStep[q] = -1;
        for (int t = steps - 1; t >= 0; t--) {
            int gOff = (t * m + row0) * gn;
            int prev = t * mn + dOff;
            int next = prev + mn;
            // ∂L/∂h_t = (from the layer above or the output) + (from h_{t+1}, already in dh)
            serial.axpy(rn, 1f, dHidden, prev, dh, dOff);
            double sq = serial.sumOfSquares(rn, dh, dOff);
            normSq[q * steps + t] = sq;
            if (hiddenClip > 0 && Math.sqrt(sq) > hiddenClip) { // one block then: all rows
                serial.scale(rn, (float) (hiddenClip / Math.sqrt(sq)), dh, dOff);
            }
            int[] len = lengths;
            boolean frozen = false;
            if (len != null) {                                   // frozen rows: keep ∂L/∂h_t for h_{t−1}
                for (int r = 0; r < rows; r++) {
                    if (len[row0 + r] <= t0 + t) {
                        frozen = true;
                        System.arraycopy(dh, dOff + r * n, frozenDh, dOff + r * n, n);
                        System.arraycopy(dc, dOff + r * n, frozenDc, dOff + r * n, n);
                    }
                }
            }
            l.cell.backward(serial, rows, n, l.whBackward, l.whnBackward, l.gates, gOff, l.h, l.c, prev, next,
                    dh, dc, dOff, dGates, gOff);
            if (frozen) {                                        // the identity step
                for (int r = 0; r < rows; r++) {
                    if (len[row0 + r] <= t0 + t) {
                        System.arraycopy(frozenDh, dOff + r * n, dh, dOff + r * n, n);
                        System.arraycopy(frozenDc, dOff + r * n, dc, dOff + r * n, n);
                        java.util.Arrays.fill(dGates, gOff + r * gn, gOff + (r + 1) * gn, 0f);
                    }
                }
            }
            if (badStep[q] < 0 && serial.firstNonFinite(rows * gn, dGates, gOff) >= 0) {
                badStep[q] = t;
            }
        }
    }
}
