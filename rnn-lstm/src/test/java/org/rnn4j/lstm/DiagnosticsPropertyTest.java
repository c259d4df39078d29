package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.Initializer;
import org.rnn4j.api.Nonlinearity;
import org.rnn4j.api.RecurrentGradient;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.diagnostics.ErrorSignal;
import org.rnn4j.api.diagnostics.GradientDiagnostics;
import org.rnn4j.api.diagnostics.JacobianProfile;
import org.rnn4j.api.diagnostics.WeightSpectrum;

/**
 * What must hold for any model and batch: the measured ‖∂h_t/∂h_k‖ never exceeds the trajectory
 * bound, which never exceeds the uniform bound (RNN); ρ ≤ σ_max for every recurrent block; the
 * error signal's ratio at lag 0 is 0; the batch profile is the mean of the sequences' log10.
 * Over 40 seeds: random n ∈ [1, 9], T ∈ [2, 12], m ∈ [1, 3], 1 or 2 layers; even seeds an RNN
 * with a random activation, initializer and spectral radius in [0.3, 2.5], odd seeds a random
 * LSTM (with or without forget gate, exact or truncated gradient).
 *
 * <p>Slack: the bounds are products of one-step norms, each a power-iteration estimate in double
 * (a lower bound, converged to 1e-12 relative here), and σ_max(W_h) is power iteration to about
 * 1e-12 relative in σ² (LargestSingularValue); 1e-9 in log10 covers their rounding and nothing
 * else. ρ (QR) and σ_max: 1e-12 relative. The batch mean: both sides sum the same doubles, so
 * 1e-12.
 */
class DiagnosticsPropertyTest {
    private static final double BOUND_SLACK = 1e-9;

    static LongStream seeds() {
        return LongStream.range(0, 40);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void boundsAndAggregatesHold(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed * 7919 + 17);
        int n = 1 + rnd.nextInt(9);
        int steps = 2 + rnd.nextInt(11);
        int m = 1 + rnd.nextInt(3);
        int layers = 1 + rnd.nextInt(2);
        int d = 1 + rnd.nextInt(4);
        boolean rnn = seed % 2 == 0;
        RecurrentModel model;
        String what;
        if (rnn) {
            Nonlinearity phi = Nonlinearity.values()[rnd.nextInt(Nonlinearity.values().length)];
            Initializer.Kind kind = Initializer.Kind.values()[rnd.nextInt(Initializer.Kind.values().length)];
            double radius = 0.3 + 2.2 * rnd.nextDouble();
            model = DiagnosticsModels.rnn(phi, Initializer.of(kind).withSpectralRadius(radius), d, n, 3, layers, seed);
            what = "RNN " + phi + " " + kind + " ρ=" + radius;
        } else {
            CellKind kind = rnd.nextBoolean() ? CellKind.LSTM : CellKind.LSTM_NO_FORGET;
            RecurrentGradient g = rnd.nextBoolean() ? RecurrentGradient.EXACT : RecurrentGradient.TRUNCATED_1997;
            model = DiagnosticsModels.lstm(kind, g, d, n, 3, layers, seed);
            what = kind + " " + g;
        }
        what += " n=" + n + " T=" + steps + " m=" + m + " layers=" + layers;
        SequenceBatch batch = RandomBatches.classesEveryStep(steps, m, d, 3, seed + 1);
        GradientDiagnostics diag = Diagnostics.of(model, batch, 1e-12, 20_000);
        for (int l = 0; l < layers; l++) {
            for (WeightSpectrum ws : diag.recurrentWeights(l)) {
                assertTrue(ws.spectralRadius() <= ws.sigmaMax() * (1 + 1e-12),
                        what + " layer " + l + " " + ws.block() + ": ρ = " + ws.spectralRadius() + " > σ_max = " + ws.sigmaMax());
                assertEquals(ws.eigenvalues().spectralRadius(), ws.spectralRadius(), 0.0, what);
            }
            int[] ts = {steps, 1 + rnd.nextInt(steps)};
            for (int t : ts) {
                JacobianProfile[] per = new JacobianProfile[m];
                for (int b = 0; b < m; b++) {
                    JacobianProfile p = per[b] = diag.jacobianNorms(l, b, t);
                    String w = what + " layer " + l + " b=" + b + " t=" + t;
                    for (int k = 0; k <= t; k++) {
                        assertTrue(p.norm()[k] <= p.trajectoryBound()[k] + BOUND_SLACK,
                                w + " k=" + k + ": ‖∂h_t/∂h_k‖ 10^" + p.norm()[k] + " above the trajectory bound 10^"
                                        + p.trajectoryBound()[k]);
                        if (rnn) {
                            assertTrue(p.trajectoryBound()[k] <= p.uniformBound()[k] + BOUND_SLACK,
                                    w + " k=" + k + ": trajectory bound 10^" + p.trajectoryBound()[k]
                                            + " above the uniform bound 10^" + p.uniformBound()[k]);
                        } else {
                            assertTrue(Double.isNaN(p.uniformBound()[k]), w + ": LSTM has no uniform bound");
                        }
                    }
                    assertRatioAtLagZero(diag.errorSignal(l, b, t), w);
                }
                JacobianProfile all = diag.jacobianNorms(l, t);
                assertEquals(-1, all.sequence());
                String w = what + " layer " + l + " batch t=" + t;
                assertMean(per, all.norm(), 0, w + " norm");
                assertMean(per, all.trajectoryBound(), 1, w + " trajectory bound");
                if (rnn) {
                    assertMean(per, all.uniformBound(), 2, w + " uniform bound");
                }
                assertMean(per, all.stepNorm(), 3, w + " step norms");
                assertRatioAtLagZero(diag.errorSignal(l, t), w);
            }
        }
    }

    /**
     * ratioAtLag(0) = log10(‖∂L_t/∂h_t‖/‖∂L_t/∂h_t‖) = 0 — unless no signal reaches h_t at all
     * (e.g. the layer above is a dead ReLU unit): 0/0 is undefined, NaN as the package says.
     */
    private static void assertRatioAtLagZero(ErrorSignal e, String what) {
        if (e.hidden()[e.t()] == Double.NEGATIVE_INFINITY) {
            assertTrue(Double.isNaN(e.ratioAtLag(0)), what + ": no signal at h_t, ratio undefined");
        } else {
            assertTrue(Double.isFinite(e.hidden()[e.t()]), what + ": ‖∂L_t/∂h_t‖ = 10^" + e.hidden()[e.t()]);
            assertEquals(0.0, e.ratioAtLag(0), 0.0, what + " ratio at lag 0");
        }
    }

    /** agg[k] is the mean of the sequences' log10 values (−∞ if any is −∞; index 0 of step norms is NaN). */
    private static void assertMean(JacobianProfile[] per, double[] agg, int field, String what) {
        for (int k = 0; k < agg.length; k++) {
            double sum = 0;
            for (JacobianProfile p : per) {
                double[] v = switch (field) {
                    case 0 -> p.norm();
                    case 1 -> p.trajectoryBound();
                    case 2 -> p.uniformBound();
                    default -> p.stepNorm();
                };
                sum += v[k];
            }
            double mean = sum / per.length;
            if (Double.isNaN(mean) || Double.isInfinite(mean)) {
                assertEquals(mean, agg[k], what + " k=" + k);
            } else {
                assertEquals(mean, agg[k], 1e-12 * Math.max(1, Math.abs(mean)), what + " k=" + k);
            }
        }
    }

}
