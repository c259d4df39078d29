package org.rnn4j.simd;

/**
 * Where each gate of a recurrent cell sits among the cell's G·n gate columns: the columns of its
 * weights W_x (d × G·n), W_h (n × G·n) and bias b (G·n), and of a time step's gate matrix P_t
 * (m × G·n). Gate q occupies the block of n columns {@code q·n .. (q+1)·n}. This is the one
 * description of that layout: the cells, the fused LSTM kernels, the initialisers and the docs
 * all read it from here.
 *
 * <p>The order is PyTorch's ({@code nn.LSTM}: i, f, g, o; {@code nn.GRU}: r, z, n), so a PyTorch
 * {@code weight_ih_l0} is W_x transposed with the same gate blocks.
 */
public enum GateLayout {
    /** Vanilla (Elman) RNN: one block, the pre-activation a_t of {@code h_t = φ(a_t)}. */
    RNN(Gate.A),
    /** LSTM with forget gate: {@code [i | f | g | o]}. */
    LSTM(Gate.I, Gate.F, Gate.G, Gate.O),
    /** The original 1997 LSTM, no forget gate (f ≡ 1): {@code [i | g | o]}. */
    LSTM_NO_FORGET(Gate.I, Gate.G, Gate.O),
    /**
     * GRU: {@code [r | z | n]}, PyTorch's order ({@code nn.GRU}), for both forms of the cell. A
     * training step's work row is wider (4n): the candidate's input and recurrent parts apart in
     * PyTorch's form (see {@link Kernels#gruForward}), r∘h_{t−1} beside the gates in the 2014 form
     * (see {@link Kernels#gru2014Reset}).
     */
    GRU(Gate.R, Gate.Z, Gate.N);

    /** A gate of the derivation, by the letter a reader of its equations knows it by. */
    public enum Gate {
        /** a: the pre-activation of a vanilla RNN, {@code a_t = x_t·W_x + h_{t−1}·W_h + b}. */
        A,
        /** i: input gate, σ. */
        I,
        /** f: forget gate, σ. */
        F,
        /** g: cell candidate C̃_t, tanh. */
        G,
        /** o: output gate, σ. */
        O,
        /** r: the GRU's reset gate, σ. */
        R,
        /** z: the GRU's update gate, σ; h_t = (1 − z)∘ñ + z∘h_{t−1}. */
        Z,
        /** n: the GRU's candidate ñ, tanh. */
        N
    }

    private final Gate[] order;
    /** Block index of each {@link Gate} (by ordinal), −1 where the layout has no such gate. */
    private final int[] block;

    GateLayout(Gate... order) {
        this.order = order;
        this.block = new int[Gate.values().length];
        java.util.Arrays.fill(block, -1);
        for (int q = 0; q < order.length; q++) {
            block[order[q].ordinal()] = q;
        }
    }

    /** The LSTM layout with or without forget gate. */
    public static GateLayout lstm(boolean forgetGate) {
        return forgetGate ? LSTM : LSTM_NO_FORGET;
    }

    /** G, the number of gate blocks. */
    public int gates() {
        return order.length;
    }

    /** G·n, the width of the gate columns for n hidden units. */
    public int width(int n) {
        return order.length * n;
    }

    /** The gate in block {@code q} (0 ≤ q &lt; G). */
    public Gate gate(int q) {
        return order[q];
    }

    /** Whether the layout has {@code gate}. */
    public boolean has(Gate gate) {
        return block[gate.ordinal()] >= 0;
    }

    /**
     * The block index q of {@code gate}.
     *
     * @throws IllegalArgumentException if this layout has no such gate
     */
    public int block(Gate gate) {
        int q = block[gate.ordinal()];
        if (q < 0) {
            throw new IllegalArgumentException(name() + " has no gate " + gate + "; its gates are "
                    + java.util.Arrays.toString(order));
        }
        return q;
    }

    /** The first column of {@code gate}'s block for n hidden units: {@code block(gate)·n}. */
    public int offset(Gate gate, int n) {
        return block(gate) * n;
    }
}
