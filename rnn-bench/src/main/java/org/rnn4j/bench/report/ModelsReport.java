package org.rnn4j.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.rnn4j.bench.ModelBenchmark;
import org.rnn4j.bench.report.ModelMath.Bench;
import org.rnn4j.bench.report.ModelMath.ModelShape;
import org.rnn4j.bench.report.ModelMath.ModelTime;
import org.rnn4j.bench.report.ModelMath.TargetCheck;
import org.rnn4j.bench.report.ReportMath.Kind;
import org.rnn4j.bench.report.ReportTargets.PeerFigure;
import org.rnn4j.bench.report.Reports.Env;
import org.rnn4j.bench.report.Reports.FmaLimit;

/**
 * The models report: {@link ModelBenchmark} against the FMA limit and the model targets,
 * plus the steady-state allocation of a training step. Its data model is serialized as
 * {@code models.json} (Jackson) and rendered as {@code models.md}; as in {@link KernelsReport},
 * every derived figure is recomputed from the raw JMH scores ({@link ModelMath}), so a report read
 * back from JSON renders the same.
 */
public final class ModelsReport {
    /** File names of the report: {@code models.json}, {@code models.md}. */
    static final String NAME = "models";

    /** The GC profiler's allocation per benchmark call, bytes/op (JMH 1.37's label). */
    static final String ALLOC_RATE_NORM = "gc.alloc.rate.norm";

    private ModelsReport() {}

    // ---------------------------------------------------------------------------------------
    // Model.
    // ---------------------------------------------------------------------------------------

    /**
     * One timed JMH result and the figures derived from it.
     *
     * @param benchmark            e.g. {@code org.rnn4j.bench.ModelBenchmark.forward}
     * @param params               its JMH parameters
     * @param mode                 JMH mode short label, e.g. {@code avgt}
     * @param score                JMH score (time per call in {@code unit})
     * @param error                half-width of the 99.9 % confidence interval, null when unknown
     * @param unit                 e.g. {@code ms/op}
     * @param samples              number of measurement samples
     * @param flops                model benchmarks: FLOPs per call (see {@link ModelMath#flops}), else null
     * @param gflops               model and FMA benchmarks: GFLOP/s, else null
     * @param fractionOfFmaLimit   model and FMA benchmarks: GFLOP/s ÷ one-thread FMA limit, else null
     * @param speedupOverOneThread model benchmarks on more than one thread: the one-thread time of the
     *                             same cell, shape and benchmark ÷ this time; else null
     */
    public record Result(String benchmark, Map<String, String> params, String mode, double score, Double error,
                         String unit, long samples, Double flops, Double gflops, Double fractionOfFmaLimit,
                         Double speedupOverOneThread) {

        /** A result with only the JMH figures; {@link #build} fills in the derived ones. */
        public static Result raw(String benchmark, Map<String, String> params, String mode, double score,
                                 double error, String unit, long samples) {
            return new Result(benchmark, new TreeMap<>(params), mode, score, Reports.nullIfNaN(error), unit,
                    samples, null, null, null, null);
        }

        double nanos() {
            return ReportMath.nanosPerOp(score, unit);
        }

        double errorNanos() {
            return error == null ? Double.NaN : ReportMath.nanosPerOp(error, unit);
        }

        boolean isTimePerOp() {
            return unit.endsWith("/op");
        }

        /** This result as a model measurement, null when it is not one of ModelBenchmark's. */
        ModelTime modelTime() {
            return isTimePerOp() ? modelCase(benchmark, params, nanos()) : null;
        }

        Result withDerived(Double flops, Double gflops, Double fraction, Double speedup) {
            return new Result(benchmark, params, mode, score, error, unit, samples, flops, gflops, fraction, speedup);
        }
    }

    /**
     * The allocation of one benchmark call, from a run with JMH's GC profiler.
     *
     * @param benchmark  e.g. {@code org.rnn4j.bench.ModelBenchmark.trainingStep}
     * @param params     its JMH parameters
     * @param bytesPerOp {@code gc.alloc.rate.norm}: bytes allocated per call, null when not reported
     * @param bytesError its 99.9 % confidence half-width, null when unknown
     * @param score      the time per call of that (profiled) run, in {@code unit}
     * @param error      its 99.9 % confidence half-width, null when unknown
     * @param unit       e.g. {@code ms/op}
     * @param samples    number of measurement samples
     */
    public record Allocation(String benchmark, Map<String, String> params, Double bytesPerOp, Double bytesError,
                             double score, Double error, String unit, long samples) {}

    /**
     * The whole report.
     *
     * @param suite       the suite that ran, e.g. {@code models}
     * @param generated   when, ISO-8601 UTC
     * @param settings    how JMH ran (forks, iterations, include pattern, ...)
     * @param environment where
     * @param fmaLimit    the one-thread FMA limit
     * @param results     every timed JMH result (FMA limit and models)
     * @param allocations the results of the runs with the GC profiler
     * @param targets     the model targets checked against the results
     */
    public record Report(String suite, String generated, Map<String, String> settings, Env environment,
                         FmaLimit fmaLimit, List<Result> results, List<Allocation> allocations,
                         List<TargetCheck> targets) {}

    /**
     * A {@link ModelBenchmark} result as a model measurement; null for another benchmark, a cell
     * that is not a {@code CellKind} or a shape or thread count that does not parse.
     */
    static ModelTime modelCase(String benchmark, Map<String, String> params, double nanos) {
        String prefix = ModelBenchmark.class.getName() + ".";
        if (!benchmark.startsWith(prefix)) {
            return null;
        }
        Bench bench = Bench.ofMethod(benchmark.substring(prefix.length()));
        String cell = params.get("cell");
        String shape = params.get("shape");
        String threads = params.get("threads");
        if (bench == null || cell == null || shape == null || threads == null) {
            return null;
        }
        try {
            ModelShape s = ModelShape.parse(shape);
            ModelMath.flops(cell, s, bench); // throws for an unknown cell
            return new ModelTime(cell, s, Integer.parseInt(threads.trim()), bench, nanos);
        } catch (IllegalArgumentException e) { // includes NumberFormatException
            return null;
        }
    }

    // ---------------------------------------------------------------------------------------
    // Building.
    // ---------------------------------------------------------------------------------------

    /** The raw JMH figures of the timed runs (primary results only). */
    public static List<Result> fromRunResults(Collection<RunResult> runResults) {
        List<Result> out = new ArrayList<>();
        for (Reports.Jmh r : Reports.jmh(runResults)) {
            out.add(Result.raw(r.benchmark(), r.params(), r.mode(), r.score(), r.error(), r.unit(), r.samples()));
        }
        return out;
    }

    /** The allocations reported by the GC profiler in the runs that had it. */
    public static List<Allocation> allocationsFrom(Collection<RunResult> runResults) {
        List<Allocation> out = new ArrayList<>();
        for (Reports.Jmh r : Reports.jmh(runResults)) {
            out.add(allocation(r));
        }
        return out;
    }

    /** The allocation of one JMH result: its {@code gc.alloc.rate.norm} (null when it has none). */
    static Allocation allocation(Reports.Jmh r) {
        Reports.Secondary alloc = Reports.secondary(r.secondary(), ALLOC_RATE_NORM);
        return new Allocation(r.benchmark(), new TreeMap<>(r.params()),
                alloc == null ? null : Reports.nullIfNaN(alloc.score()),
                alloc == null ? null : Reports.nullIfNaN(alloc.error()),
                r.score(), Reports.nullIfNaN(r.error()), r.unit(), r.samples());
    }

    /**
     * Computes every derived figure from the raw results and checks the targets.
     *
     * @param fmaIterations {@code FmaPeakBenchmark.ITERATIONS}
     * @param lanes         {@code FmaProbe.lanes()}
     * @param flopsPerCall  {@code FmaProbe.flops(fmaIterations)}
     */
    public static Report build(String suite, String generated, Map<String, String> settings, Env environment,
                               int fmaIterations, int lanes, long flopsPerCall, List<Result> results,
                               List<Allocation> allocations) {
        Result fma = null;
        for (Result r : results) {
            if (r.benchmark().equals(Reports.FMA_BENCHMARK) && r.isTimePerOp()) {
                fma = r;
            }
        }
        FmaLimit fmaLimit = FmaLimit.of(fmaIterations, lanes, flopsPerCall,
                fma == null ? Double.NaN : fma.nanos(), fma == null ? Double.NaN : fma.errorNanos());
        double limit = fmaLimit.gflopsOrNaN();

        Map<String, ModelTime> times = new LinkedHashMap<>();
        for (Result r : results) {
            ModelTime t = r.modelTime();
            if (t != null) {
                times.put(t.key(), t);
            }
        }
        List<Result> derived = new ArrayList<>();
        for (Result r : results) {
            ModelTime t = r.modelTime();
            if (r == fma) {
                derived.add(r.withDerived((double) flopsPerCall, limit, 1.0, null));
            } else if (t != null) {
                double flops = ModelMath.flops(t.cell(), t.shape(), t.bench());
                double g = ReportMath.gflops(flops, t.nanos());
                ModelTime one = t.threads() == 1 ? null
                        : times.get(ModelMath.key(t.cell(), t.shape(), 1, t.bench()));
                derived.add(r.withDerived(flops, g, Reports.nullIfNaN(ReportMath.fraction(g, limit)),
                        one == null ? null : ReportMath.speedup(one.nanos(), t.nanos())));
            } else {
                derived.add(r.withDerived(null, null, null, null));
            }
        }
        return new Report(suite, generated, new LinkedHashMap<>(settings), environment, fmaLimit, derived,
                List.copyOf(allocations), ModelMath.checkTargets(times.values(), limit));
    }

    /** The same report with every derived figure recomputed (e.g. after reading it back from JSON). */
    public static Report rebuild(Report report) {
        FmaLimit f = report.fmaLimit();
        return build(report.suite(), report.generated(), report.settings(), report.environment(),
                f.iterations(), f.lanes(), f.flopsPerCall(), report.results(), report.allocations());
    }

    // ---------------------------------------------------------------------------------------
    // JSON.
    // ---------------------------------------------------------------------------------------

    public static String toJson(Report report) throws IOException {
        return Reports.toJson(report);
    }

    public static Report fromJson(String json) throws IOException {
        return Reports.fromJson(json, Report.class);
    }

    /** Whether a report's JSON is a models report (it has {@code allocations}; kernels.json has not). */
    static boolean isModelsJson(String json) throws IOException {
        return Reports.topLevelFields(json).contains("allocations");
    }

    /** Writes {@code models.json} and {@code models.md} into {@code dir} (created if needed). */
    public static List<Path> write(Report report, Path dir) throws IOException {
        return Reports.write(dir, NAME, toJson(report), markdown(report));
    }

    // ---------------------------------------------------------------------------------------
    // Markdown.
    // ---------------------------------------------------------------------------------------

    /** The report as Markdown. */
    public static String markdown(Report report) {
        StringBuilder md = new StringBuilder();
        Reports.heading(md, "rnn4j model benchmarks", report.suite(), report.generated(), report.settings());
        md.append("Times are JMH's mean per call ± the half-width of its 99.9 % confidence interval; "
                + "GFLOP/s are computed from the mean.\n\n");
        Reports.environment(md, report.environment());
        Reports.fmaLimit(md, report.fmaLimit(), "the \"% of FMA limit\" figures and the FMA-limit bounds below");
        howToRead(md);
        targets(md, report.targets());
        references(md, report);
        models(md, report);
        allocations(md, report);
        Reports.otherResults(md, report.results().stream()
                .filter(r -> r.modelTime() == null && !r.benchmark().equals(Reports.FMA_BENCHMARK))
                .map(r -> new Reports.Jmh(r.benchmark(), r.params(), r.mode(), r.score(),
                        Reports.nanIfNull(r.error()), r.unit(), r.samples(), Map.of()))
                .toList());
        Reports.footer(md, NAME + ".json");
        return md.toString();
    }

    private static void howToRead(StringBuilder md) {
        md.append("## How to read this\n\n");
        md.append("- **Benchmarks** (`ModelBenchmark`): *forward* is `RecurrentModel.forward` (loss and outputs), "
                + "*forward+backward* is `forwardBackward` (forward and backpropagation through time), "
                + "*training step* is `Trainer.step`: forward, backward, global-norm clipping and an Adam "
                + "update. Shapes are B × T × D × H (batch, time steps, inputs, hidden units); the output "
                + "head has " + ModelBenchmark.OUTPUTS + " classes. *threads* is "
                + "`KernelProvider.get().withThreads(n)`.\n");
        md.append("- **GFLOP/s counts only the recurrent layer's matrix products**: a forward pass is "
                + "2·T·B·(D + H)·G·H FLOP (G = 1 for RNN, 4 for LSTM, 3 for GRU); forward+backward and the training step "
                + "count 3× that (the backward pass does two products per forward product). The output head "
                + "(dense layer, softmax and loss at every step) is excluded, as are activations, gate "
                + "arithmetic, clipping and the optimizer: they take time but add no FLOPs here, so GFLOP/s "
                + "understates the work done, most for the RNN and the training step.\n");
        md.append("- **% of FMA limit** divides GFLOP/s by the one-thread FMA limit above, also for two "
                + "threads (up to 200 %). **Speed-up** is the one-thread time ÷ the two-thread time of the same "
                + "cell, shape and benchmark.\n");
        md.append("- **Time at FMA limit** (targets) is the target case's FLOPs ÷ the FMA limit: the least "
                + "time its counted FLOPs take on one thread of this machine. When it is above the target "
                + "time (⚠), the target needs more than the machine's one-thread peak.\n");
        md.append("- **Allocation** is JMH's GC profiler `" + ALLOC_RATE_NORM + "` of the training step on one "
                + "thread, from a separate run with the profiler: bytes allocated per step in steady state; it "
                + "should be about 0. JMH counts the allocation of every thread of the benchmark JVM over an "
                + "iteration and divides it by the iteration's calls, so the harness's own (a few KiB per "
                + "iteration) shows as bytes per step, the more so the fewer steps an iteration has; a real "
                + "allocation per step stays the same with longer iterations.\n");
        md.append("- **Reference numbers** of PyTorch, ONNX Runtime and DL4J are quoted from the issue; they "
                + "were measured elsewhere, not by this run.\n\n");
    }

    private static void targets(StringBuilder md, List<TargetCheck> checks) {
        md.append("## Targets\n\n");
        Reports.targetSummary(md, checks.stream().map(TargetCheck::status).toList());
        md.append("| Target | Case | Measured | Required | Status | FLOPs | Time at FMA limit |\n");
        md.append("|---|---|---:|---:|---|---:|---:|\n");
        for (TargetCheck c : checks) {
            boolean time = c.kind() == Kind.MAX_MILLISECONDS;
            String measured = c.measured() == null ? "—"
                    : time ? Reports.time(c.measured() * 1e6, Double.NaN) : Reports.num(c.measured()) + "×";
            String required = time ? "≤ " + Reports.time(c.required() * 1e6, Double.NaN)
                    : "≥ " + Reports.num(c.required()) + "×";
            String flops = c.flops() == null ? "" : Reports.num(c.flops() / 1e9) + " G";
            String bound = "";
            if (c.millisAtFmaLimit() != null) {
                bound = Reports.time(c.millisAtFmaLimit() * 1e6, Double.NaN);
                if (c.millisAtFmaLimit() > c.required()) {
                    bound += " ⚠ needs " + Reports.percent(c.millisAtFmaLimit() / c.required()) + " of the limit";
                }
            } else if (time) {
                bound = "—";
            }
            md.append("| ").append(c.target()).append(" | ").append(c.subject()).append(" | ").append(measured)
                    .append(" | ").append(required).append(" | ").append(Reports.status(c.status()))
                    .append(" | ").append(flops).append(" | ").append(bound).append(" |\n");
        }
        md.append('\n');
    }

    /**
     * The peers' figures quoted in the issue ({@value ReportTargets#RESOURCE}): PyTorch 1.13, ONNX
     * Runtime 1.29 and DL4J, ms.
     */
    private static final List<PeerFigure> REFERENCES = ReportTargets.PROJECT.peerFigures();

    private static void references(StringBuilder md, Report report) {
        md.append("## Reference numbers from the issue, not measured by this run\n\n");
        md.append("Peers' times for the target cases as quoted in the issue (other machines and settings; "
                + "DL4J *fit* is a whole training step). The last column is this run's one-thread time at "
                + ModelMath.TARGET_SHAPE.pretty() + ".\n\n");
        md.append("| Case | PyTorch 1.13 | ONNX Runtime 1.29 | DL4J | this run, one thread |\n");
        md.append("|---|---:|---:|---:|---:|\n");
        Map<String, Result> byCase = byCase(report);
        for (PeerFigure r : REFERENCES) {
            Result measured = byCase.get(ModelMath.key(r.cell(), ModelMath.TARGET_SHAPE, 1, r.bench()));
            md.append("| ").append(r.cell()).append(' ').append(r.bench().label())
                    .append(" | ").append(millis(r.pytorch()))
                    .append(" | ").append(millis(r.onnx()))
                    .append(" | ").append(millis(r.dl4j())).append(r.dl4jFit() && r.dl4j() != null ? " (fit)" : "")
                    .append(" | ").append(measured == null ? "—" : Reports.time(measured.nanos(), measured.errorNanos()))
                    .append(" |\n");
        }
        md.append('\n');
    }

    private static String millis(Double ms) {
        return ms == null ? "—" : Reports.time(ms * 1e6, Double.NaN);
    }

    /** The model results by {@link ModelMath#key}; the last one counts. */
    private static Map<String, Result> byCase(Report report) {
        Map<String, Result> out = new LinkedHashMap<>();
        for (Result r : report.results()) {
            ModelTime t = r.modelTime();
            if (t != null) {
                out.put(t.key(), r);
            }
        }
        return out;
    }

    private static final Comparator<ModelTime> ROW_ORDER = Comparator
            .comparing(ModelTime::cell, ModelMath.CELL_ORDER)
            .thenComparing(ModelTime::shape, ModelShape.ORDER)
            .thenComparing(ModelTime::bench)
            .thenComparingInt(ModelTime::threads);

    private static void models(StringBuilder md, Report report) {
        List<Result> rows = report.results().stream().filter(r -> r.modelTime() != null)
                .sorted(Comparator.comparing(Result::modelTime, ROW_ORDER)).toList();
        if (rows.isEmpty()) {
            return;
        }
        md.append("## Models\n\n");
        md.append("| cell | B | T | D | H | threads | benchmark | time | GFLOP/s | % of FMA limit | speed-up "
                + "vs 1 thread |\n");
        md.append("|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|\n");
        for (Result r : rows) {
            ModelTime t = r.modelTime();
            ModelShape s = t.shape();
            md.append("| ").append(t.cell()).append(" | ").append(s.batch()).append(" | ").append(s.steps())
                    .append(" | ").append(s.inputs()).append(" | ").append(s.hidden()).append(" | ")
                    .append(t.threads()).append(" | ").append(t.bench().label())
                    .append(" | ").append(Reports.time(r.nanos(), r.errorNanos()))
                    .append(" | ").append(Reports.num(r.gflops()))
                    .append(" | ").append(r.fractionOfFmaLimit() == null ? "—" : Reports.percent(r.fractionOfFmaLimit()))
                    .append(" | ").append(r.speedupOverOneThread() == null ? ""
                            : Reports.num(r.speedupOverOneThread()) + "×")
                    .append(" |\n");
        }
        md.append('\n');
    }

    private static void allocations(StringBuilder md, Report report) {
        md.append("## Allocation per training step\n\n");
        if (report.allocations().isEmpty()) {
            md.append("Not measured in this run (the GC-profiled run of `trainingStep` did not run).\n\n");
            return;
        }
        md.append("JMH GC profiler, `" + ALLOC_RATE_NORM + "`, steady state (after warm-up); should be about 0.\n\n");
        md.append("| cell | shape (B×T×D×H) | threads | benchmark | bytes per call |\n");
        md.append("|---|---|---:|---|---:|\n");
        List<Allocation> rows = new ArrayList<>(report.allocations());
        rows.sort(Comparator.comparing((Allocation a) -> allocationCase(a), Comparator.nullsLast(ROW_ORDER)));
        for (Allocation a : rows) {
            ModelTime t = allocationCase(a);
            String bench = a.benchmark().substring(a.benchmark().lastIndexOf('.') + 1);
            md.append("| ").append(t == null ? Reports.cell(a.params().getOrDefault("cell", "—")) : t.cell())
                    .append(" | ").append(t == null ? Reports.cell(a.params().getOrDefault("shape", "—"))
                            : t.shape().pretty())
                    .append(" | ").append(t == null ? Reports.cell(a.params().getOrDefault("threads", "—"))
                            : String.valueOf(t.threads()))
                    .append(" | ").append(t == null ? Reports.cell(bench) : t.bench().label())
                    .append(" | ").append(a.bytesPerOp() == null ? "— (no " + ALLOC_RATE_NORM + ")"
                            : Reports.bytes(a.bytesPerOp(), Reports.nanIfNull(a.bytesError())))
                    .append(" |\n");
        }
        md.append('\n');
    }

    private static ModelTime allocationCase(Allocation a) {
        return modelCase(a.benchmark(), a.params(), Double.NaN);
    }
}
