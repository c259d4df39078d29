package org.rnn4j.lstm;

import org.rnn4j.api.ModelSpec;
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
 *   <li>{@code gates} (leading dimension G·n, gate blocks as {@link #layout()} says): on entry to
 *       {@link #forward} the input part of the pre-activations, {@code x_t·W_x + b}; on return
 *       whatever {@link #backward} needs (activated gates for the LSTM, the pre-activation for
 *       the RNN);</li>
 *   <li>{@code h}, {@code c} (leading dimension n): the states; {@code prev} is the offset of
 *       step t − 1, {@code next} of step t. {@code c} is unused by cells without a cell state.</li>
 * </ul>
 * Cells are immutable and hold no per-call state, so one cell serves any number of row blocks at
 * once. Implementations allocate nothing.
 */
sealed interface Cell permits RnnCell, LstmCell {

    /** Where each gate sits among the G·n gate columns. */
    GateLayout layout();

    /** Whether the cell carries a cell state C beside h (the LSTM). */
    boolean hasCellState();

    /**
     * Forward step t: adds the recurrent part {@code h_{t−1}·W_h} to the gates and applies the
     * cell's equations.
     *
     * @param wh    W_h (n × G·n) packed as the B of {@code h_{t−1}·W_h}
     * @param gates <b>inout</b> rows × G·n at {@code gOff}
     * @param h     <b>in</b> h_{t−1} at {@code prev}, <b>out</b> h_t at {@code next}
     * @param c     <b>in</b> c_{t−1} at {@code prev}, <b>out</b> c_t at {@code next}
     */
    void forward(Kernels k, int rows, int n, PackedMatrix wh, float[] gates, int gOff,
                 float[] h, float[] c, int prev, int next);

    /**
     * Backward step t, the derivation's ∂L/∂h_{t−1} = ∂L/∂h_t · ∂h_t/∂h_{t−1}.
     *
     * @param whT    W_h packed as the B of {@code dP_t·W_hᵀ} (G·n × n)
     * @param gates  <b>in</b> step t's gates as {@link #forward} left them
     * @param h      <b>in</b> the states, as in {@link #forward}
     * @param c      <b>in</b> the cell states, as in {@link #forward}
     * @param dh     <b>inout</b> rows × n at {@code dOff}: ∂L/∂h_t in, ∂L/∂h_{t−1} out
     * @param dc     <b>inout</b> rows × n at {@code dOff}: ∂L/∂c_t (through c_{t+1}) in,
     *               ∂L/∂c_{t−1} out; unused without a cell state
     * @param dGates <b>out</b> rows × G·n at {@code dgOff}: ∂L/∂ of the gate pre-activations
     */
    void backward(Kernels k, int rows, int n, PackedMatrix whT, float[] gates, int gOff,
                  float[] h, float[] c, int prev, int next,
                  float[] dh, float[] dc, int dOff, float[] dGates, int dgOff);

    /** The cell of {@code spec}. */
    static Cell of(ModelSpec spec) {
        return switch (spec.cell()) {
            case RNN -> new RnnCell(switch (spec.activation()) {
                case TANH -> Activation.TANH;
                case SIGMOID -> Activation.SIGMOID;
                case RELU -> Activation.RELU;
            });
            case LSTM -> new LstmCell(true);
            case LSTM_NO_FORGET -> new LstmCell(false);
        };
    }
}
