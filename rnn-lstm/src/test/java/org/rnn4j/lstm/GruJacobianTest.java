package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.simd.KernelProvider;

/**
 * The GRU's step Jacobian ∂h_t/∂h_{t−1} as the diagnostics compute it — column by column with
 * {@link GruCell#tangent} and row by row with {@link GruCell#cotangent} — against central finite
 * differences of a double-precision GRU step written out here from the model's parameters
 * (PyTorch's equations: ñ = tanh(x·W_xn + b_n + r∘(h·W_hn + b_hn))), at every step of a real
 * forward pass. Agreement to 1e-6 relative to the Jacobian's largest entry: the finite
 * difference's error at h = 1e-6 is about 1e-10, the float trajectory's rounding a few 1e-7.
 */
class GruJacobianTest {
    private static final double H = 1e-6;
    private static final int T = 6;
    private static final int M = 3;
    private static final int D = 4;

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {1, 3, 7, 13})
    void tangentAndCotangentAreTheStepJacobian(int n) {
        ModelSpec spec = ModelSpec.builder(D, n, 3).cell(CellKind.GRU).layers(2).seed(40 + n).build();
        RecurrentModel model = Models.create(spec, KernelProvider.get());
        // b_hn non-zero and r far from 0 or 1 somewhere: draw b_hn in ±1.
        float[] bhn = model.parameter("layer1.b_hn").value();
        for (int j = 0; j < n; j++) {
            bhn[j] = (float) Math.sin(3.7 * j + 1);
        }
        SequenceBatch batch = RandomBatches.classesEveryStep(T, M, D, 3, 50 + n);
        Trajectory tr = DiagnosticsModels.trajectory(model, batch);
        for (int l = 0; l < 2; l++) {
            float[] b = model.parameter("layer" + l + ".b").value();
            float[] bh = model.parameter("layer" + l + ".b_hn").value();
            int d = l == 0 ? D : n;
            for (int s = 0; s < M; s++) {
                for (int t = 1; t <= T; t++) {
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
                        double[] fu = step(tr.wx[l], tr.wh[l], b, bh, x, up, n);
                        double[] fdn = step(tr.wx[l], tr.wh[l], b, bh, x, down, n);
                        for (int r = 0; r < n; r++) {
                            fd[r][c] = (fu[r] - fdn[r]) / (2 * H);
                        }
                    }
                    double scale = 0;
                    for (double[] row : fd) {
                        for (double v : row) {
                            scale = Math.max(scale, Math.abs(v));
                        }
                    }
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

    /** One GRU step in double: h_t from x_t and h_{t−1}. */
    static double[] step(double[] wx, double[] wh, float[] b, float[] bhn, double[] x, double[] h, int n) {
        int g = 3 * n;
        double[] ax = new double[g];
        double[] ah = new double[g];
        for (int q = 0; q < g; q++) {
            double sx = b[q];
            for (int i = 0; i < x.length; i++) {
                sx += x[i] * wx[i * g + q];
            }
            ax[q] = sx;
            double sh = 0;
            for (int i = 0; i < n; i++) {
                sh += h[i] * wh[i * g + q];
            }
            ah[q] = sh;
        }
        double[] out = new double[n];
        for (int j = 0; j < n; j++) {
            double r = 1 / (1 + Math.exp(-(ax[j] + ah[j])));
            double z = 1 / (1 + Math.exp(-(ax[n + j] + ah[n + j])));
            double cand = Math.tanh(ax[2 * n + j] + r * (ah[2 * n + j] + bhn[j]));
            out[j] = (1 - z) * cand + z * h[j];
        }
        return out;
    }
}
