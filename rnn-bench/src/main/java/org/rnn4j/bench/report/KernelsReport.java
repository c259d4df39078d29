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
import org.rnn4j.bench.report.ReportMath.GemmSize;
import org.rnn4j.bench.report.ReportMath.GemmTime;
import org.rnn4j.bench.report.ReportMath.TargetCheck;
import org.rnn4j.bench.report.Reports.Env;
import org.rnn4j.bench.report.Reports.FmaLimit;

/**
 * The kernels report: its data model (serialized as {@code kernels.json} with Jackson), built from
 * JMH's {@link RunResult}s, and its Markdown rendering ({@code kernels.md}). The derived figures
 * (GFLOP/s, fractions of the FMA limit, elements/ns, target checks) are always recomputed from the
 * raw JMH scores with {@link ReportMath}, so that a report read back from JSON renders the same.
 * The environment, the FMA limit, JSON and the shared Markdown sections are {@link Reports}'.
 */
public final class KernelsReport {
    /** Benchmark whose time gives the FMA limit. */
    static final String FMA_BENCHMARK = Reports.FMA_BENCHMARK;

    private KernelsReport() {}

    // ---------------------------------------------------------------------------------------
    // Model.
    // ---------------------------------------------------------------------------------------

    /**
     * One JMH result and the figures derived from it.
     *
     * @param benchmark          the benchmark, e.g. {@code org.rnn4j.bench.GemmBenchmark.gemm}
     * @param params             its JMH parameters
     * @param mode               JMH mode short label, e.g. {@code avgt}
     * @param score              JMH score (time per call in {@code unit})
     * @param error              half-width of the 99.9 % confidence interval, null when unknown
     * @param unit               e.g. {@code us/op}
     * @param samples            number of measurement samples
     * @param gflops             GEMM and FMA benchmarks: GFLOP/s, else null
     * @param fractionOfFmaLimit GEMM and FMA benchmarks: GFLOP/s ÷ one-thread FMA limit, else null
     * @param elementsPerNs      activation benchmarks: elements per nanosecond, else null
     */
    public record Result(String benchmark, Map<String, String> params, String mode, double score, Double error,
                         String unit, long samples, Double gflops, Double fractionOfFmaLimit,
                         Double elementsPerNs) {

        /** A result with only the JMH figures; {@link #build} fills in the derived ones. */
        public static Result raw(String benchmark, Map<String, String> params, String mode, double score,
                                 double error, String unit, long samples) {
            return new Result(benchmark, new TreeMap<>(params), mode, score,
                    Double.isNaN(error) ? null : error, unit, samples, null, null, null);
        }

        /** The simple class name, e.g. {@code GemmBenchmark}. */
        public String benchmarkClass() {
            String owner = benchmark.substring(0, Math.max(0, benchmark.lastIndexOf('.')));
            return owner.substring(owner.lastIndexOf('.') + 1);
        }

        /** The method name, e.g. {@code gemm}. */
        public String method() {
            return benchmark.substring(benchmark.lastIndexOf('.') + 1);
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

        boolean isGemm() {
            return isTimePerOp() && params.containsKey("impl") && params.containsKey("shape")
                    && params.containsKey("size");
        }

        boolean isActivation() {
            return isTimePerOp() && benchmarkClass().equals("ActivationBenchmark") && params.containsKey("n");
        }

        /** Elements of one call of an activation benchmark. */
        long elements() {
            int n = Integer.parseInt(params.get("n"));
            return params.containsKey("rowLength")
                    ? ReportMath.softmaxElements(n, Integer.parseInt(params.get("rowLength"))) : n;
        }

        Result withDerived(Double gflops, Double fraction, Double elementsPerNs) {
            return new Result(benchmark, params, mode, score, error, unit, samples, gflops, fraction, elementsPerNs);
        }
    }

    /**
     * The whole report.
     *
     * @param suite       the suite that ran, e.g. {@code kernels}
     * @param generated   when, ISO-8601 UTC
     * @param settings    how JMH ran (forks, iterations, include pattern, ...)
     * @param environment where
     * @param fmaLimit    the one-thread FMA limit
     * @param results     every JMH result
     * @param targets     the performance targets checked against the results
     */
    public record Report(String suite, String generated, Map<String, String> settings, Env environment,
                         FmaLimit fmaLimit, List<Result> results, List<TargetCheck> targets) {}

    // ---------------------------------------------------------------------------------------
    // Building.
    // ---------------------------------------------------------------------------------------

    /** The raw JMH figures of a run (primary results only). */
    public static List<Result> fromRunResults(Collection<RunResult> runResults) {
        List<Result> out = new ArrayList<>();
        for (Reports.Jmh r : Reports.jmh(runResults)) {
            out.add(Result.raw(r.benchmark(), r.params(), r.mode(), r.score(), r.error(), r.unit(), r.samples()));
        }
        return out;
    }

    /**
     * Computes every derived figure from the raw results and checks the targets.
     *
     * @param fmaIterations {@code FmaPeakBenchmark.ITERATIONS}
     * @param lanes         {@code FmaProbe.lanes()}
     * @param flopsPerCall  {@code FmaProbe.flops(fmaIterations)}
     */
    public static Report build(String suite, String generated, Map<String, String> settings, Env environment,
                               int fmaIterations, int lanes, long flopsPerCall, List<Result> results) {
        Result fma = null;
        for (Result r : results) {
            if (r.benchmark().equals(FMA_BENCHMARK) && r.isTimePerOp()) {
                fma = r;
            }
        }
        FmaLimit fmaLimit = FmaLimit.of(fmaIterations, lanes, flopsPerCall,
                fma == null ? Double.NaN : fma.nanos(), fma == null ? Double.NaN : fma.errorNanos());
        double limit = fmaLimit.gflopsOrNaN();

        List<Result> derived = new ArrayList<>();
        List<GemmTime> times = new ArrayList<>();
        for (Result r : results) {
            if (r == fma) {
                derived.add(r.withDerived(limit, 1.0, null));
            } else if (r.isGemm()) {
                GemmSize size = GemmSize.parse(r.params().get("size"));
                double g = ReportMath.gemmGflops(size, r.nanos());
                derived.add(r.withDerived(g, nullIfNaN(ReportMath.fraction(g, limit)), null));
                times.add(new GemmTime(r.params().get("impl"), r.params().get("shape"), size, r.nanos()));
            } else if (r.isActivation()) {
                derived.add(r.withDerived(null, null, ReportMath.elementsPerNs(r.elements(), r.nanos())));
            } else {
                derived.add(r.withDerived(null, null, null));
            }
        }
        return new Report(suite, generated, new LinkedHashMap<>(settings), environment, fmaLimit, derived,
                ReportMath.checkTargets(times, limit));
    }

    /** The same report with every derived figure recomputed (e.g. after reading it back from JSON). */
    public static Report rebuild(Report report) {
        FmaLimit f = report.fmaLimit();
        return build(report.suite(), report.generated(), report.settings(), report.environment(),
                f.iterations(), f.lanes(), f.flopsPerCall(), report.results());
    }

    private static Double nullIfNaN(double v) {
        return Reports.nullIfNaN(v);
    }

    // ---------------------------------------------------------------------------------------
    // JSON.
    // ---------------------------------------------------------------------------------------

    /** File names of the report: {@code kernels.json}, {@code kernels.md}. */
    static final String NAME = "kernels";

    public static String toJson(Report report) throws IOException {
        return Reports.toJson(report);
    }

    public static Report fromJson(String json) throws IOException {
        return Reports.fromJson(json, Report.class);
    }

    /** Writes {@code kernels.json} and {@code kernels.md} into {@code dir} (created if needed). */
    public static List<Path> write(Report report, Path dir) throws IOException {
        return Reports.write(dir, NAME, toJson(report), markdown(report));
    }

    // ---------------------------------------------------------------------------------------
    // Markdown.
    // ---------------------------------------------------------------------------------------

    /** The report as Markdown. */
    public static String markdown(Report report) {
        StringBuilder md = new StringBuilder();
        Reports.heading(md, "rnn4j kernel benchmarks", report.suite(), report.generated(), report.settings());
        md.append("Times are JMH's mean per call ± the half-width of its 99.9 % confidence interval; "
                + "rates (GFLOP/s, elements/ns) are computed from the mean.\n\n");
        Reports.environment(md, report.environment());
        Reports.fmaLimit(md, report.fmaLimit(), "the GEMM fractions and the fraction targets below");
        targets(md, report.targets());
        gemm(md, report);
        activations(md, report);
        others(md, report);
        Reports.footer(md, NAME + ".json");
        return md.toString();
    }

    private static void targets(StringBuilder md, List<TargetCheck> checks) {
        md.append("## Targets\n\n");
        Reports.targetSummary(md, checks.stream().map(TargetCheck::status).toList());
        md.append("| Target | Case | Measured | Required | Status |\n|---|---|---:|---:|---|\n");
        for (TargetCheck c : checks) {
            boolean speedup = c.kind() == ReportMath.Kind.SPEEDUP;
            String measured = c.measured() == null ? "—"
                    : speedup ? num(c.measured()) + "×" : percent(c.measured());
            String required = "≥ " + (speedup ? num(c.required()) + "×" : percent(c.required()));
            String status = Reports.status(c.status());
            md.append("| ").append(c.target()).append(" | ").append(c.subject()).append(" | ").append(measured)
                    .append(" | ").append(required).append(" | ").append(status).append(" |\n");
        }
        md.append('\n');
    }

    private static void gemm(StringBuilder md, Report report) {
        List<Result> rows = report.results().stream().filter(Result::isGemm)
                .sorted(Comparator.comparing((Result r) -> r.params().get("shape"), ReportMath.SHAPE_ORDER)
                        .thenComparing(r -> GemmSize.parse(r.params().get("size")), GemmSize.ORDER)
                        .thenComparing(r -> r.params().get("impl"), ReportMath.IMPL_ORDER))
                .toList();
        if (rows.isEmpty()) {
            return;
        }
        Map<String, Result> byCase = new LinkedHashMap<>();
        for (Result r : rows) {
            byCase.put(gemmCase(r.params().get("impl"), r), r);
        }
        md.append("## GEMM\n\n");
        md.append("C = op(A)·op(B) with alpha 1, beta 0; A·B = `mult`, Aᵀ·B = `multTransA`, A·Bᵀ = `multTransB`, \"A·B, B pre-packed\" = `multPacked` on a B packed once by `packB` (as the recurrent loops use W_h). "
                + "GFLOP/s = 2·m·n·k / time; % of FMA limit is against the one-thread limit for every impl. "
                + "vector2t = `KernelProvider.vector().withThreads(2)` (products below "
                + "2·96³ FLOP stay on one thread); speed-up is vector over scalar and vector2t over vector "
                + "at the same shape and size.\n\n");
        md.append("| impl | shape | m | n | k | time | GFLOP/s | % of FMA limit | speed-up |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : rows) {
            GemmSize s = GemmSize.parse(r.params().get("size"));
            String impl = r.params().get("impl");
            String speedup = "";
            Result base = switch (impl) {
                case "vector" -> byCase.get(gemmCase("scalar", r));
                case "vector2t" -> byCase.get(gemmCase("vector", r));
                default -> null;
            };
            if (base != null) {
                speedup = num(ReportMath.speedup(base.nanos(), r.nanos())) + "× "
                        + (impl.equals("vector") ? "scalar" : "vector");
            }
            md.append("| ").append(impl).append(" | ").append(ReportMath.prettyShape(r.params().get("shape")))
                    .append(" | ").append(s.m()).append(" | ").append(s.n()).append(" | ").append(s.k())
                    .append(" | ").append(time(r.nanos(), r.errorNanos()))
                    .append(" | ").append(num(r.gflops()))
                    .append(" | ").append(r.fractionOfFmaLimit() == null ? "—" : percent(r.fractionOfFmaLimit()))
                    .append(" | ").append(speedup).append(" |\n");
        }
        md.append('\n');
    }

    private static String gemmCase(String impl, Result r) {
        return impl + "/" + r.params().get("shape") + "/" + r.params().get("size");
    }

    /** Activation table columns, by method-name suffix. */
    private static final List<String> VARIANTS = List.of("Scalar", "Vector", "Polynomial", "Lanewise");

    /** Activation ops in table order; others follow alphabetically. */
    private static final List<String> OPS = List.of("tanh", "sigmoid", "relu", "exp", "softmax");

    /** One row of the activations table: an op (softmax: with its row length) at one element count. */
    private record ActivationRow(String op, int rowLength, long elements) {
        static final Comparator<ActivationRow> ORDER = Comparator
                .comparingInt((ActivationRow r) -> OPS.indexOf(r.op()) < 0 ? OPS.size() : OPS.indexOf(r.op()))
                .thenComparing(ActivationRow::op)
                .thenComparingInt(ActivationRow::rowLength)
                .thenComparingLong(ActivationRow::elements);

        String label() {
            return rowLength > 0 ? op + ", rows of " + rowLength : op;
        }
    }

    private static void activations(StringBuilder md, Report report) {
        Map<ActivationRow, Map<String, Result>> table = new TreeMap<>(ActivationRow.ORDER);
        for (Result r : report.results()) {
            if (!r.isActivation()) {
                continue;
            }
            String method = r.method();
            String variant = VARIANTS.stream().filter(method::endsWith).findFirst().orElse(null);
            if (variant == null) {
                continue;
            }
            String rowLength = r.params().get("rowLength");
            ActivationRow row = new ActivationRow(method.substring(0, method.length() - variant.length()),
                    rowLength == null ? 0 : Integer.parseInt(rowLength), r.elements());
            String column = variant.equals("Polynomial") ? "Vector" : variant;
            table.computeIfAbsent(row, x -> new LinkedHashMap<>()).put(column, r);
        }
        if (table.isEmpty()) {
            return;
        }
        md.append("## Activations\n\n");
        md.append("Elements per nanosecond (higher is better). scalar / vector = `KernelProvider.scalar()` / "
                + "`.vector()`, i.e. `Kernels.activate` and `Kernels.softmaxRows`; for exp the vector column is "
                + "the kernels' polynomial (`ActivationVariants.expPolynomial`). Vector API lanewise = "
                + "`ActivationVariants.tanhLanewise`, `sigmoidLanewise`, `expLanewise`.\n\n");
        md.append("| op | elements | scalar | vector (kernels) | Vector API lanewise | vector ÷ scalar "
                + "| vector ÷ lanewise |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|\n");
        table.forEach((row, cols) -> {
            Result s = cols.get("Scalar");
            Result v = cols.get("Vector");
            Result l = cols.get("Lanewise");
            md.append("| ").append(row.label()).append(" | ").append(row.elements())
                    .append(" | ").append(rate(s)).append(" | ").append(rate(v)).append(" | ").append(rate(l))
                    .append(" | ").append(ratio(v, s)).append(" | ").append(ratio(v, l)).append(" |\n");
        });
        md.append('\n');
    }

    private static String rate(Result r) {
        return r == null ? "—" : num(r.elementsPerNs());
    }

    private static String ratio(Result top, Result bottom) {
        return top == null || bottom == null ? "—" : num(top.elementsPerNs() / bottom.elementsPerNs()) + "×";
    }

    private static void others(StringBuilder md, Report report) {
        Reports.otherResults(md, report.results().stream()
                .filter(r -> !r.isGemm() && !r.isActivation() && !r.benchmark().equals(FMA_BENCHMARK))
                .map(r -> new Reports.Jmh(r.benchmark(), r.params(), r.mode(), r.score(),
                        Reports.nanIfNull(r.error()), r.unit(), r.samples(), Map.of()))
                .toList());
    }

    // ---------------------------------------------------------------------------------------
    // Number formatting: Reports'.
    // ---------------------------------------------------------------------------------------

    static String num(Double v) {
        return Reports.num(v);
    }

    static String percent(double fraction) {
        return Reports.percent(fraction);
    }

    static String time(double nanos, double errorNanos) {
        return Reports.time(nanos, errorNanos);
    }
}
