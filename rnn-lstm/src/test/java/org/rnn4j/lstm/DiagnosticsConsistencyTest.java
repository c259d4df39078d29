package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.Initializer;
import org.rnn4j.api.Nonlinearity;
import org.rnn4j.api.RecurrentGradient;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.Targets;
import org.rnn4j.api.diagnostics.CellStateProfile;
import org.rnn4j.api.diagnostics.ErrorSignal;
import org.rnn4j.api.diagnostics.GradientDiagnostics;

/**
 * The diagnostics' double-precision BPTT (the cells' cotangents along the stored trajectory)
 * against the model's own float BPTT (the SIMD kernels): two independent implementations of the
 * same gradient — the exact one and, for LSTM cells, the 1997 truncated one — for every cell (both
 * GRUs too: the 2014 one's W_hn meets r∘h_{t−1}, not h_{t−1}, in the gradient by lag).
 *
 * <p>Float tolerance: the model's backward pass runs in float (≈ 6e-8 per rounding, a few
 * hundred roundings summed per value over T = 9 steps, 2 layers and G·n-wide dot products), the
 * diagnostics in double from the same float trajectory; norms must agree to {@value #REL}
 * relative, gradient entries to {@value #REL} of their own size plus {@value #ABS} of the
 * largest entry of the matrix (for entries that cancel to near zero). The largest differences
 * seen over these cases are 1e-6 … 3e-6 relative (all pass at 3e-6), so this is about 10× slack
 * over float rounding. Mistakes — a missed path,
 * a lag dropped, the wrong 1/m, the truncation on one side only — are O(1) relative.
 */
class DiagnosticsConsistencyTest {
    private static final double REL = 2e-5;
    private static final double ABS = 2e-6;
    private static final int D = 3;
    private static final int M = 3;
    private static final int T = 9;
    private static final int CLASSES = 4;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (int layers : new int[] {1, 2}) {
            for (int n : new int[] {1, 3, 7, 13}) {
                out.add(Arguments.of(CellKind.RNN, Nonlinearity.TANH, RecurrentGradient.EXACT, layers, n));
                out.add(Arguments.of(CellKind.RNN, Nonlinearity.RELU, RecurrentGradient.EXACT, layers, n));
                for (CellKind kind : new CellKind[] {CellKind.LSTM, CellKind.LSTM_NO_FORGET}) {
                    for (RecurrentGradient g : RecurrentGradient.values()) {
                        out.add(Arguments.of(kind, Nonlinearity.TANH, g, layers, n));
                    }
                }
                for (CellKind kind : new CellKind[] {CellKind.GRU, CellKind.GRU_2014}) {
                    out.add(Arguments.of(kind, Nonlinearity.TANH, RecurrentGradient.EXACT, layers, n));
                }
            }
        }
        return out.stream();
    }

    private static RecurrentModel model(CellKind kind, Nonlinearity phi, RecurrentGradient g, int layers, int n) {
        long seed = 31L * n + layers;
        return kind == CellKind.RNN
                ? DiagnosticsModels.rnn(phi, Initializer.pytorchDefault(), D, n, CLASSES, layers, seed)
                : DiagnosticsModels.lstm(kind, g, D, n, CLASSES, layers, seed);
    }

    private static float[] inputs(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[T * M * D];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }

    /** (a), (c): the error signal of a last-step loss vs the model's ‖∂L/∂h_k‖, ∂L/∂h_0 and ∂L/∂c_0. */
    @ParameterizedTest(name = "{0} {1} {2} layers={3} n={4}")
    @MethodSource("cases")
    void errorSignalMatchesModelBptt(CellKind kind, Nonlinearity phi, RecurrentGradient g, int layers, int n) {
        RecurrentModel model = model(kind, phi, g, layers, n);
        int[] classes = {1, 3, 0};
        SequenceBatch batch = SequenceBatch.of(T, M, D, inputs(n), Targets.classesAtLastStep(classes));
        GradientDiagnostics diag = Diagnostics.of(model, batch);
        model.forwardBackward(batch);
        double[] norms = new double[T];
        model.copyHiddenGradientNorms(norms);
        float[] dh0 = new float[layers * M * n];
        float[] dc0 = new float[layers * M * n];
        model.copyInitialStateGradient(dh0, kind.hasCellState() ? dc0 : null);
        int top = layers - 1;
        ErrorSignal e = diag.errorSignal(top, T);
        String where = kind + " " + phi + " " + g + " layers=" + layers + " n=" + n;
        assertEquals(-1, e.sequence());
        for (int k = 1; k <= T; k++) {
            assertClose(norms[k - 1], e.hidden()[k], where + " ‖∂L/∂h_" + k + "‖");
        }
        assertClose(norm(dh0, top * M * n, M * n), e.hidden()[0], where + " ‖∂L/∂h_0‖");
        if (kind.hasCellState()) {
            assertClose(norm(dc0, top * M * n, M * n), e.cell()[0], where + " ‖∂L/∂c_0‖");
        } else {
            assertEquals(null, e.cell(), where);
        }
    }

    /** (b), (c): Σ_d of the per-lag parts of ∂L/∂W_h and ∂L/∂W_x is the model's gradient. */
    @ParameterizedTest(name = "{0} {1} {2} layers={3} n={4}")
    @MethodSource("cases")
    void lagSumsAddUpToModelGradient(CellKind kind, Nonlinearity phi, RecurrentGradient g, int layers, int n) {
        RecurrentModel model = model(kind, phi, g, layers, n);
        SequenceBatch batch = RandomBatches.classesEveryStep(T, M, D, CLASSES, 1000 + n);
        TrajectoryDiagnostics diag = (TrajectoryDiagnostics) Diagnostics.of(model, batch);
        model.forwardBackward(batch);
        String where = kind + " " + phi + " " + g + " layers=" + layers + " n=" + n;
        for (int l = 0; l < layers; l++) {
            TrajectoryDiagnostics.LagSums[] sums = diag.lagSums(l, 0, M - 1);
            assertSum(sums[0], model.parameter("layer" + l + ".W_h").gradient(), where + " layer" + l + ".W_h");
            assertSum(sums[1], model.parameter("layer" + l + ".W_x").gradient(), where + " layer" + l + ".W_x");
        }
    }

    /**
     * (d) The 1997 cell without forget gate and the truncated gradient: ∂C_t/∂C_{t−1} is exactly
     * the identity, every product of it has norm 1, no error reaches h_0, but some reaches c_0.
     */
    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {1, 3, 7, 13})
    void truncatedNoForgetCarouselIsTheIdentity(int n) {
        RecurrentModel model = DiagnosticsModels.lstm(CellKind.LSTM_NO_FORGET, RecurrentGradient.TRUNCATED_1997, D, n,
                CLASSES, 1, 55 + n);
        SequenceBatch batch = RandomBatches.classesEveryStep(T, M, D, CLASSES, 66 + n);
        Trajectory tr = DiagnosticsModels.trajectory(model, batch);
        GradientDiagnostics diag = Diagnostics.of(model, batch);
        for (int b = 0; b < M; b++) {
            CellStateMaps maps = new CellStateMaps(tr, 0, b);
            double[] e = new double[n];
            double[] col = new double[n];
            for (int t = 1; t <= T; t++) {
                for (int c = 0; c < n; c++) {
                    java.util.Arrays.fill(e, 0);
                    e[c] = 1;
                    maps.apply(t, e, col);
                    for (int r = 0; r < n; r++) {
                        assertEquals(r == c ? 1.0 : 0.0, col[r], 0.0, "D_" + t + "[" + r + "][" + c + "] b=" + b);
                    }
                    maps.applyTransposed(t, e, col);
                    for (int r = 0; r < n; r++) {
                        assertEquals(r == c ? 1.0 : 0.0, col[r], 0.0, "(e·D_" + t + ")[" + r + "] b=" + b);
                    }
                }
            }
            CellStateProfile cs = diag.cellState(0, b, T);
            for (int k = 0; k < T; k++) {
                assertEquals(0, cs.productFull()[k], 1e-12, "log10 ‖D_T⋯D_" + (k + 1) + "‖ b=" + b);
                assertEquals(0, cs.productForget()[k], 0.0, "no forget gate: ∏f = 1");
            }
        }
        model.forwardBackward(batch);
        float[] dh0 = new float[M * n];
        float[] dc0 = new float[M * n];
        model.copyInitialStateGradient(dh0, dc0);
        for (int i = 0; i < dh0.length; i++) {
            assertEquals(0f, dh0[i], 0f, "∂L/∂h_0[" + i + "] with the truncated gradient");
        }
        assertTrue(norm(dc0, 0, dc0.length) > 0, "∂L/∂c_0 must carry the error back through the carousel");
        ErrorSignal es = diag.errorSignal(0, T);
        assertEquals(Double.NEGATIVE_INFINITY, es.hidden()[0], "the diagnostics: ∂L_T/∂h_0 = 0 exactly");
        assertTrue(Double.isFinite(es.cell()[0]), "the diagnostics: ∂L_T/∂c_0 ≠ 0");
    }

    private static void assertSum(TrajectoryDiagnostics.LagSums sums, float[] grad, String where) {
        double max = 0;
        for (float v : grad) {
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max > 0, where + ": the model's gradient is zero, nothing to compare");
        for (int i = 0; i < grad.length; i++) {
            double s = 0;
            for (int d = 0; d < T; d++) {
                s += sums.value(d, i);
            }
            assertEquals(grad[i], s, REL * Math.abs(grad[i]) + ABS * max, where + " element " + i);
        }
    }

    /** A model norm (plain) vs a diagnostics log10 norm, to {@link #REL} relative. */
    private static void assertClose(double model, double log10, String what) {
        if (model == 0) {
            assertEquals(Double.NEGATIVE_INFINITY, log10, what + ": the model's is exactly 0");
            return;
        }
        double mine = Math.pow(10, log10);
        assertEquals(model, mine, REL * model, what + " (diagnostics log10 " + log10 + ")");
    }

    private static double norm(float[] a, int off, int len) {
        double s = 0;
        for (int i = 0; i < len; i++) {
            s += (double) a[off + i] * a[off + i];
        }
        return Math.sqrt(s);
    }
}
