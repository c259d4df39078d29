package org.rnn4j.bench.stability;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.bench.report.Reports.Env;

/** Synthetic records for the report's writers and claims: every part present, shapes like a real run's. */
final class Synthetic {
    private Synthetic() {}

    static final Env ENV = new Env("vector", 512, "", "OpenJDK 25", 2, "Test CPU", "Linux");

    static ThroughputResult throughput(double rnnStepMs, double lstmStepMs) {
        ThroughputSettings s = StabilityConfig.full().throughput();
        List<Timing> t = new ArrayList<>();
        double[] rnn = {2e6, 6e6, rnnStepMs * 1e6, 20e3};
        double[] lstm = {7e6, 21e6, lstmStepMs * 1e6, 60e3};
        for (int i = 0; i < Throughput.BENCHMARKS.size(); i++) {
            String b = Throughput.BENCHMARKS.get(i);
            String shape = b.equals("singleStep") ? "1x1x128x128" : s.shape();
            t.add(new Timing("RNN", b, shape, rnn[i], rnn[i] * 0.05, 3));
            t.add(new Timing("LSTM", b, shape, lstm[i], Double.NaN, 3));
        }
        return new ThroughputResult(s, t);
    }

    /** A run: solved at {@code success} (null: not within budget), with a curve and, for spectra, ρ. */
    static AddingRun run(ModelKind m, int t, long seed, Integer success, boolean spectra, double rho) {
        AddingSettings s = StabilityConfig.full().adding();
        long steps = success != null ? success : s.budget();
        List<TrainingSample> samples = new ArrayList<>();
        for (long k = 0; k <= steps; k += 250) {
            double[] r = spectra ? new double[m.gates()] : null;
            double[] sg = spectra ? new double[m.gates()] : null;
            if (spectra) {
                for (int q = 0; q < m.gates(); q++) {
                    r[q] = rho + 0.01 * q + 0.00002 * k;
                    sg[q] = r[q] * 1.3;
                }
            }
            double loss = success != null ? 0.17 * Math.exp(-5.0 * k / steps) : 0.165;
            samples.add(new TrainingSample(k, k == 0 ? Double.NaN : loss, 0.5, r, sg));
        }
        return new AddingRun(m, t, seed, 0.01, s.budget(), success != null ? Outcome.SOLVED : Outcome.NOT_WITHIN_BUDGET,
                success, steps, success != null ? 0.009 : 0.165, null, 12.5, samples);
    }

    /** E2: LSTM and IRNN solve everything, the tanh RNNs nothing (one IRNN run non-finite at T = 200). */
    static AddingResult adding() {
        AddingSettings s = StabilityConfig.full().adding();
        List<AddingRun> runs = new ArrayList<>();
        List<StepCost> costs = new ArrayList<>();
        for (ModelKind m : s.models()) {
            for (int t : s.lengths()) {
                costs.add(new StepCost(m, t, 1e-5 * t * m.gates()));
                for (int seed = 0; seed < s.seeds(); seed++) {
                    boolean solves = m == ModelKind.LSTM || m == ModelKind.IRNN;
                    boolean spectra = t == s.spectraLength() && seed == 0;
                    double rho = m == ModelKind.IRNN ? 1.0 : m == ModelKind.LSTM ? 0.9 : 0.6;
                    if (m == ModelKind.IRNN && t == 200 && seed == 2) {
                        runs.add(new AddingRun(m, t, seed, 0.01, s.budget(), Outcome.NON_FINITE, null, 140, 0.4,
                                "training step 141: non-finite value in gradient of layer0.W_x at time step t=5", 3,
                                List.of(new TrainingSample(125, 0.3, 2, null, null))));
                        continue;
                    }
                    runs.add(run(m, t, seed, solves ? 600 + 3 * t + 50 * seed : null, spectra, rho));
                }
            }
        }
        return new AddingResult(s, 1.0 / 6, costs, runs);
    }

    /** E3: the unclipped ρ = 3 run goes non-finite at step 5, every clipped run stays finite. */
    static ExplodingResult exploding() {
        ExplodingSettings s = StabilityConfig.full().exploding();
        List<ExplodingRun> runs = new ArrayList<>();
        for (double rho : s.radii()) {
            for (boolean clipped : new boolean[] {false, true}) {
                int n = !clipped && rho == 3.0 ? 4 : s.budget();
                double[] loss = new double[n];
                double[] norm = new double[n];
                double[] applied = new double[n];
                for (int i = 0; i < n; i++) {
                    loss[i] = clipped ? 0.5 + 0.1 * Math.sin(i) : 0.5 * Math.pow(rho, 3 * i);
                    norm[i] = Math.pow(rho, 10) * (1 + i % 3);
                    applied[i] = clipped ? Math.min(norm[i], s.clipNorm()) : norm[i];
                }
                boolean nf = !clipped && rho == 3.0;
                runs.add(new ExplodingRun(rho, rho + 1e-7, clipped, n, !clipped && rho > 1.5 ? 2 : null,
                        nf ? 5 : null, nf ? 37 : null, nf ? "non-finite value in layer0.h at time step t=37: x" : null,
                        loss, norm, applied));
            }
        }
        return new ExplodingResult(s, 1.0 / 6, runs);
    }

    static E1Result e1() {
        int t = 60;
        List<LagCurve> curves = new ArrayList<>();
        for (String label : List.of("tanh RNN, ρ = 0.9", "IRNN")) {
            double[] j = new double[t], e = new double[t], u = new double[t], tr = new double[t];
            for (int d = 0; d < t; d++) {
                j[d] = -0.3 * d;
                e[d] = -0.35 * d;
                u[d] = label.startsWith("IRNN") ? 0 : -0.05 * d;
                tr[d] = d == 0 ? Double.NaN : -0.2 * d; // NaN: not defined at lag 0
            }
            curves.add(new LagCurve(label, j, e, u, tr));
        }
        return new E1Result(t, 64, curves);
    }

    static E4Result e4() {
        int n = 2000;
        double[] fb = new double[n], gb = new double[n], fa = new double[n], ga = new double[n];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(1);
        for (int i = 0; i < n; i++) {
            gb[i] = -0.3 + 0.05 * rnd.nextGaussian();
            fb[i] = gb[i] + 0.02 * rnd.nextGaussian();
            ga[i] = -0.02 + 0.02 * rnd.nextGaussian();
            fa[i] = ga[i] + 0.05 * Math.abs(rnd.nextGaussian());
        }
        return new E4Result("adding T = 100", 3000, fb, gb, fa, ga);
    }

    static List<EigenPlot> eigen() {
        int n = 64;
        double[] re = new double[n], im = new double[n];
        for (int k = 0; k < n; k++) {
            double a = 2 * Math.PI * k / n;
            re[k] = 1.05 * Math.cos(a);
            im[k] = 1.05 * Math.sin(a);
        }
        double[] re2 = new double[n], im2 = new double[n];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(2);
        for (int k = 0; k < n; k++) {
            re2[k] = 0.6 * rnd.nextGaussian() * 0.5;
            im2[k] = 0.6 * rnd.nextGaussian() * 0.5;
        }
        return List.of(new EigenPlot("IRNN after training", re, im), new EigenPlot("tanh RNN at initialisation", re2, im2));
    }

    /** A whole report; {@code lead} false leaves E1, E4 and the eigenvalues out, as "not wired yet". */
    static StabilityReport report(boolean lead) {
        List<PartTime> parts = List.of(new PartTime("throughput", 70, "ok"), new PartTime("E3", 3, "ok"),
                new PartTime("E2+E5", 400, "ok"),
                new PartTime("E1", 0, lead ? "ok" : "not run: E1 not wired yet"),
                new PartTime("E4", 0, lead ? "ok" : "not run: E4 not wired yet"),
                new PartTime("eigenvalues", 0, lead ? "ok" : "not run: eigenvalue plot not wired yet"));
        StabilityReport r = new StabilityReport("stability", "2026-01-01T00:00:00Z", ENV, StabilityConfig.full(), parts,
                473, throughput(10, 40), lead ? e1() : null, adding(), exploding(), lead ? e4() : null,
                lead ? eigen() : null, List.of());
        return StabilityRun.withClaims(r);
    }
}
