package org.rnn4j.lstm.tasks;

import java.util.SplittableRandom;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.Targets;

/**
 * The temporal-order task, Hochreiter &amp; Schmidhuber 1997 ("Long short-term memory"), task 6a:
 * classify a sequence by the order of two relevant symbols buried among distractors.
 *
 * <p>Inputs one-hot of width 8, in the order a, b, c, d (distractors, indices 0..3), {@link #X} = 4,
 * {@link #Y} = 5, {@link #B} = 6, {@link #E} = 7. Every sequence has T ≥ 10 steps (the paper draws
 * lengths in [100, 110]; here all have T, so that {@code lengths} stays null). As in the paper the
 * sequence starts with E (step 0) and ends with B, the "trigger symbol" (step T − 1); step t1,
 * uniform in [⌊T/10⌋, ⌊T/5⌋], and step t2, uniform in [⌊T/2⌋, ⌊3T/5⌋] (both ends included, so
 * [10, 20] and [50, 60] for the paper's T = 100), each hold X or Y with probability 1/2; every other
 * step holds a distractor uniform over a..d.
 *
 * <p>Target: one class at the last step ({@link Targets.Scope#LAST_STEP}), the order of the two:
 * {@link #XX} = 0, {@link #XY} = 1, {@link #YX} = 2, {@link #YY} = 3 (the paper's Q, R, S, U).
 *
 * <p>Long range: nothing before the trigger says which class to output, and the two relevant
 * symbols sit at least T − 1 − ⌊3T/5⌋ and up to T − 1 − ⌊T/10⌋ steps before it (39..89 for T = 100).
 *
 * <p>Baseline: the four classes are equally likely and independent of every input a memoryless
 * predictor sees at the last step (the trigger), so it costs <b>ln 4</b>.
 */
public final class TemporalOrder {

    /** Relevant symbol X (input index 4). */
    public static final int X = 4;
    /** Relevant symbol Y (input index 5). */
    public static final int Y = 5;
    /** The trigger symbol at the last step (input index 6). */
    public static final int B = 6;
    /** The symbol at step 0 (input index 7). */
    public static final int E = 7;
    /** Class: X then X. */
    public static final int XX = 0;
    /** Class: X then Y. */
    public static final int XY = 1;
    /** Class: Y then X. */
    public static final int YX = 2;
    /** Class: Y then Y. */
    public static final int YY = 3;

    private static final int DISTRACTORS = 4;

    private final int steps;

    /**
     * The temporal-order task with sequences of T steps.
     *
     * @param steps T ≥ 10
     * @throws IllegalArgumentException naming the value when T &lt; 10
     */
    public TemporalOrder(int steps) {
        if (steps < 10) {
            throw new IllegalArgumentException("steps T must be >= 10, got " + steps);
        }
        this.steps = steps;
    }

    /** T, the length of every sequence. */
    public int steps() {
        return steps;
    }

    /** The first relevant position's window [⌊T/10⌋, ⌊T/5⌋]: {first, last}. */
    public int[] firstWindow() {
        return new int[] {steps / 10, steps / 5};
    }

    /** The second relevant position's window [⌊T/2⌋, ⌊3T/5⌋]: {first, last}. */
    public int[] secondWindow() {
        return new int[] {steps / 2, 3 * steps / 5};
    }

    /** 8: a, b, c, d, X, Y, B, E. */
    public int inputSize() {
        return 8;
    }

    /** 4: XX, XY, YX, YY. */
    public int outputSize() {
        return 4;
    }

    /** ln 4, the cross-entropy of the uniform guess over the four classes. */
    public double baselineLoss() {
        return Math.log(4);
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
        int d = inputSize();
        float[] x = new float[steps * m * d];
        int[] y = new int[m];
        int[] w1 = firstWindow();
        int[] w2 = secondWindow();
        for (int b = 0; b < m; b++) {
            int t1 = rnd.nextInt(w1[0], w1[1] + 1);
            int t2 = rnd.nextInt(w2[0], w2[1] + 1);
            boolean firstY = rnd.nextBoolean();
            boolean secondY = rnd.nextBoolean();
            for (int t = 0; t < steps; t++) {
                int symbol;
                if (t == 0) {
                    symbol = E;
                } else if (t == steps - 1) {
                    symbol = B;
                } else if (t == t1) {
                    symbol = firstY ? Y : X;
                } else if (t == t2) {
                    symbol = secondY ? Y : X;
                } else {
                    symbol = rnd.nextInt(DISTRACTORS);
                }
                x[(t * m + b) * d + symbol] = 1f;
            }
            y[b] = (firstY ? 2 : 0) + (secondY ? 1 : 0);
        }
        return SequenceBatch.of(steps, m, d, x, Targets.classesAtLastStep(y));
    }
}
