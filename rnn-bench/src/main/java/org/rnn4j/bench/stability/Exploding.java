package org.rnn4j.bench.stability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.Clipping;
import org.rnn4j.api.Initializer;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.NonFiniteException;
import org.rnn4j.api.Nonlinearity;
import org.rnn4j.api.Optimizer;
import org.rnn4j.api.OutputHead;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.lstm.Models;
import org.rnn4j.lstm.Trainer;
import org.rnn4j.lstm.tasks.AddingProblem;
import org.rnn4j.simd.KernelProvider;

/**
 * E3, exploding gradients (Pascanu, Mikolov &amp; Bengio 2013): does global-norm clipping keep a
 * tanh RNN with ρ(W_hh) &gt; 1 trainable where the unclipped one blows up? Each pair of runs starts
 * from the same weights and sees the same batches.
 */
public final class Exploding {
    private Exploding() {}

    /** Progress units: one per training step of the budget of every run. */
    public static long units(ExplodingSettings s) {
        return 2L * s.radii().size() * s.budget();
    }

    /** Runs every radius without and with clipping. */
    public static ExplodingResult run(ExplodingSettings s, long seed, ProgressSink progress) {
        List<ExplodingRun> runs = new ArrayList<>();
        for (double radius : s.radii()) {
            for (boolean clipped : new boolean[] {false, true}) {
                runs.add(run(s, radius, clipped, seed, progress));
            }
        }
        return new ExplodingResult(s, new AddingProblem(s.length()).baselineLoss(), List.copyOf(runs));
    }

    /**
     * One run: until the budget or the first non-finite value. A diverged run (loss above the
     * factor × baseline) goes on, since where it turns non-finite is part of the answer.
     */
    public static ExplodingRun run(ExplodingSettings s, double radius, boolean clipped, long seed,
                                   ProgressSink progress) {
        progress.advance(0, "E3 ρ=" + radius + (clipped ? " clipped" : " unclipped"));
        ModelSpec spec = ModelSpec.builder(2, s.hidden(), 1).cell(CellKind.RNN).activation(Nonlinearity.TANH)
                .head(OutputHead.LINEAR).init(Initializer.of(Initializer.Kind.ORTHOGONAL).withSpectralRadius(radius))
                .seed(seed).build();
        RecurrentModel net = Models.create(spec, KernelProvider.get());
        double measured = WeightSpectra.rho(net)[0];
        Trainer trainer = new Trainer(net, Optimizer.sgd(s.learningRate()),
                clipped ? Clipping.globalNorm(s.clipNorm()) : Clipping.none());
        AddingProblem task = new AddingProblem(s.length());
        double limit = s.divergeFactor() * task.baselineLoss();
        SplittableRandom rnd = new SplittableRandom(seed * 31 + 7);
        double[] loss = new double[s.budget()];
        double[] norm = new double[s.budget()];
        double[] applied = new double[s.budget()];
        int n = 0;
        Integer diverged = null;
        Integer nfStep = null;
        Integer nfTime = null;
        String nfMessage = null;
        while (n < s.budget()) {
            try {
                loss[n] = trainer.step(task.batch(s.batch(), rnd));
            } catch (NonFiniteException e) {
                nfStep = n + 1;
                nfTime = e.step();
                nfMessage = e.getMessage();
                break;
            }
            norm[n] = trainer.lastReport().gradientNorm();
            applied[n] = net.gradientNorm(); // the gradients the optimizer just used
            if (diverged == null && loss[n] > limit) {
                diverged = n + 1;
            }
            n++;
            progress.advance(1, null);
        }
        progress.advance(s.budget() - n, null);
        return new ExplodingRun(radius, measured, clipped, n, diverged, nfStep, nfTime, nfMessage,
                Arrays.copyOf(loss, n), Arrays.copyOf(norm, n), Arrays.copyOf(applied, n));
    }
}
