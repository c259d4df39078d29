package org.rnn4j.lstm.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.rnn4j.lstm.tasks.TaskChecks.assertMessage;
import static org.rnn4j.lstm.tasks.TaskChecks.entropy;
import static org.rnn4j.lstm.tasks.TaskChecks.oneHot;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.Targets;

class LagRecallTest {

    @ParameterizedTest
    @CsvSource({"2, 1, 2, 1", "3, 5, 7, 3", "5, 12, 13, 13", "7, 33, 100, 3", "10, 1, 33, 1"})
    void targetsAreTheSymbolKStepsBackAndNothingBefore(int symbols, int lag, int steps, int m) {
        LagRecall task = new LagRecall(symbols, lag, steps);
        SequenceBatch batch = task.batch(m, new SplittableRandom(symbols * 1000L + lag * 10L + m));
        assertEquals(steps, batch.steps());
        assertEquals(m, batch.batchSize());
        assertEquals(symbols, batch.inputSize());
        assertNull(batch.lengths());
        Targets.Classes c = (Targets.Classes) batch.targets();
        assertEquals(Targets.Scope.EVERY_STEP, c.scope());
        batch.validate(task.inputSize(), task.outputSize());
        for (int b = 0; b < m; b++) {
            for (int t = 0; t < steps; t++) {
                int expected = t < lag ? symbols : oneHot(batch, t - lag, b);
                oneHot(batch, t, b);
                assertEquals(expected, c.classes()[t * m + b], "t=" + t + ", b=" + b);
            }
        }
    }

    @Test
    void sameSeedSameBatchOtherSeedOtherBatch() {
        LagRecall task = new LagRecall(4, 7, 33);
        SequenceBatch a = task.batch(3, 11L);
        SequenceBatch b = task.batch(3, new SplittableRandom(11L));
        SequenceBatch c = task.batch(3, 12L);
        TaskChecks.assertSeeded(a, b, c);
    }

    @Test
    void rejectsBadSizesNamingTheValue() {
        assertMessage("symbols K must be >= 2, got 1", () -> new LagRecall(1, 1, 5));
        assertMessage("lag k must be >= 1, got 0", () -> new LagRecall(3, 0, 5));
        assertMessage("steps T must be > lag k = 5, got 5", () -> new LagRecall(3, 5, 5));
        assertMessage("batch size m must be >= 1, got 0", () -> new LagRecall(3, 1, 5).batch(0, 1L));
        assertMessage("rnd is null", () -> new LagRecall(3, 1, 5).batch(1, (SplittableRandom) null));
    }

    @Test
    void baselineIsLnKPerRecallStepFromTheFrequencies() {
        LagRecall task = new LagRecall(5, 3, 7);
        assertEquals(4 * Math.log(5), task.baselineLoss(), 1e-12);
        assertEquals(5, task.nothing());
        int steps = task.steps();
        // the best predictor from (step, current symbol): the class frequencies of each pair
        long[][] counts = new long[steps * task.inputSize()][task.outputSize()];
        SplittableRandom rnd = new SplittableRandom(1234);
        for (int i = 0; i < 100; i++) {
            int m = 1000;
            SequenceBatch batch = task.batch(m, rnd);
            int[] y = classes(batch);
            for (int t = 0; t < steps; t++) {
                for (int b = 0; b < m; b++) {
                    counts[t * task.inputSize() + oneHot(batch, t, b)][y[t * m + b]]++;
                }
            }
        }
        double loss = 0;
        for (long[] cell : counts) {
            long n = Arrays.stream(cell).sum();
            loss += entropy(cell) * n / 100_000.0;
        }
        assertEquals(task.baselineLoss(), loss, 0.01 * task.baselineLoss());
    }

    private static int[] classes(SequenceBatch batch) {
        return ((Targets.Classes) batch.targets()).classes();
    }
}
