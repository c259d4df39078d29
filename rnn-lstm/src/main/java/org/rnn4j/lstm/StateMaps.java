package org.rnn4j.lstm;

/**
 * The one-step Jacobians ∂s_j/∂s_{j−1} of one layer and one sequence along a stored
 * {@link Trajectory}, on the layer's state s = h (n values) or, for a cell with a cell state,
 * s = (h, c) (2n values, h first) — with the layer's input from below held fixed. Each product
 * is the cell's own {@link Cell#tangent} or {@link Cell#cotangent}.
 */
final class StateMaps implements StepMaps {
    private final Trajectory tr;
    private final int layer;
    private final int sequence;
    private final int n;
    private final boolean cellState;
    private final double[] inH;
    private final double[] inC;
    private final double[] outH;
    private final double[] outC;
    private final double[] work;

    StateMaps(Trajectory tr, int layer, int sequence) {
        this.tr = tr;
        this.layer = layer;
        this.sequence = sequence;
        this.n = tr.hidden;
        this.cellState = tr.cell.hasCellState();
        inH = new double[n];
        inC = new double[n];
        outH = new double[n];
        outC = new double[n];
        work = new double[tr.workWidth];      // the cotangent's ∂/∂a_t: a whole work row (the GRUs' 4n)
    }

    @Override
    public int dim() {
        return cellState ? 2 * n : n;
    }

    @Override
    public void apply(int j, double[] in, double[] out) {
        split(in);
        tr.tangent(layer, sequence, j, inH, inC, outH, outC, work);
        join(out);
    }

    @Override
    public void applyTransposed(int j, double[] in, double[] out) {
        split(in);
        tr.cotangent(layer, sequence, j, inH, inC, outH, outC, work);
        join(out);
    }

    private void split(double[] in) {
        System.arraycopy(in, 0, inH, 0, n);
        if (cellState) {
            System.arraycopy(in, n, inC, 0, n);
        }
    }

    private void join(double[] out) {
        System.arraycopy(outH, 0, out, 0, n);
        if (cellState) {
            System.arraycopy(outC, 0, out, n, n);
        }
    }
}
