package org.rnn4j.api;

/**
 * What one training step measured.
 *
 * @param step          1-based count of steps taken
 * @param loss          the loss before the update
 * @param gradientNorm  global L2 norm of all gradients before clipping
 * @param clipped       whether global-norm or value clipping changed the gradients
 */
public record StepReport(long step, double loss, double gradientNorm, boolean clipped) {}
