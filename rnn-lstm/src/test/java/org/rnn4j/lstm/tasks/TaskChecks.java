package org.rnn4j.lstm.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.function.Executable;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.Targets;

/** Checks the task tests share: one-hot rows, seeding, exception messages. */
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

    /**
     * {@code a} and {@code b} were drawn from one seed (as a long and as a SplittableRandom), {@code c}
     * from another: a and b have the same inputs and targets, c other ones.
     */
    static void assertSeeded(SequenceBatch a, SequenceBatch b, SequenceBatch c) {
        assertArrayEquals(a.inputs(), b.inputs());
        assertArrayEquals(targets(a), targets(b));
        assertFalse(Arrays.equals(a.inputs(), c.inputs()));
        assertFalse(Arrays.equals(targets(a), targets(c)));
    }

    /** The batch's target classes or values, widened to double (exactly). */
    static double[] targets(SequenceBatch batch) {
        return switch (batch.targets()) {
            case Targets.Classes c -> Arrays.stream(c.classes()).asDoubleStream().toArray();
            case Targets.Reals r -> {
                double[] d = new double[r.values().length];
                for (int i = 0; i < d.length; i++) {
                    d[i] = r.values()[i];
                }
                yield d;
            }
        };
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
