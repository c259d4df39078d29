package org.rnn4j.api.diagnostics;

/**
 * Which lags carry the weight gradient: the derivation's double sum
 * {@code ∂L/∂W = Σ_t Σ_{k≤t} ∂L_t/∂a_k · ∂a_k/∂W} grouped by lag d = t − k. Entry d is the
 * Frobenius norm of the sum of the terms with t − k = d; the terms of all lags add up to the
 * model's gradient. Log10, indexed by d = 0 … T − 1.
 *
 * @param layer    the layer
 * @param sequence the sequence, or −1 for the batch (the model's gradient is the sum over its
 *                 sequences, each already carrying the 1/m factor)
 * @param recurrent log10 ‖Σ_{t−k=d} h_{k−1}ᵀ·∂L_t/∂a_k‖_F, the part of ∂L/∂W_h from lag d
 * @param input     log10 ‖Σ_{t−k=d} x_kᵀ·∂L_t/∂a_k‖_F, the part of ∂L/∂W_x from lag d
 */
public record LagGradients(int layer, int sequence, double[] recurrent, double[] input) {}
