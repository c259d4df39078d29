package org.rnn4j.api;

/**
 * Gradient clipping applied by a training step (each limit 0 = off).
 *
 * @param maxGlobalNorm   rescale all gradients together so that their global L2 norm is at most
 *                        this (Pascanu et al. 2013); the pre-clip norm is reported
 * @param maxValue        clamp every gradient value to [−maxValue, maxValue]
 * @param maxHiddenGradNorm per-step clipping of ∂L/∂h_t inside BPTT (see
 *                        {@link RecurrentModel#setHiddenGradientClip(double)})
 */
public record Clipping(double maxGlobalNorm, double maxValue, double maxHiddenGradNorm) {

    public Clipping {
        check("maxGlobalNorm", maxGlobalNorm);
        check("maxValue", maxValue);
        check("maxHiddenGradNorm", maxHiddenGradNorm);
    }

    private static void check(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0 (0 = off), got " + v);
        }
    }

    /** No clipping. */
    public static Clipping none() {
        return new Clipping(0, 0, 0);
    }

    /** Global L2-norm clipping only. */
    public static Clipping globalNorm(double maxNorm) {
        return new Clipping(maxNorm, 0, 0);
    }
}
