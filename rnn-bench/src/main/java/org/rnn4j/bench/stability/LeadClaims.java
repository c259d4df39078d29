package org.rnn4j.bench.stability;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The summary lines of E1 and E4: the derivation's claims about the gradient against the lag and
 * about the LSTM's ∂C_t/∂C_{t−1}, checked against this run's numbers.
 */
final class LeadClaims {
    /** "Differs from diag(f_t)": more than 1 % (0.0043 in log10). */
    static final double DIFFERS = Math.log10(1.01);

    private LeadClaims() {}

    static void e1(List<Claim> out, E1Result e1, String status) {
        if (e1 == null) {
            out.add(new Claim("E1", "‖∂L_T/∂h_k‖ decays geometrically with the lag for the tanh RNN and stays within its bounds",
                    Verdict.NOT_RUN, status));
            return;
        }
        int t = e1.steps();
        double worst = Double.NEGATIVE_INFINITY;
        String worstAt = "";
        for (LagCurve c : e1.curves()) {
            for (int d = 0; d < t; d++) {
                double excess = c.log10JacobianNorm()[d] - c.log10TrajectoryBound()[d];
                if (!Double.isNaN(c.log10UniformBound()[d])) {
                    excess = Math.max(excess, c.log10TrajectoryBound()[d] - c.log10UniformBound()[d]);
                }
                if (excess > worst) {
                    worst = excess;
                    worstAt = c.label() + ", lag " + d;
                }
            }
        }
        out.add(new Claim("E1", "the measured ‖∂h_T/∂h_k‖₂ never exceeds the trajectory bound, nor that the uniform bound (γ_W γ_h)^(T−k), at any lag of any cell",
                verdict(worst <= 1e-9), String.format(Locale.ROOT, "largest log10(measured / bound) over %d curves × %d lags: %.3g (%s)",
                        e1.curves().size(), t, worst, worstAt)));
        StringBuilder slopes = new StringBuilder();
        boolean geometric = true;
        for (LagCurve c : e1.curves()) {
            if (c.label().startsWith("tanh RNN, ρ = 0.")) {
                double rho = Double.parseDouble(c.label().substring("tanh RNN, ρ = ".length()));
                double slope = slope(c.log10JacobianNorm(), Math.min(5, t / 4), t - 1);
                geometric &= slope <= Math.log10(rho) + 1e-9 && slope < 0;
                slopes.append(String.format(Locale.ROOT, "%sρ = %s: slope %.4f per step (log10 ρ = %.4f)",
                        slopes.isEmpty() ? "" : "; ", rho, slope, Math.log10(rho)));
            }
        }
        out.add(new Claim("E1", "with ρ(W_hh) < 1 (orthogonal, tanh) ‖∂h_T/∂h_k‖₂ decays geometrically, at least as fast as ρ^(T−k)",
                verdict(geometric), "least-squares slope of log10 ‖∂h_T/∂h_k‖ against the lag: " + slopes));
        LagCurve exploding = find(e1, "tanh RNN, ρ = 1.5");
        if (exploding != null) {
            double last = exploding.log10JacobianNorm()[t - 1];
            out.add(new Claim("E1", "with ρ(W_hh) = 1.5 (tanh) the Jacobian product grows with the lag instead of vanishing",
                    verdict(last > 0), String.format(Locale.ROOT, "log10 ‖∂h_T/∂h_k‖₂ at lag %d: %.2f (uniform bound %.2f)",
                            t - 1, last, exploding.log10UniformBound()[t - 1])));
        }
        LagCurve tanh = find(e1, "tanh RNN, PyTorch init");
        for (String lstmLabel : new String[] {"LSTM, forget bias 1", "LSTM, forget bias 0"}) {
            LagCurve lstm = find(e1, lstmLabel);
            if (tanh != null && lstm != null) {
                double gap = lstm.log10ErrorRatio()[t - 1] - tanh.log10ErrorRatio()[t - 1];
                out.add(new Claim("E1", "at lag " + (t - 1) + " the " + lstmLabel + " keeps ≥ 10¹⁰ × the tanh RNN's share of the error signal ‖∂L_T/∂h_k‖/‖∂L_T/∂h_T‖",
                        verdict(gap >= 10), String.format(Locale.ROOT, "log10 ratio: %s %.2f, tanh RNN (PyTorch init) %.2f: 10^%.1f ×",
                                lstmLabel, lstm.log10ErrorRatio()[t - 1], tanh.log10ErrorRatio()[t - 1], gap)));
            }
        }
        LagCurve truncated = find(e1, "1997 LSTM, truncated gradient (error via C)");
        if (truncated != null) {
            double[] e = truncated.log10ErrorRatio();
            boolean constant = Double.isFinite(e[1]);
            for (int d = 2; d < t; d++) {
                constant &= e[d] == e[1];
            }
            out.add(new Claim("E1", "with the 1997 truncated gradient ∂C_t/∂C_{t−1} = I: ‖∂L_T/∂C_k‖ is the same at every lag",
                    verdict(constant), String.format(Locale.ROOT, "log10 ‖∂L_T/∂C_k‖/‖∂L_T/∂h_T‖ at lags 1, %d, %d: %.6f, %.6f, %.6f",
                            t / 2, t - 1, e[1], e[t / 2], e[t - 1])));
        }
    }

    static void e4(List<Claim> out, E4Result e4, String status) {
        String statement = "after training, the LSTM's full ∂C_t/∂C_{t−1} is not diag(f_t): its norm differs from max f_t by more than 1 % at most steps (the derivation's point that the three other terms matter)";
        if (e4 == null) {
            out.add(new Claim("E4", statement, Verdict.NOT_RUN, status));
            return;
        }
        double[] gapAfter = gaps(e4.log10FullAfter(), e4.log10ForgetAfter());
        double[] gapBefore = gaps(e4.log10FullBefore(), e4.log10ForgetBefore());
        double medianAfter = median(gapAfter);
        out.add(new Claim("E4", statement, verdict(medianAfter > DIFFERS),
                String.format(Locale.ROOT, "median |log10 ‖full‖ − log10 ‖diag f‖|: %.4f before, %.4f after %d steps on %s;"
                                + " steps with ‖full‖ > 1: %.1f %% before, %.1f %% after",
                        median(gapBefore), medianAfter, e4.trainingSteps(), e4.task(),
                        100 * above(e4.log10FullBefore()), 100 * above(e4.log10FullAfter()))));
    }

    private static double[] gaps(double[] full, double[] forget) {
        double[] g = new double[full.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = Math.abs(full[i] - forget[i]);
        }
        return g;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length == 0 ? Double.NaN : s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** The fraction of values above 0 (a norm above 1). */
    static double above(double[] log10) {
        int n = 0;
        for (double x : log10) {
            n += x > 0 ? 1 : 0;
        }
        return log10.length == 0 ? Double.NaN : (double) n / log10.length;
    }

    private static LagCurve find(E1Result e1, String label) {
        for (LagCurve c : e1.curves()) {
            if (c.label().equals(label)) {
                return c;
            }
        }
        return null;
    }

    private static Verdict verdict(boolean held) {
        return held ? Verdict.HELD : Verdict.DID_NOT_HOLD;
    }

    /** Least-squares slope of y[from..to] against the index. */
    static double slope(double[] y, int from, int to) {
        double n = to - from + 1;
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int i = from; i <= to; i++) {
            sx += i;
            sy += y[i];
            sxx += (double) i * i;
            sxy += i * y[i];
        }
        return (n * sxy - sx * sy) / (n * sxx - sx * sx);
    }
}
