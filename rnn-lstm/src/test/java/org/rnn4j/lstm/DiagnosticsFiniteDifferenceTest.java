package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.Initializer;
import org.rnn4j.api.Nonlinearity;
import org.rnn4j.api.RecurrentGradient;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.diagnostics.GradientDiagnostics;
import org.rnn4j.api.diagnostics.JacobianProfile;
import org.rnn4j.simd.Activation;
import org.rnn4j.simd.GateLayout;

/**
 * {@link JacobianOracle}'s dense one-step Jacobians (which the oracle test compares the
 * diagnostics with) against central finite differences of the forward step in double, at the
 * trajectory's states; and the diagnostics' ‖∂h_t/∂h_k‖ against a finite-difference Jacobian of
 * several forward steps.
 *
 * <p>Step {@value #H}: central differences have truncation error ≈ h²·|f'''|/6 ≈ 1e-13 and
 * rounding error ≈ 1e-16·|f|/h ≈ 1e-10 here. The oracle evaluates φ' and the gates at the
 * float trajectory while the double forward recomputes them from the float states: they differ
 * by float rounding of the forward pass (a few ulps of each gate, ≈ 1e-7), so an entry must
 * agree to {@value #TOL} × max(1, max |J|); every case here passes at 1e-7, so that is 10× slack.
 * A wrong term, gate or transposition is off by O(0.01 … 1). Over several steps the rounding
 * compounds; the multi-step comparison of σ_max is in log10 to {@value #MULTI_LOG_TOL} (the
 * largest difference seen is 5e-8).
 */
class DiagnosticsFiniteDifferenceTest {
    private static final double H = 1e-6;
    private static final double TOL = 1e-6;
    private static final double MULTI_LOG_TOL = 1e-6;
    private static final int D = 3;
    private static final int M = 2;
    private static final int T = 7;

    static Stream<Arguments> rnnCases() {
        List<Arguments> out = new ArrayList<>();
        for (Nonlinearity phi : Nonlinearity.values()) {
            for (int n : new int[] {1, 3, 7, 13}) {
                out.add(Arguments.of(phi, n));
            }
        }
        return out.stream();
    }

    static Stream<Arguments> lstmCases() {
        List<Arguments> out = new ArrayList<>();
        for (CellKind kind : new CellKind[] {CellKind.LSTM, CellKind.LSTM_NO_FORGET}) {
            for (int n : new int[] {1, 3, 7, 13}) {
                out.add(Arguments.of(kind, n));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "RNN {0} n={1}")
    @MethodSource("rnnCases")
    void rnnStepMatchesFiniteDifferences(Nonlinearity phi, int n) {
        RecurrentModel model = DiagnosticsModels.rnn(phi, Initializer.pytorchDefault(), D, n, 3, 1, 300 + n);
        SequenceBatch batch = RandomBatches.classesEveryStep(T, M, D, 3, 400 + n);
        Trajectory tr = DiagnosticsModels.trajectory(model, batch);
        float[] bias = model.parameter("layer0.b").value();
        Activation act = DiagnosticsModels.activation(phi);
        int checked = 0;
        for (int b = 0; b < M; b++) {
            for (int t = 1; t <= T; t++) {
                double[] h0 = state(tr.h[0], tr.state(t - 1, b), n);
                if (phi == Nonlinearity.RELU && nearKink(tr, bias, b, t, h0)) {
                    continue;   // ReLU is not differentiable at a = 0: no finite difference there
                }
                double[][] fd = new double[n][n];
                for (int c = 0; c < n; c++) {
                    double[] up = h0.clone();
                    double[] down = h0.clone();
                    up[c] += H;
                    down[c] -= H;
                    double[] fu = JacobianOracle.rnnForward(tr, bias, act, 0, b, t, up);
                    double[] fdn = JacobianOracle.rnnForward(tr, bias, act, 0, b, t, down);
                    for (int r = 0; r < n; r++) {
                        fd[r][c] = (fu[r] - fdn[r]) / (2 * H);
                    }
                }
                assertClose(fd, JacobianOracle.rnnStep(tr, act, 0, b, t), "RNN " + phi + " n=" + n + " b=" + b + " t=" + t);
                checked++;
            }
        }
        assertTrue(checked >= M * T / 2, "too few differentiable steps checked: " + checked);
    }

    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("lstmCases")
    void lstmStateStepAndCellStateDerivativeMatchFiniteDifferences(CellKind kind, int n) {
        boolean forget = kind == CellKind.LSTM;
        RecurrentModel model = DiagnosticsModels.lstm(kind, RecurrentGradient.EXACT, D, n, 3, 1, 500 + n);
        SequenceBatch batch = RandomBatches.classesEveryStep(T, M, D, 3, 600 + n);
        Trajectory tr = DiagnosticsModels.trajectory(model, batch);
        float[] bias = model.parameter("layer0.b").value();
        GateLayout lay = GateLayout.lstm(forget);
        for (int b = 0; b < M; b++) {
            for (int t = 1; t <= T; t++) {
                String where = kind + " n=" + n + " b=" + b + " t=" + t;
                double[] hPrev = state(tr.h[0], tr.state(t - 1, b), n);
                double[] cPrev = state(tr.c[0], tr.state(t - 1, b), n);
                // The 2n × 2n state Jacobian ∂(h_t, c_t)/∂(h_{t−1}, c_{t−1}).
                double[][] fd = new double[2 * n][2 * n];
                for (int col = 0; col < 2 * n; col++) {
                    double[] hu = hPrev.clone();
                    double[] cu = cPrev.clone();
                    double[] hd = hPrev.clone();
                    double[] cd = cPrev.clone();
                    if (col < n) {
                        hu[col] += H;
                        hd[col] -= H;
                    } else {
                        cu[col - n] += H;
                        cd[col - n] -= H;
                    }
                    double[] fu = JacobianOracle.lstmForward(tr, bias, forget, 0, b, t, hu, cu);
                    double[] fdn = JacobianOracle.lstmForward(tr, bias, forget, 0, b, t, hd, cd);
                    for (int r = 0; r < 2 * n; r++) {
                        fd[r][col] = (fu[r] - fdn[r]) / (2 * H);
                    }
                }
                assertClose(fd, JacobianOracle.lstmStep(tr, forget, false, 0, b, t), where + " state Jacobian");
                // D_t = ∂C_t/∂C_{t−1} with h_{t−1} = o_{t−1}∘tanh(C_{t−1}), o_{t−1} held (t ≥ 2);
                // at t = 1, h_0 is given: h held.
                double[] oPrev = new double[n];
                for (int i = 0; i < n && t >= 2; i++) {
                    oPrev[i] = tr.gates[0][tr.gates(t - 1, b) + lay.offset(GateLayout.Gate.O, n) + i];
                }
                double[][] fdC = new double[n][n];
                for (int col = 0; col < n; col++) {
                    double[] cu = cPrev.clone();
                    double[] cd = cPrev.clone();
                    cu[col] += H;
                    cd[col] -= H;
                    double[] fu = JacobianOracle.lstmForward(tr, bias, forget, 0, b, t, t >= 2 ? hidden(oPrev, cu) : hPrev, cu);
                    double[] fdn = JacobianOracle.lstmForward(tr, bias, forget, 0, b, t, t >= 2 ? hidden(oPrev, cd) : hPrev, cd);
                    for (int r = 0; r < n; r++) {
                        fdC[r][col] = (fu[n + r] - fdn[n + r]) / (2 * H);
                    }
                }
                assertClose(fdC, JacobianOracle.cellStep(tr, forget, false, 0, b, t), where + " D_t");
            }
        }
    }

    /** ‖∂h_t/∂h_k‖ of the diagnostics vs σ_max of a finite-difference Jacobian over t − k double forward steps. */
    @Test
    void productNormsMatchMultiStepFiniteDifferences() {
        int n = 3;
        int steps = 6;
        RecurrentModel model = DiagnosticsModels.rnn(Nonlinearity.TANH, Initializer.pytorchDefault(), D, n, 3, 1, 7);
        SequenceBatch batch = RandomBatches.classesEveryStep(steps, M, D, 3, 8);
        Trajectory tr = DiagnosticsModels.trajectory(model, batch);
        GradientDiagnostics diag = Diagnostics.of(model, batch, 1e-12, 20_000);
        float[] bias = model.parameter("layer0.b").value();
        for (int b = 0; b < M; b++) {
            JacobianProfile p = diag.jacobianNorms(0, b, steps);
            assertEquals(0, p.norm()[steps]);
            for (int k = 0; k < steps; k++) {
                double[] hk = state(tr.h[0], tr.state(k, b), n);
                double[][] fd = new double[n][n];
                for (int c = 0; c < n; c++) {
                    double[] up = hk.clone();
                    double[] down = hk.clone();
                    up[c] += H;
                    down[c] -= H;
                    double[] fu = run(tr, bias, b, k, steps, up);
                    double[] fdn = run(tr, bias, b, k, steps, down);
                    for (int r = 0; r < n; r++) {
                        fd[r][c] = (fu[r] - fdn[r]) / (2 * H);
                    }
                }
                DiagnosticsModels.assertLog10(DiagnosticsModels.log10Sigma(fd), p.norm()[k], MULTI_LOG_TOL,
                        "‖∂h_" + steps + "/∂h_" + k + "‖ b=" + b);
            }
        }
    }

    /** h_t from h_k by the double forward of steps k + 1 … t. */
    private static double[] run(Trajectory tr, float[] bias, int b, int k, int t, double[] hk) {
        double[] h = hk;
        for (int j = k + 1; j <= t; j++) {
            h = JacobianOracle.rnnForward(tr, bias, Activation.TANH, 0, b, j, h);
        }
        return h;
    }

    private static double[] hidden(double[] o, double[] c) {
        double[] h = new double[c.length];
        for (int i = 0; i < c.length; i++) {
            h[i] = o[i] * Math.tanh(c[i]);
        }
        return h;
    }

    /** Whether a pre-activation a = x_t·W_x + h_{t−1}·W_h + b of the step is within 1e-3 of ReLU's kink. */
    private static boolean nearKink(Trajectory tr, float[] bias, int b, int t, double[] hPrev) {
        int n = tr.hidden;
        float[] x = tr.input(0);
        int xOff = tr.input(0, t, b);
        for (int q = 0; q < n; q++) {
            double a = bias[q];
            for (int k = 0; k < tr.inputSize[0]; k++) {
                a += x[xOff + k] * tr.wx[0][k * n + q];
            }
            for (int k = 0; k < n; k++) {
                a += hPrev[k] * tr.wh[0][k * n + q];
            }
            if (Math.abs(a) < 1e-3) {
                return true;
            }
        }
        return false;
    }

    private static double[] state(float[] a, int off, int n) {
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = a[off + i];
        }
        return s;
    }

    private static void assertClose(double[][] fd, double[][] oracle, String where) {
        double tol = TOL * Math.max(1, DiagnosticsModels.maxAbs(oracle));
        for (int r = 0; r < fd.length; r++) {
            for (int c = 0; c < fd.length; c++) {
                assertEquals(fd[r][c], oracle[r][c], tol, where + " J[" + r + "][" + c + "]");
            }
        }
    }
}
