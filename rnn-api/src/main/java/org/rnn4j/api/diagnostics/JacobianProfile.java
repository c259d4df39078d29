package org.rnn4j.api.diagnostics;

/**
 * ‖∂h_t/∂h_k‖₂ for every k ≤ t of one layer along the real trajectory, beside the derivation's
 * bounds. All values are log10 (see the package comment); arrays are indexed by k = 0 … t
 * (entry t is the empty product, 0).
 *
 * <p>For an LSTM layer the state is (h, c): ∂h_t/∂h_k perturbs h_k with c_k held and follows
 * every path to h_t (through h and through c). The uniform bound is then undefined (NaN) and the
 * trajectory bound is the product of the one-step norms of the full (h, c) state Jacobian.
 *
 * @param layer            the layer
 * @param sequence         the sequence of the batch, or −1 for the batch aggregate (geometric
 *                         mean over the sequences, i.e. the mean of log10: each bound stays a
 *                         bound of the aggregate)
 * @param t                the step the products end at, 1 ≤ t ≤ T
 * @param norm             log10 ‖∂h_t/∂h_k‖₂
 * @param stepNorm         log10 ‖∂h_j/∂h_{j−1}‖₂ at index j = 1 … t (LSTM: of the (h, c) state
 *                         Jacobian); index 0 is NaN
 * @param uniformBound     log10 (γ_W·γ_h)^(t−k), γ_W = σ_max(W_hh), γ_h = sup|φ'| (RNN only)
 * @param trajectoryBound  log10 ∏_{j=k+1}^{t} max|φ'(a_j)|·σ_max(W_hh) (RNN), or
 *                         ∏ ‖∂(h,c)_j/∂(h,c)_{j−1}‖₂ (LSTM)
 * @param gammaW           σ_max(W_hh) (LSTM: NaN)
 * @param gammaH           sup|φ'|: 1 for tanh and ReLU, 1/4 for the sigmoid (LSTM: NaN)
 */
public record JacobianProfile(int layer, int sequence, int t, double[] norm, double[] stepNorm,
                              double[] uniformBound, double[] trajectoryBound, double gammaW,
                              double gammaH) {

    /** log10 ‖∂h_t/∂h_k‖₂ at lag d = t − k. */
    public double atLag(int d) {
        return norm[t - d];
    }
}
