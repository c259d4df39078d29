package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.lstm.TestMatrices.gelfandRadius;
import static org.rnn4j.lstm.TestMatrices.mul;
import static org.rnn4j.lstm.TestMatrices.radius2;
import static org.rnn4j.lstm.TestMatrices.transpose;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.Initializer;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.Parameter;

/**
 * {@link Initializers}: the weight rules, determinism and the spectral-radius rescaling. The
 * measurements themselves are tested in {@link SpectralRadiusTest} and {@link
 * LargestSingularValueTest}, the orthogonal factor in {@link HouseholderQrTest}.
 */
class InitializersTest {

    // ---------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------

    /** Zeroed parameters in the model's layout for {@code spec}. */
    static List<Parameter> allocate(ModelSpec spec) {
        List<Parameter> ps = new ArrayList<>();
        int gn = spec.gates() * spec.hiddenSize();
        for (int l = 0; l < spec.layers(); l++) {
            ps.add(param("layer" + l + ".W_x", spec.layerInputSize(l), gn));
            ps.add(param("layer" + l + ".W_h", spec.hiddenSize(), gn));
            ps.add(param("layer" + l + ".b", 1, gn));
        }
        ps.add(param("W_y", spec.hiddenSize(), spec.outputSize()));
        ps.add(param("b_y", 1, spec.outputSize()));
        return ps;
    }

    private static Parameter param(String name, int rows, int cols) {
        return new Parameter(name, rows, cols, new float[rows * cols], new float[rows * cols]);
    }

    private static List<Parameter> init(ModelSpec spec) {
        List<Parameter> ps = allocate(spec);
        Initializers.initialize(spec, ps);
        return ps;
    }

    private static ModelSpec spec(CellKind cell, int d, int n, int o, int layers, Initializer init, long seed) {
        return ModelSpec.builder(d, n, o).cell(cell).layers(layers).init(init).seed(seed).build();
    }

    private static Parameter find(List<Parameter> ps, String name) {
        for (Parameter p : ps) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no parameter " + name);
    }

    /** Gate block q of an n × G·n matrix as a dense n × n double matrix. */
    private static double[][] block(Parameter p, int q, int n) {
        double[][] m = new double[p.rows()][n];
        for (int i = 0; i < p.rows(); i++) {
            for (int j = 0; j < n; j++) {
                m[i][j] = p.value()[i * p.cols() + q * n + j];
            }
        }
        return m;
    }

    // ---------------------------------------------------------------------------------------
    // Determinism and layout
    // ---------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Initializer.Kind.class)
    void sameSeedSameWeightsOtherSeedOtherWeights(Initializer.Kind kind) {
        Initializer in = new Initializer(kind, 0, 1f);
        List<Parameter> a = init(spec(CellKind.LSTM, 5, 6, 3, 2, in, 17));
        List<Parameter> b = init(spec(CellKind.LSTM, 5, 6, 3, 2, in, 17));
        List<Parameter> c = init(spec(CellKind.LSTM, 5, 6, 3, 2, in, 18));
        boolean anyDifferent = false;
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).value(), b.get(i).value(), a.get(i).name());
            boolean random = !(a.get(i).name().endsWith(".b") && kind != Initializer.Kind.UNIFORM)
                    && !(a.get(i).name().endsWith(".W_h") && kind == Initializer.Kind.IDENTITY);
            if (random) {
                assertFalse(Arrays.equals(a.get(i).value(), c.get(i).value()), a.get(i).name() + " seed-dependent");
                anyDifferent = true;
            }
            for (float g : a.get(i).gradient()) {
                assertEquals(0f, g, "gradients are not touched");
            }
        }
        assertTrue(anyDifferent);
    }

    /**
     * The 2014 GRU has one bias per layer (its candidate's recurrent bias would only add to b_n):
     * W_x, W_h, b and no b_hn, every value from PyTorch's U(±1/√n), and layer 0's streams those of
     * PyTorch's GRU (whose b_hn is drawn after them).
     */
    @Test
    void gru2014HasOneBiasDrawnByTheUniformRule() {
        ModelSpec spec = spec(CellKind.GRU_2014, 4, 9, 3, 2, Initializer.pytorchDefault(), 21);
        org.rnn4j.api.RecurrentModel model = Models.create(spec);
        assertEquals(List.of("layer0.W_x", "layer0.W_h", "layer0.b", "layer1.W_x", "layer1.W_h", "layer1.b", "W_y", "b_y"),
                model.parameters().stream().map(Parameter::name).toList());
        double bound = 1 / Math.sqrt(9);
        for (Parameter p : model.parameters()) {
            double max = 0;
            for (float v : p.value()) {
                assertTrue(Math.abs(v) <= bound, p.name() + ": " + v + " outside ±1/√n");
                max = Math.max(max, Math.abs(v));
            }
            assertTrue(max > 0.5 * bound, p.name() + " is drawn, not zero");
        }
        org.rnn4j.api.RecurrentModel gru = Models.create(spec(CellKind.GRU, 4, 9, 3, 2, Initializer.pytorchDefault(), 21));
        for (String name : new String[] {"layer0.W_x", "layer0.W_h", "layer0.b"}) {
            assertArrayEquals(gru.parameter(name).value(), model.parameter(name).value(), name);
        }
    }

    @Test
    void drawingIsPerParameter() {
        // A different input width changes W_x of layer 0, but not the streams of the others.
        List<Parameter> a = init(spec(CellKind.RNN, 3, 4, 2, 2, Initializer.pytorchDefault(), 5));
        List<Parameter> b = init(spec(CellKind.RNN, 7, 4, 2, 2, Initializer.pytorchDefault(), 5));
        for (int i = 1; i < a.size(); i++) {
            assertArrayEquals(a.get(i).value(), b.get(i).value(), a.get(i).name());
        }
    }

    @Test
    void rejectsAParameterListThatDoesNotMatchTheSpec() {
        ModelSpec spec = spec(CellKind.LSTM, 3, 4, 2, 1, Initializer.pytorchDefault(), 1);
        List<Parameter> ps = allocate(spec);
        assertThrows(IllegalArgumentException.class, () -> Initializers.initialize(spec, ps.subList(0, 4)));
        List<Parameter> swapped = new ArrayList<>(ps);
        swapped.set(0, ps.get(1));
        swapped.set(1, ps.get(0));
        assertThrows(IllegalArgumentException.class, () -> Initializers.initialize(spec, swapped));
        List<Parameter> wrongShape = new ArrayList<>(ps);
        wrongShape.set(3, param("W_y", 4, 3));
        assertThrows(IllegalArgumentException.class, () -> Initializers.initialize(spec, wrongShape));
    }

    // ---------------------------------------------------------------------------------------
    // The rules
    // ---------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 16})
    void uniformIsWithinOneOverSqrtNEverywhere(int n) {
        ModelSpec spec = spec(CellKind.LSTM, 5, n, 3, 2, Initializer.pytorchDefault(), 3);
        List<Parameter> ps = init(spec);
        float bound = (float) (1 / Math.sqrt(n));
        for (Parameter p : ps) {
            double max = 0;
            double sum = 0;
            for (float v : p.value()) {
                assertTrue(Math.abs(v) <= bound, p.name() + ": " + v + " outside ±" + bound);
                max = Math.max(max, Math.abs(v));
                sum += v;
            }
            if (p.size() >= 48) {
                assertTrue(max > 0.8 * bound, p.name() + " uses the whole range");
                assertTrue(Math.abs(sum / p.size()) < 0.25 * bound, p.name() + " centred");
            }
        }
        // forget bias 0 (PyTorch default) leaves the forget block random
        Parameter b = find(ps, "layer0.b");
        float[] forget = Arrays.copyOfRange(b.value(), n, 2 * n);
        if (n > 1) {
            assertTrue(forget[0] != forget[1], "forget block left as drawn");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Initializer.Kind.class, names = {"XAVIER", "ORTHOGONAL", "IDENTITY"})
    void nonUniformKindsUseXavierForWxZeroBiasesAndUniformHead(Initializer.Kind kind) {
        int d = 5;
        int n = 8;
        int o = 3;
        ModelSpec spec = spec(CellKind.LSTM, d, n, o, 2, new Initializer(kind, 0, 0f), 11);
        List<Parameter> ps = init(spec);
        for (int l = 0; l < 2; l++) {
            Parameter wx = find(ps, "layer" + l + ".W_x");
            float bound = (float) Math.sqrt(6.0 / (wx.rows() + n));
            double max = 0;
            for (float v : wx.value()) {
                assertTrue(Math.abs(v) <= bound, wx.name() + ": " + v + " outside ±" + bound);
                max = Math.max(max, Math.abs(v));
            }
            assertTrue(max > 0.8 * bound);
            for (float v : find(ps, "layer" + l + ".b").value()) {
                assertEquals(0f, v, "bias");
            }
        }
        float headBound = (float) (1 / Math.sqrt(n));
        for (String h : List.of("W_y", "b_y")) {
            for (float v : find(ps, h).value()) {
                assertTrue(Math.abs(v) <= headBound, h + " uses the PyTorch Linear default");
            }
        }
    }

    @Test
    void xavierBoundsOfWh() {
        int n = 10;
        List<Parameter> ps = init(spec(CellKind.LSTM_NO_FORGET, 4, n, 2, 1, Initializer.of(Initializer.Kind.XAVIER),
                2));
        float bound = (float) Math.sqrt(6.0 / (n + n));
        double max = 0;
        for (float v : find(ps, "layer0.W_h").value()) {
            assertTrue(Math.abs(v) <= bound);
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max > 0.8 * bound);
        // LSTM_NO_FORGET has no forget gate: forgetBias 1 is ignored, every bias stays 0
        for (float v : find(ps, "layer0.b").value()) {
            assertEquals(0f, v);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 16, 33})
    void orthogonalBlocksAreOrthogonal(int n) {
        ModelSpec spec = spec(CellKind.LSTM, 3, n, 2, 2, Initializer.of(Initializer.Kind.ORTHOGONAL), 21);
        List<Parameter> ps = init(spec);
        for (int l = 0; l < 2; l++) {
            Parameter wh = find(ps, "layer" + l + ".W_h");
            List<double[][]> blocks = new ArrayList<>();
            for (int q = 0; q < 4; q++) {
                double[][] b = block(wh, q, n);
                blocks.add(b);
                double[][] qtq = mul(transpose(b), b);
                double[][] qqt = mul(b, transpose(b));
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        double want = i == j ? 1 : 0;
                        assertEquals(want, qtq[i][j], 1e-5, "QᵀQ gate " + q + " (" + i + "," + j + ")");
                        assertEquals(want, qqt[i][j], 1e-5, "QQᵀ gate " + q + " (" + i + "," + j + ")");
                    }
                }
            }
            if (n > 1) {
                assertFalse(Arrays.deepEquals(blocks.get(0), blocks.get(1)), "gate blocks differ");
            }
        }
    }

    @Test
    void orthogonalIsHaarLike() {
        // Sign correction makes E[Q_ij] = 0: without it the diagonal of Q would be biased.
        int n = 4;
        double diagSum = 0;
        int count = 0;
        for (long seed = 0; seed < 300; seed++) {
            List<Parameter> ps = init(spec(CellKind.RNN, 2, n, 2, 1, Initializer.of(Initializer.Kind.ORTHOGONAL), seed));
            Parameter wh = find(ps, "layer0.W_h");
            for (int i = 0; i < n; i++) {
                diagSum += wh.value()[i * n + i];
                count++;
            }
        }
        // Var(Q_ii) = 1/n, so the mean of 1200 entries has sd ≈ 0.014.
        assertEquals(0, diagSum / count, 0.06);
    }

    @Test
    void identityBlocks() {
        int n = 6;
        List<Parameter> ps = init(spec(CellKind.LSTM, 3, n, 2, 2, Initializer.of(Initializer.Kind.IDENTITY), 4));
        for (int l = 0; l < 2; l++) {
            Parameter wh = find(ps, "layer" + l + ".W_h");
            for (int q = 0; q < 4; q++) {
                double[][] b = block(wh, q, n);
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        assertEquals(i == j ? 1.0 : 0.0, b[i][j]);
                    }
                }
            }
        }
        // IRNN with spectral radius 0.9: 0.9·I
        List<Parameter> scaled = init(spec(CellKind.RNN, 3, n, 2, 1,
                Initializer.of(Initializer.Kind.IDENTITY).withSpectralRadius(0.9), 4));
        Parameter wh = find(scaled, "layer0.W_h");
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(i == j ? 0.9f : 0f, wh.value()[i * n + j], 1e-7);
            }
        }
    }

    @Test
    void forgetBias() {
        int n = 5;
        for (Initializer.Kind kind : Initializer.Kind.values()) {
            List<Parameter> ps = init(spec(CellKind.LSTM, 3, n, 2, 3, new Initializer(kind, 0, 1.5f), 9));
            for (int l = 0; l < 3; l++) {
                float[] b = find(ps, "layer" + l + ".b").value();
                for (int j = 0; j < 4 * n; j++) {
                    if (j >= n && j < 2 * n) {
                        assertEquals(1.5f, b[j], kind + " forget gate, layer " + l);
                    } else if (kind == Initializer.Kind.UNIFORM) {
                        assertTrue(Math.abs(b[j]) <= (float) (1 / Math.sqrt(n)));
                    } else {
                        assertEquals(0f, b[j], kind + " other gates");
                    }
                }
            }
        }
        // RNN: forget bias ignored
        List<Parameter> rnn = init(spec(CellKind.RNN, 3, n, 2, 1, Initializer.of(Initializer.Kind.XAVIER), 9));
        for (float v : find(rnn, "layer0.b").value()) {
            assertEquals(0f, v);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Spectral-radius rescaling
    // ---------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Initializer.Kind.class)
    void rescaledBlocksHaveTheRequestedSpectralRadius2x2(Initializer.Kind kind) {
        int n = 2;
        double target = 1.25;
        for (long seed = 0; seed < 20; seed++) {
            ModelSpec spec = spec(CellKind.LSTM, 3, n, 2, 2, new Initializer(kind, target, 1f), seed);
            List<Parameter> ps = init(spec);
            for (int l = 0; l < 2; l++) {
                Parameter wh = find(ps, "layer" + l + ".W_h");
                for (int q = 0; q < 4; q++) {
                    double[][] b = block(wh, q, n);
                    double rho = radius2(b[0][0], b[0][1], b[1][0], b[1][1]);
                    assertEquals(target, rho, 2e-6 * target, kind + " seed " + seed + " gate " + q);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 8, 20})
    void rescaledBlocksHaveTheRequestedSpectralRadiusByGelfand(int n) {
        for (Initializer.Kind kind : List.of(Initializer.Kind.UNIFORM, Initializer.Kind.XAVIER,
                Initializer.Kind.ORTHOGONAL)) {
            for (double target : new double[] {0.5, 1.0, 1.1}) {
                List<Parameter> ps = init(spec(CellKind.LSTM, 3, n, 2, 1, new Initializer(kind, target, 0f), n * 7L));
                Parameter wh = find(ps, "layer0.W_h");
                for (int q = 0; q < 4; q++) {
                    double rho = gelfandRadius(block(wh, q, n), 40);
                    assertEquals(target, rho, 1e-4 * target, kind + " n=" + n + " gate " + q);
                }
            }
        }
    }

    @Test
    void nilpotentBlockIsLeftUnchanged() {
        int n = 3;
        // W_h of an RNN: strictly upper triangular, spectral radius 0
        float[] w = {0, 2, 3, 0, 0, 4, 0, 0, 0};
        Parameter wh = new Parameter("layer0.W_h", n, n, w.clone(), new float[n * n]);
        double before = Initializers.rescaleBlock(wh, 0, n, n, 0.9);
        assertEquals(0.0, before);
        assertArrayEquals(w, wh.value(), "unchanged");
        // a zero block as well
        Parameter zero = new Parameter("layer0.W_h", n, n, new float[n * n], new float[n * n]);
        Initializers.rescaleBlock(zero, 0, n, n, 0.9);
        for (float v : zero.value()) {
            assertEquals(0f, v);
        }
    }

    @Test
    void rescaleTouchesOnlyItsBlock() {
        int n = 3;
        int g = 4;
        SplittableRandom rng = new SplittableRandom(3);
        float[] w = new float[n * g * n];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rng.nextDouble(-1, 1);
        }
        Parameter wh = new Parameter("layer0.W_h", n, g * n, w.clone(), new float[w.length]);
        Initializers.rescaleBlock(wh, 2, n, g * n, 0.7);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < g * n; j++) {
                if (j / n != 2) {
                    assertEquals(w[i * g * n + j], wh.value()[i * g * n + j]);
                }
            }
        }
        assertEquals(0.7, SpectralRadius.of(wh.value(), 2 * n, g * n, n), 1e-6);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 13, 31, 33})
    void rescaledBlocksHaveTheRequestedSpectralRadiusByEjml(int n) {
        double target = 0.9;
        for (Initializer.Kind kind : List.of(Initializer.Kind.UNIFORM, Initializer.Kind.XAVIER,
                Initializer.Kind.ORTHOGONAL)) {
            List<Parameter> ps = init(spec(CellKind.LSTM, 3, n, 2, 1, new Initializer(kind, target, 0f), 31L * n));
            Parameter wh = find(ps, "layer0.W_h");
            for (int q = 0; q < 4; q++) {
                // The float rounding of the scaled entries moves ρ by about κ(λ)·2⁻²⁴·‖A‖.
                assertEquals(target, EjmlOracle.spectralRadius(block(wh, q, n)), 1e-5 * target,
                        kind + " n=" + n + " gate " + q);
            }
        }
    }

    @Test
    void rescaleIsAPlainFloatMultiplyOfTheBlock() {
        // Initialisers use no kernels: every element becomes x * (float) (radius / ρ), bit for bit.
        int n = 5;
        int g = 3;
        float[] w = TestMatrices.gaussian(n, g * n, 12);
        Parameter wh = new Parameter("layer0.W_h", n, g * n, w.clone(), new float[w.length]);
        double rho = Initializers.rescaleBlock(wh, 1, n, g * n, 1.3);
        assertEquals(EjmlOracle.spectralRadius(TestMatrices.dense(w, n, g * n, n, n)), rho, 1e-12 * rho);
        float f = (float) (1.3 / rho);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < g * n; j++) {
                float want = j / n == 1 ? w[i * g * n + j] * f : w[i * g * n + j];
                assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(wh.value()[i * g * n + j]),
                        "(" + i + ", " + j + ")");
            }
        }
    }
}
