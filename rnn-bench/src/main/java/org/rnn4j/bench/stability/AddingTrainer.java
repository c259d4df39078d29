package org.rnn4j.bench.stability;

import java.util.SplittableRandom;
import org.rnn4j.api.Optimizer;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.lstm.Models;
import org.rnn4j.lstm.Trainer;
import org.rnn4j.lstm.tasks.AddingProblem;
import org.rnn4j.simd.KernelProvider;

/**
 * Trains one model of {@link ModelKind} on the adding problem with E2's settings and hands back
 * the model itself, for the experiments that look inside it after training (E4, the eigenvalue
 * plot). Stops when the moving-mean loss falls below E2's success threshold or at the budget.
 *
 * @param model the trained model
 * @param steps training steps taken
 * @param meanLoss the moving-mean training loss at the end
 */
record AddingTrainer(RecurrentModel model, long steps, double meanLoss) {

    static AddingTrainer train(ModelKind kind, int t, long seed, AddingSettings s, int budget, ProgressSink progress) {
        RecurrentModel net = Models.create(kind.spec(s.hidden(), seed), KernelProvider.get());
        Trainer trainer = new Trainer(net, Optimizer.adam(s.learningRate(kind)), kind.clipping(s.clipNorm()));
        AddingProblem task = new AddingProblem(t);
        SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + 29);
        MovingMean mean = new MovingMean(s.window());
        long steps = 0;
        while (steps < budget) {
            double m = mean.add(trainer.step(task.batch(s.batch(), rnd)));
            steps++;
            if (steps % 50 == 0) {
                progress.advance(0, kind.label() + " on adding T = " + t + ": step " + steps + ", loss " + String.format("%.4f", m));
            }
            if (mean.full() && m < s.successMse()) {
                break;
            }
        }
        return new AddingTrainer(net, steps, mean.mean());
    }
}
