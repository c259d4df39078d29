package org.rnn4j.bench.stability;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The summary of the report: the claims, each checked against this run's records. A
 * claim's wording uses the run's own settings (lengths, radii, budget), so the quick run checks
 * the same claims at its toy sizes.
 */
public final class Claims {
    /** The LSTM/RNN time ratio of a training step that counts as "about 4×" (4 gate blocks). */
    static final double RATIO_LO = 2, RATIO_HI = 6;
    /** "Near 1" for IRNN's ρ. */
    static final double NEAR_ONE = 0.1;

    private Claims() {}

    /** Every claim, in report order; parts that did not run give {@link Verdict#NOT_RUN}. */
    public static List<Claim> of(StabilityReport r) {
        List<Claim> out = new ArrayList<>();
        throughput(out, r.throughput(), r.status("throughput"));
        LeadClaims.e1(out, r.e1(), r.status("E1"));
        adding(out, r.e2(), r.status("E2+E5"));
        exploding(out, r.e3(), r.status("E3"));
        LeadClaims.e4(out, r.e4(), r.status("E4"));
        spectra(out, r.e2(), r.status("E2+E5"));
        return out;
    }

    static void throughput(List<Claim> out, ThroughputResult t, String status) {
        String statement = "an LSTM training step costs about 4× an RNN step at the same shape (4 gate blocks; "
                + "held within " + fmt(RATIO_LO) + "–" + fmt(RATIO_HI) + "×)";
        Timing rnn = t == null ? null : t.find("RNN", "trainingStep");
        Timing lstm = t == null ? null : t.find("LSTM", "trainingStep");
        if (rnn == null || lstm == null) {
            out.add(new Claim("throughput", statement, Verdict.NOT_RUN, status));
            return;
        }
        double ratio = lstm.nanos() / rnn.nanos();
        out.add(new Claim("throughput", statement, verdict(ratio >= RATIO_LO && ratio <= RATIO_HI),
                String.format(Locale.ROOT, "RNN %s, LSTM %s per step at %s: %.2f×", StabilityMarkdown.time(rnn.nanos()),
                        StabilityMarkdown.time(lstm.nanos()), rnn.shape(), ratio)));
    }

    static void adding(List<Claim> out, AddingResult e2, String status) {
        if (e2 == null) {
            out.add(new Claim("E2", "LSTM solves the adding problem within the budget and the tanh RNN does not",
                    Verdict.NOT_RUN, status));
            return;
        }
        AddingSettings s = e2.settings();
        int t = s.spectraLength();
        int tMax = s.lengths().stream().mapToInt(Integer::intValue).max().orElse(t);
        String budget = " (budget " + s.budget() + " steps)";
        List<ModelKind> m = s.models();
        if (m.contains(ModelKind.LSTM) && m.contains(ModelKind.TANH)) {
            boolean lstm = majority(e2.runs(ModelKind.LSTM, t));
            boolean tanh = solved(e2.runs(ModelKind.TANH, t)) == 0;
            out.add(new Claim("E2", "LSTM solves adding T = " + t + " within the budget and the tanh RNN does not" + budget,
                    verdict(lstm && tanh), summary(e2, ModelKind.LSTM, t) + "; " + summary(e2, ModelKind.TANH, t)));
        }
        if (m.contains(ModelKind.TANH_CLIPPED)) {
            out.add(new Claim("E2", "clipping alone does not make the tanh RNN solve T = " + t + budget,
                    verdict(solved(e2.runs(ModelKind.TANH_CLIPPED, t)) == 0), summary(e2, ModelKind.TANH_CLIPPED, t)));
        }
        if (m.contains(ModelKind.IRNN)) {
            out.add(new Claim("E2", "IRNN solves adding T = " + t + " within the budget" + budget,
                    verdict(majority(e2.runs(ModelKind.IRNN, t))), summary(e2, ModelKind.IRNN, t)));
        }
        if (m.contains(ModelKind.LSTM) && tMax != t) {
            out.add(new Claim("E2", "LSTM still solves the longest length, T = " + tMax + ", within the budget" + budget,
                    verdict(majority(e2.runs(ModelKind.LSTM, tMax))), summary(e2, ModelKind.LSTM, tMax)));
        }
    }

    static void exploding(List<Claim> out, ExplodingResult e3, String status) {
        if (e3 == null || e3.runs().isEmpty()) {
            out.add(new Claim("E3", "clipping keeps a ρ > 1 tanh RNN finite where the unclipped one blows up",
                    Verdict.NOT_RUN, status));
            return;
        }
        ExplodingSettings s = e3.settings();
        double rho = s.radii().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        ExplodingRun free = e3.find(rho, false);
        ExplodingRun clip = e3.find(rho, true);
        if (free != null) {
            out.add(new Claim("E3", "without clipping, the ρ = " + fmt(rho) + " run goes non-finite or diverges (loss > "
                    + fmt(s.divergeFactor()) + "× baseline) within " + s.budget() + " steps",
                    verdict(!free.stayedFinite() || free.divergedAtStep() != null), fate(free)));
        }
        if (free != null && clip != null) {
            boolean held = clip.stayedFinite() && (!free.stayedFinite() || free.divergedAtStep() != null);
            out.add(new Claim("E3", "clipping at " + fmt(s.clipNorm()) + " keeps the ρ = " + fmt(rho)
                    + " run finite where the unclipped run blows up (non-finite or diverged)",
                    verdict(held), "clipped: " + fate(clip) + "; unclipped: " + fate(free)));
        }
        double maxApplied = 0;
        for (ExplodingRun r : e3.runs()) {
            if (r.clipped()) {
                for (double a : r.appliedNorm()) {
                    maxApplied = Math.max(maxApplied, a);
                }
            }
        }
        out.add(new Claim("E3", "the gradients a clipped step applies never exceed the threshold " + fmt(s.clipNorm()),
                verdict(maxApplied <= s.clipNorm() * (1 + 1e-6)),
                String.format(Locale.ROOT, "largest applied norm over all clipped steps: %.7f", maxApplied)));
    }

    static void spectra(List<Claim> out, AddingResult e2, String status) {
        AddingRun irnn = null;
        AddingRun tanh = null;
        if (e2 != null) {
            for (AddingRun r : e2.spectraRuns()) {
                if (r.model() == ModelKind.IRNN) {
                    irnn = r;
                } else if (r.model() == ModelKind.TANH) {
                    tanh = r;
                }
            }
        }
        String s1 = "ρ(W_hh) of the IRNN stays near 1 (within ±" + fmt(NEAR_ONE) + ") during training";
        if (irnn == null) {
            out.add(new Claim("E5", s1, Verdict.NOT_RUN, e2 == null ? status : "no IRNN spectra recorded"));
        } else {
            double[] mm = rhoRange(irnn);
            out.add(new Claim("E5", s1, verdict(mm[0] >= 1 - NEAR_ONE && mm[1] <= 1 + NEAR_ONE),
                    String.format(Locale.ROOT, "ρ in [%.3f, %.3f] over %d steps (%s)", mm[0], mm[1], irnn.stepsRun(),
                            outcome(irnn))));
        }
        String s2 = "ρ(W_hh) of the tanh RNN stays below 1 during training (vanishing, not exploding, regime)";
        if (tanh == null) {
            out.add(new Claim("E5", s2, Verdict.NOT_RUN, e2 == null ? status : "no tanh RNN spectra recorded"));
        } else {
            double[] mm = rhoRange(tanh);
            out.add(new Claim("E5", s2, verdict(mm[1] < 1),
                    String.format(Locale.ROOT, "ρ in [%.3f, %.3f] over %d steps", mm[0], mm[1], tanh.stepsRun())));
        }
    }

    /** min and max of the largest block ρ over a run's samples. */
    static double[] rhoRange(AddingRun r) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (TrainingSample s : r.samples()) {
            double v = s.maxRho();
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        return new double[] {lo, hi};
    }

    static long solved(List<AddingRun> runs) {
        return runs.stream().filter(r -> r.outcome() == Outcome.SOLVED).count();
    }

    /** More than half of the runs solved (and there are runs). */
    static boolean majority(List<AddingRun> runs) {
        return !runs.isEmpty() && 2 * solved(runs) > runs.size();
    }

    /** E.g. "LSTM T=100: 2/3 solved (solved at step 812; solved at step 790; not within budget, MSE 0.160)". */
    static String summary(AddingResult e2, ModelKind m, int t) {
        List<AddingRun> runs = e2.runs(m, t);
        List<String> per = new ArrayList<>();
        for (AddingRun r : runs) {
            per.add(outcome(r));
        }
        return m.label() + " T=" + t + ": " + solved(runs) + "/" + runs.size() + " solved (" + String.join("; ", per) + ")";
    }

    /** One run's outcome in a few words. */
    static String outcome(AddingRun r) {
        return switch (r.outcome()) {
            case SOLVED -> "solved at step " + r.stepsToSuccess();
            case NOT_WITHIN_BUDGET -> String.format(Locale.ROOT, "not within budget, MSE %.3f", r.finalMeanLoss());
            case NON_FINITE -> "non-finite at step " + (r.stepsRun() + 1);
            case TIME_CAP -> "cut by the time cap at step " + r.stepsRun();
        };
    }

    /** What became of an E3 run. */
    static String fate(ExplodingRun r) {
        List<String> parts = new ArrayList<>();
        if (r.divergedAtStep() != null) {
            parts.add(String.format(Locale.ROOT, "diverged at step %d (loss %.3g)", r.divergedAtStep(),
                    r.loss()[r.divergedAtStep() - 1]));
        }
        if (!r.stayedFinite()) {
            parts.add("non-finite at training step " + r.nonFiniteAtStep()
                    + (r.nonFiniteTimeStep() != null && r.nonFiniteTimeStep() >= 0 ? " (time step t=" + r.nonFiniteTimeStep() + ")" : ""));
        }
        if (r.stayedFinite()) {
            double maxLoss = 0;
            for (double l : r.loss()) {
                maxLoss = Math.max(maxLoss, l);
            }
            parts.add(String.format(Locale.ROOT, "finite for all %d steps, largest loss %.3g", r.stepsRun(), maxLoss));
        }
        return String.join(", ", parts);
    }

    private static Verdict verdict(boolean held) {
        return held ? Verdict.HELD : Verdict.DID_NOT_HOLD;
    }

    static String fmt(double v) {
        return StabilityCharts.fmt(v);
    }
}
