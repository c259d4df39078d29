package org.rnn4j.lstm;

import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.RecurrentGradient;
import org.rnn4j.simd.Activation;
import org.rnn4j.simd.GateLayout;
import org.rnn4j.simd.Kernels;
import org.rnn4j.simd.PackedMatrix;

/**
 * One recurrent cell: the step from the state at t − 1 to the state at t for a block of batch
 * rows, and the backward step through it — what PyTorch's {@code RNN.cpp} calls a cell and oneDNN
 * a {@code cell_*.cpp}. A {@link RecurrentLayer} owns the weights and workspaces; a
 * {@link RecurrentLoop} runs the cell over time.
 *
 * <p>The arrays are a layer's workspaces, rows contiguous ({@code rows} rows of the batch, each
 * step's block at the offsets given):
 * <ul>
 *   <li>{@code gates} (leading dimension {@link #workWidth}, G·n with the gate blocks as
 *       {@link #layout()} says, except for the GRUs): on entry to
 *       {@link #forward} the input part of the pre-activations, {@code x_t·W_x + b}; on return
 *       whatever {@link #backward} needs (activated gates for the LSTM, the pre-activation for
 *       the RNN);</li>
 *   <li>{@code h}, {@code c} (leading dimension n): the states; {@code prev} is the offset of
 *       step t − 1, {@code next} of step t. {@code c} is unused by cells without a cell state.</li>
 * </ul>
 * Cells are immutable and hold no per-call state, so one cell serves any number of row blocks at
 * once. Implementations allocate nothing.
 */
sealed interface Cell permits RnnCell, LstmCell, GruCell, Gru2014Cell {

    /** Where each gate sits among the G·n gate columns. */
    GateLayout layout();

    /** Whether the cell carries a cell state C beside h (the LSTM). */
    boolean hasCellState();

    /**
     * The width of a step's row in the {@code gates} workspace: G·n, or more for a cell that keeps
     * parts of its pre-activations apart (the GRU's 4n) or a row beside them (the 2014 GRU's 4n).
     */
    default int workWidth(int n) {
        return layout().width(n);
    }

    /**
     * How many of W_h's G·n columns, from the first, multiply h_{t−1} itself: all of them but for
     * the 2014 GRU, whose candidate columns W_hn multiply r∘h_{t−1} instead (see
     * {@link #resetStateOffset}). The packed {@code wh} and {@code whT} of {@link #forward} and
     * {@link #backward} hold these columns.
     */
    default int recurrentColumns(int n) {
        return layout().width(n);
    }

    /**
     * Where a step's work row keeps the row that W_h's columns past {@link #recurrentColumns}
     * multiply — the 2014 GRU's r∘h_{t−1}, so that ∂L/∂W_hn = (r∘h_{t−1})ᵀ·∂L/∂a_n — or −1 for a
     * cell whose W_h multiplies h_{t−1} alone.
     */
    default int resetStateOffset(int n) {
        return -1;
    }

    /**
     * Forward step t: adds the recurrent part {@code h_{t−1}·W_h} to the gates and applies the
     * cell's equations.
     *
     * @param wh    W_h's first {@link #recurrentColumns} columns packed as the B of {@code h_{t−1}·W_h}
     * @param whn   the 2014 GRU's W_hn packed on its own as the B of {@code (r∘h_{t−1})·W_hn}; null
     *              for the other cells
     * @param gates <b>inout</b> rows × G·n at {@code gOff}
     * @param h     <b>in</b> h_{t−1} at {@code prev}, <b>out</b> h_t at {@code next}
     * @param c     <b>in</b> c_{t−1} at {@code prev}, <b>out</b> c_t at {@code next}
     */
    void forward(Kernels k, int rows, int n, PackedMatrix wh, PackedMatrix whn, float[] gates, int gOff,
                 float[] h, float[] c, int prev, int next);

    /**
     * The cell's element-wise equations on gate pre-activations that are complete
     * ({@code x_t·W_x + h_{t−1}·W_h + b}): what {@link #forward} does after its product, and what a
     * streaming step does after its own. One epilogue per cell, shared by training and inference.
     * (The 2014 GRU's a_n is complete only after r exists: its rows come in as
     * [r | z | a_n | r∘h_{t−1}], after {@link Kernels#gru2014Reset} and the candidate's product.)
     *
     * @param gates <b>inout</b> rows × {@link #workWidth}: pre-activations in, what
     *              {@link #backward} needs out
     * @param hPrev <b>in</b> rows × n, h_{t−1} (used by the GRU)
     * @param cPrev <b>in</b> rows × n, c_{t−1} (unused without a cell state)
     * @param c     <b>out</b> rows × n, c_t (unused without a cell state)
     * @param h     <b>out</b> rows × n, h_t
     */
    void activate(Kernels k, int rows, int n, float[] gates, int gOff, float[] hPrev, int hPrevOff,
                  float[] cPrev, int cPrevOff, float[] c, int cOff, float[] h, int hOff);

    /**
     * Backward step t, the derivation's ∂L/∂h_{t−1} = ∂L/∂h_t · ∂h_t/∂h_{t−1}.
     *
     * @param whT    W_h's first {@link #recurrentColumns} columns packed as the B of
     *               {@code dP_t·W_hᵀ} (G·n × n but for the 2014 GRU)
     * @param whnT   the 2014 GRU's W_hn packed as the B of {@code da_n·W_hnᵀ}; null for the other cells
     * @param gates  <b>in</b> step t's gates as {@link #forward} left them
     * @param h      <b>in</b> the states, as in {@link #forward}
     * @param c      <b>in</b> the cell states, as in {@link #forward}
     * @param dh     <b>inout</b> rows × n at {@code dOff}: ∂L/∂h_t in, ∂L/∂h_{t−1} out
     * @param dc     <b>inout</b> rows × n at {@code dOff}: ∂L/∂c_t (through c_{t+1}) in,
     *               ∂L/∂c_{t−1} out; unused without a cell state
     * @param dGates <b>out</b> rows × G·n at {@code dgOff}: ∂L/∂ of the gate pre-activations
     */
    void backward(Kernels k, int rows, int n, PackedMatrix whT, PackedMatrix whnT, float[] gates, int gOff,
                  float[] h, float[] c, int prev, int next,
                  float[] dh, float[] dc, int dOff, float[] dGates, int dgOff);

    // ---------------------------------------------------------------------------------------
    // The step's derivatives in double, one row of a stored trajectory (the diagnostics')
    // ---------------------------------------------------------------------------------------

    /**
     * The step's Jacobian applied to a vector, in double, for one row of the trajectory a forward
     * pass left (gates, h, c as {@link #forward} left them; the same offsets):
     * {@code (δh_{t−1}, δc_{t−1}) ↦ (δh_t, δc_t)} — the derivation's ∂h_t/∂h_{t−1} times a vector.
     * It is the Jacobian of the gradient the cell trains with (see {@link LstmCell#truncated()}).
     *
     * @param wh     <b>in</b> W_h in double, n × G·n row-major
     * @param dhPrev <b>in</b> n values; {@code dcPrev} likewise (ignored without a cell state)
     * @param dh     <b>out</b> n values; {@code dc} likewise (untouched without a cell state)
     * @param work   scratch of {@link #workWidth} values
     */
    void tangent(int n, double[] wh, float[] gates, int gOff, float[] h, float[] c, int prev, int next,
                 double[] dhPrev, double[] dcPrev, double[] dh, double[] dc, double[] work);

    /**
     * The transposed product (vector times the step's Jacobian), in double for one row: what BPTT
     * does at step t. {@code (∂/∂h_t, ∂/∂c_t) ↦ (∂/∂h_{t−1}, ∂/∂c_{t−1})}, and ∂/∂a_t of the gate
     * pre-activations on the way.
     *
     * @param whT    <b>in</b> W_hᵀ in double, G·n × n row-major (so that the product with W_hᵀ is
     *               a sum of rows, which vectorises, rather than of dot products, which do not)
     * @param gh     <b>in</b> n values; {@code gc} likewise (ignored without a cell state)
     * @param ghPrev <b>out</b> n values; {@code gcPrev} likewise (untouched without a cell state)
     * @param ga     <b>out</b> {@link #workWidth} values, ∂/∂a_t; its first G·n are what meets
     *               W_h — h_{t−1}, or r∘h_{t−1} past {@link #recurrentColumns} — (see
     *               {@link #inputSide} for what meets W_x)
     */
    void cotangent(int n, double[] whT, float[] gates, int gOff, float[] h, float[] c, int prev, int next,
                   double[] gh, double[] gc, double[] ghPrev, double[] gcPrev, double[] ga);

    /**
     * The gradient of the input side's pre-activations (G·n values, what meets W_x and the layer
     * below) from a {@link #cotangent}'s {@code ga}; only called when {@link #workWidth} exceeds
     * G·n (the GRU: [da_r | da_z | da_xn] from [da_r | da_z | da_hn | da_xn]).
     */
    default void inputSide(int n, double[] ga, double[] out) {
        System.arraycopy(ga, 0, out, 0, layout().width(n));
    }

    /** The derivation's γ_h = sup|φ'| of a vanilla cell; NaN (the default) for a gated cell: no such bound. */
    default double derivativeBound() {
        return Double.NaN;
    }

    /** max_j |φ'(a_t)_j| of one row at step t (the trajectory bound's factor); NaN (the default) for gated cells. */
    default double stepDerivativeMax(int n, float[] gates, int gOff, float[] h, int next) {
        return Double.NaN;
    }

    /** The cell of {@code spec}. */
    static Cell of(ModelSpec spec) {
        return switch (spec.cell()) {
            case RNN -> new RnnCell(switch (spec.activation()) {
                case TANH -> Activation.TANH;
                case SIGMOID -> Activation.SIGMOID;
                case RELU -> Activation.RELU;
            });
            case LSTM -> new LstmCell(true, spec.gradient() == RecurrentGradient.TRUNCATED_1997);
            case LSTM_NO_FORGET -> new LstmCell(false, spec.gradient() == RecurrentGradient.TRUNCATED_1997);
            case GRU -> new GruCell();
            case GRU_2014 -> new Gru2014Cell();
        };
    }
}
