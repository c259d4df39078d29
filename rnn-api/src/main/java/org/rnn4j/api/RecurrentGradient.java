package org.rnn4j.api;

/**
 * Which gradient BPTT computes through the recurrence.
 */
public enum RecurrentGradient {
    /** The exact gradient: every path from a loss term back through h and c (the default). */
    EXACT,
    /**
     * Hochreiter &amp; Schmidhuber's 1997 truncated gradient, for LSTM cells only: error flows back
     * in time only through the cell state C (the "constant error carousel"); what reaches the gate
     * pre-activations at step t updates the weights but is not sent on to h_{t−1}. For the 1997
     * cell without forget gate ({@link CellKind#LSTM_NO_FORGET}) the recursive derivative
     * ∂C_t/∂C_{t−1} the gradient uses is then exactly the identity.
     */
    TRUNCATED_1997
}
