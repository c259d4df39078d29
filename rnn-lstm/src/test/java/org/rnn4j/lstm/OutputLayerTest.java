package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.NonFiniteException;
import org.rnn4j.api.OutputHead;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.Targets;
import org.rnn4j.simd.KernelProvider;
import org.rnn4j.simd.Kernels;

/**
 * The output layer's overflow reports and the losses' extreme cases. The model is built so that
 * the step where things overflow is known beforehand: a tanh RNN with W_h = 0 and b = 0, inputs 0
 * except at step {@link #HOT} of sequence {@link #HOT_SEQ}, where W_x = 10 drives h to tanh(10) ≈ 1;
 * at every other step h = 0 and the logits are b_y alone.
 */
class OutputLayerTest {
    static final int T = 9, M = 3, N = 7, HOT = 5, HOT_SEQ = 1;

    static RecurrentModel model(int classes, OutputHead head, Kernels kernels) {
        ModelSpec spec = ModelSpec.builder(1, N, classes).cell(CellKind.RNN).head(head).seed(3).build();
        RecurrentModel m = Models.create(spec, kernels);
        Arrays.fill(m.parameter("layer0.W_x").value(), 10f);
        Arrays.fill(m.parameter("layer0.W_h").value(), 0f);
        Arrays.fill(m.parameter("layer0.b").value(), 0f);
        Arrays.fill(m.parameter("W_y").value(), 0f);
        Arrays.fill(m.parameter("b_y").value(), 0f);
        return m;
    }

    static float[] hotInputs() {
        float[] x = new float[T * M];
        x[HOT * M + HOT_SEQ] = 1f;
        return x;
    }

    /** W_y[j][c] = value for every j: o_c = value·Σ_j h_j ≈ 7·value at the hot step, 0 elsewhere. */
    static void outputColumn(RecurrentModel m, int c, float value) {
        int classes = m.spec().outputSize();
        float[] wy = m.parameter("W_y").value();
        for (int j = 0; j < N; j++) {
            wy[j * classes + c] = value;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void overflowingLogitsWithoutTargetsNameTheStep(String kernels) {
        RecurrentModel m = model(3, OutputHead.SOFTMAX, kernels(kernels));
        outputColumn(m, 2, 1e38f); // 7 · 1e38 > Float.MAX_VALUE
        SequenceBatch batch = SequenceBatch.of(T, M, 1, hotInputs(), null);
        float[] out = new float[T * M * 3];
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> m.forward(batch, out));
        assertEquals(HOT, e.step(), e.getMessage());
        assertTrue(e.getMessage().contains("o[b=" + HOT_SEQ + "][j=2]"), e.getMessage());
        // With targets the same overflow is named the same way (it used to be a loss at step −1).
        SequenceBatch withTargets = batch.withTargets(Targets.classesEveryStep(new int[T * M]));
        NonFiniteException e2 = assertThrows(NonFiniteException.class, () -> m.forwardBackward(withTargets));
        assertEquals(HOT, e2.step(), e2.getMessage());
    }

    @Test
    void aCrossEntropyTermThatOverflowsNamesItsStep() {
        RecurrentModel m = model(2, OutputHead.SOFTMAX, KernelProvider.get());
        outputColumn(m, 0, 4e37f);   // o_0 ≈ 2.8e38, finite
        outputColumn(m, 1, -4e37f);  // o_1 ≈ −2.8e38: o_1 − max overflows to −∞
        int[] y = new int[T * M];
        y[HOT * M + HOT_SEQ] = 1;
        SequenceBatch batch = SequenceBatch.of(T, M, 1, hotInputs(), Targets.classesEveryStep(y));
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> m.forwardBackward(batch));
        assertEquals("loss", e.what());
        assertEquals(HOT, e.step(), e.getMessage());
        assertTrue(e.getMessage().contains("sequence b=" + HOT_SEQ), e.getMessage());
    }

    @Test
    void aSquaredErrorTermThatOverflowsNamesItsStep() {
        RecurrentModel m = model(1, OutputHead.LINEAR, KernelProvider.get());
        outputColumn(m, 0, 4e37f);   // o ≈ 2.8e38 at the hot step
        float[] y = new float[T * M];
        y[HOT * M + HOT_SEQ] = -3e38f; // o − y overflows
        SequenceBatch batch = SequenceBatch.of(T, M, 1, hotInputs(), Targets.realsEveryStep(y, 1));
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> m.forwardBackward(batch));
        assertEquals("loss", e.what());
        assertEquals(HOT, e.step(), e.getMessage());
        assertTrue(e.getMessage().contains("sequence b=" + HOT_SEQ + ", output j=0"), e.getMessage());
    }

    /** All-equal logits give ŷ = 1/K and −log ŷ = ln K however large they are (PyTorch's rounding). */
    @ParameterizedTest
    @ValueSource(floats = {0f, 1e30f, 1e38f, 3e38f, -3e38f})
    void equalLogitsCostLnKAtAnyScale(float logit) {
        for (String kernels : new String[] {"scalar", "vector"}) {
            for (int classes : new int[] {1, 3, 7, 13}) {
                RecurrentModel m = model(classes, OutputHead.SOFTMAX, kernels(kernels));
                Arrays.fill(m.parameter("b_y").value(), logit);
                SequenceBatch batch = SequenceBatch.of(T, M, 1, new float[T * M], Targets.classesEveryStep(new int[T * M]));
                float[] out = new float[T * M * classes];
                double loss = m.forward(batch, out);
                // L = (1/m) Σ_b Σ_t ln K = T·ln K
                assertEquals(T * Math.log(classes), loss, 1e-5 * T, kernels + " K=" + classes + " logit=" + logit);
                for (float p : out) {
                    assertEquals(1.0 / classes, p, 1e-6, kernels + " K=" + classes);
                }
            }
        }
    }

    static Kernels kernels(String name) {
        return name.equals("scalar") ? KernelProvider.scalar() : KernelProvider.get();
    }
}
