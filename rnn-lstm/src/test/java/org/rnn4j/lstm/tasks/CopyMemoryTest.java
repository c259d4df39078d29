package org.rnn4j.lstm.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.lstm.tasks.TaskChecks.assertMessage;
import static org.rnn4j.lstm.tasks.TaskChecks.entropy;
import static org.rnn4j.lstm.tasks.TaskChecks.oneHot;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.Targets;

class CopyMemoryTest {

    @ParameterizedTest
    @CsvSource({"1, 1", "7, 3", "13, 13", "100, 3"})
    void layoutIsDataBlanksDelimiterBlanksAndTargetsCopyTheData(int delay, int m) {
        CopyMemory task = new CopyMemory(delay);
        SequenceBatch batch = task.batch(m, new SplittableRandom(delay * 7L + m));
        int steps = delay + 20;
        assertEquals(steps, task.steps());
        assertEquals(steps, batch.steps());
        assertEquals(m, batch.batchSize());
        assertEquals(10, batch.inputSize());
        assertNull(batch.lengths());
        Targets.Classes c = (Targets.Classes) batch.targets();
        assertEquals(Targets.Scope.EVERY_STEP, c.scope());
        batch.validate(task.inputSize(), task.outputSize());
        for (int b = 0; b < m; b++) {
            int[] data = new int[10];
            for (int t = 0; t < steps; t++) {
                int s = oneHot(batch, t, b);
                if (t < 10) {
                    assertTrue(s >= 1 && s <= 8, "data symbol " + s + " at t=" + t);
                    data[t] = s;
                } else if (t == delay + 9) {
                    assertEquals(9, s, "delimiter at t=" + t);
                } else {
                    assertEquals(0, s, "blank at t=" + t);
                }
                int expected = t < delay + 10 ? 0 : data[t - delay - 10];
                assertEquals(expected, c.classes()[t * m + b], "target at t=" + t + ", b=" + b);
            }
        }
    }

    @Test
    void sameSeedSameBatchOtherSeedOtherBatch() {
        CopyMemory task = new CopyMemory(13);
        SequenceBatch a = task.batch(3, 42L);
        SequenceBatch b = task.batch(3, new SplittableRandom(42L));
        SequenceBatch c = task.batch(3, 43L);
        TaskChecks.assertSeeded(a, b, c);
    }

    @Test
    void rejectsBadSizesNamingTheValue() {
        assertMessage("delay T must be >= 1, got 0", () -> new CopyMemory(0));
        assertMessage("batch size m must be >= 1, got -2", () -> new CopyMemory(5).batch(-2, 1L));
        assertMessage("rnd is null", () -> new CopyMemory(5).batch(1, (SplittableRandom) null));
    }

    @Test
    void baselineIsTenLnEightPerSequence() {
        CopyMemory task = new CopyMemory(13);
        assertEquals(10 * Math.log(8), task.baselineLoss(), 1e-12);
        assertEquals(10 * Math.log(8) / 33, task.baselinePerStep(), 1e-12);
        int steps = task.steps();
        long[][] counts = new long[steps][task.outputSize()];
        double fixed = 0;
        SplittableRandom rnd = new SplittableRandom(2016);
        int n = 0;
        for (int i = 0; i < 100; i++) {
            int m = 1000;
            int[] y = classes(task.batch(m, rnd));
            for (int t = 0; t < steps; t++) {
                for (int b = 0; b < m; b++) {
                    int k = y[t * m + b];
                    counts[t][k]++;
                    // the memoryless predictor: blank for sure, then uniform over the eight data symbols
                    double p = t < steps - 10 ? (k == 0 ? 1.0 : 0.0) : (k == 0 ? 0.0 : 1.0 / 8);
                    fixed -= Math.log(p);
                }
            }
            n += m;
        }
        assertEquals(100_000, n);
        assertEquals(task.baselineLoss(), fixed / n, 1e-9 * task.baselineLoss());
        // the best memoryless predictor from the data: each step's class frequencies
        double empirical = 0;
        for (long[] perStep : counts) {
            empirical += entropy(perStep);
        }
        assertEquals(task.baselineLoss(), empirical, 0.01 * task.baselineLoss());
    }

    private static int[] classes(SequenceBatch batch) {
        return ((Targets.Classes) batch.targets()).classes();
    }
}
