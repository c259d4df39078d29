package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.diagnostics.GradientDiagnostics;
import org.rnn4j.api.diagnostics.JacobianProfile;
import org.rnn4j.simd.KernelProvider;

/**
 * The 2014 GRU's step Jacobian ∂h_t/∂h_{t−1} as the diagnostics compute it — column by column with
 * {@link Gru2014Cell#tangent} and row by row with {@link Gru2014Cell#cotangent} — against central
 * finite differences of a double-precision 2014 GRU step written out here from the model's
 * parameters ({@code ñ = tanh(x·W_xn + b_n + (r∘h)·W_hn)}), at every step of a real forward pass;
 * and the one-step norms {@code jacobianNorms} reports for both GRUs against σ_max of those
 * finite-difference Jacobians. Agreement to 1e-6 relative to the Jacobian's largest entry, as in
 * {@link GruJacobianTest}: the finite difference's error at h = 1e-6 is about 1e-10, the float
 * trajectory's rounding a few 1e-7.
 */
class Gru2014JacobianTest {
    private static final double H = 1e-6;
    private static final int T = 6;
    private static final int M = 3;
    private static final int D = 4;

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {1, 3, 7, 13})
    void tangentAndCotangentAreTheStepJacobian(int n) {
        ModelSpec spec = ModelSpec.builder(D, n, 3).cell(CellKind.GRU_2014).layers(2).seed(60 + n).build();
        RecurrentModel model = Models.create(spec, KernelProvider.get());
        SequenceBatch batch = RandomBatches.classesEveryStep(T, M, D, 3, 70 + n);
        Trajectory tr = DiagnosticsModels.trajectory(model, batch);
        for (int l = 0; l < 2; l++) {
            for (int s = 0; s < M; s++) {
                for (int t = 1; t <= T; t++) {
                    double[][] fd = finiteDifferenceJacobian(CellKind.GRU_2014, model, tr, l, s, t);
                    double scale = DiagnosticsModels.maxAbs(fd);
                    String where = "layer " + l + " n=" + n + " b=" + s + " t=" + t;
                    double[] work = new double[4 * n];
                    double[] none = new double[n];
                    for (int c = 0; c < n; c++) {            // J·e_c, a column
                        double[] e = new double[n];
                        e[c] = 1;
                        double[] col = new double[n];
                        tr.tangent(l, s, t, e, none, col, new double[n], work);
                        for (int r = 0; r < n; r++) {
                            assertEquals(fd[r][c], col[r], 1e-6 * Math.max(1, scale), where + " tangent J[" + r + "][" + c + "]");
                        }
                    }
                    for (int r = 0; r < n; r++) {            // e_r·J, a row
                        double[] e = new double[n];
                        e[r] = 1;
                        double[] row = new double[n];
                        tr.cotangent(l, s, t, e, none, row, new double[n], work);
                        for (int c = 0; c < n; c++) {
                            assertEquals(fd[r][c], row[c], 1e-6 * Math.max(1, scale), where + " cotangent J[" + r + "][" + c + "]");
                        }
                    }
                }
            }
        }
    }

    /**
     * {@code jacobianNorms}' one-step norms ‖∂h_t/∂h_{t−1}‖₂ (power iteration on the tangent and
     * cotangent, through {@link StateMaps}) are σ_max of the finite-difference Jacobians, for both
     * forms of the GRU; log10 to 1e-5 (the iteration's tolerance is 1e-7 relative).
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = CellKind.class, names = {"GRU", "GRU_2014"})
    void oneStepNormsAreTheFiniteDifferenceJacobiansNorms(CellKind cell) {
        int n = 7;
        ModelSpec spec = ModelSpec.builder(D, n, 3).cell(cell).layers(2).seed(80).build();
        RecurrentModel model = Models.create(spec, KernelProvider.get());
        SequenceBatch batch = RandomBatches.classesEveryStep(T, M, D, 3, 81);
        Trajectory tr = DiagnosticsModels.trajectory(model, batch);
        GradientDiagnostics diag = Diagnostics.of(model, batch);
        for (int l = 0; l < 2; l++) {
            for (int s = 0; s < M; s++) {
                JacobianProfile p = diag.jacobianNorms(l, s, T);
                for (int t = 1; t <= T; t++) {
                    double expected = DiagnosticsModels.log10Sigma(finiteDifferenceJacobian(cell, model, tr, l, s, t));
                    DiagnosticsModels.assertLog10(expected, p.stepNorm()[t], 1e-5,
                            cell + " layer " + l + " b=" + s + " log10 ‖∂h_" + t + "/∂h_" + (t - 1) + "‖");
                }
            }
        }
    }

    /** ∂h_t/∂h_{t−1} of layer l, sequence s by central differences of the cell's double step. */
    private static double[][] finiteDifferenceJacobian(CellKind cell, RecurrentModel model, Trajectory tr, int l, int s,
                                                       int t) {
        int n = tr.hidden;
        int d = tr.inputSize[l];
        float[] b = model.parameter("layer" + l + ".b").value();
        float[] bhn = cell == CellKind.GRU ? model.parameter("layer" + l + ".b_hn").value() : null;
        double[] hPrev = new double[n];
        for (int j = 0; j < n; j++) {
            hPrev[j] = tr.h[l][tr.state(t - 1, s) + j];
        }
        double[] x = new double[d];
        for (int j = 0; j < d; j++) {
            x[j] = tr.input(l)[tr.input(l, t, s) + j];
        }
        double[][] fd = new double[n][n];
        for (int c = 0; c < n; c++) {
            double[] up = hPrev.clone();
            double[] down = hPrev.clone();
            up[c] += H;
            down[c] -= H;
            double[] fu = cell == CellKind.GRU ? GruJacobianTest.step(tr.wx[l], tr.wh[l], b, bhn, x, up, n)
                    : step(tr.wx[l], tr.wh[l], b, x, up, n);
            double[] fdn = cell == CellKind.GRU ? GruJacobianTest.step(tr.wx[l], tr.wh[l], b, bhn, x, down, n)
                    : step(tr.wx[l], tr.wh[l], b, x, down, n);
            for (int r = 0; r < n; r++) {
                fd[r][c] = (fu[r] - fdn[r]) / (2 * H);
            }
        }
        return fd;
    }

    /** One 2014 GRU step in double: h_t from x_t and h_{t−1}. */
    static double[] step(double[] wx, double[] wh, float[] b, double[] x, double[] h, int n) {
        int g = 3 * n;
        double[] a = new double[g];
        for (int q = 0; q < g; q++) {                 // x·W_x + b, and h·W_h for r and z
            double sx = b[q];
            for (int i = 0; i < x.length; i++) {
                sx += x[i] * wx[i * g + q];
            }
            if (q < 2 * n) {
                for (int i = 0; i < n; i++) {
                    sx += h[i] * wh[i * g + q];
                }
            }
            a[q] = sx;
        }
        double[] out = new double[n];
        for (int j = 0; j < n; j++) {
            double an = a[2 * n + j];
            for (int i = 0; i < n; i++) {             // (r∘h)·W_hn
                double r = 1 / (1 + Math.exp(-a[i]));
                an += r * h[i] * wh[i * g + 2 * n + j];
            }
            double z = 1 / (1 + Math.exp(-a[n + j]));
            out[j] = (1 - z) * Math.tanh(an) + z * h[j];
        }
        return out;
    }
}
