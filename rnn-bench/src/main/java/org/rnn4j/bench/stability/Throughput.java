package org.rnn4j.bench.stability;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.rnn4j.bench.report.ReportMath;
import org.rnn4j.bench.report.Reports;

/**
 * Experiment 1 of the report: RNN against LSTM throughput, {@link StabilityThroughputBenchmark}
 * through the JMH {@link Runner} API, one JMH run per cell and benchmark so that progress can be
 * shown between them. JMH's own console output goes to a log file, not the terminal.
 */
public final class Throughput {
    /** The benchmark methods, in report order. */
    public static final List<String> BENCHMARKS = List.of("forward", "forwardBackward", "trainingStep", "singleStep");

    /** The cells, in report order. */
    public static final List<String> CELLS = List.of("RNN", "LSTM");

    /**
     * How long to wait for another JMH process (JMH allows one per machine) before giving up on
     * the throughput part: short, so the report still fits its time (the part is then "not run").
     */
    private static final Duration LOCK_WAIT = Duration.ofMinutes(2);

    private Throughput() {}

    /** Progress units of a run: one per benchmark and cell. */
    public static long units() {
        return (long) BENCHMARKS.size() * CELLS.size();
    }

    /**
     * Times every benchmark for both cells.
     *
     * @param rawDir where JMH's JSON results and console log go (created by the caller)
     * @throws RunnerException when JMH fails (e.g. a benchmark throws)
     */
    public static ThroughputResult run(ThroughputSettings s, Path rawDir, ProgressSink progress)
            throws RunnerException {
        List<Timing> timings = new ArrayList<>();
        for (String bench : BENCHMARKS) {
            for (String cell : CELLS) {
                progress.advance(0, "throughput " + cell + " " + bench);
                String include = "^" + Pattern.quote(StabilityThroughputBenchmark.class.getName() + "." + bench) + "$";
                ChainedOptionsBuilder b = new OptionsBuilder()
                        .include(include)
                        .param("cell", cell)
                        .param("shape", s.shape())
                        .param("stepSize", String.valueOf(s.stepSize()))
                        .forks(s.forks())
                        .warmupIterations(s.warmupIterations())
                        .warmupTime(TimeValue.fromString(s.warmupTime()))
                        .measurementIterations(s.measurementIterations())
                        .measurementTime(TimeValue.fromString(s.measurementTime()))
                        .shouldFailOnError(true)
                        .resultFormat(ResultFormatType.JSON)
                        .result(rawDir.resolve("stability-" + cell + "-" + bench + ".json").toString())
                        .output(rawDir.resolve("stability-" + cell + "-" + bench + ".log").toString());
                timings.addAll(timings(runWaitingForLock(b), s));
                progress.advance(1, null);
            }
        }
        return new ThroughputResult(s, timings);
    }

    /** The timings of JMH results of {@link StabilityThroughputBenchmark} (others are skipped). */
    static List<Timing> timings(Collection<RunResult> results, ThroughputSettings s) {
        List<Timing> out = new ArrayList<>();
        String prefix = StabilityThroughputBenchmark.class.getName() + ".";
        for (Reports.Jmh r : Reports.jmh(results)) {
            if (!r.benchmark().startsWith(prefix)) {
                continue;
            }
            String bench = r.benchmark().substring(prefix.length());
            String shape = bench.equals("singleStep")
                    ? "1x1x" + r.params().get("stepSize") + "x" + r.params().get("stepSize")
                    : r.params().get("shape");
            out.add(new Timing(r.params().get("cell"), bench, shape, ReportMath.nanosPerOp(r.score(), r.unit()),
                    ReportMath.nanosPerOp(r.error(), r.unit()), r.samples()));
        }
        return out;
    }

    /** Runs JMH, waiting while another JMH process holds its machine-wide lock. */
    private static Collection<RunResult> runWaitingForLock(ChainedOptionsBuilder b) throws RunnerException {
        Instant giveUp = Instant.now().plus(LOCK_WAIT);
        while (true) {
            try {
                return new Runner(b.build()).run();
            } catch (RunnerException e) {
                boolean locked = String.valueOf(e.getMessage()).contains("Unable to acquire the JMH lock");
                if (!locked || Instant.now().isAfter(giveUp)) {
                    throw e;
                }
                try {
                    Thread.sleep(Duration.ofSeconds(5));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
