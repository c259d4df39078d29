package org.rnn4j.lstm.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
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

class TemporalOrderTest {

    @ParameterizedTest
    @CsvSource({"10, 1, 1, 2, 5, 6", "13, 3, 1, 2, 6, 7", "33, 13, 3, 6, 16, 19", "100, 3, 10, 20, 50, 60"})
    void twoRelevantSymbolsInTheirWindowsAndTheClassIsTheirOrder(int steps, int m, int lo1, int hi1, int lo2,
                                                                int hi2) {
        TemporalOrder task = new TemporalOrder(steps);
        assertArrayEquals(new int[] {lo1, hi1}, task.firstWindow());
        assertArrayEquals(new int[] {lo2, hi2}, task.secondWindow());
        SequenceBatch batch = task.batch(m, new SplittableRandom(steps * 3L + m));
        assertEquals(steps, batch.steps());
        assertEquals(m, batch.batchSize());
        assertEquals(8, batch.inputSize());
        assertNull(batch.lengths());
        Targets.Classes c = (Targets.Classes) batch.targets();
        assertEquals(Targets.Scope.LAST_STEP, c.scope());
        batch.validate(task.inputSize(), task.outputSize());
        for (int b = 0; b < m; b++) {
            assertEquals(7, oneHot(batch, 0, b), "E at step 0");
            assertEquals(6, oneHot(batch, steps - 1, b), "B at the last step");
            int[] at = new int[2];
            int[] sym = new int[2];
            int found = 0;
            for (int t = 1; t < steps - 1; t++) {
                int s = oneHot(batch, t, b);
                if (s == 4 || s == 5) {
                    assertTrue(found < 2, "more than two relevant symbols");
                    at[found] = t;
                    sym[found++] = s;
                } else {
                    assertTrue(s >= 0 && s <= 3, "distractor " + s + " at t=" + t);
                }
            }
            assertEquals(2, found);
            assertTrue(at[0] >= lo1 && at[0] <= hi1, "t1 = " + at[0]);
            assertTrue(at[1] >= lo2 && at[1] <= hi2, "t2 = " + at[1]);
            int expected = (sym[0] == 5 ? 2 : 0) + (sym[1] == 5 ? 1 : 0);
            assertEquals(expected, c.classes()[b]);
        }
    }

    @Test
    void windowsAreCoveredEndToEnd() {
        TemporalOrder task = new TemporalOrder(100);
        SequenceBatch batch = task.batch(2000, 9L);
        boolean[] seen = new boolean[100];
        for (int b = 0; b < 2000; b++) {
            for (int t = 1; t < 99; t++) {
                int s = oneHot(batch, t, b);
                if (s == 4 || s == 5) {
                    seen[t] = true;
                }
            }
        }
        for (int t = 0; t < 100; t++) {
            assertEquals(t >= 10 && t <= 20 || t >= 50 && t <= 60, seen[t], "t=" + t);
        }
    }

    @Test
    void sameSeedSameBatchOtherSeedOtherBatch() {
        TemporalOrder task = new TemporalOrder(33);
        SequenceBatch a = task.batch(13, 1L);
        SequenceBatch b = task.batch(13, new SplittableRandom(1L));
        SequenceBatch c = task.batch(13, 2L);
        TaskChecks.assertSeeded(a, b, c);
    }

    @Test
    void rejectsBadSizesNamingTheValue() {
        assertMessage("steps T must be >= 10, got 9", () -> new TemporalOrder(9));
        assertMessage("batch size m must be >= 1, got 0", () -> new TemporalOrder(13).batch(0, 1L));
        assertMessage("rnd is null", () -> new TemporalOrder(13).batch(1, (SplittableRandom) null));
    }

    @Test
    void baselineIsLnFourFromTheClassFrequencies() {
        TemporalOrder task = new TemporalOrder(13);
        assertEquals(Math.log(4), task.baselineLoss(), 0.0);
        long[] counts = new long[4];
        SplittableRandom rnd = new SplittableRandom(1997);
        for (int i = 0; i < 100; i++) {
            for (int k : classes(task.batch(1000, rnd))) {
                counts[k]++;
            }
        }
        assertEquals(100_000, Arrays.stream(counts).sum());
        assertEquals(task.baselineLoss(), entropy(counts), 0.01 * task.baselineLoss());
    }

    private static int[] classes(SequenceBatch batch) {
        return ((Targets.Classes) batch.targets()).classes();
    }
}
