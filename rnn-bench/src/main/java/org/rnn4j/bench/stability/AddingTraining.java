package org.rnn4j.bench.stability;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.rnn4j.api.NonFiniteException;
import org.rnn4j.api.Optimizer;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.lstm.Models;
import org.rnn4j.lstm.Trainer;
import org.rnn4j.lstm.tasks.AddingProblem;
import org.rnn4j.simd.KernelProvider;

/**
 * One adding-problem training run (E2; with spectra, E5): Adam, the model's clipping, a fresh
 * batch every step, until the moving-mean loss is below the threshold, the budget is spent, a
 * value goes non-finite or the deadline passes.
 */
public final class AddingTraining {
    private AddingTraining() {}

    /**
     * Trains {@code model} on the adding problem of length {@code t}.
     *
     * @param seed           seed of the weights and of the batch stream
     * @param recordSpectra  whether samples carry ρ and σ_max of W_h (E5)
     * @param deadlineNanos  {@code System.nanoTime()} after which the run stops with
     *                       {@link Outcome#TIME_CAP}; {@code Long.MAX_VALUE} for none
     * @param unitsPerStep   progress units of one step (its estimated cost); the run advances
     *                       {@code progress} by them every step and by the unspent budget's when it
     *                       ends early, so a run always adds {@code budget · unitsPerStep}
     */
    public static AddingRun run(ModelKind model, int t, long seed, AddingSettings s, boolean recordSpectra,
                                long deadlineNanos, long unitsPerStep, ProgressSink progress) {
        long start = System.nanoTime();
        RecurrentModel net = Models.create(model.spec(s.hidden(), seed), KernelProvider.get());
        double lr = s.learningRate(model);
        Trainer trainer = new Trainer(net, Optimizer.adam(lr), model.clipping(s.clipNorm()));
        AddingProblem task = new AddingProblem(t);
        SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + 17);
        MovingMean mean = new MovingMean(s.window());
        List<TrainingSample> samples = new ArrayList<>();
        long unit = unitsPerStep;
        progress.advance(0, "E2 " + model.label() + " T=" + t + " seed " + seed);
        if (recordSpectra) {
            samples.add(new TrainingSample(0, Double.NaN, Double.NaN, WeightSpectra.rho(net), WeightSpectra.sigmaMax(net)));
        }
        Outcome outcome = Outcome.NOT_WITHIN_BUDGET;
        Integer success = null;
        String nonFinite = null;
        long steps = 0;
        while (steps < s.budget()) {
            if (System.nanoTime() - deadlineNanos > 0) {
                outcome = Outcome.TIME_CAP;
                break;
            }
            double loss;
            try {
                loss = trainer.step(task.batch(s.batch(), rnd));
            } catch (NonFiniteException e) {
                outcome = Outcome.NON_FINITE;
                nonFinite = "training step " + (steps + 1) + ": " + e.getMessage();
                break;
            }
            steps++;
            double m = mean.add(loss);
            progress.advance(unit, null);
            boolean solved = mean.full() && m < s.successMse();
            if (steps % s.sampleEvery() == 0 || solved || steps == s.budget()) {
                samples.add(new TrainingSample(steps, m, trainer.lastReport().gradientNorm(),
                        recordSpectra ? WeightSpectra.rho(net) : null,
                        recordSpectra ? WeightSpectra.sigmaMax(net) : null));
            }
            if (solved) {
                outcome = Outcome.SOLVED;
                success = (int) steps;
                break;
            }
        }
        progress.advance((s.budget() - steps) * unit, null);
        return new AddingRun(model, t, seed, lr, s.budget(), outcome, success, steps, mean.mean(), nonFinite,
                (System.nanoTime() - start) / 1e9, List.copyOf(samples));
    }
}
