package org.rnn4j.bench.stability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * E1 at a small size (T = 30, n = 16, 2 sequences): the derivation's claims hold, so that a wrong
 * BPTT or wrong diagnostics would fail here.
 */
class GradientVsLagTest {
    static final int T = 30;
    static Map<String, LagCurve> curves;

    @BeforeAll
    static void run() {
        E1Result r = GradientVsLag.run(T, 16, 2, 0, ProgressSink.NONE);
        assertEquals(T, r.steps());
        curves = new HashMap<>();
        for (LagCurve c : r.curves()) {
            curves.put(c.label(), c);
        }
        assertEquals(GradientVsLag.configs(16, 0).size(), curves.size());
    }

    @Test
    void theBoundsAreNeverExceeded() {
        for (LagCurve c : curves.values()) {
            for (int d = 0; d < T; d++) {
                double norm = c.log10JacobianNorm()[d];
                assertTrue(norm <= c.log10TrajectoryBound()[d] + 1e-9, c.label() + " lag " + d + ": ‖∂h_T/∂h_k‖ "
                        + norm + " above the trajectory bound " + c.log10TrajectoryBound()[d]);
                if (!Double.isNaN(c.log10UniformBound()[d])) {
                    assertTrue(c.log10TrajectoryBound()[d] <= c.log10UniformBound()[d] + 1e-9, c.label() + " lag " + d);
                }
            }
        }
    }

    /** ρ < 1 with an orthogonal W_hh: σ_max = ρ, so ‖∂h_T/∂h_k‖ falls at least as fast as ρ^d, and steadily. */
    @Test
    void contractiveTanhRnnDecaysGeometrically() {
        for (double rho : new double[] {0.5, 0.9}) {
            LagCurve c = curves.get("tanh RNN, ρ = " + rho);
            double slope = LeadClaims.slope(c.log10JacobianNorm(), 5, T - 1);
            assertTrue(slope <= Math.log10(rho) + 1e-6, "ρ = " + rho + ": slope " + slope);
            assertTrue(slope > Math.log10(rho) - 0.5, "ρ = " + rho + ": slope " + slope + " is far steeper than log10 ρ");
            for (int d = 1; d < T; d++) {
                assertTrue(c.log10JacobianNorm()[d] < c.log10JacobianNorm()[d - 1], "ρ = " + rho + " lag " + d);
            }
        }
    }

    /** The derivation's comparison: the LSTM keeps far more of the error signal over T − 1 steps than a tanh RNN. */
    @Test
    void lstmKeepsMoreOfTheErrorSignalThanTanh() {
        double tanh = curves.get("tanh RNN, PyTorch init").log10ErrorRatio()[T - 1];
        double lstm = curves.get("LSTM, forget bias 1").log10ErrorRatio()[T - 1];
        assertTrue(lstm > tanh + 3, "LSTM log10 ratio " + lstm + " vs tanh " + tanh);
    }

    /**
     * With the 1997 truncated gradient the error reaches every C_k unchanged (∂C_t/∂C_{t−1} = I):
     * ‖∂L_T/∂C_k‖ is the same for every k &lt; T, bit for bit.
     */
    @Test
    void truncated1997LstmCarriesTheErrorUnchanged() {
        LagCurve c = curves.get("1997 LSTM, truncated gradient (error via C)");
        assertEquals(Double.NEGATIVE_INFINITY, c.log10ErrorRatio()[0], "∂L_T/∂C_T with h_T held is 0");
        assertTrue(Double.isFinite(c.log10ErrorRatio()[1]));
        for (int d = 2; d < T; d++) {
            assertEquals(c.log10ErrorRatio()[1], c.log10ErrorRatio()[d], 0.0, "lag " + d);
        }
    }
}
