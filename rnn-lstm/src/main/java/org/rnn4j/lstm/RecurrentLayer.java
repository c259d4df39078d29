package org.rnn4j.lstm;

import java.util.Arrays;
import org.rnn4j.api.Parameter;
import org.rnn4j.simd.Kernels;
import org.rnn4j.simd.PackedMatrix;

/**
 * One layer of the stack: a {@link Cell}, its weights, and the workspaces of a pass, laid out the
 * way cuDNN and oneDNN do it:
 * <ul>
 *   <li>all G gates share one weight matrix, W_x (d × G·n) and W_h (n × G·n), so one GEMM gives
 *       every gate's pre-activation;</li>
 *   <li>the input projection {@code P = X·W_x + b} is a (rows × d)·(d × G·n) GEMM on a W_x packed
 *       once per pass ({@link #projectInputs}): for all T·m rows before the recurrent loop when
 *       the loop cuts the batch into row blocks, else in pieces of a few steps inside the loop,
 *       each just before its steps ({@link #projectionSteps}); the loop adds
 *       {@code h_{t−1}·W_h};</li>
 *   <li>after the backward loop each weight gradient is one GEMM over all steps
 *       ({@link #weightGradients}): {@code dW_x = Xᵀ·dP}, {@code dW_h = H_prevᵀ·dP} (H holds
 *       h_0 … h_T contiguously, so H_prev is its first T blocks), {@code db = Σ_rows dP}, and
 *       {@code dX = dP·W_xᵀ} goes to the layer below.</li>
 * </ul>
 * Workspaces grow to the largest (T, m) seen and are reused.
 */
final class RecurrentLayer {
    final int index;
    /** Whether this is the reverse direction of a bidirectional layer (parameters {@code layer{l}.reverse.*}). */
    final boolean reverse;
    /** This layer's block in the (layers·directions)·m·n state arrays: l, or 2l + direction. */
    final int slot;
    final Cell cell;
    final int inputSize;
    final int hidden;
    /** G·n, the width of the gate columns. */
    final int gateWidth;
    /** The width of a step's row in {@link #gates} ({@link Cell#workWidth}): G·n, or 4n for the GRUs. */
    final int workWidth;
    /** W_h's first columns, those that multiply h_{t−1} ({@link Cell#recurrentColumns}): G·n but for the 2014 GRU. */
    final int recurrentColumns;
    /** Whether the cell is the GRU, whose candidate keeps its input and recurrent parts apart. */
    final boolean gru;
    final Parameter wx;
    final Parameter wh;
    final Parameter bias;
    /** The GRU's b_hn (1 × n), the recurrent candidate part's bias; null for other cells. */
    final Parameter candidateBias;
    /** W_x packed once per pass as the B of the input projection (null for the GRU, whose projection is cut by gate). */
    final PackedMatrix wxForward;
    /**
     * W_h's {@link #recurrentColumns} packed once per pass: as the B of h_{t−1}·W_h (forward) and of
     * dP_t·W_hᵀ (backward).
     */
    final PackedMatrix whForward;
    final PackedMatrix whBackward;
    /**
     * The 2014 GRU's W_hn (the columns past {@link #recurrentColumns}), packed apart as the B of
     * (r∘h_{t−1})·W_hn and of da_n·W_hnᵀ, once per pass; null for other cells.
     */
    final PackedMatrix whnForward;
    final PackedMatrix whnBackward;

    /** P: T·m × {@link #workWidth}, the gates of every step (see {@link Cell}). */
    float[] gates = new float[0];
    /** H: (T+1)·m × n, h_0 … h_T. */
    float[] h = new float[0];
    /** C: (T+1)·m × n, c_0 … c_T (cells with a cell state only). */
    float[] c = new float[0];

    RecurrentLayer(int index, Cell cell, int inputSize, int hidden, Kernels kernels) {
        this(index, false, index, cell, inputSize, hidden, kernels);
    }

    RecurrentLayer(int index, boolean reverse, int slot, Cell cell, int inputSize, int hidden, Kernels kernels) {
        this.index = index;
        this.reverse = reverse;
        this.slot = slot;
        this.cell = cell;
        this.inputSize = inputSize;
        this.hidden = hidden;
        this.gateWidth = cell.layout().width(hidden);
        this.workWidth = cell.workWidth(hidden);
        this.recurrentColumns = cell.recurrentColumns(hidden);
        this.gru = cell instanceof GruCell;
        String prefix = "layer" + index + (reverse ? ".reverse." : ".");
        wx = parameter(prefix + "W_x", inputSize, gateWidth);
        wh = parameter(prefix + "W_h", hidden, gateWidth);
        bias = parameter(prefix + "b", 1, gateWidth);
        candidateBias = gru ? parameter(prefix + "b_hn", 1, hidden) : null;
        int rc = recurrentColumns;
        wxForward = gru ? null : kernels.packB(false, inputSize, gateWidth, wx.value(), 0, gateWidth);
        whForward = kernels.packB(false, hidden, rc, wh.value(), 0, gateWidth);
        whBackward = kernels.packB(true, rc, hidden, wh.value(), 0, gateWidth);
        boolean apart = rc < gateWidth;
        whnForward = apart ? kernels.packB(false, hidden, gateWidth - rc, wh.value(), rc, gateWidth) : null;
        whnBackward = apart ? kernels.packB(true, gateWidth - rc, hidden, wh.value(), rc, gateWidth) : null;
    }

    static Parameter parameter(String name, int rows, int cols) {
        return new Parameter(name, rows, cols, new float[rows * cols], new float[rows * cols]);
    }

    void ensureWorkspace(int steps, int m) {
        int states = (steps + 1) * m * hidden;
        gates = grow(gates, steps * m * workWidth);
        h = grow(h, states);
        if (cell.hasCellState()) {
            c = grow(c, states);
        }
    }

    static float[] grow(float[] a, int size) {
        return a.length >= size ? a : new float[size];
    }

    /**
     * Puts the state at the window's start in row block 0 of H (and C).
     *
     * @param h0 <b>in</b> L·m·n layer-major, this layer's block at {@code slot·m·n}; null = zeros
     * @param c0 the same for C
     */
    void loadState(float[] h0, float[] c0, int m) {
        int mn = m * hidden;
        if (h0 == null) {
            Arrays.fill(h, 0, mn, 0f);
        } else {
            System.arraycopy(h0, slot * mn, h, 0, mn);
        }
        if (cell.hasCellState()) {
            if (c0 == null) {
                Arrays.fill(c, 0, mn, 0f);
            } else {
                System.arraycopy(c0, slot * mn, c, 0, mn);
            }
        }
    }

    /** <b>out</b> the state after window step {@code s} (0 = the start) into layer-major h, c. */
    void copyState(int s, int m, float[] hOut, float[] cOut) {
        int mn = m * hidden;
        System.arraycopy(h, s * mn, hOut, slot * mn, mn);
        if (cOut != null && cell.hasCellState()) {
            System.arraycopy(c, s * mn, cOut, slot * mn, mn);
        }
    }

    /**
     * Input rows per piece of P projected just before the steps that read it, when the forward
     * loop runs as one block: 128 Ki floats (512 KiB) of gate rows stay in L2 between the
     * projection's store and the recurrent step's read. P for all steps at once (3200 × 1024 at
     * 32 × 100 × 128 × 256: 13 MB) is written to memory and read back, and that GEMM ran about
     * 12 % slower per FLOP than the same rows 256 at a time.
     */
    static final int PIECE_FLOATS = 128 * 1024;

    /** Steps per projected piece of P for a batch of m rows (at least one). */
    int projectionSteps(int m) {
        return Math.max(1, PIECE_FLOATS / (m * workWidth));
    }

    /**
     * W_h (and W_x, for {@link #projectInputs}) repacked from the current weights for a forward
     * pass.
     */
    void prepareForward(Kernels k) {
        if (wxForward != null) {
            k.repackB(wxForward, false, wx.value(), 0, gateWidth);
        }
        k.repackB(whForward, false, wh.value(), 0, gateWidth);
        if (whnForward != null) {
            k.repackB(whnForward, false, wh.value(), recurrentColumns, gateWidth);
        }
    }

    /**
     * {@code P = X·W_x + b} for input rows [row0, row0 + rows) (into the first G·n columns of the
     * work rows: all of them but for the GRUs). A row's P does not depend on which rows are
     * projected with it, so one call for all steps and one call per piece of steps give the same
     * bits. Needs {@link #prepareForward} first.
     *
     * @param x <b>in</b> T·m × d, the inputs or the layer below's h_1 … h_T
     */
    void projectInputs(Kernels k, float[] x, int xOff, int row0, int rows) {
        int gOff = row0 * workWidth;
        int xAt = xOff + row0 * inputSize;
        if (gru) {
            projectGruInputs(k, x, xAt, rows, gOff);
        } else {
            k.multPacked(rows, gateWidth, 1f, x, xAt, inputSize, wxForward, 0, 0f, gates, gOff, workWidth);
            k.addRowVector(rows, gateWidth, bias.value(), 0, gates, gOff, workWidth);
        }
    }

    /**
     * The GRU's work rows {@code [a_r | a_z | a_hn | a_xn]} (see {@link GruCell}): X·W_x's r and z
     * columns plus their biases into the first two blocks, its n columns plus b_n into the last,
     * and b_hn into the third, where each step adds {@code h_{t−1}·W_hn}.
     */
    private void projectGruInputs(Kernels k, float[] x, int xOff, int rows, int gOff) {
        int n = hidden;
        int w = workWidth;
        float[] wxv = wx.value();
        k.mult(rows, 2 * n, inputSize, 1f, x, xOff, inputSize, wxv, 0, gateWidth, 0f, gates, gOff, w);
        k.mult(rows, n, inputSize, 1f, x, xOff, inputSize, wxv, 2 * n, gateWidth, 0f, gates, gOff + 3 * n, w);
        k.addRowVector(rows, 2 * n, bias.value(), 0, gates, gOff, w);
        k.addRowVector(rows, n, bias.value(), 2 * n, gates, gOff + 3 * n, w);
        float[] bhn = candidateBias.value();
        for (int r = 0; r < rows; r++) {
            System.arraycopy(bhn, 0, gates, gOff + r * w + 2 * n, n);
        }
    }

    /** W_h repacked (transposed) for the backward loop. */
    void prepareBackward(Kernels k) {
        k.repackB(whBackward, true, wh.value(), 0, gateWidth);
        if (whnBackward != null) {
            k.repackB(whnBackward, true, wh.value(), recurrentColumns, gateWidth);
        }
    }

    /**
     * The weight gradients from ∂L/∂P of every step, and ∂L/∂X.
     *
     * @param x      <b>in</b> the layer's input, as given to {@link #projectInputs}
     * @param dGates <b>in</b> T·m × {@link #workWidth}, ∂L/∂P in the first G·n columns
     * @param dx     <b>out</b> T·m × d, ∂L/∂X
     */
    void weightGradients(Kernels k, float[] x, int xOff, int rows, float[] dGates, float[] dx) {
        if (gru) {
            gruWeightGradients(k, x, xOff, rows, dGates, dx);
            return;
        }
        int w = workWidth;
        int rc = recurrentColumns;
        k.multTransA(inputSize, gateWidth, rows, 1f, x, xOff, inputSize, dGates, 0, w, 0f, wx.gradient(), 0, gateWidth);
        k.multTransA(hidden, rc, rows, 1f, h, 0, hidden, dGates, 0, w, 0f, wh.gradient(), 0, gateWidth);
        if (rc < gateWidth) {           // the 2014 GRU: ∂L/∂W_hn = (R∘H_prev)ᵀ·dA_n, R∘H_prev kept in the work rows
            k.multTransA(hidden, gateWidth - rc, rows, 1f, gates, cell.resetStateOffset(hidden), w, dGates, rc, w, 0f,
                    wh.gradient(), rc, gateWidth);
        }
        Arrays.fill(bias.gradient(), 0f);
        k.sumRows(rows, gateWidth, dGates, 0, w, bias.gradient(), 0);
        k.multTransB(rows, inputSize, gateWidth, 1f, dGates, 0, w, wx.value(), 0, gateWidth, 0f, dx, 0, inputSize);
    }

    /**
     * {@link #weightGradients} for the GRU's rows {@code [da_r | da_z | da_hn | da_xn]}: W_x and b
     * meet the input side [da_r | da_z | da_xn] (blocks 0, 1, 3), W_h the recurrent side
     * [da_r | da_z | da_hn] (blocks 0–2, contiguous), b_hn block 2.
     */
    private void gruWeightGradients(Kernels k, float[] x, int xOff, int rows, float[] dGates, float[] dx) {
        int n = hidden;
        int w = workWidth;
        int d = inputSize;
        float[] gx = wx.gradient();
        k.multTransA(d, 2 * n, rows, 1f, x, xOff, d, dGates, 0, w, 0f, gx, 0, gateWidth);
        k.multTransA(d, n, rows, 1f, x, xOff, d, dGates, 3 * n, w, 0f, gx, 2 * n, gateWidth);
        k.multTransA(n, gateWidth, rows, 1f, h, 0, n, dGates, 0, w, 0f, wh.gradient(), 0, gateWidth);
        float[] gb = bias.gradient();
        Arrays.fill(gb, 0f);
        k.sumRows(rows, 2 * n, dGates, 0, w, gb, 0);
        k.sumRows(rows, n, dGates, 3 * n, w, gb, 2 * n);
        Arrays.fill(candidateBias.gradient(), 0f);
        k.sumRows(rows, n, dGates, 2 * n, w, candidateBias.gradient(), 0);
        float[] wxv = wx.value();
        k.multTransB(rows, d, 2 * n, 1f, dGates, 0, w, wxv, 0, gateWidth, 0f, dx, 0, d);
        k.multTransB(rows, d, n, 1f, dGates, 3 * n, w, wxv, 2 * n, gateWidth, 1f, dx, 0, d);
    }
}
