package org.rnn4j.bench.stability;

import java.util.List;

/**
 * E3, exploding gradients: a tanh RNN with orthogonal W_hh scaled to spectral radius ρ (so every
 * singular value is ρ too), trained with plain SGD at a learning rate large enough for the
 * unclipped run to blow up, without and with global-norm clipping.
 *
 * @param length       T of the adding problem
 * @param hidden       hidden units
 * @param batch        sequences per step
 * @param learningRate SGD's learning rate
 * @param radii        the spectral radii ρ of W_hh at initialisation
 * @param clipNorm     the clipped runs' global-norm limit
 * @param budget       training steps per run at most
 * @param divergeFactor a run has diverged when its loss exceeds this × the baseline loss
 */
public record ExplodingSettings(int length, int hidden, int batch, double learningRate, List<Double> radii,
                                double clipNorm, int budget, double divergeFactor) {
    public ExplodingSettings {
        radii = List.copyOf(radii);
        if (length < 2 || hidden < 1 || batch < 1 || budget < 1 || !(learningRate > 0) || !(clipNorm > 0)
                || !(divergeFactor > 1)) {
            throw new IllegalArgumentException("exploding settings out of range: T " + length + ", hidden " + hidden
                    + ", batch " + batch + ", budget " + budget + ", lr " + learningRate + ", clip " + clipNorm
                    + ", divergeFactor " + divergeFactor);
        }
        for (double r : radii) {
            if (!(r > 0) || Double.isInfinite(r)) {
                throw new IllegalArgumentException("a spectral radius must be finite and > 0, got " + r);
            }
        }
    }
}
