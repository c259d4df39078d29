package org.rnn4j.bench.stability;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.rnn4j.api.Optimizer;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.lstm.Models;
import org.rnn4j.lstm.Trainer;
import org.rnn4j.lstm.tasks.AddingProblem;
import org.rnn4j.simd.KernelProvider;

/**
 * E2, success against sequence length on the adding problem, and E5 from the same runs: every
 * model × length × seed trained by {@link AddingTraining}, {@link AddingSettings#threads()} runs
 * at a time (one model per thread, each on one-thread kernels, so runs never share a core's work
 * and results do not depend on the pool).
 */
public final class SuccessVsLength {
    /** Progress units of {@link #stepCosts}: one per model and length. */
    public static long costUnits(AddingSettings s) {
        return (long) s.models().size() * s.lengths().size();
    }

    /** Steps of the per-model cost measurement before the grid (after as many to warm up). */
    static final int COST_STEPS = 10;
    /** Untimed steps per model before any cost is measured (JIT compilation). */
    static final int WARM_UP_STEPS = 60;

    private SuccessVsLength() {}

    /**
     * Progress units of the grid: every run's budget × its step's estimated cost in µs (measured
     * by {@link #stepCosts}), so the time left can be estimated from the units done.
     */
    public static long units(AddingSettings s, List<StepCost> costs) {
        long u = 0;
        for (ModelKind m : s.models()) {
            for (int t : s.lengths()) {
                u += (long) s.seeds() * s.budget() * unitsPerStep(costs, m, t);
            }
        }
        return u;
    }

    /** A step's estimated cost in µs, at least 1. */
    static long unitsPerStep(List<StepCost> costs, ModelKind m, int t) {
        return Math.max(1, Math.round(estimate(costs, m, t) * 1e6));
    }

    /**
     * Runs the grid with the step costs from {@link #stepCosts}. Seeds are {@code baseSeed + 0 ..
     * baseSeed + seeds − 1}; the runs at T = {@link AddingSettings#spectraLength()} with seed
     * {@code baseSeed} record ρ and σ_max. Progress: {@link #units} in all.
     */
    public static AddingResult run(AddingSettings s, long baseSeed, List<StepCost> costs, ProgressSink progress)
            throws InterruptedException {
        long deadline = s.timeCapSeconds() > 0 ? System.nanoTime() + s.timeCapSeconds() * 1_000_000_000L
                : Long.MAX_VALUE;
        record Job(ModelKind model, int t, long seed) {}
        List<Job> jobs = new ArrayList<>();
        for (int t : s.lengths()) {
            for (ModelKind m : s.models()) {
                for (int i = 0; i < s.seeds(); i++) {
                    jobs.add(new Job(m, t, baseSeed + i));
                }
            }
        }
        // Longest first, so the last runs to finish are short ones and the two threads end together.
        jobs.sort(Comparator.comparingDouble((Job j) -> -estimate(costs, j.model(), j.t())));
        ExecutorService pool = Executors.newFixedThreadPool(s.threads(), r -> {
            Thread th = new Thread(r, "adding-run");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<AddingRun>> futures = new ArrayList<>();
            for (Job j : jobs) {
                boolean spectra = j.t() == s.spectraLength() && j.seed() == baseSeed;
                futures.add(pool.submit(() -> AddingTraining.run(j.model(), j.t(), j.seed(), s, spectra, deadline,
                        unitsPerStep(costs, j.model(), j.t()), progress)));
            }
            List<AddingRun> runs = new ArrayList<>();
            for (Future<AddingRun> f : futures) {
                try {
                    runs.add(f.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("an adding-problem run failed: " + e.getCause(), e.getCause());
                }
            }
            runs.sort(Comparator.comparing(AddingRun::model).thenComparingInt(AddingRun::length)
                    .thenComparingLong(AddingRun::seed));
            return new AddingResult(s, new AddingProblem(2).baselineLoss(), costs, List.copyOf(runs));
        } finally {
            pool.shutdownNow();
        }
    }

    /** Training steps of every model at the shortest length, so the JIT has compiled the kernels before timing. */
    private static void warmUp(AddingSettings s, long seed, ProgressSink progress) {
        int t = s.lengths().stream().mapToInt(Integer::intValue).min().orElse(2);
        AddingProblem task = new AddingProblem(t);
        for (ModelKind m : s.models()) {
            progress.advance(0, "E2 JIT warm-up " + m.label());
            Trainer trainer = new Trainer(Models.create(m.spec(s.hidden(), seed), KernelProvider.get()),
                    Optimizer.adam(s.learningRate(m)), m.clipping(s.clipNorm()));
            SplittableRandom rnd = new SplittableRandom(seed);
            try {
                for (int i = 0; i < WARM_UP_STEPS; i++) {
                    trainer.step(task.batch(s.batch(), rnd));
                }
            } catch (ArithmeticException e) { // non-finite: warm enough
                // nothing to do
            }
        }
    }

    /** The measured cost of a step, or T·gates (in the same order) when it could not be measured. */
    private static double estimate(List<StepCost> costs, ModelKind m, int t) {
        for (StepCost c : costs) {
            if (c.model() == m && c.length() == t && Double.isFinite(c.secondsPerStep())) {
                return c.secondsPerStep();
            }
        }
        return t * m.gates() * 1e-5;
    }

    /**
     * Seconds per training step of every model at every length, one thread, {@link #COST_STEPS}
     * steps after as many to warm up: the basis of the chosen budget (recorded in the report) and
     * of the order of the grid.
     */
    public static List<StepCost> stepCosts(AddingSettings s, long seed, ProgressSink progress) {
        List<StepCost> out = new ArrayList<>();
        warmUp(s, seed, progress);
        for (int t : s.lengths()) {
            AddingProblem task = new AddingProblem(t);
            for (ModelKind m : s.models()) {
                progress.advance(0, "E2 step cost " + m.label() + " T=" + t);
                RecurrentModel net = Models.create(m.spec(s.hidden(), seed), KernelProvider.get());
                Trainer trainer = new Trainer(net, Optimizer.adam(s.learningRate(m)), m.clipping(s.clipNorm()));
                SplittableRandom rnd = new SplittableRandom(seed);
                double perStep;
                try {
                    for (int i = 0; i < COST_STEPS; i++) {
                        trainer.step(task.batch(s.batch(), rnd));
                    }
                    long t0 = System.nanoTime();
                    for (int i = 0; i < COST_STEPS; i++) {
                        trainer.step(task.batch(s.batch(), rnd));
                    }
                    perStep = (System.nanoTime() - t0) / 1e9 / COST_STEPS;
                } catch (ArithmeticException e) { // NonFiniteException: no cost figure for this model
                    perStep = Double.NaN;
                }
                out.add(new StepCost(m, t, perStep));
                progress.advance(1, null);
            }
        }
        return List.copyOf(out);
    }
}
