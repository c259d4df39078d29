package org.rnn4j.lstm.tasks;

import java.util.SplittableRandom;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.Targets;

/**
 * The adding problem: remember two marked real values across a long sequence and output their
 * sum at the end.
 *
 * <p>Input width 2: channel 0 carries a value, channel 1 a marker. The single real target
 * (width 1, {@link Targets.Scope#LAST_STEP}, squared error) depends only on the two marked values,
 * so the gradient of the loss must reach back from step T − 1 to the marked steps: a lag of up to
 * T − 1 steps in the {@link Form#LE_2015} form and at least T/2 steps in the
 * {@link Form#HOCHREITER_1997} form.
 *
 * <h2>{@link Form#LE_2015} (Le, Jaitly &amp; Hinton 2015; Arjovsky, Shah &amp; Bengio 2016)</h2>
 * Every sequence has T ≥ 2 steps. Channel 0 holds values U[0, 1); channel 1 is 1 at exactly one
 * step t1 uniform in [0, T/2) and one step t2 uniform in [T/2, T) (T/2 rounded down), 0 elsewhere.
 * Target: x[t1] + x[t2]. Baseline: always predicting the mean 1 costs
 * E[(X1 + X2 − 1)²] = Var(X1 + X2) = 2/12 = <b>1/6</b>.
 *
 * <h2>{@link Form#HOCHREITER_1997} (Hochreiter &amp; Schmidhuber 1997, experiment 4)</h2>
 * Every sequence has T ≥ 20 steps (the paper draws lengths in [T, T + T/10]; here all have T, so
 * that {@code lengths} stays null). Channel 0 holds values U[−1, 1). One marked step t1 is uniform
 * among the first ten, [0, 10); the other, t2, uniform among the first T/2 − 1 steps other than
 * t1 (so t2 ≤ T/2 − 1). Channel 1 is 1 at t1 and t2, −1 at step 0 (unless step 0 is marked) and at
 * step T − 1, 0 elsewhere. As in the paper, when t1 = 0 the value X1 is set to 0 (channel 0 at
 * step 0 is 0); a t2 = 0 keeps its value.
 * Target: 0.5 + (X1 + X2)/4. Baseline: predicting the mean 0.5 costs
 * Var(X1 + X2)/16 = (9/10 · 1/3 + 1/3)/16 = <b>19/480</b> (X1 is 0 with probability 1/10).
 */
public final class AddingProblem {

    /** Which published form of the task. */
    public enum Form {
        /** Values U[0,1), one marker in each half, target the plain sum: Le et al. 2015. */
        LE_2015,
        /** Values U[−1,1), markers in the first ten steps and before T/2, target 0.5 + sum/4: H&amp;S 1997. */
        HOCHREITER_1997
    }

    private final int steps;
    private final Form form;

    /** The {@link Form#LE_2015} form with sequences of {@code steps} ≥ 2 steps. */
    public AddingProblem(int steps) {
        this(steps, Form.LE_2015);
    }

    /**
     * The adding problem in the given form.
     *
     * @param steps T: ≥ 2 for {@link Form#LE_2015}, ≥ 20 for {@link Form#HOCHREITER_1997}
     * @param form  the task's form
     * @throws IllegalArgumentException naming the value when T is too small or form is null
     */
    public AddingProblem(int steps, Form form) {
        if (form == null) {
            throw new IllegalArgumentException("form is null");
        }
        int min = form == Form.LE_2015 ? 2 : 20;
        if (steps < min) {
            throw new IllegalArgumentException("steps must be >= " + min + " for the " + form + " form, got " + steps);
        }
        this.steps = steps;
        this.form = form;
    }

    /** T, the length of every sequence. */
    public int steps() {
        return steps;
    }

    /** The task's form. */
    public Form form() {
        return form;
    }

    /** 2: value and marker. */
    public int inputSize() {
        return 2;
    }

    /** 1: one real output. */
    public int outputSize() {
        return 1;
    }

    /**
     * The squared error of the constant predictor of the target's mean: 1/6 ({@link Form#LE_2015})
     * or 19/480 ({@link Form#HOCHREITER_1997}); see the class comment.
     */
    public double baselineLoss() {
        return form == Form.LE_2015 ? 1.0 / 6.0 : 19.0 / 480.0;
    }

    /** A new batch of {@code m} sequences from {@code new SplittableRandom(seed)}. */
    public SequenceBatch batch(int m, long seed) {
        return batch(m, new SplittableRandom(seed));
    }

    /**
     * A new batch of {@code m} sequences drawn from {@code rnd}.
     *
     * @throws IllegalArgumentException when m &lt; 1 or rnd is null
     */
    public SequenceBatch batch(int m, SplittableRandom rnd) {
        Checks.batch(m, rnd);
        float[] x = new float[steps * m * 2];
        float[] y = new float[m];
        for (int b = 0; b < m; b++) {
            if (form == Form.LE_2015) {
                for (int t = 0; t < steps; t++) {
                    x[(t * m + b) * 2] = (float) rnd.nextDouble();
                }
                int half = steps / 2;
                int t1 = rnd.nextInt(half);
                int t2 = half + rnd.nextInt(steps - half);
                x[(t1 * m + b) * 2 + 1] = 1f;
                x[(t2 * m + b) * 2 + 1] = 1f;
                y[b] = x[(t1 * m + b) * 2] + x[(t2 * m + b) * 2];
            } else {
                for (int t = 0; t < steps; t++) {
                    x[(t * m + b) * 2] = (float) rnd.nextDouble(-1.0, 1.0);
                }
                int t1 = rnd.nextInt(10);
                int r = rnd.nextInt(steps / 2 - 1);
                int t2 = r < t1 ? r : r + 1;
                x[b * 2 + 1] = -1f;
                x[((steps - 1) * m + b) * 2 + 1] = -1f;
                if (t1 == 0) {
                    x[b * 2] = 0f;
                }
                x[(t1 * m + b) * 2 + 1] = 1f;
                x[(t2 * m + b) * 2 + 1] = 1f;
                y[b] = 0.5f + (x[(t1 * m + b) * 2] + x[(t2 * m + b) * 2]) / 4f;
            }
        }
        return SequenceBatch.of(steps, m, 2, x, Targets.realsAtLastStep(y, 1));
    }
}
