package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.Initializer;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.Targets;

/** ‖∂L/∂h_k‖ per step and per-step clipping of ∂L/∂h_t. */
class HiddenGradientTest {
    static SequenceBatch lastStepBatch(int steps, int m, int d, int classes) {
        SplittableRandom rnd = new SplittableRandom(1);
        float[] x = new float[steps * m * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        int[] y = new int[m];
        for (int b = 0; b < m; b++) {
            y[b] = rnd.nextInt(classes);
        }
        return SequenceBatch.of(steps, m, d, x, Targets.classesAtLastStep(y));
    }

    /**
     * A tanh RNN whose W_h has spectral radius 0.5 is contractive: with the loss only at the last
     * step, ‖∂L/∂h_k‖ must shrink going back in time (the seed's bound (γ_W γ_h)^(t−k)), and for
     * the steps before the last it must equal the norm of the gradient that flows through W_h.
     */
    @Test
    void vanishingGradientIsVisibleInTheNorms() {
        int steps = 30;
        ModelSpec spec = ModelSpec.builder(3, 16, 4).cell(CellKind.RNN)
                .init(Initializer.of(Initializer.Kind.ORTHOGONAL).withSpectralRadius(0.5)).seed(5).build();
        RecurrentModel model = Models.create(spec);
        model.forwardBackward(lastStepBatch(steps, 4, 3, 4));
        double[] norms = new double[steps];
        model.copyHiddenGradientNorms(norms);
        assertTrue(norms[steps - 1] > 0);
        for (int t = steps - 2; t >= 0; t--) {
            assertTrue(norms[t] < norms[t + 1], "norm at " + t + " = " + norms[t] + " should be below " + norms[t + 1]);
        }
        assertTrue(norms[0] < 1e-6 * norms[steps - 1], "30 steps of contraction ≤ 0.5 each: " + norms[0]);
    }

    @Test
    void perStepClippingBoundsEveryHiddenGradient() {
        int steps = 12;
        ModelSpec spec = ModelSpec.builder(3, 8, 4).cell(CellKind.LSTM).seed(6).build();
        RecurrentModel model = Models.create(spec);
        SequenceBatch batch = lastStepBatch(steps, 2, 3, 4).withTargets(Targets.classesEveryStep(new int[steps * 2]));
        model.forwardBackward(batch);
        double[] free = new double[steps];
        model.copyHiddenGradientNorms(free);
        float[] unclipped = model.parameter("layer0.W_h").gradient().clone();
        double clip = free[steps / 2] / 4;
        model.setHiddenGradientClip(clip);
        model.forwardBackward(batch);
        double[] clipped = new double[steps];
        model.copyHiddenGradientNorms(clipped);
        for (int t = 0; t < steps; t++) {
            assertTrue(clipped[t] <= clip * (1 + 1e-6), "step " + t + ": " + clipped[t] + " > " + clip);
        }
        float[] g = model.parameter("layer0.W_h").gradient();
        double diff = 0;
        for (int i = 0; i < g.length; i++) {
            diff += Math.abs(g[i] - unclipped[i]);
        }
        assertTrue(diff > 0, "clipping must change the gradient");
        model.setHiddenGradientClip(0);
        model.forwardBackward(batch);
        assertEquals(unclipped[3], model.parameter("layer0.W_h").gradient()[3], 0.0, "clip 0 turns it off");
    }
}
