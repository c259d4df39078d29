package org.rnn4j.lstm.tasks;

import java.util.SplittableRandom;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.Targets;

/**
 * The copy-memory task of Arjovsky, Shah &amp; Bengio 2016 ("Unitary evolution recurrent neural
 * networks", after Hochreiter &amp; Schmidhuber 1997): read ten symbols, wait T steps, then write
 * them back in order.
 *
 * <p>Alphabet of 10 symbols, inputs one-hot of width 10: {@link #BLANK} = 0, data 1..8,
 * {@link #DELIMITER} = 9. Every sequence has T + 20 steps:
 * <ul>
 * <li>steps 0..9: ten data symbols, each uniform in 1..8;</li>
 * <li>steps 10..T+8: T − 1 blanks;</li>
 * <li>step T+9: the delimiter (the signal to start writing);</li>
 * <li>steps T+10..T+19: ten blanks.</li>
 * </ul>
 * Targets are classes at every step ({@link Targets.Scope#EVERY_STEP}): blank for the first
 * T + 10 steps, then the ten data symbols in their input order. The output has 9 classes, blank
 * and the eight data symbols (the delimiter is never a target), as in the paper's code.
 *
 * <p>Long range: the symbol written at step T+10+i was read at step i, a lag of T + 10 steps
 * that the gradient must bridge for every one of the ten.
 *
 * <p>Baseline: the memoryless predictor outputs blank with certainty for the first T + 10 steps
 * and the uniform distribution over the eight data symbols for the last ten. In rnn4j's convention
 * (cross-entropy summed over the steps, averaged over the sequences) it costs
 * <b>10·ln 8 ≈ 20.79</b> per sequence; the paper quotes the same loss averaged over the T + 20
 * steps, 10·ln 8 / (T + 20) ({@link #baselinePerStep()}).
 */
public final class CopyMemory {

    /** The blank symbol (input and class 0). */
    public static final int BLANK = 0;
    /** The delimiter symbol (input 9): start writing. */
    public static final int DELIMITER = 9;
    /** How many symbols are copied. */
    public static final int COPIED = 10;
    /** How many distinct data symbols (1..8). */
    public static final int DATA_SYMBOLS = 8;

    private final int delay;

    /**
     * The copy task with a wait of T.
     *
     * @param delay T ≥ 1: the steps from the last data symbol's read to the delimiter's are T
     * @throws IllegalArgumentException naming the value when T &lt; 1
     */
    public CopyMemory(int delay) {
        if (delay < 1) {
            throw new IllegalArgumentException("delay T must be >= 1, got " + delay);
        }
        this.delay = delay;
    }

    /** T. */
    public int delay() {
        return delay;
    }

    /** T + 20, the length of every sequence. */
    public int steps() {
        return delay + 2 * COPIED;
    }

    /** 10: one-hot over blank, the eight data symbols and the delimiter. */
    public int inputSize() {
        return DELIMITER + 1;
    }

    /** 9: blank and the eight data symbols. */
    public int outputSize() {
        return DATA_SYMBOLS + 1;
    }

    /** 10·ln 8, the summed cross-entropy per sequence of the memoryless predictor. */
    public double baselineLoss() {
        return COPIED * Math.log(DATA_SYMBOLS);
    }

    /** 10·ln 8 / (T + 20), the memoryless predictor's cross-entropy averaged over the steps (the paper's figure). */
    public double baselinePerStep() {
        return baselineLoss() / steps();
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
        int steps = steps();
        int d = inputSize();
        float[] x = new float[steps * m * d];
        int[] y = new int[steps * m];
        for (int b = 0; b < m; b++) {
            for (int t = 0; t < steps; t++) {
                int symbol = BLANK;
                if (t < COPIED) {
                    symbol = 1 + rnd.nextInt(DATA_SYMBOLS);
                    y[(delay + COPIED + t) * m + b] = symbol;
                } else if (t == delay + COPIED - 1) {
                    symbol = DELIMITER;
                }
                x[(t * m + b) * d + symbol] = 1f;
            }
        }
        return SequenceBatch.of(steps, m, d, x, Targets.classesEveryStep(y));
    }
}
