package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rnn4j.lstm.DiagnosticsModels.assertLog10;
import static org.rnn4j.lstm.DiagnosticsModels.log10Sigma;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.Initializer;
import org.rnn4j.api.Initializer.Kind;
import org.rnn4j.api.Nonlinearity;
import org.rnn4j.api.RecurrentGradient;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.diagnostics.CellStateProfile;
import org.rnn4j.api.diagnostics.GradientDiagnostics;
import org.rnn4j.api.diagnostics.JacobianProfile;
import org.rnn4j.api.diagnostics.Spectrum;
import org.rnn4j.api.diagnostics.WeightSpectrum;
import org.rnn4j.simd.Activation;
import org.rnn4j.simd.GateLayout;

/**
 * The diagnostics' matrix-free answers (power iteration on the cells' own tangent/cotangent, QR
 * eigenvalues) against dense matrices: the one-step Jacobians formed by {@link JacobianOracle}
 * from the equations at the same trajectory, multiplied out densely, and EJML's SVD and
 * eigenvalue solvers.
 *
 * <p>Tolerance {@value #LOG_TOL} in log10 (2.3e-6 relative): both sides are double computations
 * from the same float trajectory and weights, so they differ only by rounding (≈1e-14 relative
 * over 9 steps) and by the power iteration's stopping error. That stops when σ changes by less
 * than 1e-12 relative per iteration; its remaining error is about 1e-12/(1 − s²) for s =
 * σ₂/σ₁ — large when the top singular values nearly coincide, as here by construction: with
 * W_h = r·Q orthogonal the singular values of a step diag(φ')·W_hᵀ are r·φ' themselves, all
 * ≈ r/4 for the sigmoid, all r for live ReLU units. The largest difference seen is 7e-8 (all
 * pass at 1e-7), so this is ≥ 10× slack. A wrong Jacobian (a missing term, a transposed block,
 * a wrong gate) changes σ by 1e-3 or more. The
 * forget-gate quantities are exact algebra on the stored gates: {@value #EXACT_TOL}. Eigenvalues
 * match as multisets to {@value #EIG_TOL} × max(1, σ_max) (both QR solvers are backward stable).
 */
class DiagnosticsOracleTest {
    private static final double LOG_TOL = 1e-6;
    private static final double EXACT_TOL = 1e-12;
    private static final double EIG_TOL = 1e-8;
    private static final int D = 3;
    private static final int M = 2;
    private static final int T = 9;
    private static final int[] SIZES = {1, 3, 7, 13};

    static Stream<Arguments> rnnCases() {
        List<Arguments> out = new ArrayList<>();
        for (Nonlinearity phi : Nonlinearity.values()) {
            for (double r : new double[] {0.5, 1.0, 1.5, 0}) {
                for (int n : SIZES) {
                    out.add(Arguments.of(phi, r, n, 1, 0));
                }
            }
        }
        out.add(Arguments.of(Nonlinearity.TANH, 1.0, 7, 2, 1));
        out.add(Arguments.of(Nonlinearity.RELU, 0.0, 3, 2, 1));
        return out.stream();
    }

    static Stream<Arguments> lstmCases() {
        List<Arguments> out = new ArrayList<>();
        for (CellKind kind : new CellKind[] {CellKind.LSTM, CellKind.LSTM_NO_FORGET}) {
            for (RecurrentGradient g : RecurrentGradient.values()) {
                for (int n : SIZES) {
                    out.add(Arguments.of(kind, g, n, 1, 0));
                }
            }
        }
        out.add(Arguments.of(CellKind.LSTM, RecurrentGradient.EXACT, 7, 2, 1));
        out.add(Arguments.of(CellKind.LSTM_NO_FORGET, RecurrentGradient.TRUNCATED_1997, 3, 2, 1));
        return out.stream();
    }

    @ParameterizedTest(name = "RNN {0} radius={1} (0: default init) n={2} layers={3} layer={4}")
    @MethodSource("rnnCases")
    void rnnMatchesDenseOracle(Nonlinearity phi, double radius, int n, int layers, int layer) {
        Initializer init = radius > 0 ? Initializer.of(Kind.ORTHOGONAL).withSpectralRadius(radius) : Initializer.pytorchDefault();
        RecurrentModel model = DiagnosticsModels.rnn(phi, init, D, n, 3, layers, 1000 + n);
        SequenceBatch batch = RandomBatches.classesEveryStep(T, M, D, 3, 77 + n);
        Trajectory tr = DiagnosticsModels.trajectory(model, batch);
        GradientDiagnostics diag = Diagnostics.of(model, batch, 1e-12, 20_000);
        Activation act = DiagnosticsModels.activation(phi);
        String where = "RNN " + phi + " r=" + radius + " n=" + n + " layer " + layer;
        for (int b = 0; b < M; b++) {
            double[][][] steps = new double[T + 1][][];
            for (int j = 1; j <= T; j++) {
                steps[j] = JacobianOracle.rnnStep(tr, act, layer, b, j);
            }
            checkProducts(diag.jacobianNorms(layer, b, T), steps, n, where + " b=" + b);
            for (int t : new int[] {1, T / 2, T}) {
                checkSpectrum(diag.stepJacobianSpectrum(layer, b, t), steps[t], where + " b=" + b + " t=" + t);
            }
        }
        List<WeightSpectrum> ws = diag.recurrentWeights(layer);
        assertEquals(1, ws.size(), where);
        assertEquals("W_h", ws.get(0).block());
        checkWeights(ws.get(0), TestMatrices.dense(toFloat(tr.wh[layer]), 0, n, n, n), where);
    }

    @ParameterizedTest(name = "{0} {1} n={2} layers={3} layer={4}")
    @MethodSource("lstmCases")
    void lstmMatchesDenseOracle(CellKind kind, RecurrentGradient gradient, int n, int layers, int layer) {
        RecurrentModel model = DiagnosticsModels.lstm(kind, gradient, D, n, 3, layers, 2000 + n);
        SequenceBatch batch = RandomBatches.classesEveryStep(T, M, D, 3, 99 + n);
        Trajectory tr = DiagnosticsModels.trajectory(model, batch);
        GradientDiagnostics diag = Diagnostics.of(model, batch, 1e-12, 20_000);
        boolean forget = kind == CellKind.LSTM;
        boolean truncated = gradient == RecurrentGradient.TRUNCATED_1997;
        String where = kind + " " + gradient + " n=" + n + " layer " + layer;
        GateLayout lay = GateLayout.lstm(forget);
        for (int b = 0; b < M; b++) {
            double[][][] steps = new double[T + 1][][];
            double[][][] cells = new double[T + 1][][];
            for (int j = 1; j <= T; j++) {
                steps[j] = JacobianOracle.lstmStep(tr, forget, truncated, layer, b, j);
                cells[j] = JacobianOracle.cellStep(tr, forget, truncated, layer, b, j);
            }
            checkProducts(diag.jacobianNorms(layer, b, T), steps, n, where + " b=" + b);
            for (int t : new int[] {1, T / 2, T}) {
                checkSpectrum(diag.stepJacobianSpectrum(layer, b, t), steps[t], where + " b=" + b + " t=" + t);
            }
            CellStateProfile cs = diag.cellState(layer, b, T);
            String w = where + " b=" + b + " ∂C_t/∂C_{t−1}";
            double[] logForget = new double[n];
            for (int k = T - 1; k >= 0; k--) {
                int j = k + 1;
                assertLog10(log10Sigma(cells[j]), cs.stepFull()[j], LOG_TOL, w + " ‖D_" + j + "‖");
                assertLog10(log10Sigma(JacobianOracle.product(cells, k, T)), cs.productFull()[k], LOG_TOL,
                        w + " ‖D_T⋯D_" + (k + 1) + "‖");
                double maxF = 0;
                for (int i = 0; i < n; i++) {
                    double f = forget ? tr.gates[layer][tr.gates(j, b) + lay.offset(GateLayout.Gate.F, n) + i] : 1;
                    maxF = Math.max(maxF, f);
                    logForget[i] += Math.log10(f);
                }
                assertEquals(Math.log10(maxF), cs.stepForget()[j], EXACT_TOL, w + " max f_" + j);
                double maxProd = Double.NEGATIVE_INFINITY;
                for (double lf : logForget) {
                    maxProd = Math.max(maxProd, lf);
                }
                assertEquals(maxProd, cs.productForget()[k], EXACT_TOL, w + " max ∏f from " + (k + 1));
            }
        }
        List<WeightSpectrum> ws = diag.recurrentWeights(layer);
        assertEquals(lay.gates(), ws.size(), where);
        float[] wh = toFloat(tr.wh[layer]);
        for (int q = 0; q < lay.gates(); q++) {
            GateLayout.Gate gate = lay.gate(q);
            assertEquals("W_h" + gate.name().toLowerCase(java.util.Locale.ROOT), ws.get(q).block(), where);
            checkWeights(ws.get(q), TestMatrices.dense(wh, lay.offset(gate, n), tr.gateWidth, n, n), where + " " + gate);
        }
    }

    /** norm[k] vs σ_max of the h→h block of the dense product; stepNorm[j] vs σ_max of the dense step. */
    private static void checkProducts(JacobianProfile p, double[][][] steps, int n, String where) {
        for (int j = 1; j <= T; j++) {
            assertLog10(log10Sigma(steps[j]), p.stepNorm()[j], LOG_TOL, where + " one-step norm j=" + j);
        }
        assertEquals(0, p.norm()[T], where + " empty product");
        for (int k = T - 1; k >= 0; k--) {
            double[][] prod = JacobianOracle.block(JacobianOracle.product(steps, k, T), 0, 0, n);
            assertLog10(log10Sigma(prod), p.norm()[k], LOG_TOL, where + " ‖∂h_T/∂h_" + k + "‖");
        }
    }

    private static void checkSpectrum(Spectrum got, double[][] dense, String where) {
        double[][] mine = new double[got.size()][];
        for (int i = 0; i < got.size(); i++) {
            mine[i] = new double[] {got.re()[i], got.im()[i]};
            if (i > 0) {
                assertEquals(true, got.modulus(i) <= got.modulus(i - 1) + 1e-15, where + " sorted by modulus");
            }
        }
        double scale = Math.max(1, EjmlOracle.largestSingularValue(dense));
        EigenvalueSets.assertSame(EjmlOracle.eigenvalues(dense), mine, EIG_TOL * scale, where + " step Jacobian eigenvalues");
    }

    private static void checkWeights(WeightSpectrum ws, double[][] block, String where) {
        double sigma = EjmlOracle.largestSingularValue(block);
        assertEquals(Math.log10(sigma), Math.log10(ws.sigmaMax()), LOG_TOL, where + " σ_max(" + ws.block() + ")");
        double scale = Math.max(1, sigma);
        double[][] want = EjmlOracle.eigenvalues(block);
        Spectrum s = ws.eigenvalues();
        double[][] mine = new double[s.size()][];
        for (int i = 0; i < s.size(); i++) {
            mine[i] = new double[] {s.re()[i], s.im()[i]};
        }
        EigenvalueSets.assertSame(want, mine, EIG_TOL * scale, where + " eigenvalues of " + ws.block());
        assertEquals(EjmlOracle.spectralRadius(block), ws.spectralRadius(), EIG_TOL * scale, where + " ρ(" + ws.block() + ")");
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }
}
