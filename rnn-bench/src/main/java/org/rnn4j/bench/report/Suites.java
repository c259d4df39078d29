package org.rnn4j.bench.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.runner.options.TimeValue;
import org.rnn4j.bench.ActivationBenchmark;
import org.rnn4j.bench.FmaPeakBenchmark;
import org.rnn4j.bench.GemmBenchmark;
import org.rnn4j.bench.ModelBenchmark;
import org.rnn4j.bench.ScalarGemmBenchmark;

/**
 * The named benchmark suites of {@link BenchMain}. A suite is a list of runs, each one
 * {@code org.openjdk.jmh.runner.Runner} invocation with an include pattern, parameter overrides
 * and optionally JMH's GC profiler, plus default iteration settings (null = the benchmarks'
 * annotations), the report it writes and the directory it writes it to by default.
 */
final class Suites {
    private Suites() {}

    /**
     * One JMH invocation: benchmarks matching {@code include}, with these parameter values; with
     * {@code gcProfiler}, JMH's GC profiler ({@code -prof gc}) is on, for the allocation per call.
     */
    record Run(String label, String include, Map<String, List<String>> params, boolean gcProfiler) {
        Run(String label, String include, Map<String, List<String>> params) {
            this(label, include, params, false);
        }
    }

    /** The report a suite writes: {@code kernels.json/.md} or {@code models.json/.md}. */
    enum ReportKind {
        KERNELS(KernelsReport.NAME), MODELS(ModelsReport.NAME);

        private final String fileName;

        ReportKind(String fileName) {
            this.fileName = fileName;
        }

        /** The report's file name without extension, e.g. {@code kernels}. */
        String fileName() {
            return fileName;
        }
    }

    /** Iteration settings; a null field leaves the benchmark's annotation in force. */
    record Settings(Integer forks, Integer warmupIterations, String warmupTime, Integer measurementIterations,
                    String measurementTime) {
        static final Settings ANNOTATIONS = new Settings(null, null, null, null, null);

        /**
         * Throws {@link IllegalArgumentException} for counts below 1 (forks below 0) and times JMH
         * cannot parse.
         */
        void validate() {
            if (forks != null && forks < 0) {
                throw new IllegalArgumentException("forks must be >= 0, got " + forks);
            }
            if (warmupIterations != null && warmupIterations < 0) {
                throw new IllegalArgumentException("warm-up iterations must be >= 0, got " + warmupIterations);
            }
            if (measurementIterations != null && measurementIterations < 1) {
                throw new IllegalArgumentException("measurement iterations must be >= 1, got " + measurementIterations);
            }
            for (String t : new String[] {warmupTime, measurementTime}) {
                if (t != null) {
                    try {
                        TimeValue.fromString(t);
                    } catch (RuntimeException e) {
                        throw new IllegalArgumentException("not a JMH time (e.g. 1s, 300ms): '" + t + "'", e);
                    }
                }
            }
        }

        /** E.g. {@code forks 1, warm-up 3 × 600ms, measurement 3 × 300ms}; "annotation" for unset fields. */
        @Override
        public String toString() {
            return "forks " + orAnnotation(forks)
                    + ", warm-up " + orAnnotation(warmupIterations) + " × " + orAnnotation(warmupTime)
                    + ", measurement " + orAnnotation(measurementIterations) + " × " + orAnnotation(measurementTime);
        }

        private static String orAnnotation(Object value) {
            return value == null ? "(annotation)" : value.toString();
        }

        /** These settings with every non-null field of {@code override} taking precedence. */
        Settings overriddenBy(Settings override) {
            return new Settings(
                    override.forks != null ? override.forks : forks,
                    override.warmupIterations != null ? override.warmupIterations : warmupIterations,
                    override.warmupTime != null ? override.warmupTime : warmupTime,
                    override.measurementIterations != null ? override.measurementIterations : measurementIterations,
                    override.measurementTime != null ? override.measurementTime : measurementTime);
        }
    }

    /**
     * A named suite.
     *
     * @param out the default directory of its report (and of JMH's raw results, in {@code out/jmh})
     */
    record Suite(String name, String description, List<Run> runs, Settings settings, ReportKind report, Path out) {
        /** The Markdown report it writes into {@code dir}, e.g. {@code reports/quick/kernels.md}. */
        Path markdown(Path dir) {
            return dir.resolve(report.fileName() + ".md");
        }
    }

    /**
     * Where the full suites write. The smoke suites write below it, each in a directory of its own
     * name, so that their rough numbers never replace the report of a full run.
     */
    static final Path REPORTS = Path.of("reports");

    static final String FMA = "^" + Pattern.quote(FmaPeakBenchmark.class.getName() + ".");
    static final String GEMM = "^" + Pattern.quote(GemmBenchmark.class.getName() + ".");
    static final String SCALAR_GEMM = "^" + Pattern.quote(ScalarGemmBenchmark.class.getName() + ".");
    static final String ACTIVATIONS = "^" + Pattern.quote(ActivationBenchmark.class.getName() + ".");
    static final String MODEL = "^" + Pattern.quote(ModelBenchmark.class.getName() + ".");
    static final String MODEL_TRAINING_STEP = "^" + Pattern.quote(ModelBenchmark.class.getName() + ".trainingStep") + "$";

    /**
     * {@code kernels}: FMA limit; GEMM of vector and vector2t at every size and of scalar at the
     * squares up to 256³ and two RNN shapes; activations. Every benchmark at its annotated
     * parameters and iterations (1 fork, 3 × 1 s warm-up, 5 × 1 s measurement): about 25 minutes.
     */
    static final Suite KERNELS = new Suite("kernels",
            "FMA limit, GEMM (vector and vector2t at all sizes, scalar at <= 256^3 and two RNN shapes) and "
                    + "activations, at the benchmarks' own settings (1 fork, 3 x 1 s warm-up, 5 x 1 s "
                    + "measurement): about 25 minutes.",
            List.of(
                    new Run("fma", FMA, Map.of()),
                    new Run("gemm", GEMM, Map.of()),
                    new Run("gemm-scalar", SCALAR_GEMM, Map.of()),
                    new Run("activations", ACTIVATIONS, Map.of())),
            Settings.ANNOTATIONS, ReportKind.KERNELS, REPORTS);

    /**
     * {@code quick}: the same pipeline at a few sizes with short iterations, about 3 minutes. The
     * warm-up cannot be much shorter: the Vector API is only fast once C2 has compiled it (the
     * interpreter and C1 run its Java fallback, about 1000 times slower), which takes 1–1.5 s of
     * FmaProbe calls here.
     */
    static final Suite QUICK = new Suite("quick",
            "Smoke test of the whole pipeline in about 3 minutes: FMA limit, GEMM at 128^3, 512^3 and "
                    + "32x1024x256 (scalar at 128^3 and 32x1024x256), activations at n = 4096; 1 fork, "
                    + "3 x 600 ms warm-up, 3 x 300 ms measurement. Numbers are rough.",
            List.of(
                    new Run("fma", FMA, Map.of()),
                    new Run("gemm", GEMM, Map.of("size", List.of("128x128x128", "512x512x512", "32x1024x256"))),
                    new Run("gemm-scalar", SCALAR_GEMM, Map.of("size", List.of("128x128x128", "32x1024x256"))),
                    new Run("activations", ACTIVATIONS, Map.of("n", List.of("4096"),
                            "rowLength", List.of("10", "1024")))),
            new Settings(1, 3, "600ms", 3, "300ms"), ReportKind.KERNELS, REPORTS.resolve("quick"));

    /**
     * {@code models}: FMA limit; ModelBenchmark at every cell, shape and thread count; then
     * ModelBenchmark.trainingStep again on one thread with JMH's GC profiler, for the allocation
     * per step. Every benchmark at its annotated iterations (ModelBenchmark: 1 fork, 4 × 2 s
     * warm-up, 5 × 2 s measurement): 43 forks, about 16 minutes.
     */
    static final Suite MODELS = new Suite("models",
            "FMA limit, ModelBenchmark (RNN, LSTM and GRU; 32x100x128x256 and 64x50x256x512; 1 and 2 threads; "
                    + "forward, forward+backward, training step) and the training step's allocation per step "
                    + "(GC profiler, 1 thread), at the benchmarks' own settings (ModelBenchmark: 1 fork, "
                    + "4 x 2 s warm-up, 5 x 2 s measurement): about 16 minutes.",
            List.of(
                    new Run("fma", FMA, Map.of()),
                    new Run("models", MODEL, Map.of()),
                    new Run("alloc", MODEL_TRAINING_STEP, Map.of("threads", List.of("1")), true)),
            Settings.ANNOTATIONS, ReportKind.MODELS, REPORTS);

    /**
     * {@code models-quick}: the models pipeline at the targets' shape 32x100x128x256 with short
     * iterations, about 3 minutes. A warm-up of 3 × 1 s gives C2 the time to compile the Vector
     * API code (see {@link #QUICK}); 5 short measurement iterations rather than 3 keep JMH's 99.9 %
     * intervals (Student's t with n - 1 degrees of freedom) from being several times the mean.
     */
    static final Suite MODELS_QUICK = new Suite("models-quick",
            "Smoke test of the models pipeline in about 3 minutes: FMA limit, ModelBenchmark at "
                    + "32x100x128x256 (RNN, LSTM and GRU, 1 and 2 threads), training-step allocation (GC profiler, "
                    + "1 thread); 1 fork, 3 x 1 s warm-up, 5 x 400 ms measurement. Numbers are rough.",
            List.of(
                    new Run("fma", FMA, Map.of()),
                    new Run("models", MODEL, Map.of("shape", List.of("32x100x128x256"))),
                    new Run("alloc", MODEL_TRAINING_STEP, Map.of("shape", List.of("32x100x128x256"),
                            "threads", List.of("1")), true)),
            new Settings(1, 3, "1s", 5, "400ms"), ReportKind.MODELS, REPORTS.resolve("models-quick"));

    static final List<Suite> ALL = List.of(KERNELS, QUICK, MODELS, MODELS_QUICK);

    static Suite get(String name) {
        for (Suite s : ALL) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no suite '" + name + "'");
    }

    /**
     * One regular expression that JMH's {@code Matcher.find()} matches exactly when both patterns
     * do (two look-aheads anchored at the start); {@code user} null or blank gives {@code suite}.
     */
    static String both(String suite, String user) {
        if (user == null || user.isBlank()) {
            return suite;
        }
        Pattern.compile(user); // fail early, naming the user's pattern
        return "^(?=.*(?:" + suite + "))(?=.*(?:" + user + "))";
    }

    /**
     * Parses {@code -p} arguments {@code "name=v1,v2"} (blank values dropped); a later one for the
     * same name replaces an earlier one.
     *
     * @throws IllegalArgumentException for an argument without a name or without a value
     */
    static Map<String, List<String>> parseParams(List<String> args) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            String name = eq < 0 ? "" : arg.substring(0, eq).trim();
            List<String> values = eq < 0 ? List.of() : Arrays.stream(arg.substring(eq + 1).split(","))
                    .map(String::trim).filter(v -> !v.isEmpty()).toList();
            if (name.isEmpty() || values.isEmpty()) {
                throw new IllegalArgumentException("a parameter must be NAME=V1[,V2...], got '" + arg + "'");
            }
            out.put(name, values);
        }
        return out;
    }

    /**
     * The runs of a suite with the user's parameter overrides applied: a user value replaces the
     * suite's value of the same parameter in every run.
     */
    static List<Run> withParams(List<Run> runs, Map<String, List<String>> user) {
        List<Run> out = new ArrayList<>();
        for (Run r : runs) {
            Map<String, List<String>> params = new LinkedHashMap<>(r.params());
            params.putAll(user);
            out.add(new Run(r.label(), r.include(), params, r.gcProfiler()));
        }
        return out;
    }
}
