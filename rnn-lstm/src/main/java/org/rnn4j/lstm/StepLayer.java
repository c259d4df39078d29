package org.rnn4j.lstm;

import org.rnn4j.simd.Kernels;
import org.rnn4j.simd.StepWeights;

/**
 * One layer of a {@link CompiledModel}: its cell and its weights {@code [W_x; W_h]} and b packed
 * for steps.
 *
 * @param cell      the layer's cell (its {@link Cell#activate} is the step's epilogue)
 * @param inputSize d_l, the width of the layer's input
 * @param hidden    n
 * @param gateWidth the width of a step's row of gates: G·n, or the GRUs' 4n
 * @param weights   the packed weights; for the GRUs those of r and z only
 * @param candidate the 2014 GRU's second product, {@code [W_xn; W_hn]} and b_n (its recurrent rows
 *                  multiply r∘h_{t−1}, see {@link #resetProduct}); the GRU's input part of the
 *                  candidate, W_xn and b_n (into the work row's a_xn block); null for the other cells
 * @param recurrentCandidate the GRU's recurrent part of the candidate, W_hn and b_hn, a product of
 *                  h_{t−1} of its own (into the a_hn block): r multiplies it after the product, so
 *                  it cannot share a sum with W_xn; null for the other cells
 */
record StepLayer(Cell cell, int inputSize, int hidden, int gateWidth, StepWeights weights, StepWeights candidate,
                 StepWeights recurrentCandidate) {

    /** A layer whose {@code weights} give every pre-activation in one product. */
    StepLayer(Cell cell, int inputSize, int hidden, int gateWidth, StepWeights weights) {
        this(cell, inputSize, hidden, gateWidth, weights, null, null);
    }

    /** Whether this is the GRU (PyTorch's form): three products, see {@link #recurrentCandidate}. */
    boolean gru() {
        return recurrentCandidate != null;
    }

    /** Whether this is the 2014 GRU: r before the candidate's product, see {@link #resetProduct}. */
    boolean gru2014() {
        return candidate != null && recurrentCandidate == null;
    }

    /** The weights' bytes, every product's. */
    long bytes() {
        return weights.bytes() + (candidate == null ? 0 : candidate.bytes())
                + (recurrentCandidate == null ? 0 : recurrentCandidate.bytes());
    }

    /**
     * The input part of m rows' pre-activations, {@code b + x·W_x} of every product (for the GRUs
     * also the candidate's input part): what a prefill does for all its steps at once and a batch
     * for all its streams. {@link #recurrentProducts} completes them.
     *
     * @param x     <b>in</b> m × d, rows {@link #inputSize} apart
     * @param gates <b>out</b> m × gateWidth
     */
    void inputProducts(Kernels k, int m, float[] x, int xOff, float[] gates, int gOff) {
        k.stepInput(m, weights, x, xOff, inputSize, gates, gOff, gateWidth);
        if (gru()) {                                             // a_xn = b_n + x_t·W_xn
            k.stepInput(m, candidate, x, xOff, inputSize, gates, gOff + 3 * hidden, gateWidth);
        } else if (gru2014()) {                                  // b_n + x_t·W_xn, r∘h_{t−1}'s part comes later
            k.stepInput(m, candidate, x, xOff, inputSize, gates, gOff + 2 * hidden, gateWidth);
        }
    }

    /**
     * The recurrent part after {@link #inputProducts}: {@code += h_{t−1}·W_h}; for the GRU also
     * {@code a_hn = b_hn + h_{t−1}·W_hn}, for the 2014 GRU its {@link #resetProduct}. The sums are
     * the FMA chains of one {@link Kernels#stepConcatenated} over {@code [x_t h_{t−1}]}.
     *
     * @param h     <b>in</b> m × n, h_{t−1}, rows n apart
     * @param gates <b>inout</b> m × gateWidth
     * @param rh    scratch of m × n (the 2014 GRU's r∘h_{t−1})
     */
    void recurrentProducts(Kernels k, int m, float[] h, int hOff, float[] gates, int gOff, float[] rh) {
        k.stepRecurrent(m, weights, h, hOff, hidden, gates, gOff, gateWidth);
        if (gru()) {
            k.stepInput(m, recurrentCandidate, h, hOff, hidden, gates, gOff + 2 * hidden, gateWidth);
        } else if (gru2014()) {
            resetProduct(k, m, gates, gOff, h, hOff, rh);
        }
    }

    /**
     * The 2014 GRU's middle of a step for m rows, between {@code weights}' product and the
     * epilogue: r, z and r∘h_{t−1} ({@link Kernels#gru2014Reset}), then
     * {@code a_n += (r∘h_{t−1})·W_hn} — {@link Kernels#stepRecurrent} of {@code candidate}, so
     * after its {@link Kernels#stepInput} a_n is the same FMA chain as a
     * {@link Kernels#stepConcatenated} over {@code [x_t  r∘h_{t−1}]}.
     *
     * @param gates <b>inout</b> m × gateWidth: [a_r | a_z | b_n + x_t·W_xn | ·] in, [r | z | a_n | r∘h_{t−1}] out
     * @param hPrev <b>in</b> m × n, h_{t−1}
     * @param rh    scratch of m × n: the product reads r∘h_{t−1} from a copy (its H may not share the gates' array)
     */
    void resetProduct(Kernels k, int m, float[] gates, int gOff, float[] hPrev, int hpOff, float[] rh) {
        int n = hidden;
        k.gru2014Reset(m, n, gates, gOff, hPrev, hpOff);
        for (int r = 0; r < m; r++) {
            System.arraycopy(gates, gOff + r * gateWidth + 3 * n, rh, r * n, n);
        }
        k.stepRecurrent(m, candidate, rh, 0, n, gates, gOff + 2 * n, gateWidth);
    }
}
