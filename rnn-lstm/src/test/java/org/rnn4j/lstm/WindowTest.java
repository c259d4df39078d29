package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.Parameter;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.Window;
import org.rnn4j.simd.KernelProvider;

/** Passes over a {@link Window}: state carried from the previous pass, and the checks around it. */
class WindowTest {
    static final int T = 13, M = 3, D = 5, N = 7, O = 4, LAYERS = 2;

    static RecurrentModel model(CellKind cell) {
        return Models.create(ModelSpec.builder(D, N, O).cell(cell).layers(LAYERS).seed(5).build(),
                KernelProvider.scalar());
    }

    /** Running [0, a) then [a, T) gives the outputs and final state of one pass over [0, T). */
    @ParameterizedTest
    @EnumSource(CellKind.class)
    void consecutiveWindowsContinueTheSequence(CellKind cell) {
        RecurrentModel model = model(cell);
        SequenceBatch batch = RandomBatches.classesEveryStep(T, M, D, O, 11);
        float[] h0 = new float[LAYERS * M * N];
        Arrays.fill(h0, 0.25f);
        model.setInitialState(h0, h0);
        float[] full = new float[T * M * O];
        double fullLoss = model.forward(batch, full);
        float[] hFull = new float[LAYERS * M * N];
        float[] cFull = new float[LAYERS * M * N];
        model.copyFinalState(hFull, cFull);

        int a = 6;
        float[] first = new float[a * M * O];
        float[] second = new float[(T - a) * M * O];
        double l1 = model.forward(batch, new Window(0, a, 0), first);
        double l2 = model.forward(batch, new Window(a, T, a), second);
        assertArrayEquals(Arrays.copyOfRange(full, 0, a * M * O), first);
        assertArrayEquals(Arrays.copyOfRange(full, a * M * O, T * M * O), second);
        assertEquals(fullLoss, l1 + l2, 1e-9 * Math.abs(fullLoss));
        float[] h = new float[LAYERS * M * N];
        float[] c = new float[LAYERS * M * N];
        model.copyFinalState(h, c);
        assertArrayEquals(hFull, h);
        if (cell.hasCellState()) {
            assertArrayEquals(cFull, c);
        }
        // A window that starts inside the last one ([a, T) covers step 9) reads its state there.
        float[] tail = new float[(T - 9) * M * O];
        model.forward(batch, new Window(9, T, 9), tail);
        assertArrayEquals(Arrays.copyOfRange(full, 9 * M * O, T * M * O), tail);
    }

    @Test
    void aWindowThatDoesNotContinueThePreviousPassIsRefused() {
        RecurrentModel model = model(CellKind.LSTM);
        SequenceBatch batch = RandomBatches.classesEveryStep(T, M, D, O, 11);
        IllegalStateException none = assertThrows(IllegalStateException.class,
                () -> model.forward(batch, new Window(3, T, 3), null));
        assertTrue(none.getMessage().contains("there is no completed pass"), none.getMessage());

        model.forward(batch, new Window(0, 4, 0), null);
        IllegalStateException gap = assertThrows(IllegalStateException.class,
                () -> model.forward(batch, new Window(5, T, 5), null));
        assertTrue(gap.getMessage().contains("the last pass covered [0, 4)"), gap.getMessage());

        SequenceBatch other = RandomBatches.classesEveryStep(T, M, D, O, 12);
        IllegalStateException otherBatch = assertThrows(IllegalStateException.class,
                () -> model.forward(other, new Window(2, T, 2), null));
        assertTrue(otherBatch.getMessage().contains("another batch"), otherBatch.getMessage());

        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> model.forward(batch, new Window(0, T + 1, 0), null));
        assertTrue(tooLong.getMessage().contains("T = " + T), tooLong.getMessage());
    }

    @Test
    void windowArgumentsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new Window(-1, 3, 0));
        assertThrows(IllegalArgumentException.class, () -> new Window(3, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> new Window(2, 5, 1));
        assertThrows(IllegalArgumentException.class, () -> new Window(2, 5, 6));
        assertEquals(new Window(0, 7, 0), Window.all(7));
        assertEquals(4, new Window(3, 7, 5).steps());
    }

    /** The model's gradient norm and scaling (on its kernels) against a double-precision sum. */
    @ParameterizedTest
    @EnumSource(CellKind.class)
    void gradientNormAndScalingMatchADoubleReference(CellKind cell) {
        RecurrentModel model = Models.create(ModelSpec.builder(D, N, O).cell(cell).layers(LAYERS).seed(5).build());
        model.forwardBackward(RandomBatches.classesEveryStep(T, M, D, O, 11));
        double sumSq = 0;
        for (Parameter p : model.parameters()) {
            for (float g : p.gradient()) {
                sumSq += (double) g * g;
            }
        }
        double norm = Math.sqrt(sumSq);
        assertTrue(norm > 0);
        assertEquals(norm, model.gradientNorm(), 1e-6 * norm);
        float[] before = model.parameters().get(1).gradient().clone();
        model.scaleGradients(0.375);
        float[] after = model.parameters().get(1).gradient();
        for (int i = 0; i < before.length; i++) {
            assertEquals(before[i] * 0.375f, after[i]);
        }
        assertEquals(0.375 * norm, model.gradientNorm(), 1e-6 * norm);
    }
}
