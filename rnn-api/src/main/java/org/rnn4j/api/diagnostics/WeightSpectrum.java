package org.rnn4j.api.diagnostics;

/**
 * A square recurrent weight block and what decides its long-run behaviour: all its eigenvalues,
 * ρ and σ_max (ρ ≤ σ_max; ‖h·W‖ ≤ σ_max·‖h‖ for any number of steps, ρ only in the limit).
 *
 * @param block      the block's name: {@code W_h} for an RNN; {@code W_hi}, {@code W_hf},
 *                   {@code W_hg}, {@code W_ho} for the n × n gate blocks of an LSTM's W_h
 * @param eigenvalues every eigenvalue
 * @param spectralRadius ρ = max |λ_i|
 * @param sigmaMax   the largest singular value
 */
public record WeightSpectrum(String block, Spectrum eigenvalues, double spectralRadius, double sigmaMax) {}
