package org.rnn4j.bench.stability;

/**
 * The measured wall time of one training step of a model at one length, one thread, before the
 * E2 grid: what the budget was chosen from, and the cost side of the comparison.
 *
 * @param model          which model
 * @param length         T
 * @param secondsPerStep mean over a few steps after as many warm-up steps; NaN when a value went non-finite
 */
public record StepCost(ModelKind model, int length, double secondsPerStep) {}
