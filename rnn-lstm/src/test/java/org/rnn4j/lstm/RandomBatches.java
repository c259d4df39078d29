package org.rnn4j.lstm;

import java.util.SplittableRandom;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.Targets;

/** Seeded random batches for tests: standard-normal inputs, uniform class targets at every step. */
final class RandomBatches {
    private RandomBatches() {}

    /** T × m × d inputs, then T·m classes in [0, classes), both drawn from one generator of {@code seed}. */
    static SequenceBatch classesEveryStep(int steps, int m, int d, int classes, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[steps * m * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        int[] y = new int[steps * m];
        for (int i = 0; i < y.length; i++) {
            y[i] = rnd.nextInt(classes);
        }
        return SequenceBatch.of(steps, m, d, x, Targets.classesEveryStep(y));
    }
}
