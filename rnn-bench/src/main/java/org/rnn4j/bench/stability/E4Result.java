package org.rnn4j.bench.stability;

/**
 * E4: per-step norms of the LSTM's ∂C_t/∂C_{t−1}: the derivation's full 4-term Jacobian and
 * diag(f_t) alone, log10, pooled over steps and sequences, before and after training. Whether the
 * forget gate alone (the "constant error carousel") describes how the cell state carries error.
 *
 * @param task              the task trained on, e.g. "adding T = 100"
 * @param trainingSteps     training steps between "before" and "after"
 * @param log10FullBefore   log10 ‖full Jacobian‖ per (step, sequence), at initialisation
 * @param log10ForgetBefore log10 ‖diag(f_t)‖ at initialisation, same cells
 * @param log10FullAfter    log10 ‖full Jacobian‖ after training
 * @param log10ForgetAfter  log10 ‖diag(f_t)‖ after training
 */
public record E4Result(String task, long trainingSteps, double[] log10FullBefore, double[] log10ForgetBefore,
                       double[] log10FullAfter, double[] log10ForgetAfter) {}
