package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.Clipping;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.Nonlinearity;
import org.rnn4j.api.Optimizer;
import org.rnn4j.api.Parameter;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.Targets;
import org.rnn4j.simd.KernelProvider;

/**
 * End-to-end training on generated delayed-recall tasks whose trivial baseline is known: the
 * input at each step is a random one-of-K symbol, the target is the symbol seen {@code delay}
 * steps earlier (nothing counts before that). A model that cannot remember sits at the baseline
 * cross-entropy log K; these tests require the loss to fall far below it.
 */
class LearningTest {
    static final int SYMBOLS = 4;

    /** A fresh batch of the delayed-recall task: T steps, m sequences, recall {@code delay} back. */
    static SequenceBatch delayedRecall(SplittableRandom rnd, int steps, int m, int delay) {
        float[] x = new float[steps * m * SYMBOLS];
        int[] symbol = new int[steps * m];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < m; b++) {
                int s = rnd.nextInt(SYMBOLS);
                symbol[t * m + b] = s;
                x[(t * m + b) * SYMBOLS + s] = 1f;
            }
        }
        // Target at step t is the symbol of step t − delay; the first `delay` steps have none
        // and get the symbol of step 0, which is learnable by nobody better than chance only
        // for t < delay: they are a small, known part of the baseline.
        int[] y = new int[steps * m];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < m; b++) {
                y[t * m + b] = symbol[Math.max(0, t - delay) * m + b];
            }
        }
        return SequenceBatch.of(steps, m, SYMBOLS, x, Targets.classesEveryStep(y));
    }

    static double train(RecurrentModel model, Trainer trainer, int delay, int iterations) {
        SplittableRandom rnd = new SplittableRandom(5);
        int steps = 12;
        double recent = 0;
        for (int it = 0; it < iterations; it++) {
            double loss = trainer.step(delayedRecall(rnd, steps, 16, delay)) / steps;
            recent = it == 0 ? loss : 0.9 * recent + 0.1 * loss;
        }
        return recent;
    }

    @Test
    void lstmLearnsToRecallThreeStepsBack() {
        ModelSpec spec = ModelSpec.builder(SYMBOLS, 24, SYMBOLS).cell(CellKind.LSTM).seed(1).build();
        RecurrentModel model = Models.create(spec);
        Trainer trainer = new Trainer(model, Optimizer.adam(0.01), Clipping.globalNorm(5));
        double baseline = Math.log(SYMBOLS); // per-step cross-entropy of a model that guesses
        double loss = train(model, trainer, 3, 400);
        assertTrue(loss < 0.25 * baseline, "LSTM loss per step " + loss + " should be far below the baseline " + baseline);
    }

    @Test
    void vanillaRnnLearnsToRecallOneStepBack() {
        ModelSpec spec = ModelSpec.builder(SYMBOLS, 24, SYMBOLS).cell(CellKind.RNN)
                .activation(Nonlinearity.TANH).seed(2).build();
        RecurrentModel model = Models.create(spec);
        Trainer trainer = new Trainer(model, Optimizer.adam(0.01), Clipping.globalNorm(5));
        double baseline = Math.log(SYMBOLS);
        double loss = train(model, trainer, 1, 300);
        assertTrue(loss < 0.25 * baseline, "RNN loss per step " + loss + " should be far below the baseline " + baseline);
    }

    @Test
    void sameSeedAndThreadsGiveBitwiseIdenticalParameters() {
        for (int threads : new int[] {1, 2}) {
            float[][] first = trainedParameters(threads);
            float[][] second = trainedParameters(threads);
            for (int i = 0; i < first.length; i++) {
                assertArrayEquals(first[i], second[i], "parameter " + i + " with " + threads + " threads");
            }
        }
        // The parallel GEMM never splits a sum, so 1 and 2 threads agree bit for bit as well.
        float[][] one = trainedParameters(1);
        float[][] two = trainedParameters(2);
        for (int i = 0; i < one.length; i++) {
            assertArrayEquals(one[i], two[i], "parameter " + i + ": 1 vs 2 threads");
        }
    }

    private static float[][] trainedParameters(int threads) {
        ModelSpec spec = ModelSpec.builder(SYMBOLS, 40, SYMBOLS).cell(CellKind.LSTM).layers(2).seed(3).build();
        RecurrentModel model = Models.create(spec, KernelProvider.get().withThreads(threads));
        Trainer trainer = new Trainer(model, Optimizer.adam(0.01), Clipping.globalNorm(1));
        SplittableRandom rnd = new SplittableRandom(9);
        for (int it = 0; it < 10; it++) {
            trainer.step(delayedRecall(rnd, 30, 48, 2));
        }
        float[][] values = new float[model.parameters().size()][];
        int i = 0;
        for (Parameter p : model.parameters()) {
            values[i++] = p.value().clone();
        }
        return values;
    }
}
