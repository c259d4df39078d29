package org.rnn4j.lstm;

/**
 * The LSTM's D_j = ∂C_j/∂C_{j−1} as the derivation writes it (all four terms, see
 * {@link LstmCell#cellStateTangent}), one layer and one sequence along a stored
 * {@link Trajectory}.
 */
final class CellStateMaps implements StepMaps {
    private final Trajectory tr;
    private final LstmCell cell;
    private final int layer;
    private final int sequence;
    private final double[] work;

    CellStateMaps(Trajectory tr, int layer, int sequence) {
        this.tr = tr;
        this.cell = (LstmCell) tr.cell;
        this.layer = layer;
        this.sequence = sequence;
        this.work = new double[tr.gateWidth + tr.hidden];
    }

    @Override
    public int dim() {
        return tr.hidden;
    }

    @Override
    public void apply(int j, double[] in, double[] out) {
        if (tr.frozen(j, sequence)) {                        // past the sequence's length: C stays
            System.arraycopy(in, 0, out, 0, tr.hidden);
            return;
        }
        cell.cellStateTangent(tr.hidden, tr.wh[layer], tr.gates[layer], tr.gates(j, sequence), previousGates(j),
                tr.c[layer], tr.state(j - 1, sequence), in, out, work);
    }

    @Override
    public void applyTransposed(int j, double[] in, double[] out) {
        if (tr.frozen(j, sequence)) {
            System.arraycopy(in, 0, out, 0, tr.hidden);
            return;
        }
        cell.cellStateCotangent(tr.hidden, tr.whT[layer], tr.gates[layer], tr.gates(j, sequence), previousGates(j),
                tr.c[layer], tr.state(j - 1, sequence), in, out, work);
    }

    /** Step j − 1's gate row (for o_{j−1}), or −1 at j = 1: h_0 is given, not made from C_0. */
    private int previousGates(int j) {
        return j >= 2 ? tr.gates(j - 1, sequence) : -1;
    }
}
