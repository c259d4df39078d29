/**
 * What the BPTT derivation says about vanishing and exploding gradients, measured on a real run:
 * Jacobian products ∂h_t/∂h_k and their bounds, the error signal ‖∂L_t/∂h_k‖ per lag, which lags
 * carry the weight gradient, eigenvalues of W_hh and of one-step Jacobians, and the LSTM's
 * ∂C_t/∂C_{t−1}. {@link org.rnn4j.api.diagnostics.GradientDiagnostics} is the entry point;
 * {@code org.rnn4j.lstm.Diagnostics} computes it for a model and a batch.
 *
 * <p>Conventions shared by every type here:
 * <ul>
 *   <li><b>Indices.</b> States are h_0 (the initial state) … h_T; step t ∈ [1, T] makes h_t from
 *       the input x_t, which is row {@code t − 1} of the time-major batch. A lag is t − k.</li>
 *   <li><b>Magnitudes are log10.</b> Products of Jacobians span hundreds of orders of magnitude,
 *       beyond float and even double range, so every norm is carried as log10 of its value
 *       (−∞ for an exact zero; NaN where a quantity is not defined, e.g. a bound for a cell the
 *       bound does not cover).</li>
 *   <li><b>Norms</b> of matrices are spectral (largest singular value) unless a type says
 *       Frobenius; of vectors, Euclidean.</li>
 *   <li><b>Row-vector convention</b> as the model's: {@code h_t = φ(x_t·W_x + h_{t−1}·W_h + b)},
 *       so the derivation's one-step Jacobian (column convention) is
 *       {@code ∂h_t/∂h_{t−1} = diag(φ'(a_t))·W_hᵀ}.</li>
 * </ul>
 */
package org.rnn4j.api.diagnostics;
