package org.rnn4j.bench.stability;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.rnn4j.simd.KernelProvider;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The {@code stability} and {@code stability-quick} commands of {@code BenchMain}: run the
 * report with {@link StabilityRun} and write its folder with {@link StabilityFiles}. Built with
 * picocli's programmatic API, as BenchMain is (annotations would trip {@code -Xlint:processing}).
 */
public final class StabilityCommand implements Callable<Integer> {
    private final StabilityConfig base;
    private CommandSpec spec;

    private StabilityCommand(StabilityConfig base) {
        this.base = base;
    }

    /** The full report: 8 min 40 s measured on 2 cores, at most about 12 (E2's 10-minute cap plus the rest). */
    public static final String FULL_DESCRIPTION = "The RNN-vs-LSTM throughput and gradient-stability report, about "
            + "9 minutes on 2 cores (at most about 12: the training grid has a 10-minute cap): JMH throughput, E2 "
            + "adding problem vs length, E3 exploding "
            + "gradients and clipping, E5 spectral radius over training, E1 gradient vs lag at initialisation, E4 the LSTM's dC_t/dC_{t-1}, and W_hh's eigenvalues. "
            + "Writes stability.md, stability.json and PNG charts.";
    /** The smoke run. */
    public static final String QUICK_DESCRIPTION = "Smoke run of the stability report at toy sizes, under a minute; "
            + "numbers mean nothing.";

    /** The command line of a configuration ({@link StabilityConfig#full()} or {@link StabilityConfig#quick()}). */
    public static CommandLine commandLine(StabilityConfig base, String description) {
        StabilityCommand command = new StabilityCommand(base);
        CommandSpec spec = CommandSpec.wrapWithoutInspection(command).mixinStandardHelpOptions(true);
        spec.usageMessage().description(description).sortOptions(false);
        spec.addOption(OptionSpec.builder("--out").type(Path.class).paramLabel("DIR").defaultValue(base.out())
                .description("Report folder: stability.md, stability.json, the PNG charts and JMH's raw results in "
                        + "DIR/jmh (default: ${DEFAULT-VALUE}).").build());
        spec.addOption(OptionSpec.builder("--seed").type(long.class).paramLabel("N")
                .defaultValue(String.valueOf(base.seed()))
                .description("Base seed of every training run (default: ${DEFAULT-VALUE}).").build());
        spec.addOption(OptionSpec.builder("--lines").type(boolean.class).arity("0")
                .description("Print progress as lines instead of a progress bar.").build());
        spec.addOption(OptionSpec.builder("--dry-run").type(boolean.class).arity("0")
                .description("Print the settings and where the report goes, and exit.").build());
        command.spec = spec;
        return new CommandLine(spec);
    }

    @Override
    public Integer call() throws Exception {
        Path outDir = spec.findOption("--out").getValue();
        long seed = spec.findOption("--seed").getValue();
        boolean lines = Boolean.TRUE.equals(spec.findOption("--lines").getValue());
        StabilityConfig c = base.with(seed, outDir.toString());
        var out = spec.commandLine().getOut();
        if (Boolean.TRUE.equals(spec.findOption("--dry-run").getValue())) {
            out.println("suite " + c.name() + ", seed " + seed);
            out.println("throughput: " + c.throughput());
            out.println("E2+E5: " + c.adding());
            out.println("E3: " + c.exploding());
            out.println("report: " + outDir.resolve(StabilityFiles.MARKDOWN));
            out.flush();
            return 0;
        }
        Optional<String> noVector = KernelProvider.vectorUnavailableReason();
        if (noVector.isPresent()) {
            var err = spec.commandLine().getErr();
            err.println("The stability report needs the vector kernels (the scalar ones would blow its time budget): "
                    + noVector.get() + ". Run it as: java --add-modules jdk.incubator.vector -jar benchmarks.jar "
                    + c.name());
            err.flush();
            return 2;
        }
        System.setProperty("java.awt.headless", "true");
        PrintStream terminal = System.err;
        StabilityReport report = StabilityRun.run(c, outDir.resolve("jmh"), terminal, !lines);
        List<Path> written = StabilityFiles.write(report, outDir);
        out.println();
        out.println("Summary (" + StabilityMarkdown.duration(report.totalSeconds()) + "):");
        for (Claim claim : report.claims()) {
            out.println("  [" + claim.verdict() + "] " + claim.experiment() + ": " + claim.statement() + " — "
                    + claim.evidence());
        }
        for (PartTime p : report.parts()) {
            out.println("  " + p.part() + ": " + StabilityMarkdown.duration(p.seconds()) + " (" + p.status() + ")");
        }
        written.forEach(p -> out.println("wrote " + p.toAbsolutePath()));
        out.flush();
        return 0;
    }
}
