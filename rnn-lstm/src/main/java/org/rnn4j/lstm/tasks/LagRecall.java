package org.rnn4j.lstm.tasks;

import java.util.SplittableRandom;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.Targets;

/**
 * Lagged recall: at every step, output the symbol seen k steps earlier — a delay line of length
 * k, the streaming form of the copy task (cf. the copy task of Hochreiter &amp; Schmidhuber 1997 and
 * Arjovsky, Shah &amp; Bengio 2016, and the "delayed recall" benchmarks built on it).
 *
 * <p>Inputs one-hot of width K: at every step t of the T steps a symbol s_t uniform in
 * [0, K). Targets are classes at every step ({@link Targets.Scope#EVERY_STEP}) over K + 1 classes:
 * for t ≥ k the class is s_{t−k}; for t &lt; k, where nothing k steps back exists, it is the extra
 * class {@link #nothing()} = K ("nothing to recall yet"), which a model learns from the step count
 * alone. So a sequence has T − k counted recall steps.
 *
 * <p>Long range: every recall target at step t depends only on the input at step t − k, so the
 * gradient must bridge exactly k steps, for every one of the T − k recall steps.
 *
 * <p>Baseline: the memoryless predictor (a function of the step and the current input) outputs
 * class K with certainty for t &lt; k (cost 0) and the uniform distribution over the K symbols for
 * t ≥ k, where s_{t−k} is independent of everything it sees; summed over the steps it costs
 * <b>(T − k)·ln K</b> per sequence.
 */
public final class LagRecall {

    private final int symbols;
    private final int lag;
    private final int steps;

    /**
     * Recall over K symbols at lag k in sequences of T steps.
     *
     * @param symbols K ≥ 2 symbols
     * @param lag     k ≥ 1 steps back
     * @param steps   T ≥ k + 1, so at least one step recalls
     * @throws IllegalArgumentException naming the value when one is out of range
     */
    public LagRecall(int symbols, int lag, int steps) {
        if (symbols < 2) {
            throw new IllegalArgumentException("symbols K must be >= 2, got " + symbols);
        }
        if (lag < 1) {
            throw new IllegalArgumentException("lag k must be >= 1, got " + lag);
        }
        if (steps <= lag) {
            throw new IllegalArgumentException("steps T must be > lag k = " + lag + ", got " + steps);
        }
        this.symbols = symbols;
        this.lag = lag;
        this.steps = steps;
    }

    /** K. */
    public int symbols() {
        return symbols;
    }

    /** k. */
    public int lag() {
        return lag;
    }

    /** T, the length of every sequence. */
    public int steps() {
        return steps;
    }

    /** K, the class of the first k steps: nothing to recall yet. */
    public int nothing() {
        return symbols;
    }

    /** K: one-hot symbols. */
    public int inputSize() {
        return symbols;
    }

    /** K + 1: the K symbols and {@link #nothing()}. */
    public int outputSize() {
        return symbols + 1;
    }

    /** (T − k)·ln K, the summed cross-entropy per sequence of the memoryless predictor. */
    public double baselineLoss() {
        return (steps - lag) * Math.log(symbols);
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
        float[] x = new float[steps * m * symbols];
        int[] y = new int[steps * m];
        for (int b = 0; b < m; b++) {
            for (int t = 0; t < lag; t++) {
                y[t * m + b] = symbols;
            }
            for (int t = 0; t < steps; t++) {
                int s = rnd.nextInt(symbols);
                x[(t * m + b) * symbols + s] = 1f;
                if (t + lag < steps) {
                    y[(t + lag) * m + b] = s;
                }
            }
        }
        return SequenceBatch.of(steps, m, symbols, x, Targets.classesEveryStep(y));
    }
}
