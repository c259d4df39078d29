package org.rnn4j.api;

/** The recurrent cell of a layer, and how many gates it has side by side in its weights. */
public enum CellKind {
    /** Elman RNN: {@code h_t = φ(x_t·W_xh + h_{t-1}·W_hh + b_h)}; one gate. */
    RNN(1),
    /** LSTM with forget gate: {@code C_t = f∘C_{t-1} + i∘C̃_t, h_t = o∘tanh(C_t)}; gates i, f, g, o. */
    LSTM(4),
    /** The original 1997 LSTM without forget gate: {@code C_t = C_{t-1} + i∘C̃_t}; gates i, g, o. */
    LSTM_NO_FORGET(3),
    /**
     * GRU in PyTorch's form ({@code nn.GRU}; ONNX {@code linear_before_reset = 1}, Keras
     * {@code reset_after = True}): {@code r = σ(a_r), z = σ(a_z)},
     * {@code ñ = tanh(x_t·W_xn + b_n + r∘(h_{t-1}·W_hn + b_hn))},
     * {@code h_t = (1 − z)∘ñ + z∘h_{t-1}}; gates r, z, n. The reset gate multiplies the recurrent
     * part of the candidate after its product, so that part's bias {@code b_hn} is a parameter of
     * its own ({@code layer{l}.b_hn}), beside {@code b = [b_r | b_z | b_n]}.
     */
    GRU(3),
    /**
     * GRU in its 2014 form (Cho et al. 2014; Keras {@code reset_after = False}, ONNX
     * {@code linear_before_reset = 0}): {@code r = σ(a_r), z = σ(a_z)},
     * {@code ñ = tanh(x_t·W_xn + b_n + (r∘h_{t-1})·W_hn)}, {@code h_t = (1 − z)∘ñ + z∘h_{t-1}};
     * gates r, z, n. The reset gate multiplies h_{t−1} before the candidate's recurrent product, so
     * that product's bias would add to b_n: one bias {@code b = [b_r | b_z | b_n]}, no b_hn.
     * PyTorch's {@code nn.GRU} has no such form (it is {@link #GRU}).
     */
    GRU_2014(3);

    private final int gates;

    CellKind(int gates) {
        this.gates = gates;
    }

    /** Whether the cell carries a cell state C beside h (the two LSTMs). */
    public boolean hasCellState() {
        return this == LSTM || this == LSTM_NO_FORGET;
    }

    /**
     * Whether each layer has the GRU's second bias {@code b_hn} (n values) beside b: the bias of
     * the candidate's recurrent part, which the reset gate multiplies.
     */
    public boolean hasCandidateBias() {
        return this == GRU;
    }

    /** Number of gates G; the layer's weight matrices have {@code G·hidden} columns. */
    public int gates() {
        return gates;
    }
}
