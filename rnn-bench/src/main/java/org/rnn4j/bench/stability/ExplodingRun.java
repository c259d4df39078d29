package org.rnn4j.bench.stability;

/**
 * One E3 run: per training step, the loss, the global gradient norm before clipping and the norm
 * of the gradients actually applied (measured on the model after the step, so it checks the
 * clipping rather than restating it).
 *
 * @param radius            ρ(W_hh) asked of the initialiser
 * @param measuredRadius    ρ(W_hh) of the initial weights, measured
 * @param clipped           whether global-norm clipping was on
 * @param stepsRun          training steps completed
 * @param divergedAtStep    first training step whose loss exceeded divergeFactor × baseline; null if none
 * @param nonFiniteAtStep   training step (1-based) that threw a non-finite value; null if none
 * @param nonFiniteTimeStep the time step t the exception named (−1 when it named none); null if none
 * @param nonFiniteMessage  the exception's message; null if none
 * @param loss              loss per completed step
 * @param gradientNorm      global gradient norm per step, before clipping
 * @param appliedNorm       global gradient norm per step after clipping, as applied
 */
public record ExplodingRun(double radius, double measuredRadius, boolean clipped, long stepsRun,
                           Integer divergedAtStep, Integer nonFiniteAtStep, Integer nonFiniteTimeStep,
                           String nonFiniteMessage, double[] loss, double[] gradientNorm, double[] appliedNorm) {

    /** Whether the run finished its budget with every value finite. */
    public boolean stayedFinite() {
        return nonFiniteAtStep == null;
    }
}
