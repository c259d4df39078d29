package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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

/** {@link Initializers}: the weight rules, determinism, and the spectral measurements. */
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

    private static double[][] mul(double[][] a, double[][] b) {
        int n = a.length;
        int k = b.length;
        int m = b[0].length;
        double[][] c = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < k; p++) {
                for (int j = 0; j < m; j++) {
                    c[i][j] += a[i][p] * b[p][j];
                }
            }
        }
        return c;
    }

    private static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    private static float[] flat(double[][] a) {
        int n = a.length;
        float[] f = new float[n * a[0].length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < a[0].length; j++) {
                f[i * a[0].length + j] = (float) a[i][j];
            }
        }
        return f;
    }

    /** The float matrix read back in double (what the library sees). */
    private static double[][] dense(float[] a, int n) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m[i][j] = a[i * n + j];
            }
        }
        return m;
    }

    /**
     * Independent spectral radius: Gelfand's formula ‖A^k‖_F^{1/k}, k = 2^s, by repeated squaring
     * with normalisation (an upper bound that converges to ρ).
     */
    static double gelfandRadius(double[][] a, int squarings) {
        int n = a.length;
        double[][] b = new double[n][];
        for (int i = 0; i < n; i++) {
            b[i] = a[i].clone();
        }
        double log = 0;
        double w = 1;
        for (int s = 0; ; s++) {
            double f = 0;
            for (double[] row : b) {
                for (double x : row) {
                    f += x * x;
                }
            }
            f = Math.sqrt(f);
            if (f == 0) {
                return 0;
            }
            log += w * Math.log(f);
            if (s == squarings) {
                return Math.exp(log);
            }
            for (double[] row : b) {
                for (int j = 0; j < n; j++) {
                    row[j] /= f;
                }
            }
            b = mul(b, b);
            w /= 2;
        }
    }

    /** Closed-form spectral radius of a 2 × 2 matrix. */
    static double radius2(double a, double b, double c, double d) {
        double tr = a + d;
        double det = a * d - b * c;
        double disc = tr * tr / 4 - det;
        if (disc >= 0) {
            double s = Math.sqrt(disc);
            return Math.max(Math.abs(tr / 2 + s), Math.abs(tr / 2 - s));
        }
        return Math.sqrt(det); // |λ|² = λ·λ̄ = det for a complex pair
    }

    /** Random orthogonal n × n matrix by Gram–Schmidt (twice) in the test, independent of the library. */
    static double[][] orthogonal(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] q = new double[n][n];
        for (int j = 0; j < n; j++) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = rng.nextGaussian();
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int k = 0; k < j; k++) {
                    double dot = 0;
                    for (int i = 0; i < n; i++) {
                        dot += q[i][k] * v[i];
                    }
                    for (int i = 0; i < n; i++) {
                        v[i] -= dot * q[i][k];
                    }
                }
            }
            double norm = 0;
            for (double x : v) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                q[i][j] = v[i] / norm;
            }
        }
        return q;
    }

    /** Largest eigenvalue of a symmetric matrix by cyclic Jacobi rotations (independent of the library). */
    static double jacobiLargestEigenvalue(double[][] s) {
        int n = s.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = s[i].clone();
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    off += a[i][j] * a[i][j];
                }
            }
            if (off < 1e-30) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p][q] == 0) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double sn = t * c;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - sn * akq;
                        a[k][q] = sn * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - sn * aqk;
                        a[q][k] = sn * apk + c * aqk;
                    }
                }
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, a[i][i]);
        }
        return max;
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
        assertEquals(0.7, Initializers.spectralRadius(wh.value(), 2 * n, g * n, n), 1e-6);
    }

    // ---------------------------------------------------------------------------------------
    // spectralRadius on matrices with known spectra
    // ---------------------------------------------------------------------------------------

    @Test
    void spectralRadiusOfDiagonalMatrices() {
        float[] d = {0.5f, -3f, 2f, 0f, 2.5f};
        int n = d.length;
        float[] a = new float[n * n];
        for (int i = 0; i < n; i++) {
            a[i * n + i] = d[i];
        }
        assertEquals(3.0, Initializers.spectralRadius(a, 0, n, n), 1e-12);
        assertEquals(0.0, Initializers.spectralRadius(new float[0], 0, 0, 0));
        assertEquals(4.0, Initializers.spectralRadius(new float[] {-4f}, 0, 1, 1));
    }

    @Test
    void spectralRadiusOfScaledIdentity() {
        for (int n : new int[] {1, 2, 7, 40}) {
            for (float c : new float[] {1f, -2.5f, 0.3f}) {
                float[] a = new float[n * n];
                for (int i = 0; i < n; i++) {
                    a[i * n + i] = c;
                }
                assertEquals(Math.abs(c), Initializers.spectralRadius(a, 0, n, n), 1e-12 * Math.abs(c));
            }
        }
    }

    @Test
    void spectralRadiusOfRotationsHasComplexEigenvalues() {
        // r·R(θ) has eigenvalues r·e^{±iθ}: power iteration on it never converges.
        for (double theta : new double[] {0.3, Math.PI / 2, 2.5, Math.PI - 1e-3}) {
            double r = 1.7;
            float[] a = {(float) (r * Math.cos(theta)), (float) (-r * Math.sin(theta)),
                    (float) (r * Math.sin(theta)), (float) (r * Math.cos(theta))};
            double exact = radius2(a[0], a[1], a[2], a[3]);
            assertEquals(exact, Initializers.spectralRadius(a, 0, 2, 2), 1e-12);
            assertEquals(r, Initializers.spectralRadius(a, 0, 2, 2), 1e-6);
        }
        // Block-diagonal rotations with radii 0.8, 1.3 (dominant complex pair), 0.5 (real), hidden by
        // an orthogonal similarity: the spectrum is unchanged.
        int n = 5;
        double[][] b = new double[n][n];
        double[] radii = {0.8, 1.3};
        double[] angles = {1.0, 2.2};
        for (int k = 0; k < 2; k++) {
            int o = 2 * k;
            b[o][o] = radii[k] * Math.cos(angles[k]);
            b[o][o + 1] = -radii[k] * Math.sin(angles[k]);
            b[o + 1][o] = radii[k] * Math.sin(angles[k]);
            b[o + 1][o + 1] = radii[k] * Math.cos(angles[k]);
        }
        b[4][4] = -0.5;
        double[][] q = orthogonal(n, 99);
        float[] a = flat(mul(mul(q, b), transpose(q)));
        assertEquals(1.3, Initializers.spectralRadius(a, 0, n, n), 1e-6);
        assertEquals(gelfandRadius(dense(a, n), 40), Initializers.spectralRadius(a, 0, n, n), 1e-6);
    }

    @Test
    void spectralRadiusOfRandomOrthogonalIsOne() {
        for (int n : new int[] {2, 3, 10, 64}) {
            float[] a = flat(orthogonal(n, n));
            assertEquals(1.0, Initializers.spectralRadius(a, 0, n, n), 1e-6, "n=" + n);
        }
    }

    @Test
    void spectralRadiusOfNilpotentMatricesIsZero() {
        int n = 6;
        SplittableRandom rng = new SplittableRandom(5);
        float[] upper = new float[n * n];
        float[] lower = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                upper[i * n + j] = (float) rng.nextDouble(-2, 2);
            }
        }
        for (int i = 1; i < n; i++) {
            lower[i * n + i - 1] = 1f; // the shift (one Jordan block), already Hessenberg
        }
        assertEquals(0.0, Initializers.spectralRadius(upper, 0, n, n), 0.0);
        assertEquals(0.0, Initializers.spectralRadius(lower, 0, n, n), 1e-2);
        assertEquals(0.0, Initializers.spectralRadius(new float[n * n], 0, n, n), 0.0);
    }

    @Test
    void spectralRadiusOfNonNormalMatricesWithKnownEigenvalues() {
        // A = Q·T·Qᵀ with T upper triangular: eigenvalues = diag(T), in any order of magnitude.
        int n = 7;
        double[] diag = {0.4, -1.9, 1.2, 0.0, -0.7, 1.85, 0.1};
        SplittableRandom rng = new SplittableRandom(8);
        double[][] t = new double[n][n];
        for (int i = 0; i < n; i++) {
            t[i][i] = diag[i];
            for (int j = i + 1; j < n; j++) {
                t[i][j] = rng.nextDouble(-1, 1);
            }
        }
        double[][] q = orthogonal(n, 4);
        float[] a = flat(mul(mul(q, t), transpose(q)));
        assertEquals(1.9, Initializers.spectralRadius(a, 0, n, n), 1e-5);
        // companion matrix of (x − 0.5)(x + 2)(x² − 2x + 2): roots 0.5, −2, 1 ± i → ρ = 2 (not √2)
        // p(x) = x⁴ − 0.5x³ − 2x² + 5x − 2
        float[] comp = {
            0.5f, 2f, -5f, 2f,
            1f, 0f, 0f, 0f,
            0f, 1f, 0f, 0f,
            0f, 0f, 1f, 0f};
        assertEquals(2.0, Initializers.spectralRadius(comp, 0, 4, 4), 1e-9);
    }

    @Test
    void spectralRadiusMatchesGelfandOnRandomMatrices() {
        for (int n : new int[] {2, 3, 9, 30, 50}) {
            SplittableRandom rng = new SplittableRandom(n);
            float[] a = new float[n * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) rng.nextGaussian();
            }
            double want = gelfandRadius(dense(a, n), 40);
            assertEquals(want, Initializers.spectralRadius(a, 0, n, n), 1e-4 * want, "n=" + n);
        }
    }

    @Test
    void spectralRadiusHonoursOffsetAndLeadingDimension() {
        // 2x2 block [[0, -2], [2, 0]] (eigenvalues ±2i) embedded at offset 3 in rows of 6
        float[] a = new float[20];
        Arrays.fill(a, 100f);
        a[3] = 0f;
        a[4] = -2f;
        a[9] = 2f;
        a[10] = 0f;
        assertEquals(2.0, Initializers.spectralRadius(a, 3, 6, 2), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Initializers.spectralRadius(a, 3, 6, 4));
        assertThrows(IllegalArgumentException.class, () -> Initializers.spectralRadius(a, 0, 1, 2));
        float[] nan = {1f, Float.NaN, 0f, 1f};
        assertThrows(IllegalArgumentException.class, () -> Initializers.spectralRadius(nan, 0, 2, 2));
    }

    // ---------------------------------------------------------------------------------------
    // largestSingularValue
    // ---------------------------------------------------------------------------------------

    @Test
    void largestSingularValueOfKnownMatrices() {
        // diagonal
        float[] d = {0.5f, 0f, 0f, 0f, -3f, 0f, 0f, 0f, 2f};
        assertEquals(3.0, Initializers.largestSingularValue(d, 0, 3, 3), 3e-6);
        // c · orthogonal
        int n = 12;
        double[][] q = orthogonal(n, 3);
        float[] a = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i * n + j] = (float) (2.5 * q[i][j]);
            }
        }
        assertEquals(2.5, Initializers.largestSingularValue(a, 0, n, n), 2.5e-6);
        // rank one u·vᵀ: σ = ‖u‖·‖v‖
        float[] u = {1f, -2f, 0.5f, 3f};
        float[] v = {0.25f, 1f, -1f, 2f};
        float[] r1 = new float[16];
        double nu = 0;
        double nv = 0;
        for (int i = 0; i < 4; i++) {
            nu += u[i] * u[i];
            nv += v[i] * v[i];
            for (int j = 0; j < 4; j++) {
                r1[i * 4 + j] = u[i] * v[j];
            }
        }
        assertEquals(Math.sqrt(nu * nv), Initializers.largestSingularValue(r1, 0, 4, 4), 1e-6 * Math.sqrt(nu * nv));
        // nilpotent shift: spectral radius 0, but ‖A‖₂ = 1
        float[] shift = new float[25];
        for (int i = 1; i < 5; i++) {
            shift[i * 5 + i - 1] = 1f;
        }
        assertEquals(1.0, Initializers.largestSingularValue(shift, 0, 5, 5), 1e-6);
        assertEquals(0.0, Initializers.largestSingularValue(new float[9], 0, 3, 3));
        assertEquals(0.0, Initializers.largestSingularValue(new float[0], 0, 0, 0));
    }

    @Test
    void largestSingularValueOf2x2InClosedForm() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int k = 0; k < 50; k++) {
            float[] a = new float[4];
            for (int i = 0; i < 4; i++) {
                a[i] = (float) rng.nextDouble(-3, 3);
            }
            double p = a[0];
            double qq = a[1];
            double r = a[2];
            double s = a[3];
            // σ_max² = (S + √(S² − 4·det²))/2 with S = ‖A‖_F²
            double fro = p * p + qq * qq + r * r + s * s;
            double det = p * s - qq * r;
            double sigma = Math.sqrt((fro + Math.sqrt(Math.max(0, fro * fro - 4 * det * det))) / 2);
            assertEquals(sigma, Initializers.largestSingularValue(a, 0, 2, 2), 1e-6 * sigma);
        }
    }

    @Test
    void largestSingularValueMatchesJacobiOnRandomMatrices() {
        for (int n : new int[] {3, 7, 20, 40}) {
            SplittableRandom rng = new SplittableRandom(100 + n);
            float[] a = new float[n * n + 5];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) rng.nextGaussian();
            }
            int off = 5;
            double[][] m = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    m[i][j] = a[off + i * n + j];
                }
            }
            double want = Math.sqrt(jacobiLargestEigenvalue(mul(transpose(m), m)));
            double got = Initializers.largestSingularValue(a, off, n, n);
            assertEquals(want, got, 1e-6 * want, "n=" + n);
            assertTrue(got >= Initializers.spectralRadius(a, off, n, n) * (1 - 1e-9), "σ_max ≥ ρ");
        }
    }

    @Test
    void orthogonalFactorReproducesAFullRankMatrix() {
        // A = Q·R with R upper triangular with non-negative diagonal: check QᵀA is upper triangular.
        int n = 6;
        SplittableRandom rng = new SplittableRandom(2);
        double[] a = new double[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextGaussian();
        }
        double[][] am = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                am[i][j] = a[i * n + j];
            }
        }
        double[] q = new double[n * n];
        Initializers.orthogonalFactor(a.clone(), n, q);
        double[][] qm = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                qm[i][j] = q[i * n + j];
            }
        }
        double[][] r = mul(transpose(qm), am);
        for (int i = 0; i < n; i++) {
            assertTrue(r[i][i] > 0, "positive diagonal of R");
            for (int j = 0; j < i; j++) {
                if (Math.abs(r[i][j]) > 1e-12) {
                    fail("R(" + i + "," + j + ") = " + r[i][j]);
                }
            }
        }
    }
}
