package org.rnn4j.api;

/** The recurrent cell of a layer, and how many gates it has side by side in its weights. */
public enum CellKind {
    /** Elman RNN: {@code h_t = φ(x_t·W_xh + h_{t-1}·W_hh + b_h)}; one gate. */
    RNN(1),
    /** LSTM with forget gate: {@code C_t = f∘C_{t-1} + i∘C̃_t, h_t = o∘tanh(C_t)}; gates i, f, g, o. */
    LSTM(4),
    /** The original 1997 LSTM without forget gate: {@code C_t = C_{t-1} + i∘C̃_t}; gates i, g, o. */
    LSTM_NO_FORGET(3);

    private final int gates;

    CellKind(int gates) {
        this.gates = gates;
    }

    /** Number of gates G; the layer's weight matrices have {@code G·hidden} columns. */
    public int gates() {
        return gates;
    }
}
