package org.rnn4j.bench.report;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.rnn4j.bench.FmaPeakBenchmark;
import org.rnn4j.bench.stability.StabilityCommand;
import org.rnn4j.bench.stability.StabilityConfig;
import org.rnn4j.bench.stability.StabilityFiles;
import org.rnn4j.bench.stability.StabilityJson;
import org.rnn4j.bench.stability.StabilityRun;
import org.rnn4j.simd.KernelProvider;
import org.rnn4j.simd.bench.FmaProbe;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The benchmark runner: runs a named suite through the JMH {@link Runner} API and writes its
 * report, {@code kernels.json} and {@code kernels.md} (suites {@code kernels}, {@code quick}; see
 * {@link KernelsReport}) or {@code models.json} and {@code models.md} (suites {@code models},
 * {@code models-quick}; see {@link ModelsReport}) into the suite's directory ({@link Suites.Suite#out},
 * e.g. {@code reports/quick} for {@code quick}); renders the Markdown again from a JSON
 * ({@code report}); runs the RNN-vs-LSTM throughput and gradient-stability report
 * ({@code stability}, {@code stability-quick}; see {@code org.rnn4j.bench.stability.StabilityRun}); or
 * hands its arguments to {@code org.openjdk.jmh.Main} ({@code jmh}).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp rnn-bench/target/benchmarks.jar org.rnn4j.bench.report.BenchMain quick
 * java --add-modules jdk.incubator.vector -cp rnn-bench/target/benchmarks.jar org.rnn4j.bench.report.BenchMain kernels --out reports
 * java --add-modules jdk.incubator.vector -cp rnn-bench/target/benchmarks.jar org.rnn4j.bench.report.BenchMain models-quick
 * java --add-modules jdk.incubator.vector -cp rnn-bench/target/benchmarks.jar org.rnn4j.bench.report.BenchMain jmh -prof gc GemmBenchmark
 * </pre>
 *
 * <p>The command line is built with picocli's programmatic API rather than its annotations: this
 * module compiles with the JMH annotation processor and {@code -Xlint:all -Werror}, and javac's
 * {@code processing} lint reports annotations that no processor claims (picocli's would be).
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The whole command line: the suite subcommands, {@code report} and {@code jmh}. */
    static CommandLine commandLine() {
        Root root = new Root();
        CommandSpec spec = CommandSpec.wrapWithoutInspection(root)
                .name("BenchMain")
                .mixinStandardHelpOptions(true)
                .version("rnn4j benchmarks");
        spec.usageMessage().description(description());
        CommandLine cl = new CommandLine(spec);
        root.commandLine = cl;
        for (Suites.Suite suite : Suites.ALL) {
            cl.addSubcommand(suite.name(), SuiteCommand.commandLine(suite));
        }
        cl.addSubcommand("stability", StabilityCommand.commandLine(StabilityConfig.full(),
                StabilityCommand.FULL_DESCRIPTION));
        cl.addSubcommand("stability-quick", StabilityCommand.commandLine(StabilityConfig.quick(),
                StabilityCommand.QUICK_DESCRIPTION));
        cl.addSubcommand("report", ReportCommand.commandLine());
        cl.addSubcommand("help", new CommandLine.HelpCommand());
        cl.addSubcommand("jmh", JmhCommand.commandLine());
        return cl;
    }

    /** The root's help text: what it does and where every suite writes (so one never overwrites another). */
    private static String[] description() {
        List<String> lines = new ArrayList<>();
        lines.add("Runs the rnn4j benchmark suites and writes their reports, Markdown and JSON (--out DIR "
                + "writes them into DIR instead; JMH's raw results go to jmh/ next to them):");
        int width = Math.max(Suites.ALL.stream().mapToInt(s -> s.name().length()).max().orElse(0),
                StabilityConfig.quick().name().length());
        for (Suites.Suite s : Suites.ALL) {
            lines.add(String.format(Locale.ROOT, "  %-" + width + "s  %s.{md,json}", s.name(),
                    s.out().resolve(s.report().fileName())));
        }
        for (StabilityConfig c : List.of(StabilityConfig.full(), StabilityConfig.quick())) {
            lines.add(String.format(Locale.ROOT, "  %-" + width + "s  %s/stability.{md,json} and PNG charts", c.name(),
                    Path.of(c.out())));
        }
        lines.add("The JVM needs --add-modules jdk.incubator.vector (forked benchmark JVMs get it by themselves).");
        return lines.toArray(String[]::new);
    }

    private static final class Root implements Callable<Integer> {
        CommandLine commandLine;

        @Override
        public Integer call() {
            commandLine.usage(commandLine.getOut());
            return 0;
        }
    }

    private static OptionSpec option(Class<?> type, String label, String description, String... names) {
        return OptionSpec.builder(names).type(type).paramLabel(label).description(description).build();
    }

    private static OptionSpec listOption(String label, String description, String... names) {
        return OptionSpec.builder(names).type(List.class).auxiliaryTypes(String.class).paramLabel(label)
                .description(description).build();
    }

    private static OptionSpec flag(String description, String... names) {
        return OptionSpec.builder(names).type(boolean.class).arity("0").description(description).build();
    }

    private static <T> T value(CommandSpec spec, String option) {
        return spec.findOption(option).getValue();
    }

    private static List<String> values(CommandSpec spec, String option) {
        List<String> v = value(spec, option);
        return v == null ? List.of() : v;
    }

    // ---------------------------------------------------------------------------------------
    // Suites.
    // ---------------------------------------------------------------------------------------

    /** The suite commands ({@code kernels}, {@code models}, ...): one instance per {@link Suites.Suite}. */
    static final class SuiteCommand implements Callable<Integer> {
        private final Suites.Suite suite;
        private CommandSpec spec;

        private SuiteCommand(Suites.Suite suite) {
            this.suite = suite;
        }

        static CommandLine commandLine(Suites.Suite suite) {
            SuiteCommand command = new SuiteCommand(suite);
            CommandSpec spec = CommandSpec.wrapWithoutInspection(command).mixinStandardHelpOptions(true);
            spec.usageMessage().description(suite.description()).sortOptions(false);
            spec.addOption(option(Integer.class, "N", "JMH forks per benchmark.", "-f", "--forks"));
            spec.addOption(option(Integer.class, "N", "Warm-up iterations.", "-wi", "--warmup-iterations"));
            spec.addOption(option(String.class, "TIME",
                    "Time of one warm-up iteration, JMH syntax: 1s, 300ms, ...", "-w", "--warmup-time"));
            spec.addOption(option(Integer.class, "N", "Measurement iterations.", "-i", "--measurement-iterations"));
            spec.addOption(option(String.class, "TIME",
                    "Time of one measurement iteration, JMH syntax: 1s, 300ms, ...", "-r", "--measurement-time"));
            spec.addOption(option(String.class, "REGEX",
                    "Run only the suite's benchmarks whose name (e.g. org.rnn4j.bench.GemmBenchmark.gemm) this "
                            + "regular expression finds.", "--include"));
            spec.addOption(listOption("NAME=V1,V2",
                    "Override a benchmark parameter in every run of the suite, e.g. -p size=256x256x256 "
                            + "-p impl=vector,vector2t. Repeatable.", "-p", "--param"));
            spec.addOption(listOption("ARG",
                    "Extra argument for the forked JVMs (after --add-modules=jdk.incubator.vector), "
                            + "e.g. --jvm-arg=-XX:+UseParallelGC; replaces the benchmarks' own extra arguments "
                            + "(ModelBenchmark's -Xmx4g). Repeatable.", "--jvm-arg"));
            String name = suite.report().fileName();
            spec.addOption(OptionSpec.builder("--out").type(Path.class).paramLabel("DIR")
                    .defaultValue(suite.out().toString())
                    .description("Directory for " + name + ".json, " + name + ".md and JMH's raw results in "
                            + "DIR/jmh (default: ${DEFAULT-VALUE}).").build());
            spec.addOption(flag("Carry on when a benchmark fails (by default the first failure, e.g. a kernel "
                    + "disagreeing with the reference in @Setup, stops the suite; the report of what ran is "
                    + "still written).", "--keep-going"));
            spec.addOption(flag("Print what would run and exit.", "--dry-run"));
            command.spec = spec;
            return new CommandLine(spec);
        }

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Suites.Settings settings;
            Map<String, List<String>> params;
            String include = value(spec, "--include");
            try {
                settings = suite.settings().overriddenBy(new Suites.Settings(
                        value(spec, "--forks"), value(spec, "--warmup-iterations"), value(spec, "--warmup-time"),
                        value(spec, "--measurement-iterations"), value(spec, "--measurement-time")));
                settings.validate();
                params = Suites.parseParams(values(spec, "--param"));
                Suites.both("", include);
            } catch (IllegalArgumentException e) { // includes PatternSyntaxException
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
            }
            List<Suites.Run> runs = Suites.withParams(suite.runs(), params);
            List<String> jvmArgs = values(spec, "--jvm-arg");
            Path outDir = value(spec, "--out");
            Path markdownFile = suite.markdown(outDir);
            boolean keepGoing = Boolean.TRUE.equals(value(spec, "--keep-going"));
            if (Boolean.TRUE.equals(value(spec, "--dry-run"))) {
                out.println("suite " + suite.name() + ": " + settings + (jvmArgs.isEmpty() ? "" : ", jvm args " + jvmArgs));
                for (Suites.Run r : runs) {
                    out.println("  " + r.label() + ": include " + Suites.both(r.include(), include)
                            + ", params " + r.params() + (r.gcProfiler() ? ", GC profiler" : ""));
                }
                out.println("report: " + markdownFile);
                out.flush();
                return 0;
            }
            Optional<String> noVector = KernelProvider.vectorUnavailableReason();
            if (noVector.isPresent()) {
                err.println("BenchMain needs the vector kernels in its own JVM too (for the FMA probe's FLOP "
                        + "count and the environment of the report): " + noVector.get() + ".");
                err.println("Run it as: java --add-modules jdk.incubator.vector -cp benchmarks.jar "
                        + BenchMain.class.getName() + " " + suite.name());
                err.flush();
                return 2;
            }
            String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
            Path raw = outDir.resolve("jmh");
            Files.createDirectories(raw);
            List<RunResult> results = new ArrayList<>(); // runs without a profiler
            List<RunResult> gcResults = new ArrayList<>(); // runs with the GC profiler
            List<String> gcRuns = new ArrayList<>();
            String failure = null;
            for (Suites.Run run : runs) {
                ChainedOptionsBuilder b = new OptionsBuilder()
                        .include(Suites.both(run.include(), include))
                        .shouldFailOnError(!keepGoing)
                        .resultFormat(ResultFormatType.JSON)
                        .result(raw.resolve(suite.name() + "-" + run.label() + ".json").toString());
                run.params().forEach((k, v) -> b.param(k, v.toArray(String[]::new)));
                if (run.gcProfiler()) {
                    b.addProfiler(GCProfiler.class);
                }
                apply(b, settings);
                if (!jvmArgs.isEmpty()) {
                    // replaces the annotations' jvmArgsAppend, so the module must be repeated
                    List<String> append = new ArrayList<>();
                    append.add("--add-modules=jdk.incubator.vector");
                    append.addAll(jvmArgs);
                    b.jvmArgsAppend(append.toArray(String[]::new));
                }
                out.println("== " + suite.name() + " / " + run.label() + " ==");
                out.flush();
                try {
                    Collection<RunResult> ran = runWaitingForLock(b, err);
                    if (run.gcProfiler()) {
                        gcResults.addAll(ran);
                        gcRuns.add(run.label());
                    } else {
                        results.addAll(ran);
                    }
                } catch (NoBenchmarksException e) {
                    out.println("(no benchmark of '" + run.label() + "' matches --include " + include + ")");
                    out.flush();
                } catch (RunnerException e) {
                    failure = run.label() + ": " + e.getMessage();
                    err.println("JMH failed in run '" + run.label() + "': " + e);
                    err.flush();
                    break;
                }
            }
            if (results.isEmpty() && gcResults.isEmpty()) {
                err.println("Nothing was measured, so " + markdownFile + " was left as it was.");
                err.flush();
                return 1;
            }
            List<RunResult> all = new ArrayList<>(results);
            all.addAll(gcResults);
            Map<String, String> recorded = describe(all);
            if (!gcRuns.isEmpty()) {
                recorded.put("GC profiler", "in run " + String.join(", ", gcRuns));
            }
            recorded.put("started", started);
            if (include != null) {
                recorded.put("include", include);
            }
            if (!params.isEmpty()) {
                recorded.put("param overrides", params.toString());
            }
            if (failure != null) {
                recorded.put("INCOMPLETE", "stopped by a failure in " + failure);
            }
            String generated = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
            Reports.Env env = Reports.Env.current();
            long fmaFlops = FmaProbe.flops(FmaPeakBenchmark.ITERATIONS);
            List<Path> written;
            String markdown;
            switch (suite.report()) {
                case KERNELS -> {
                    KernelsReport.Report report = KernelsReport.build(suite.name(), generated, recorded, env,
                            FmaPeakBenchmark.ITERATIONS, FmaProbe.lanes(), fmaFlops,
                            KernelsReport.fromRunResults(all));
                    written = KernelsReport.write(report, outDir);
                    markdown = KernelsReport.markdown(report);
                }
                case MODELS -> {
                    ModelsReport.Report report = ModelsReport.build(suite.name(), generated, recorded, env,
                            FmaPeakBenchmark.ITERATIONS, FmaProbe.lanes(), fmaFlops,
                            ModelsReport.fromRunResults(results), ModelsReport.allocationsFrom(gcResults));
                    written = ModelsReport.write(report, outDir);
                    markdown = ModelsReport.markdown(report);
                }
                default -> throw new AssertionError(suite.report());
            }
            out.println();
            out.print(markdown);
            out.println();
            written.forEach(p -> out.println("wrote " + p.toAbsolutePath()));
            out.println("JMH raw results in " + raw.toAbsolutePath());
            out.flush();
            return failure == null ? 0 : 1;
        }

        /** How long a run waits for another JMH process (JMH allows one per machine) to finish. */
        private static final Duration LOCK_WAIT = Duration.ofMinutes(30);
        private static final Duration LOCK_POLL = Duration.ofSeconds(15);

        /**
         * Runs JMH; while another JMH process holds JMH's machine-wide lock ({@code /tmp/jmh.lock},
         * a shared machine), waits and retries for up to {@link #LOCK_WAIT} instead of failing the
         * rest of the suite.
         */
        private static Collection<RunResult> runWaitingForLock(ChainedOptionsBuilder b, PrintWriter err)
                throws RunnerException {
            Instant giveUp = Instant.now().plus(LOCK_WAIT);
            while (true) {
                try {
                    return new Runner(b.build()).run();
                } catch (NoBenchmarksException e) {
                    throw e;
                } catch (RunnerException e) {
                    boolean locked = String.valueOf(e.getMessage()).contains("Unable to acquire the JMH lock");
                    if (!locked || Instant.now().isAfter(giveUp)) {
                        throw e;
                    }
                    err.println("Another JMH process is running; retrying in " + LOCK_POLL.toSeconds() + " s "
                            + "(until " + giveUp.truncatedTo(ChronoUnit.SECONDS) + ").");
                    err.flush();
                    try {
                        Thread.sleep(LOCK_POLL);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw e;
                    }
                }
            }
        }

        private static void apply(ChainedOptionsBuilder b, Suites.Settings s) {
            if (s.forks() != null) {
                b.forks(s.forks());
            }
            if (s.warmupIterations() != null) {
                b.warmupIterations(s.warmupIterations());
            }
            if (s.warmupTime() != null) {
                b.warmupTime(TimeValue.fromString(s.warmupTime()));
            }
            if (s.measurementIterations() != null) {
                b.measurementIterations(s.measurementIterations());
            }
            if (s.measurementTime() != null) {
                b.measurementTime(TimeValue.fromString(s.measurementTime()));
            }
        }

        /** What JMH actually ran with: the distinct forks, warm-up and measurement settings. */
        private static Map<String, String> describe(Collection<RunResult> results) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("forks", distinct(results, p -> String.valueOf(p.getForks())));
            m.put("warmup", distinct(results, p -> iterations(p.getWarmup())));
            m.put("measurement", distinct(results, p -> iterations(p.getMeasurement())));
            m.put("jvm args", distinct(results, p -> String.join(" ", p.getJvmArgs())));
            m.put("jmh", distinct(results, BenchmarkParams::getJmhVersion));
            return m;
        }

        private static String iterations(IterationParams p) {
            return p.getCount() + " × " + p.getTime();
        }

        private static String distinct(Collection<RunResult> results, Function<BenchmarkParams, String> f) {
            Set<String> values = new LinkedHashSet<>();
            for (RunResult r : results) {
                values.add(f.apply(r.getParams()));
            }
            return values.isEmpty() ? "—" : String.join(" / ", values);
        }
    }

    // ---------------------------------------------------------------------------------------
    // report, jmh.
    // ---------------------------------------------------------------------------------------

    /**
     * {@code report}: renders kernels.md (and kernels.json) again from a kernels.json, or
     * models.md (and models.json) from a models.json.
     */
    static final class ReportCommand implements Callable<Integer> {
        private CommandSpec spec;

        static CommandLine commandLine() {
            ReportCommand command = new ReportCommand();
            CommandSpec spec = CommandSpec.wrapWithoutInspection(command).mixinStandardHelpOptions(true);
            spec.usageMessage().description(
                    "Renders kernels.md again from a kernels.json, or models.md from a models.json (derived "
                            + "figures and targets recomputed), or stability.md and its charts from a stability.json "
                            + "(claims judged again).");
            spec.addOption(OptionSpec.builder("--in").type(Path.class).paramLabel("FILE")
                    .defaultValue("reports/kernels.json")
                    .description("The kernels.json, models.json or stability.json to read (default: ${DEFAULT-VALUE}).")
                    .build());
            spec.addOption(option(Path.class, "DIR",
                    "Where to write the JSON and the Markdown again (default: the directory of --in).", "--out"));
            command.spec = spec;
            return new CommandLine(spec);
        }

        @Override
        public Integer call() throws IOException {
            Path in = value(spec, "--in");
            Path out = value(spec, "--out");
            String json = Files.readString(in, StandardCharsets.UTF_8);
            Path dir = out != null ? out : in.toAbsolutePath().getParent();
            List<String> fields = Reports.topLevelFields(json);
            List<Path> written;
            if (fields.contains("claims") && fields.contains("e2")) {
                // stability.json: charts and Markdown drawn again, claims re-judged from the records
                written = StabilityFiles.write(StabilityRun.withClaims(StabilityJson.fromJson(json)), dir);
            } else if (ModelsReport.isModelsJson(json)) {
                written = ModelsReport.write(ModelsReport.rebuild(ModelsReport.fromJson(json)), dir);
            } else {
                written = KernelsReport.write(KernelsReport.rebuild(KernelsReport.fromJson(json)), dir);
            }
            PrintWriter w = spec.commandLine().getOut();
            for (Path p : written) {
                w.println("wrote " + p);
            }
            w.flush();
            return 0;
        }
    }

    /** {@code jmh}: every following argument goes to {@code org.openjdk.jmh.Main} untouched. */
    static final class JmhCommand implements Callable<Integer> {
        private CommandSpec spec;

        static CommandLine commandLine() {
            JmhCommand command = new JmhCommand();
            CommandSpec spec = CommandSpec.wrapWithoutInspection(command);
            spec.usageMessage().description(
                    "Passes every following argument to org.openjdk.jmh.Main, e.g.",
                    "  jmh -prof gc -p size=256x256x256 GemmBenchmark",
                    "  jmh -l        (list the benchmarks)",
                    "  jmh -h        (JMH's own help)",
                    "-jvmArgsAppend replaces the benchmarks' own, so repeat --add-modules=jdk.incubator.vector in it.");
            spec.addPositional(PositionalParamSpec.builder().type(List.class).auxiliaryTypes(String.class)
                    .arity("0..*").paramLabel("JMH_ARG").description("Arguments of org.openjdk.jmh.Main.").build());
            command.spec = spec;
            CommandLine cl = new CommandLine(spec);
            cl.setUnmatchedOptionsArePositionalParams(true);
            cl.setStopAtPositional(true);
            cl.setExpandAtFiles(false);
            return cl;
        }

        @Override
        public Integer call() throws IOException {
            List<String> args = spec.positionalParameters().get(0).getValue();
            org.openjdk.jmh.Main.main(args == null ? new String[0] : args.toArray(String[]::new));
            return 0;
        }
    }
}
