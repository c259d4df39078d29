package org.rnn4j.lstm.tasks;

import java.util.SplittableRandom;

/** The argument checks the tasks' {@code batch} methods share. */
final class Checks {
    private Checks() {}

    /** m ≥ 1 sequences from a non-null generator. */
    static void batch(int m, SplittableRandom rnd) {
        if (m < 1) {
            throw new IllegalArgumentException("batch size m must be >= 1, got " + m);
        }
        if (rnd == null) {
            throw new IllegalArgumentException("rnd is null");
        }
    }
}
