package org.rnn4j.api.diagnostics;

/**
 * The LSTM's recursive derivative ∂C_t/∂C_{t−1} as the derivation writes it, all four terms:
 * <pre>
 *   D_t = ∂C_t/∂C_{t−1} = diag(f_t)
 *       + diag(C_{t−1}∘σ'(a_f))·W_hfᵀ·diag(o_{t−1}∘tanh'(C_{t−1}))      (through f_t)
 *       + diag(C̃_t∘σ'(a_i))·W_hiᵀ·diag(o_{t−1}∘tanh'(C_{t−1}))          (through i_t)
 *       + diag(i_t∘tanh'(a_g))·W_hgᵀ·diag(o_{t−1}∘tanh'(C_{t−1}))        (through C̃_t)
 * </pre>
 * (h_{t−1} = o_{t−1}∘tanh(C_{t−1}) with o_{t−1} held; D_1 = diag(f_1) since h_0 is given), beside
 * diag(f_t) alone — the popular claim that the recursive derivative "is f". With the 1997
 * truncated gradient the three terms through h_{t−1} are cut and D_t = diag(f_t) (= I without
 * forget gate). Arrays are log10 and indexed by step j = 1 … t or by k = 0 … t as stated; index 0
 * of the per-step arrays is NaN.
 *
 * @param layer       the layer
 * @param sequence    the sequence (or −1: geometric mean over the batch)
 * @param t           the step the products end at
 * @param stepFull    log10 ‖D_j‖₂
 * @param stepForget  log10 ‖diag(f_j)‖₂ = log10 max_i f_j[i] (0 without forget gate)
 * @param productFull   log10 ‖D_t·D_{t−1}⋯D_{k+1}‖₂ at index k (the derivation's product over lags)
 * @param productForget log10 ‖diag(f_t∘⋯∘f_{k+1})‖₂ at index k
 */
public record CellStateProfile(int layer, int sequence, int t, double[] stepFull, double[] stepForget,
                               double[] productFull, double[] productForget) {}
