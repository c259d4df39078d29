package org.rnn4j.lstm.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.lstm.tasks.TaskChecks.assertMessage;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.Targets;

class AddingProblemTest {

    @ParameterizedTest
    @CsvSource({"2, 1", "7, 3", "13, 13", "100, 3"})
    void le2015MarksOneStepInEachHalfAndTargetsTheirSum(int steps, int m) {
        AddingProblem task = new AddingProblem(steps);
        SequenceBatch batch = task.batch(m, new SplittableRandom(steps * 31L + m));
        assertShape(task, batch, m);
        float[] x = batch.inputs();
        float[] y = ((Targets.Reals) batch.targets()).values();
        int half = steps / 2;
        for (int b = 0; b < m; b++) {
            int first = -1;
            int second = -1;
            for (int t = 0; t < steps; t++) {
                float v = x[(t * m + b) * 2];
                assertTrue(v >= 0f && v < 1f, "value " + v + " at t=" + t);
                float marker = x[(t * m + b) * 2 + 1];
                if (marker == 1f) {
                    if (t < half) {
                        assertEquals(-1, first, "two markers in the first half");
                        first = t;
                    } else {
                        assertEquals(-1, second, "two markers in the second half");
                        second = t;
                    }
                } else {
                    assertEquals(0f, marker, "marker at t=" + t);
                }
            }
            assertTrue(first >= 0 && second >= 0, "a marker in each half, got " + first + ", " + second);
            assertEquals(x[(first * m + b) * 2] + x[(second * m + b) * 2], y[b], 0f);
        }
    }

    @ParameterizedTest
    @CsvSource({"20, 1", "33, 3", "100, 13"})
    void hochreiter1997MarksTheFirstTenAndTheFirstHalf(int steps, int m) {
        AddingProblem task = new AddingProblem(steps, AddingProblem.Form.HOCHREITER_1997);
        SequenceBatch batch = task.batch(m, new SplittableRandom(steps * 17L + m));
        assertShape(task, batch, m);
        float[] x = batch.inputs();
        float[] y = ((Targets.Reals) batch.targets()).values();
        for (int b = 0; b < m; b++) {
            int[] marked = new int[2];
            int count = 0;
            for (int t = 0; t < steps; t++) {
                float v = x[(t * m + b) * 2];
                assertTrue(v >= -1f && v < 1f, "value " + v + " at t=" + t);
                float marker = x[(t * m + b) * 2 + 1];
                if (marker == 1f) {
                    assertTrue(count < 2, "more than two markers");
                    marked[count++] = t;
                } else if (t == 0 || t == steps - 1) {
                    assertEquals(-1f, marker, "end marker at t=" + t);
                } else {
                    assertEquals(0f, marker, "marker at t=" + t);
                }
            }
            assertEquals(2, count);
            assertTrue(marked[1] < steps / 2, "second marker " + marked[1] + " not before T/2");
            // t1 is among the first ten: at least one of the two marked steps is.
            assertTrue(marked[0] < 10, "no marker among the first ten steps");
            // when t1 = 0 its value is 0 in the input, so the sum of the marked inputs is X1 + X2
            float sum = x[(marked[0] * m + b) * 2] + x[(marked[1] * m + b) * 2];
            assertEquals(0.5f + sum / 4f, y[b], 0f);
        }
    }

    @Test
    void sameSeedSameBatchOtherSeedOtherBatch() {
        for (AddingProblem.Form form : AddingProblem.Form.values()) {
            AddingProblem task = new AddingProblem(33, form);
            SequenceBatch a = task.batch(13, 5L);
            SequenceBatch b = task.batch(13, new SplittableRandom(5L));
            SequenceBatch c = task.batch(13, 6L);
            TaskChecks.assertSeeded(a, b, c);
        }
    }

    @Test
    void rejectsBadSizesNamingTheValue() {
        assertMessage("steps must be >= 2 for the LE_2015 form, got 1", () -> new AddingProblem(1));
        assertMessage("steps must be >= 20 for the HOCHREITER_1997 form, got 19",
                () -> new AddingProblem(19, AddingProblem.Form.HOCHREITER_1997));
        assertMessage("form is null", () -> new AddingProblem(10, null));
        AddingProblem task = new AddingProblem(7);
        assertMessage("batch size m must be >= 1, got 0", () -> task.batch(0, 1L));
        assertMessage("rnd is null", () -> task.batch(3, (SplittableRandom) null));
    }

    @Test
    void baselineIsTheVarianceOfTheTargetFromEmpiricalSamples() {
        assertEquals(1.0 / 6.0, new AddingProblem(7).baselineLoss(), 0.0);
        assertEquals(19.0 / 480.0, new AddingProblem(20, AddingProblem.Form.HOCHREITER_1997).baselineLoss(), 0.0);
        for (AddingProblem.Form form : AddingProblem.Form.values()) {
            AddingProblem task = new AddingProblem(form == AddingProblem.Form.LE_2015 ? 7 : 20, form);
            double mean = form == AddingProblem.Form.LE_2015 ? 1.0 : 0.5;
            SplittableRandom rnd = new SplittableRandom(2016);
            double sum = 0;
            int n = 0;
            for (int i = 0; i < 100; i++) {
                for (float v : values(task.batch(1000, rnd))) {
                    sum += (v - mean) * (v - mean);
                    n++;
                }
            }
            assertEquals(100_000, n);
            assertEquals(task.baselineLoss(), sum / n, 0.01 * task.baselineLoss(), form.toString());
        }
    }

    private static void assertShape(AddingProblem task, SequenceBatch batch, int m) {
        assertEquals(task.steps(), batch.steps());
        assertEquals(m, batch.batchSize());
        assertEquals(task.inputSize(), batch.inputSize());
        assertNull(batch.lengths());
        Targets.Reals r = (Targets.Reals) batch.targets();
        assertEquals(Targets.Scope.LAST_STEP, r.scope());
        assertEquals(task.outputSize(), r.width());
        batch.validate(task.inputSize(), task.outputSize());
    }

    private static float[] values(SequenceBatch batch) {
        return ((Targets.Reals) batch.targets()).values();
    }
}
