package org.rnn4j.bench.stability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.rnn4j.bench.report.Reports.Env;

/**
 * {@code stability.md}: the summary of claims first, then the machine and wall times, then one
 * section per experiment with its charts (relative links) and a line on how to read them. A pure
 * function of the {@link StabilityReport}, so the JSON renders the same page again.
 */
public final class StabilityMarkdown {
    private StabilityMarkdown() {}

    public static String render(StabilityReport r) {
        StringBuilder md = new StringBuilder();
        md.append("# rnn4j: RNN vs LSTM throughput and gradient stability\n\n");
        md.append("Suite **").append(r.suite()).append("**, ").append(r.generated()).append(", seed ")
                .append(r.config().seed()).append(". Wall time **").append(duration(r.totalSeconds()))
                .append("** in total.\n\n");
        summary(md, r.claims());
        machine(md, r.environment(), r.parts());
        throughput(md, r);
        e1(md, r);
        e2(md, r);
        e3(md, r);
        e4(md, r);
        e5(md, r);
        eigen(md, r);
        md.append("---\nWritten by `org.rnn4j.bench.report.BenchMain ").append(r.suite())
                .append("`; every figure is in `stability.json` next to this file.\n");
        return md.toString();
    }

    static void summary(StringBuilder md, List<Claim> claims) {
        md.append("## Summary\n\n");
        long held = claims.stream().filter(c -> c.verdict() == Verdict.HELD).count();
        long not = claims.stream().filter(c -> c.verdict() == Verdict.DID_NOT_HOLD).count();
        long none = claims.stream().filter(c -> c.verdict() == Verdict.NOT_RUN).count();
        md.append(held).append(" held, ").append(not).append(" did not hold, ").append(none).append(" not run.\n\n");
        md.append("| | claim | verdict | numbers |\n|---|---|---|---|\n");
        for (Claim c : claims) {
            md.append("| ").append(c.experiment()).append(" | ").append(cell(c.statement())).append(" | ")
                    .append(c.verdict().cell()).append(" | ").append(cell(c.evidence())).append(" |\n");
        }
        md.append('\n');
    }

    static void machine(StringBuilder md, Env e, List<PartTime> parts) {
        md.append("## Machine and wall time\n\n| | |\n|---|---|\n");
        if (e != null) {
            md.append("| CPU | ").append(cell(e.cpuModel())).append(" |\n");
            md.append("| cores available | ").append(e.cores()).append(" |\n");
            md.append("| JDK | ").append(cell(e.jvm())).append(" |\n");
            String kernels = e.kernels() + (e.vectorBits() > 0 ? ", " + e.vectorBits() + "-bit vectors" : "");
            if (e.fallbackReason() != null && !e.fallbackReason().isEmpty()) {
                kernels += " — " + e.fallbackReason();
            }
            md.append("| kernels | ").append(cell(kernels)).append(" |\n");
            md.append("| OS | ").append(cell(e.os())).append(" |\n");
        }
        for (PartTime p : parts) {
            md.append("| wall time: ").append(p.part()).append(" | ").append(duration(p.seconds()))
                    .append(p.status().equals("ok") ? "" : " — " + cell(p.status())).append(" |\n");
        }
        md.append('\n');
    }

    static void throughput(StringBuilder md, StabilityReport r) {
        md.append("## Throughput: RNN vs LSTM\n\n");
        ThroughputResult t = r.throughput();
        if (t == null) {
            md.append(notRun("Throughput", r.status("throughput")));
            return;
        }
        ThroughputSettings s = t.settings();
        md.append(image(StabilityCharts.THROUGHPUT, "throughput"));
        md.append("JMH, one thread, ").append(s.forks()).append(" fork, ").append(s.warmupIterations()).append(" × ")
                .append(s.warmupTime()).append(" warm-up, ").append(s.measurementIterations()).append(" × ")
                .append(s.measurementTime()).append(" measurement (short: the numbers are rough, ± is JMH's 99.9 % "
                        + "interval). Forward, forward + backward (BPTT) and the training step (Adam, global-norm "
                        + "clipping at 1) at B×T×D×H = ").append(s.shape().replace("x", "×"))
                .append(", softmax head of ").append(StabilityThroughputBenchmark.OUTPUTS)
                .append(" classes at every step; the single step is one step of one stream of the compiled streaming model"
                        + " (`Models.compile`, output layer included, B = T = 1) at D = H = ")
                .append(s.stepSize()).append(", the latency of streaming inference. Read the chart on its log scale: "
                        + "equal gaps are equal ratios.\n\n");
        md.append("| benchmark | RNN | LSTM | LSTM / RNN | RNN time steps/s | LSTM time steps/s |\n|---|---:|---:|---:|---:|---:|\n");
        for (String bench : Throughput.BENCHMARKS) {
            Timing a = t.find("RNN", bench);
            Timing b = t.find("LSTM", bench);
            md.append("| ").append(StabilityCharts.benchLabel(bench)).append(" | ").append(timing(a)).append(" | ")
                    .append(timing(b)).append(" | ")
                    .append(a != null && b != null ? String.format(Locale.ROOT, "%.2f×", b.nanos() / a.nanos()) : "—")
                    .append(" | ").append(a == null ? "—" : big(a.sequenceStepsPerSecond())).append(" | ")
                    .append(b == null ? "—" : big(b.sequenceStepsPerSecond())).append(" |\n");
        }
        md.append('\n');
    }

    static void e1(StringBuilder md, StabilityReport r) {
        md.append("## E1: gradient vs lag at initialisation\n\n");
        E1Result e = r.e1();
        if (e == null) {
            md.append(notRun("E1", r.status("E1")));
            return;
        }
        md.append("T = ").append(e.steps()).append(", H = ").append(e.hidden()).append(". x: the lag d = T − k; y: log10 "
                + "of ‖∂h_T/∂h_k‖₂ and of ‖∂L_T/∂h_k‖/‖∂L_T/∂h_T‖ (solid) against the uniform bound (γ_W·γ_h)^d and the "
                + "bound along the trajectory (dashed). The y axis is clipped to [")
                .append((int) StabilityCharts.E1_Y_MIN).append(", ").append((int) StabilityCharts.E1_Y_MAX)
                .append("]: a curve that leaves it continues beyond the edge; undefined cells are skipped. A measured "
                        + "curve above its bound would be a bug.\n\n");
        for (int i = 0; i < e.curves().size(); i++) {
            LagCurve c = e.curves().get(i);
            md.append("### ").append(c.label()).append("\n\n").append(image(StabilityCharts.e1(i), "E1 " + c.label()));
            md.append("At lag ").append(Math.max(0, len(c.log10ErrorRatio()) - 1)).append(": log10 error ratio ")
                    .append(last(c.log10ErrorRatio())).append(", log10 ‖∂h_T/∂h_k‖ ").append(last(c.log10JacobianNorm()))
                    .append(", uniform bound ").append(last(c.log10UniformBound())).append(", trajectory bound ")
                    .append(last(c.log10TrajectoryBound())).append(".\n\n");
        }
    }

    static void e2(StringBuilder md, StabilityReport r) {
        md.append("## E2: adding problem, success vs sequence length\n\n");
        AddingResult e = r.e2();
        if (e == null) {
            md.append(notRun("E2", r.status("E2+E5")));
            return;
        }
        AddingSettings s = e.settings();
        md.append(image(StabilityCharts.E2_SUCCESS, "E2 success vs length"));
        md.append("Adding problem (Le et al. 2015 form: values U[0,1), one marker in each half, target their sum, "
                + "linear head, squared error; predicting the mean scores ").append(num(e.baselineMse()))
                .append("). A run succeeds at the first step where the mean training MSE over the last ")
                .append(s.window()).append(" steps is below ").append(num(s.successMse()))
                .append(" (each step's loss is on a fresh batch, before its update, so it is a held-out figure). "
                        + "Each mark is one seed: a dot at the step it succeeded, ✕ at the budget line when it did not "
                        + "within the budget, ▲ where a value went non-finite.\n\n");
        List<String> lrs = new ArrayList<>();
        for (ModelKind m : s.models()) {
            lrs.add(m.label() + " " + num(s.learningRate(m)));
        }
        md.append("**Settings**: H = ").append(s.hidden()).append(", B = ").append(s.batch())
                .append(" fresh sequences per step, Adam learning rate ").append(String.join(", ", lrs))
                .append(s.models().contains(ModelKind.LSTM) && s.models().contains(ModelKind.TANH)
                        && s.learningRate(ModelKind.LSTM) > s.learningRate(ModelKind.TANH)
                        ? " (the issue calibrated with 1e-3 for all models; the LSTM gets a larger rate here, which brings "
                                + "it to the threshold within an affordable budget; in trials 1e-2 made the IRNN's gradient "
                                + "overflow within two steps and drove the tanh RNN's ρ(W_hh) to ~7, so the RNNs keep 1e-3)"
                        : "")
                .append(", global-norm clipping at ").append(num(s.clipNorm()))
                .append(" for every model but the plain tanh RNN; **budget ").append(s.budget())
                .append(" training steps per run**, ").append(s.seeds()).append(s.seeds() == 1 ? " seed" : " seeds")
                .append(", T ∈ {").append(String.join(", ", s.lengths().stream().map(String::valueOf).toList())).append("}")
                .append(", ").append(s.threads()).append(" runs at a time (one per core, one-thread kernels)")
                .append(s.timeCapSeconds() > 0 ? ", a wall-time cap of " + s.timeCapSeconds() + " s on the whole grid" : "")
                .append(". The issue's calibration (H = 64, Adam 1e-3: LSTM ~3.5k steps at T = 100, tanh RNN stuck "
                        + "for 8k) does not fit in this report's minutes; the budget was chosen from the measured step "
                        + "costs below.\n\n");
        md.append("Measured cost of one training step (one thread, after a JIT warm-up):\n\n| model |");
        for (int t : s.lengths()) {
            md.append(" T = ").append(t).append(" |");
        }
        md.append("\n|---|").append("---:|".repeat(s.lengths().size())).append('\n');
        for (ModelKind m : s.models()) {
            md.append("| ").append(m.label()).append(" |");
            for (int t : s.lengths()) {
                md.append(' ').append(time(e.secondsPerStep(m, t) * 1e9)).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
        subnormalNote(md, e);
        md.append("| model | T | solved | steps to success (per seed) | final mean MSE (per seed) |\n|---|---:|---:|---|---|\n");
        for (ModelKind m : s.models()) {
            for (int t : s.lengths()) {
                List<AddingRun> runs = e.runs(m, t);
                List<String> steps = new ArrayList<>();
                List<String> mse = new ArrayList<>();
                for (AddingRun a : runs) {
                    steps.add(switch (a.outcome()) {
                        case SOLVED -> String.valueOf(a.stepsToSuccess());
                        case NOT_WITHIN_BUDGET -> "not within budget";
                        case NON_FINITE -> "non-finite at step " + (a.stepsRun() + 1);
                        case TIME_CAP -> "time cap at step " + a.stepsRun();
                    });
                    mse.add(String.format(Locale.ROOT, "%.4f", a.finalMeanLoss()));
                }
                md.append("| ").append(m.label()).append(" | ").append(t).append(" | ").append(Claims.solved(runs))
                        .append('/').append(runs.size()).append(" | ").append(String.join(", ", steps)).append(" | ")
                        .append(String.join(", ", mse)).append(" |\n");
            }
        }
        md.append('\n');
        for (AddingRun a : e.runs()) {
            if (a.nonFinite() != null) {
                md.append("- ").append(a.model().label()).append(" T=").append(a.length()).append(" seed ")
                        .append(a.seed()).append(": ").append(cell(a.nonFinite())).append('\n');
            }
        }
        md.append('\n');
    }

    /**
     * When the tanh RNN's step cost grows much faster than T (more than twice the lengths' ratio),
     * says why: its vanishing ∂L/∂h_t underflows through the subnormal floats, which this kind of
     * CPU handles in a slow microcode path (measured while tuning: ‖∂L/∂h_k‖ is exactly 0 from
     * k = T/2 down at T = 200, and a step costs about 15× the T = 100 one).
     */
    static void subnormalNote(StringBuilder md, AddingResult e) {
        List<Integer> ts = e.settings().lengths();
        if (ts.size() < 2 || !e.settings().models().contains(ModelKind.TANH)) {
            return;
        }
        int lo = ts.stream().mapToInt(Integer::intValue).min().orElseThrow();
        int hi = ts.stream().mapToInt(Integer::intValue).max().orElseThrow();
        double growth = e.secondsPerStep(ModelKind.TANH, hi) / e.secondsPerStep(ModelKind.TANH, lo);
        double lstm = e.secondsPerStep(ModelKind.LSTM, hi) / e.secondsPerStep(ModelKind.LSTM, lo);
        if (Double.isFinite(growth) && growth > 2.0 * hi / lo) {
            md.append(String.format(Locale.ROOT, "The tanh RNN's step costs %.0f× more at T = %d than at T = %d, "
                    + "for %.0f× the length (the LSTM's: %.1f×), most likely because its ∂L/∂h_t vanishes and "
                    + "underflows through the subnormal floats, which this CPU computes in a slow microcode path "
                    + "(while tuning, ‖∂L/∂h_k‖ of an untrained tanh RNN at T = 200 was exactly 0 from k = T/2 down). "
                    + "A vanishing gradient costs time here as well as learning.%n%n", growth, hi, lo, (double) hi / lo,
                    lstm));
        }
    }

    static void e3(StringBuilder md, StabilityReport r) {
        md.append("## E3: exploding gradients and clipping\n\n");
        ExplodingResult e = r.e3();
        if (e == null) {
            md.append(notRun("E3", r.status("E3")));
            return;
        }
        ExplodingSettings s = e.settings();
        md.append(image(StabilityCharts.E3_GRADIENT, "E3 gradient norm")).append(image(StabilityCharts.E3_LOSS, "E3 loss"));
        md.append("tanh RNN, W_hh orthogonal scaled to spectral radius ρ (so every singular value is ρ), adding problem "
                + "T = ").append(s.length()).append(", H = ").append(s.hidden()).append(", B = ").append(s.batch())
                .append(", plain SGD at learning rate ").append(num(s.learningRate())).append(", ").append(s.budget())
                .append(" steps, each ρ once unclipped and once with global-norm clipping at ").append(num(s.clipNorm()))
                .append(" (Pascanu et al. 2013), same weights and batches. Solid lines are unclipped, dotted clipped; "
                        + "a run stops at its first non-finite value. \"Diverged\" = loss above ")
                .append(num(s.divergeFactor())).append("× the baseline ").append(num(e.baselineMse()))
                .append(". The applied norm is measured on the gradients after the step.\n\n");
        md.append("| ρ asked | ρ measured | clipping | steps run | first step with gradient norm > 1e3 | largest gradient norm | "
                + "largest applied norm | what happened |\n|---:|---:|---|---:|---:|---:|---:|---|\n");
        for (ExplodingRun x : e.runs()) {
            int big = -1;
            double maxNorm = 0, maxApplied = 0;
            for (int i = 0; i < x.gradientNorm().length; i++) {
                if (big < 0 && x.gradientNorm()[i] > 1e3) {
                    big = i + 1;
                }
                maxNorm = Math.max(maxNorm, x.gradientNorm()[i]);
                maxApplied = Math.max(maxApplied, x.appliedNorm()[i]);
            }
            md.append("| ").append(num(x.radius())).append(" | ").append(String.format(Locale.ROOT, "%.4f", x.measuredRadius()))
                    .append(" | ").append(x.clipped() ? "at " + num(s.clipNorm()) : "none").append(" | ").append(x.stepsRun())
                    .append(" | ").append(big < 0 ? "—" : String.valueOf(big)).append(" | ").append(sci(maxNorm))
                    .append(" | ").append(sci(maxApplied)).append(" | ").append(cell(Claims.fate(x))).append(" |\n");
        }
        md.append('\n');
        for (ExplodingRun x : e.runs()) {
            if (x.nonFiniteMessage() != null) {
                md.append("- ρ = ").append(num(x.radius())).append(x.clipped() ? ", clipped" : ", unclipped")
                        .append(", training step ").append(x.nonFiniteAtStep()).append(": `")
                        .append(x.nonFiniteMessage().replace("`", "'")).append("`\n");
            }
        }
        md.append('\n');
    }

    static void e4(StringBuilder md, StabilityReport r) {
        md.append("## E4: the LSTM's ∂C_t/∂C_{t−1}\n\n");
        E4Result e = r.e4();
        if (e == null) {
            md.append(notRun("E4", r.status("E4")));
            return;
        }
        md.append(image(StabilityCharts.E4_BEFORE, "E4 before")).append(image(StabilityCharts.E4_AFTER, "E4 after"));
        md.append(e.task()).append(", ").append(e.trainingSteps()).append(" training steps. Histograms of log10 of the "
                + "norm of the full 4-term Jacobian ∂C_t/∂C_{t−1} and of diag(f_t) alone, pooled over steps and "
                + "sequences; the dashed line is norm 1. Where the two histograms coincide the forget gate alone "
                + "describes how the cell state carries the error.\n\n");
        md.append("| | fraction with ‖full‖ > 1 | median \\|log10 full − log10 forget\\| | cells |\n"
                + "|---|---:|---:|---:|\n");
        md.append(e4Row("before training", e.log10FullBefore(), e.log10ForgetBefore()));
        md.append(e4Row("after training", e.log10FullAfter(), e.log10ForgetAfter()));
        md.append('\n');
    }

    static String e4Row(String label, double[] full, double[] forget) {
        double[] f = full == null ? new double[0] : full;
        double[] g = forget == null ? new double[0] : forget;
        return "| " + label + " | " + String.format(Locale.ROOT, "%.3f", fractionAboveZero(f)) + " | "
                + String.format(Locale.ROOT, "%.3g", medianDistance(f, g)) + " | " + f.length + " |\n";
    }

    /** The fraction of finite values above 0 (norm above 1), NaN when there are none. */
    static double fractionAboveZero(double[] log10) {
        double[] v = Arrays.stream(log10).filter(Double::isFinite).toArray();
        return v.length == 0 ? Double.NaN : Arrays.stream(v).filter(x -> x > 0).count() / (double) v.length;
    }

    /** The median of |a_i − b_i| over the pairs where both are finite, NaN when there are none. */
    static double medianDistance(double[] a, double[] b) {
        int n = Math.min(a.length, b.length);
        double[] d = new double[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (Double.isFinite(a[i]) && Double.isFinite(b[i])) {
                d[k++] = Math.abs(a[i] - b[i]);
            }
        }
        if (k == 0) {
            return Double.NaN;
        }
        Arrays.sort(d, 0, k);
        return k % 2 == 1 ? d[k / 2] : (d[k / 2 - 1] + d[k / 2]) / 2;
    }

    static void e5(StringBuilder md, StabilityReport r) {
        md.append("## E5: ρ and σ_max of W_hh over training\n\n");
        AddingResult e = r.e2();
        if (e == null || e.spectraRuns().isEmpty()) {
            md.append(notRun("E5", r.status("E2+E5")));
            return;
        }
        md.append(image(StabilityCharts.E5_RHO, "E5 rho")).append(image(StabilityCharts.E5_SIGMA, "E5 sigma"))
                .append(image(StabilityCharts.E5_LOSS, "E5 loss"));
        md.append("The E2 runs at T = ").append(e.settings().spectraLength()).append(", first seed (no extra training), "
                + "sampled every ").append(e.settings().sampleEvery()).append(" steps: ρ (spectral radius, all eigenvalues "
                + "by Hessenberg + Francis QR) and σ_max (power iteration) of layer 0's W_hh; for the LSTM the largest over "
                + "its four gate blocks i, f, g, o (each n × n). ρ < 1 means the linear part of the recurrence decays; "
                + "σ_max bounds the growth of a single step. A run's curve ends where it succeeded.\n\n");
        md.append("| model | outcome | ρ start | ρ end | ρ min–max | σ_max start | σ_max end | gradient norm end |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (AddingRun a : e.spectraRuns()) {
            List<TrainingSample> ss = a.samples();
            TrainingSample first = ss.getFirst();
            TrainingSample lastSample = ss.getLast();
            double[] mm = Claims.rhoRange(a);
            md.append("| ").append(a.model().label()).append(" | ").append(cell(Claims.outcome(a))).append(" | ")
                    .append(f3(first.maxRho())).append(" | ").append(f3(lastSample.maxRho())).append(" | ")
                    .append(f3(mm[0])).append("–").append(f3(mm[1])).append(" | ").append(f3(first.maxSigma()))
                    .append(" | ").append(f3(lastSample.maxSigma())).append(" | ").append(sci(lastSample.gradientNorm()))
                    .append(" |\n");
            if (a.model().gates() > 1) {
                md.append("| ↳ per gate (i, f, g, o) at the end | | | ").append(cell(blocks(lastSample.rho())))
                        .append(" | | | ").append(cell(blocks(lastSample.sigmaMax()))).append(" | |\n");
            }
        }
        md.append('\n');
    }

    static void eigen(StringBuilder md, StabilityReport r) {
        md.append("## Eigenvalues of W_hh\n\n");
        List<EigenPlot> e = r.eigenvalues();
        if (e == null) {
            md.append(notRun("Eigenvalue plot", r.status("eigenvalues")));
            return;
        }
        md.append("Each eigenvalue of W_hh as a point of the complex plane, with the unit circle (dashed), at equal "
                + "scales: points outside the circle are directions in which the linear recurrence grows.\n\n");
        for (int i = 0; i < e.size(); i++) {
            EigenPlot p = e.get(i);
            double rho = 0;
            for (int k = 0; k < p.re().length; k++) {
                rho = Math.max(rho, Math.hypot(p.re()[k], p.im()[k]));
            }
            md.append("### ").append(p.label()).append("\n\n").append(image(StabilityCharts.eigen(i), p.label()))
                    .append(p.re().length).append(" eigenvalues, ρ = ").append(f3(rho)).append(".\n\n");
        }
    }

    // ---------------------------------------------------------------------------------------

    /** E.g. "E1: not run — <why>." (the status without its "not run: " prefix). */
    static String notRun(String what, String status) {
        String why = status == null ? "" : status.replaceFirst("^not run:?\\s*", "");
        return "**" + what + ": not run**" + (why.isEmpty() || why.equals("ok") ? "" : " — " + cell(why)) + ".\n\n";
    }

    static String image(String file, String alt) {
        return "![" + alt + "](" + file + ")\n\n";
    }

    static String cell(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
    }

    static String num(double v) {
        return StabilityCharts.fmt(v);
    }

    static String f3(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "—";
    }

    static String sci(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3g", v) : String.valueOf(v);
    }

    static String big(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    static String blocks(double[] v) {
        if (v == null) {
            return "—";
        }
        List<String> out = new ArrayList<>();
        for (double x : v) {
            out.add(f3(x));
        }
        return String.join(", ", out);
    }

    static int len(double[] v) {
        return v == null ? 0 : v.length;
    }

    static String last(double[] v) {
        return v == null || v.length == 0 || !Double.isFinite(v[v.length - 1]) ? "—"
                : String.format(Locale.ROOT, "%.2f", v[v.length - 1]);
    }

    static String timing(Timing t) {
        if (t == null) {
            return "—";
        }
        return time(t.nanos()) + (Double.isFinite(t.errorNanos()) ? " ± " + time(t.errorNanos()) : "");
    }

    /** A time in ns, µs, ms or s with three significant digits; "—" for NaN. */
    public static String time(double nanos) {
        if (!Double.isFinite(nanos)) {
            return "—";
        }
        double a = Math.abs(nanos);
        if (a < 1e3) {
            return String.format(Locale.ROOT, "%.3g ns", nanos);
        } else if (a < 1e6) {
            return String.format(Locale.ROOT, "%.3g µs", nanos / 1e3);
        } else if (a < 1e9) {
            return String.format(Locale.ROOT, "%.3g ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.3g s", nanos / 1e9);
    }

    /** E.g. "9 min 41 s", "12.3 s". */
    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "—";
        }
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long s = Math.round(seconds);
        return (s / 60) + " min " + (s % 60) + " s";
    }
}
