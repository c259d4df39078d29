package org.rnn4j.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import org.rnn4j.bench.FmaPeakBenchmark;
import org.rnn4j.bench.report.ReportMath.Status;
import org.rnn4j.lstm.Environment;

/**
 * What the reports of {@link BenchMain} share ({@link KernelsReport}, {@link ModelsReport}): the
 * environment and FMA-limit records, the raw figures of a JMH result, JSON (Jackson) and file
 * writing, the common Markdown sections and the number formatting.
 */
public final class Reports {
    /** Benchmark whose time gives the FMA limit. */
    static final String FMA_BENCHMARK = FmaPeakBenchmark.class.getName() + ".fmaChains";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Reports() {}

    // ---------------------------------------------------------------------------------------
    // Model.
    // ---------------------------------------------------------------------------------------

    /**
     * Where the numbers come from: {@link Environment#current()} of the JVM that ran the benchmarks
     * (the forks run the same JVM with the same modules), plus the CPU model and the OS.
     */
    public record Env(String kernels, int vectorBits, String fallbackReason, String jvm, int cores,
                      String cpuModel, String os) {

        /** This JVM's environment. */
        public static Env current() {
            Environment e = Environment.current();
            return new Env(e.kernels(), e.vectorBits(), e.fallbackReason(), e.jvm(), e.cores(), readCpuModel(),
                    System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                            + System.getProperty("os.arch"));
        }

        /** The first "model name" of /proc/cpuinfo, or "unknown" when it cannot be read. */
        static String readCpuModel() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                    int colon = line.indexOf(':');
                    if (colon > 0 && line.substring(0, colon).trim().equals("model name")) {
                        return line.substring(colon + 1).trim();
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not Linux, or not readable: fall through
            }
            return "unknown";
        }
    }

    /**
     * The FMA limit of one thread.
     *
     * @param iterations   the {@code FmaProbe.run} iterations of one benchmark call
     * @param lanes        float lanes per FMA
     * @param flopsPerCall {@code FmaProbe.flops(iterations)}
     * @param nanosPerCall measured time per call, null when the FMA benchmark did not run
     * @param errorNanos   its 99.9 % confidence half-width, null when unknown
     * @param gflops       the limit, null when not measured
     */
    public record FmaLimit(int iterations, int lanes, long flopsPerCall, Double nanosPerCall, Double errorNanos,
                           Double gflops) {

        /**
         * The limit from the FMA benchmark's time per call ({@code nanosPerCall} NaN: it did not
         * run; {@code errorNanos} NaN: unknown).
         */
        public static FmaLimit of(int iterations, int lanes, long flopsPerCall, double nanosPerCall,
                                  double errorNanos) {
            boolean measured = !Double.isNaN(nanosPerCall);
            return new FmaLimit(iterations, lanes, flopsPerCall,
                    measured ? nanosPerCall : null,
                    measured ? nullIfNaN(errorNanos) : null,
                    measured ? ReportMath.fmaLimitGflops(flopsPerCall, nanosPerCall) : null);
        }

        /** The limit in GFLOP/s, NaN when not measured. */
        public double gflopsOrNaN() {
            return gflops == null ? Double.NaN : gflops;
        }
    }

    /**
     * The raw figures of one JMH result.
     *
     * @param benchmark the benchmark, e.g. {@code org.rnn4j.bench.GemmBenchmark.gemm}
     * @param params    its JMH parameters
     * @param mode      JMH mode short label, e.g. {@code avgt}
     * @param score     the primary score
     * @param error     half-width of its 99.9 % confidence interval, NaN when unknown
     * @param unit      e.g. {@code us/op}
     * @param samples   number of measurement samples
     * @param secondary the secondary results (e.g. a profiler's {@code gc.alloc.rate.norm}) by label
     */
    public record Jmh(String benchmark, Map<String, String> params, String mode, double score, double error,
                      String unit, long samples, Map<String, Secondary> secondary) {}

    /** A secondary JMH result: score, confidence half-width (NaN when unknown) and unit. */
    public record Secondary(double score, double error, String unit) {}

    /** The raw figures of JMH's results, primary and secondary. */
    public static List<Jmh> jmh(Collection<RunResult> runResults) {
        List<Jmh> out = new ArrayList<>();
        for (RunResult rr : runResults) {
            BenchmarkParams p = rr.getParams();
            Map<String, String> params = new TreeMap<>();
            for (String key : p.getParamsKeys()) {
                params.put(key, p.getParam(key));
            }
            Map<String, Secondary> secondary = new TreeMap<>();
            rr.getSecondaryResults().forEach((label, r) ->
                    secondary.put(label, new Secondary(r.getScore(), r.getScoreError(), r.getScoreUnit())));
            org.openjdk.jmh.results.Result<?> r = rr.getPrimaryResult();
            out.add(new Jmh(p.getBenchmark(), params, p.getMode().shortLabel(), r.getScore(), r.getScoreError(),
                    r.getScoreUnit(), r.getSampleCount(), secondary));
        }
        return out;
    }

    /**
     * The secondary result whose label is {@code label}, ignoring any leading non-letters: JMH 1.37
     * labels the GC profiler's results {@code "gc.alloc.rate.norm"} and so on, JMH up to 1.36
     * {@code "·gc.alloc.rate.norm"}. Null when absent.
     */
    public static Secondary secondary(Map<String, Secondary> secondary, String label) {
        Secondary exact = secondary.get(label);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, Secondary> e : secondary.entrySet()) {
            String key = e.getKey();
            int i = 0;
            while (i < key.length() && !Character.isLetter(key.charAt(i))) {
                i++;
            }
            if (key.substring(i).equals(label)) {
                return e.getValue();
            }
        }
        return null;
    }

    static Double nullIfNaN(double v) {
        return Double.isNaN(v) ? null : v;
    }

    static double nanIfNull(Double v) {
        return v == null ? Double.NaN : v;
    }

    // ---------------------------------------------------------------------------------------
    // JSON and files.
    // ---------------------------------------------------------------------------------------

    /** Indented JSON of a report record, with a final newline. */
    static String toJson(Object report) throws IOException {
        return JSON.writeValueAsString(report) + "\n";
    }

    static <T> T fromJson(String json, Class<T> type) throws IOException {
        return JSON.readValue(json, type);
    }

    /** The top-level field names of a JSON object (to tell the reports apart). */
    static List<String> topLevelFields(String json) throws IOException {
        List<String> names = new ArrayList<>();
        JSON.readTree(json).fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Writes {@code NAME.json} and {@code NAME.md} into {@code dir} (created if needed). */
    static List<Path> write(Path dir, String name, String json, String markdown) throws IOException {
        Files.createDirectories(dir);
        Path jsonFile = dir.resolve(name + ".json");
        Path md = dir.resolve(name + ".md");
        Files.writeString(jsonFile, json, StandardCharsets.UTF_8);
        Files.writeString(md, markdown, StandardCharsets.UTF_8);
        return List.of(jsonFile, md);
    }

    // ---------------------------------------------------------------------------------------
    // Markdown sections.
    // ---------------------------------------------------------------------------------------

    /** The title, then "Suite **name**, when. JMH settings: k v; ...". */
    static void heading(StringBuilder md, String title, String suite, String generated, Map<String, String> settings) {
        md.append("# ").append(title).append("\n\n");
        md.append("Suite **").append(suite).append("**, ").append(generated).append(". ");
        if (!settings.isEmpty()) {
            List<String> parts = new ArrayList<>();
            settings.forEach((k, v) -> parts.add(k + " " + v));
            md.append("JMH settings: ").append(String.join("; ", parts)).append(".");
        }
        md.append("\n\n");
    }

    static void environment(StringBuilder md, Env e) {
        md.append("| Environment | |\n|---|---|\n");
        md.append("| CPU | ").append(cell(e.cpuModel())).append(" |\n");
        md.append("| Cores available | ").append(e.cores()).append(" |\n");
        md.append("| JVM | ").append(cell(e.jvm())).append(" |\n");
        String kernels = e.kernels() + (e.vectorBits() > 0
                ? ", " + e.vectorBits() + "-bit (" + e.vectorBits() / 32 + " float lanes)" : "");
        if (e.fallbackReason() != null && !e.fallbackReason().isEmpty()) {
            kernels += " — " + e.fallbackReason();
        }
        md.append("| Kernels | ").append(cell(kernels)).append(" |\n");
        md.append("| OS | ").append(cell(e.os())).append(" |\n\n");
    }

    /**
     * The "FMA limit" section.
     *
     * @param unavailable what is missing when the limit was not measured, e.g. "the GEMM fractions
     *                    and the fraction targets below"
     */
    static void fmaLimit(StringBuilder md, FmaLimit f, String unavailable) {
        md.append("## FMA limit\n\n");
        if (f.gflops() == null) {
            md.append("**FMA limit: not measured in this run** (FmaPeakBenchmark did not run), so ")
                    .append(unavailable).append(" are not available.\n\n");
            return;
        }
        double nanos = f.nanosPerCall();
        double err = nanIfNull(f.errorNanos());
        double[] range = ReportMath.rateInterval(f.flopsPerCall(), nanos, err);
        md.append("**FMA limit, one thread: ").append(num(f.gflops())).append(" GFLOP/s**");
        if (!Double.isNaN(range[0]) && !Double.isInfinite(range[1])) {
            md.append(" (").append(num(range[0])).append("–").append(num(range[1])).append(")");
        }
        md.append(String.format(Locale.ROOT, " — `FmaProbe.run(%d)`: 12 independent chains of %d-lane FMAs, "
                        + "%,d FLOP per call in %s.", f.iterations(), f.lanes(), f.flopsPerCall(),
                time(nanos, err)));
        md.append(" Every \"% of FMA limit\" below is against this one-thread limit (two threads can "
                + "reach 200 %).\n\n");
    }

    /** "N met, N missed, N not measured in this run." */
    static void targetSummary(StringBuilder md, Collection<Status> statuses) {
        long met = statuses.stream().filter(s -> s == Status.MET).count();
        long missed = statuses.stream().filter(s -> s == Status.MISSED).count();
        long none = statuses.stream().filter(s -> s == Status.NOT_MEASURED).count();
        md.append(met).append(" met, ").append(missed).append(" missed, ").append(none)
                .append(" not measured in this run.\n\n");
    }

    /** The status cell of a target row. */
    static String status(Status s) {
        return switch (s) {
            case MET -> "met ✅";
            case MISSED -> "**missed** ❌";
            case NOT_MEASURED -> "not measured";
        };
    }

    /** The "Other results" table of results a report has no place for; nothing when there are none. */
    static void otherResults(StringBuilder md, List<Jmh> rows) {
        if (rows.isEmpty()) {
            return;
        }
        md.append("## Other results\n\n| benchmark | params | mode | score | unit |\n|---|---|---|---:|---|\n");
        for (Jmh r : rows) {
            List<String> ps = new ArrayList<>();
            r.params().forEach((k, v) -> ps.add(k + "=" + v));
            md.append("| ").append(r.benchmark()).append(" | ").append(cell(String.join(", ", ps))).append(" | ")
                    .append(r.mode()).append(" | ").append(num(r.score()))
                    .append(Double.isNaN(r.error()) ? "" : " ± " + num(r.error()))
                    .append(" | ").append(r.unit()).append(" |\n");
        }
        md.append('\n');
    }

    /** The closing line: who wrote the file and how to render it again. */
    static void footer(StringBuilder md, String jsonName) {
        md.append("---\nWritten by `").append(BenchMain.class.getName()).append("`; `BenchMain report --in ")
                .append(jsonName).append("` renders this file again from the JSON.\n");
    }

    // ---------------------------------------------------------------------------------------
    // Number formatting (Locale.ROOT: a dot for decimals everywhere).
    // ---------------------------------------------------------------------------------------

    /** Decimals that show about three significant digits of {@code v}. */
    static int decimals(double v) {
        double a = Math.abs(v);
        if (!(a > 0) || Double.isInfinite(a)) {
            return 0;
        }
        return (int) Math.max(0, Math.min(9, 2 - Math.floor(Math.log10(a))));
    }

    /** About three significant digits; "—" for null or NaN. */
    static String num(Double v) {
        if (v == null || v.isNaN()) {
            return "—";
        }
        if (v.isInfinite()) {
            return v > 0 ? "∞" : "-∞";
        }
        return String.format(Locale.ROOT, "%." + decimals(v) + "f", v);
    }

    static String percent(double fraction) {
        return num(fraction * 100) + " %";
    }

    /** A time in ns, µs, ms or s, with its error in the same unit and decimals. */
    static String time(double nanos, double errorNanos) {
        double scale;
        String unit;
        if (nanos < 1e3) {
            scale = 1;
            unit = "ns";
        } else if (nanos < 1e6) {
            scale = 1e3;
            unit = "µs";
        } else if (nanos < 1e9) {
            scale = 1e6;
            unit = "ms";
        } else {
            scale = 1e9;
            unit = "s";
        }
        double v = nanos / scale;
        int d = decimals(v);
        String s = String.format(Locale.ROOT, "%." + d + "f", v);
        if (!Double.isNaN(errorNanos)) {
            s += String.format(Locale.ROOT, " ± %." + d + "f", errorNanos / scale);
        }
        return s + " " + unit;
    }

    /** A byte count in B, KiB, MiB or GiB (about three significant digits), with its error. */
    static String bytes(double bytes, double error) {
        double scale = 1;
        String unit = "B";
        double a = Math.abs(bytes);
        if (a >= 1024.0 * 1024 * 1024) {
            scale = 1024.0 * 1024 * 1024;
            unit = "GiB";
        } else if (a >= 1024.0 * 1024) {
            scale = 1024.0 * 1024;
            unit = "MiB";
        } else if (a >= 1024) {
            scale = 1024;
            unit = "KiB";
        }
        double v = bytes / scale;
        int d = decimals(v);
        String s = String.format(Locale.ROOT, "%." + d + "f", v);
        if (!Double.isNaN(error)) {
            s += String.format(Locale.ROOT, " ± %." + d + "f", error / scale);
        }
        return s + " " + unit;
    }

    /** Text safe in a Markdown table cell. */
    static String cell(String s) {
        return Objects.requireNonNullElse(s, "").replace("|", "\\|").replace("\n", " ");
    }
}
