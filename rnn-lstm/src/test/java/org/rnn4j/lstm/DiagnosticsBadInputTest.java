package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.Initializer;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.NonFiniteException;
import org.rnn4j.api.Nonlinearity;
import org.rnn4j.api.RecurrentGradient;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.Targets;
import org.rnn4j.api.diagnostics.GradientDiagnostics;

/** Every way to ask the diagnostics something they cannot answer, and what they say. */
class DiagnosticsBadInputTest {
    private static final int L = 2;
    private static final int M = 2;
    private static final int T = 5;
    private static final int N = 3;
    private static final int D = 2;

    private static GradientDiagnostics lstm() {
        RecurrentModel model = DiagnosticsModels.lstm(CellKind.LSTM, RecurrentGradient.EXACT, D, N, 3, L, 5);
        return Diagnostics.of(model, RandomBatches.classesEveryStep(T, M, D, 3, 6));
    }

    private static Arguments query(String name, Consumer<GradientDiagnostics> q, String... mustName) {
        return Arguments.of(name, q, mustName);
    }

    /** Each query with one argument out of range, and what its message must contain: the value and the range. */
    static Stream<Arguments> badArguments() {
        List<Arguments> out = new ArrayList<>();
        String layers = "[0, " + L + ")";
        String sequences = "[0, " + M + ")";
        String steps = "[1, T = " + T + "]";
        for (int l : new int[] {-1, L}) {
            String v = "layer " + l;
            out.add(query("jacobianNorms(" + l + ", 0, T)", g -> g.jacobianNorms(l, 0, T), v, layers));
            out.add(query("jacobianNorms(" + l + ", T)", g -> g.jacobianNorms(l, T), v, layers));
            out.add(query("errorSignal(" + l + ", 0, T)", g -> g.errorSignal(l, 0, T), v, layers));
            out.add(query("errorSignal(" + l + ", T)", g -> g.errorSignal(l, T), v, layers));
            out.add(query("gradientByLag(" + l + ", 0)", g -> g.gradientByLag(l, 0), v, layers));
            out.add(query("gradientByLag(" + l + ")", g -> g.gradientByLag(l), v, layers));
            out.add(query("recurrentWeights(" + l + ")", g -> g.recurrentWeights(l), v, layers));
            out.add(query("stepJacobianSpectrum(" + l + ", 0, 1)", g -> g.stepJacobianSpectrum(l, 0, 1), v, layers));
            out.add(query("cellState(" + l + ", 0, T)", g -> g.cellState(l, 0, T), v, layers));
        }
        for (int b : new int[] {-1, M}) {
            String v = "sequence " + b;
            out.add(query("jacobianNorms(0, " + b + ", T)", g -> g.jacobianNorms(0, b, T), v, sequences));
            out.add(query("errorSignal(0, " + b + ", T)", g -> g.errorSignal(0, b, T), v, sequences));
            out.add(query("gradientByLag(0, " + b + ")", g -> g.gradientByLag(0, b), v, sequences));
            out.add(query("stepJacobianSpectrum(0, " + b + ", 1)", g -> g.stepJacobianSpectrum(0, b, 1), v, sequences));
            out.add(query("cellState(0, " + b + ", T)", g -> g.cellState(0, b, T), v, sequences));
        }
        for (int t : new int[] {0, T + 1}) {
            String v = "t = " + t;
            out.add(query("jacobianNorms(1, 1, " + t + ")", g -> g.jacobianNorms(1, 1, t), v, steps));
            out.add(query("jacobianNorms(1, " + t + ")", g -> g.jacobianNorms(1, t), v, steps));
            out.add(query("errorSignal(1, 1, " + t + ")", g -> g.errorSignal(1, 1, t), v, steps));
            out.add(query("errorSignal(1, " + t + ")", g -> g.errorSignal(1, t), v, steps));
            out.add(query("stepJacobianSpectrum(1, 1, " + t + ")", g -> g.stepJacobianSpectrum(1, 1, t), v, steps));
            out.add(query("cellState(1, 1, " + t + ")", g -> g.cellState(1, 1, t), v, steps));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badArguments")
    void outOfRangeArgumentsNameTheValueAndTheRange(String name, Consumer<GradientDiagnostics> q, String[] mustName) {
        GradientDiagnostics g = lstm();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> q.accept(g), name);
        for (String s : mustName) {
            assertTrue(e.getMessage().contains(s), name + ": message must contain '" + s + "': " + e.getMessage());
        }
    }

    @Test
    void inRangeCornersAreAnswered() {
        GradientDiagnostics g = lstm();
        assertEquals(T, g.steps());
        assertEquals(M, g.batchSize());
        assertEquals(L, g.layers());
        assertEquals(N, g.hiddenSize());
        assertTrue(g.hasCellState());
        assertEquals(2, g.jacobianNorms(L - 1, M - 1, 1).norm().length);
        assertEquals(T + 1, g.errorSignal(0, 0, T).hidden().length);
        assertEquals(T + 1, g.cellState(L - 1, M - 1, T).productFull().length);
    }

    @Test
    void errorQueriesWithoutTargetsAreIllegalState() {
        RecurrentModel model = DiagnosticsModels.rnn(Nonlinearity.TANH, Initializer.pytorchDefault(), D, N, 3, 1, 1);
        SequenceBatch noTargets = RandomBatches.classesEveryStep(T, M, D, 3, 2).withTargets(null);
        GradientDiagnostics g = Diagnostics.of(model, noTargets);
        for (Runnable r : List.<Runnable>of(() -> g.errorSignal(0, 0, T), () -> g.errorSignal(0, T),
                () -> g.gradientByLag(0, 0), () -> g.gradientByLag(0))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, r::run);
            assertTrue(e.getMessage().contains("no targets"), e.getMessage());
        }
        g.jacobianNorms(0, 0, T);          // what needs no loss still works
    }

    @Test
    void cellStateOfAnRnnIsUnsupported() {
        RecurrentModel model = DiagnosticsModels.rnn(Nonlinearity.RELU, Initializer.pytorchDefault(), D, N, 3, 1, 1);
        GradientDiagnostics g = Diagnostics.of(model, RandomBatches.classesEveryStep(T, M, D, 3, 2));
        assertTrue(!g.hasCellState());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> g.cellState(0, 0, T));
        assertTrue(e.getMessage().contains("cell state"), e.getMessage());
        assertEquals(null, g.errorSignal(0, 0, T).cell());
    }

    @Test
    void foreignModelIsRejected() {
        RecurrentModel stub = (RecurrentModel) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RecurrentModel.class}, (proxy, method, args) -> {
                    throw new AssertionError("Diagnostics.of must not call the foreign model: " + method.getName());
                });
        SequenceBatch batch = RandomBatches.classesEveryStep(T, M, D, 3, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Diagnostics.of(stub, batch));
        assertTrue(e.getMessage().contains("Models"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Diagnostics.of(null, batch));
    }

    @ParameterizedTest(name = "tolerance {0}")
    @ValueSource(doubles = {0, 1, -1e-6, Double.NaN})
    void toleranceOutsideTheOpenUnitIntervalIsRejected(double tolerance) {
        RecurrentModel model = DiagnosticsModels.rnn(Nonlinearity.TANH, Initializer.pytorchDefault(), D, N, 3, 1, 1);
        SequenceBatch batch = RandomBatches.classesEveryStep(T, M, D, 3, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Diagnostics.of(model, batch, tolerance, 100));
        assertTrue(e.getMessage().contains("tolerance") && e.getMessage().contains(String.valueOf(tolerance))
                && e.getMessage().contains("(0, 1)"), e.getMessage());
    }

    @ParameterizedTest(name = "maxIterations {0}")
    @ValueSource(ints = {0, -3})
    void nonPositiveIterationLimitIsRejected(int maxIterations) {
        RecurrentModel model = DiagnosticsModels.rnn(Nonlinearity.TANH, Initializer.pytorchDefault(), D, N, 3, 1, 1);
        SequenceBatch batch = RandomBatches.classesEveryStep(T, M, D, 3, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Diagnostics.of(model, batch, 1e-6, maxIterations));
        assertTrue(e.getMessage().contains("maxIterations") && e.getMessage().contains(String.valueOf(maxIterations)),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Diagnostics.of(model, null));
    }

    /**
     * A ReLU RNN (no tanh to saturate) with W_x = 1, b = 0, W_h = 1e30 everywhere and inputs 1,
     * n = 3: h_1 = 1, h_2 = 1 + 3·1e30 = 3e30 (finite in float), h_3 = 1 + 3·3e30·1e30 = 9e60 —
     * beyond Float.MAX_VALUE (3.4e38): infinite. The first infinite state is h_3, made from batch
     * row 2; NonFiniteException counts time steps as the model does, from 0 (the batch row, i.e.
     * t − 1 in the diagnostics' h_0 … h_T indexing), so step() must be 2 — and the model's own
     * forward pass reports the same.
     */
    @Test
    void overflowingTrajectoryNamesTheStep() {
        RecurrentModel model = DiagnosticsModels.rnn(Nonlinearity.RELU, Initializer.pytorchDefault(), 1, N, 2, 1, 3);
        Arrays.fill(model.parameter("layer0.W_x").value(), 1f);
        Arrays.fill(model.parameter("layer0.W_h").value(), 1e30f);
        Arrays.fill(model.parameter("layer0.b").value(), 0f);
        float[] x = new float[8];
        Arrays.fill(x, 1f);
        SequenceBatch batch = SequenceBatch.of(8, 1, 1, x, Targets.classesEveryStep(new int[8]));
        // The same recurrence in double: the first row whose h leaves the float range.
        double[] h = new double[N];
        int expected = -1;
        for (int row = 0; row < 8 && expected < 0; row++) {
            double[] next = new double[N];
            for (int j = 0; j < N; j++) {
                double a = 1;
                for (int i = 0; i < N; i++) {
                    a += h[i] * 1e30f;
                }
                next[j] = Math.max(0, a);
                if (next[j] > Float.MAX_VALUE) {
                    expected = row;
                }
            }
            h = next;
        }
        assertEquals(2, expected, "the construction: h_3 (batch row 2) is the first to overflow");
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> Diagnostics.of(model, batch));
        assertEquals(expected, e.step(), e.getMessage());
        assertTrue(e.getMessage().contains("hidden state h of layer 0") && e.getMessage().contains("t=" + expected),
                e.getMessage());
        NonFiniteException fromModel = assertThrows(NonFiniteException.class, () -> model.forward(batch, null));
        assertEquals(fromModel.step(), e.step(), "Diagnostics.of and the model name the same step");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TANH", "SIGMOID", "RELU"})
    void truncatedGradientOnAnRnnCellIsRejected(String phi) {
        ModelSpec.Builder b = ModelSpec.builder(D, N, 3).cell(CellKind.RNN).activation(Nonlinearity.valueOf(phi))
                .gradient(RecurrentGradient.TRUNCATED_1997);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().contains("RNN") && e.getMessage().contains("EXACT"), e.getMessage());
        for (CellKind lstm : new CellKind[] {CellKind.LSTM, CellKind.LSTM_NO_FORGET}) {
            assertEquals(RecurrentGradient.TRUNCATED_1997,
                    ModelSpec.builder(D, N, 3).cell(lstm).gradient(RecurrentGradient.TRUNCATED_1997).build().gradient());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"GRU", "GRU_2014"})
    void truncatedGradientOnAGruIsRejected(String cell) {
        ModelSpec.Builder b = ModelSpec.builder(D, N, 3).cell(CellKind.valueOf(cell)).gradient(RecurrentGradient.TRUNCATED_1997);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().contains(cell) && e.getMessage().contains("cell state"), e.getMessage());
    }
}
