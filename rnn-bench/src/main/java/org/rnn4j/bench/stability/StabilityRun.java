package org.rnn4j.bench.stability;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.rnn4j.bench.report.Reports;

/**
 * Runs every part of the stability report in turn — throughput first (JMH wants a quiet
 * machine), then E3, E2 + E5 and the lead's E1, E4 and eigenvalues — timing each, and assembles
 * the {@link StabilityReport}. A part that fails is recorded as not run with
 * the reason; the others still run.
 */
public final class StabilityRun {
    private StabilityRun() {}

    /** A part's result and its wall time. */
    private record Done<T>(T value, PartTime time) {}

    /**
     * Runs the report.
     *
     * @param rawDir  where JMH's raw results go
     * @param out     the terminal
     * @param useBar  draw progress bars (false: lines)
     */
    public static StabilityReport run(StabilityConfig c, Path rawDir, PrintStream out, boolean useBar)
            throws Exception {
        long start = System.nanoTime();
        String generated = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        Files.createDirectories(rawDir);
        List<PartTime> parts = new ArrayList<>();
        int n = 6;

        Done<ThroughputResult> tp = part(start, "throughput", 1, n, Throughput.units(), out, useBar,
                p -> Throughput.run(c.throughput(), rawDir, p));
        parts.add(tp.time());
        Done<ExplodingResult> e3 = part(start, "E3", 2, n, Exploding.units(c.exploding()), out, useBar,
                p -> Exploding.run(c.exploding(), c.seed(), p));
        parts.add(e3.time());
        Done<List<StepCost>> costs = part(start, "E2 step costs", 3, n, SuccessVsLength.costUnits(c.adding()), out,
                useBar, p -> SuccessVsLength.stepCosts(c.adding(), c.seed(), p));
        Done<AddingResult> e2 = costs.value() == null ? new Done<>(null, costs.time())
                : part(start, "E2+E5", 3, n, SuccessVsLength.units(c.adding(), costs.value()), out, useBar,
                        p -> SuccessVsLength.run(c.adding(), c.seed(), costs.value(), p));
        parts.add(new PartTime("E2+E5", costs.time().seconds() + e2.time().seconds(),
                costs.value() == null ? costs.time().status() : e2.time().status()));
        Done<E1Result> e1 = part(start, "E1", 4, n, LeadExperiments.e1Units(c), out, useBar, p -> LeadExperiments.gradientVsLag(c, p));
        parts.add(e1.time());
        Done<E4Result> e4 = part(start, "E4", 5, n, LeadExperiments.e4Units(c), out, useBar, p -> LeadExperiments.cellStateJacobian(c, p));
        parts.add(e4.time());
        Done<List<EigenPlot>> eig = part(start, "eigenvalues", 6, n, LeadExperiments.EIGEN_UNITS, out, useBar,
                p -> LeadExperiments.eigenvalues(c, e2.value(), p));
        parts.add(eig.time());

        double total = (System.nanoTime() - start) / 1e9;
        StabilityReport draft = new StabilityReport(c.name(), generated, Reports.Env.current(), c, List.copyOf(parts),
                total, tp.value(), e1.value(), e2.value(), e3.value(), e4.value(), eig.value(), List.of());
        return withClaims(draft);
    }

    /** The report with its summary computed from its records. */
    public static StabilityReport withClaims(StabilityReport r) {
        return new StabilityReport(r.suite(), r.generated(), r.environment(), r.config(), r.parts(), r.totalSeconds(),
                r.throughput(), r.e1(), r.e2(), r.e3(), r.e4(), r.eigenvalues(), Claims.of(r));
    }

    /** One experiment, given its progress sink. */
    @FunctionalInterface
    interface Experiment<T> {
        T run(ProgressSink progress) throws Exception;
    }

    /** Runs one part under its own progress bar; {@code start} is the report's, for the elapsed time. */
    private static <T> Done<T> part(long start, String name, int index, int count, long units, PrintStream out,
                                    boolean useBar, Experiment<T> experiment) {
        long t0 = System.nanoTime();
        out.println("[report: " + TerminalProgress.format((t0 - start) / 1e9) + " elapsed]");
        String label = name + " (" + index + "/" + count + ")";
        T value = null;
        String status = "ok";
        // E2's units are µs of estimated one-thread work: shown as seconds.
        boolean micros = name.equals("E2+E5");
        try (TerminalProgress p = new TerminalProgress(label, units, out, useBar, micros ? " est. s" : null,
                micros ? 1_000_000 : 1)) {
            value = experiment.run(p);
        } catch (UnsupportedOperationException e) {
            status = "not run: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = "not run: interrupted";
        } catch (Exception e) {
            status = "not run: failed: " + e;
            e.printStackTrace(out);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (!status.equals("ok")) {
            out.println(name + ": " + status);
        }
        out.flush();
        return new Done<>(value, new PartTime(name, seconds, status));
    }
}
