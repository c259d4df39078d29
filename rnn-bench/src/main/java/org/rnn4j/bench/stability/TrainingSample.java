package org.rnn4j.bench.stability;

/**
 * One point of a training curve, every {@link AddingSettings#sampleEvery()} steps.
 *
 * @param step         training steps done
 * @param meanLoss     mean training loss over the last {@link AddingSettings#window()} steps (fewer at the start)
 * @param gradientNorm the global gradient norm of this step, before clipping
 * @param rho          ρ(W_h) of layer 0 per gate block (1 block, or i, f, g, o of the LSTM); null when not recorded
 * @param sigmaMax     σ_max of the same blocks; null when not recorded
 */
public record TrainingSample(long step, double meanLoss, double gradientNorm, double[] rho, double[] sigmaMax) {

    /** The largest ρ over the gate blocks, NaN when not recorded. */
    public double maxRho() {
        return max(rho);
    }

    /** The largest σ_max over the gate blocks, NaN when not recorded. */
    public double maxSigma() {
        return max(sigmaMax);
    }

    private static double max(double[] v) {
        if (v == null || v.length == 0) {
            return Double.NaN;
        }
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            m = Math.max(m, x);
        }
        return m;
    }
}
