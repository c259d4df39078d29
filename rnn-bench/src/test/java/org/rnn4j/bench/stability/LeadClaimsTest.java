package org.rnn4j.bench.stability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** E1's and E4's claim lines flip with the numbers they are about. */
class LeadClaimsTest {
    static final int T = 20;

    static LagCurve line(String label, double slope, double boundSlope, double uniformSlope) {
        double[] j = new double[T], e = new double[T], u = new double[T], tr = new double[T];
        for (int d = 0; d < T; d++) {
            j[d] = slope * d;
            e[d] = slope * d;
            tr[d] = boundSlope * d;
            u[d] = uniformSlope * d;
        }
        return new LagCurve(label, j, e, u, tr);
    }

    static List<Claim> claims(LagCurve... curves) {
        List<Claim> out = new ArrayList<>();
        LeadClaims.e1(out, new E1Result(T, 8, List.of(curves)), null);
        return out;
    }

    @Test
    void boundsAndGeometricDecay() {
        List<Claim> ok = claims(line("tanh RNN, ρ = 0.5", -0.4, -0.35, -0.3));
        assertEquals(Verdict.HELD, ClaimsTest.find(ok, "the measured ‖∂h_T/∂h_k‖₂ never exceeds").verdict());
        assertEquals(Verdict.HELD, ClaimsTest.find(ok, "with ρ(W_hh) < 1").verdict());

        List<Claim> bad = claims(line("tanh RNN, ρ = 0.5", -0.2, -0.35, -0.3));
        assertEquals(Verdict.DID_NOT_HOLD, ClaimsTest.find(bad, "the measured ‖∂h_T/∂h_k‖₂ never exceeds").verdict());
        assertEquals(Verdict.DID_NOT_HOLD, ClaimsTest.find(bad, "with ρ(W_hh) < 1").verdict(),
                "slope −0.2 is slower than log10 0.5 = −0.301");
    }

    @Test
    void lstmAgainstTanh() {
        List<Claim> c = claims(line("tanh RNN, PyTorch init", -1.2, -1, 1), line("LSTM, forget bias 1", -0.3, 0, Double.NaN),
                line("LSTM, forget bias 0", -0.9, 0, Double.NaN));
        Claim bias1 = ClaimsTest.find(c, "at lag 19 the LSTM, forget bias 1");
        assertEquals(Verdict.HELD, bias1.verdict(), bias1.evidence());   // 19 × 0.9 = 17 decades
        Claim bias0 = ClaimsTest.find(c, "at lag 19 the LSTM, forget bias 0");
        assertEquals(Verdict.DID_NOT_HOLD, bias0.verdict(), bias0.evidence()); // 19 × 0.3 = 5.7 decades
    }

    @Test
    void truncatedLstmMustBeFlat() {
        LagCurve flat = line("1997 LSTM, truncated gradient (error via C)", 0, 1, Double.NaN);
        flat.log10ErrorRatio()[0] = Double.NEGATIVE_INFINITY;
        Arrays.fill(flat.log10ErrorRatio(), 1, T, -0.25);
        assertEquals(Verdict.HELD, ClaimsTest.find(claims(flat), "with the 1997 truncated gradient").verdict());
        flat.log10ErrorRatio()[7] = -0.2500001;
        assertEquals(Verdict.DID_NOT_HOLD, ClaimsTest.find(claims(flat), "with the 1997 truncated gradient").verdict());
    }

    @Test
    void e4MedianDistance() {
        double[] forget = {-0.1, -0.1, -0.1, -0.1};
        List<Claim> out = new ArrayList<>();
        LeadClaims.e4(out, new E4Result("adding", 10, forget, forget, new double[] {-0.05, -0.05, 0.1, -0.1}, forget), null);
        Claim far = out.getFirst();
        assertEquals(Verdict.HELD, far.verdict(), far.evidence());
        assertTrue(far.evidence().contains("25.0 %"), far.evidence());  // one of four above norm 1 after
        out.clear();
        LeadClaims.e4(out, new E4Result("adding", 10, forget, forget, new double[] {-0.1, -0.1, -0.1, -0.1001}, forget), null);
        assertEquals(Verdict.DID_NOT_HOLD, out.getFirst().verdict());
        out.clear();
        LeadClaims.e4(out, null, "not run: E4 failed");
        assertEquals(Verdict.NOT_RUN, out.getFirst().verdict());
    }
}
