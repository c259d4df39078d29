package org.rnn4j.bench.stability;

/**
 * One curve of E1: a model configuration at initialisation, T steps, values per lag d = t − k,
 * d = 0..T−1. NaN entries = not defined for this cell: charts skip them.
 *
 * @param label                 the configuration, e.g. "tanh RNN, ρ = 0.9"
 * @param log10JacobianNorm     log10 ‖∂h_T/∂h_k‖₂ per lag
 * @param log10ErrorRatio       log10 (‖∂L_T/∂h_k‖ / ‖∂L_T/∂h_T‖) per lag
 * @param log10UniformBound     log10 of the bound (γ_W·γ_h)^d per lag
 * @param log10TrajectoryBound  log10 of the bound along the trajectory per lag
 */
public record LagCurve(String label, double[] log10JacobianNorm, double[] log10ErrorRatio,
                       double[] log10UniformBound, double[] log10TrajectoryBound) {}
