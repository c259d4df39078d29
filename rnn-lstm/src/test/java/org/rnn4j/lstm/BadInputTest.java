package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.NonFiniteException;
import org.rnn4j.api.Nonlinearity;
import org.rnn4j.api.OutputHead;
import org.rnn4j.api.Parameter;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.Targets;

/** Malformed batches are rejected with a message that names what is wrong and where. */
class BadInputTest {
    final ModelSpec spec = ModelSpec.builder(3, 4, 2).cell(CellKind.LSTM).build();
    final RecurrentModel model = Models.create(spec);

    static void assertMessage(Throwable e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' should mention '" + p + "'");
        }
    }

    @Test
    void inputsOfTheWrongLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SequenceBatch.of(5, 2, 3, new float[29], null));
        assertMessage(e, "29", "30", "T·m·d");
    }

    @Test
    void inputWidthDiffersFromTheModel() {
        SequenceBatch batch = SequenceBatch.of(5, 2, 4, new float[40], null);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> model.forward(batch, null)), "4", "3");
    }

    @Test
    void lengthsBeyondTheSequence() {
        SequenceBatch batch = SequenceBatch.of(5, 2, 3, new float[30], null).withLengths(new int[] {5, 6});
        assertMessage(assertThrows(IllegalArgumentException.class, () -> model.forward(batch, null)),
                "lengths[1] = 6", "T=5");
        SequenceBatch zero = SequenceBatch.of(5, 2, 3, new float[30], null).withLengths(new int[] {0, 5});
        assertMessage(assertThrows(IllegalArgumentException.class, () -> model.forward(zero, null)), "lengths[0] = 0");
        assertThrows(IllegalArgumentException.class,
                () -> SequenceBatch.of(5, 2, 3, new float[30], null).withLengths(new int[] {5}));
    }

    @Test
    void nanOrInfinityInInputsNamesTheStep() {
        float[] x = new float[30];
        x[(3 * 2 + 1) * 3 + 2] = Float.NaN;
        SequenceBatch batch = SequenceBatch.of(5, 2, 3, x, null);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> model.forward(batch, null)),
                "t=3", "b=1", "j=2", "NaN");
        x[(3 * 2 + 1) * 3 + 2] = Float.POSITIVE_INFINITY;
        assertMessage(assertThrows(IllegalArgumentException.class, () -> model.forward(batch, null)), "Infinity");
    }

    @Test
    void targetClassOutOfRange() {
        int[] y = new int[10];
        y[7] = 2; // the model has 2 classes: 0 and 1
        SequenceBatch batch = SequenceBatch.of(5, 2, 3, new float[30], Targets.classesEveryStep(y));
        assertMessage(assertThrows(IllegalArgumentException.class, () -> model.forwardBackward(batch)),
                "class 2", "t=3", "b=1", "[0, 2)");
        SequenceBatch wrongCount = SequenceBatch.of(5, 2, 3, new float[30], Targets.classesEveryStep(new int[9]));
        assertMessage(assertThrows(IllegalArgumentException.class, () -> model.forwardBackward(wrongCount)), "9", "10");
    }

    @Test
    void targetKindMustMatchTheHead() {
        SequenceBatch reals = SequenceBatch.of(5, 2, 3, new float[30], Targets.realsEveryStep(new float[20], 2));
        assertMessage(assertThrows(IllegalArgumentException.class, () -> model.forwardBackward(reals)), "LINEAR");
        SequenceBatch noTargets = SequenceBatch.of(5, 2, 3, new float[30], null);
        assertThrows(IllegalArgumentException.class, () -> model.forwardBackward(noTargets));
    }

    @Test
    void initialStateForAnotherBatchSize() {
        model.setInitialState(new float[4 * 3], null); // batch of 3
        SequenceBatch batch = SequenceBatch.of(5, 2, 3, new float[30], null);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> model.forward(batch, null)), "3", "2");
    }

    @Test
    void explodingReluNamesTheTimeStepAndLeavesParametersAlone() {
        ModelSpec relu = ModelSpec.builder(1, 3, 2).cell(CellKind.RNN).activation(Nonlinearity.RELU)
                .head(OutputHead.SOFTMAX).build();
        RecurrentModel m = Models.create(relu);
        Parameter wh = m.parameter("layer0.W_h");
        java.util.Arrays.fill(wh.value(), 1e3f);
        java.util.Arrays.fill(m.parameter("layer0.W_x").value(), 1f);
        float[] before = wh.value().clone();
        float[] x = new float[40];
        java.util.Arrays.fill(x, 1f);
        SequenceBatch batch = SequenceBatch.of(40, 1, 1, x, Targets.classesEveryStep(new int[40]));
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> m.forwardBackward(batch));
        // Independent reference: the same recurrence in double; the first step whose h exceeds
        // the float range is where the model must report the overflow.
        float[] wxv = m.parameter("layer0.W_x").value();
        float[] b = m.parameter("layer0.b").value();
        double[] h = new double[3];
        int expected = -1;
        for (int t = 0; t < 40 && expected < 0; t++) {
            double[] next = new double[3];
            for (int j = 0; j < 3; j++) {
                double a = wxv[j] + b[j];
                for (int i = 0; i < 3; i++) {
                    a += h[i] * before[i * 3 + j];
                }
                next[j] = Math.max(0, a);
                if (next[j] > Float.MAX_VALUE) {
                    expected = t;
                }
            }
            h = next;
        }
        assertEquals(expected, e.step(), e.getMessage());
        assertMessage(e, "hidden state h of layer 0", "t=" + expected);
        assertArrayEquals(before, wh.value());
    }
}
