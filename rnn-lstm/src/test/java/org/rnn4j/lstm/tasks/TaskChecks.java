package org.rnn4j.lstm.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.function.Executable;
import org.rnn4j.api.SequenceBatch;

/** Checks the task tests share: one-hot rows and exception messages. */
final class TaskChecks {
    private TaskChecks() {}

    /** The symbol of the one-hot row of sequence b at step t, failing unless the row is one-hot. */
    static int oneHot(SequenceBatch batch, int t, int b) {
        int d = batch.inputSize();
        int base = (t * batch.batchSize() + b) * d;
        int hot = -1;
        for (int j = 0; j < d; j++) {
            float v = batch.inputs()[base + j];
            if (v == 1f) {
                assertEquals(-1, hot, "two ones at t=" + t + ", b=" + b);
                hot = j;
            } else {
                assertEquals(0f, v, "not one-hot at t=" + t + ", b=" + b + ", j=" + j);
            }
        }
        assertEquals(true, hot >= 0, "no one at t=" + t + ", b=" + b);
        return hot;
    }

    /** {@code call} throws an IllegalArgumentException with exactly {@code message}. */
    static void assertMessage(String message, Executable call) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    /** The plug-in entropy −Σ p ln p of the counts (nats). */
    static double entropy(long[] counts) {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        double h = 0;
        for (long c : counts) {
            if (c > 0) {
                double p = (double) c / n;
                h -= p * Math.log(p);
            }
        }
        return h;
    }
}
