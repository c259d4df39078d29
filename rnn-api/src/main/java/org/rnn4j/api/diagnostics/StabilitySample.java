package org.rnn4j.api.diagnostics;

/**
 * What a trainer records every N steps when asked: the step's loss and gradient norm, and the
 * spectral radius and largest singular value of each layer's recurrent weights (for a gated cell,
 * the largest over its n × n gate blocks).
 *
 * @param step          1-based training step
 * @param loss          the loss before the update
 * @param gradientNorm  global L2 norm of the gradients before clipping
 * @param clipped       whether clipping changed the gradients
 * @param spectralRadius ρ(W_hh) per layer
 * @param sigmaMax      σ_max(W_hh) per layer
 */
public record StabilitySample(long step, double loss, double gradientNorm, boolean clipped,
                              double[] spectralRadius, double[] sigmaMax) {}
