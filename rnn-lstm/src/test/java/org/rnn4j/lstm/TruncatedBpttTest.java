package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.Clipping;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.Optimizer;
import org.rnn4j.api.Parameter;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.Window;
import org.rnn4j.simd.KernelProvider;

/** Truncated BPTT(k2; k1): windows, state carry-over and the window gradients. */
class TruncatedBpttTest {
    static final int D = 3, N = 6, O = 4, M = 2, T = 17, LAYERS = 2;

    static ModelSpec spec(CellKind cell) {
        return ModelSpec.builder(D, N, O).cell(cell).layers(LAYERS).seed(21).build();
    }

    static SequenceBatch batch(long seed) {
        return RandomBatches.classesEveryStep(T, M, D, O, seed).withLengths(new int[] {T, 11});
    }

    static float[][] values(RecurrentModel model) {
        List<float[]> v = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            v.add(p.value().clone());
        }
        return v.toArray(new float[0][]);
    }

    @Test
    void wholeSequenceWindowIsExactlyAFullStep() {
        RecurrentModel a = Models.create(spec(CellKind.LSTM));
        RecurrentModel b = Models.create(spec(CellKind.LSTM));
        double la = new Trainer(a, Optimizer.adam(0.01), Clipping.none()).step(batch(1));
        double lb = new Trainer(b, Optimizer.adam(0.01), Clipping.none()).stepTruncated(batch(1), T, T);
        assertEquals(la, lb, 0.0);
        float[][] va = values(a);
        float[][] vb = values(b);
        for (int i = 0; i < va.length; i++) {
            assertArrayEquals(va[i], vb[i]);
        }
    }

    /**
     * With a learning rate so small that no weight moves (w − 1e-30·g rounds back to w), the
     * windows must together compute exactly the full forward pass: the carried state is the
     * state, and every loss term counts once.
     */
    @ParameterizedTest(name = "{0} k1={1} k2={2}")
    @CsvSource({"LSTM,5,5", "LSTM,3,7", "LSTM,4,17", "RNN,1,1", "RNN,6,9", "LSTM_NO_FORGET,2,5", "GRU,3,7", "GRU,1,1",
            "GRU_2014,3,7", "GRU_2014,4,17"})
    void windowsCarryTheStateAndCountEveryStepOnce(CellKind cell, int k1, int k2) {
        RecurrentModel model = Models.create(spec(cell), KernelProvider.scalar());
        float[] h0 = new float[LAYERS * M * N];
        float[] c0 = new float[LAYERS * M * N];
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < h0.length; i++) {
            h0[i] = (float) rnd.nextGaussian() * 0.3f;
            c0[i] = (float) rnd.nextGaussian() * 0.3f;
        }
        model.setInitialState(h0, c0);
        SequenceBatch batch = batch(2);
        double full = model.forward(batch, null);
        float[] hFull = new float[h0.length];
        float[] cFull = new float[c0.length];
        model.copyFinalState(hFull, cFull);
        float[][] before = values(model);

        double truncated = new Trainer(model, Optimizer.sgd(1e-30), Clipping.none()).stepTruncated(batch, k1, k2);

        float[][] after = values(model);
        for (int i = 0; i < before.length; i++) {
            assertArrayEquals(before[i], after[i], "weights must not have moved");
        }
        assertEquals(full, truncated, 1e-5 * Math.abs(full), "sum of window losses");
        float[] h = new float[h0.length];
        float[] c = new float[c0.length];
        model.copyFinalState(h, c);
        assertArrayEquals(hFull, h, "state after the last window");
        if (cell.hasCellState()) {
            assertArrayEquals(cFull, c);
        }
        // The user's initial state is back in place.
        assertEquals(full, model.forward(batch, null), 0.0);
    }

    /** The gradient of one window (state carried in, loss only on its last steps) by finite differences. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = CellKind.class, names = {"LSTM", "GRU", "GRU_2014"})
    void windowGradientMatchesFiniteDifferences(CellKind cell) {
        RecurrentModel net = Models.create(spec(cell), KernelProvider.scalar());
        SequenceBatch batch = batch(4);
        float[] h0 = new float[LAYERS * M * N];
        SplittableRandom rnd = new SplittableRandom(8);
        for (int i = 0; i < h0.length; i++) {
            h0[i] = (float) rnd.nextGaussian() * 0.5f;
        }
        net.setInitialState(h0, null);
        int t0 = 4, t1 = 13, lossFrom = 9;
        // Steps 0 … t0 − 1 only build the state the window starts from; it is held constant.
        net.forward(batch, new Window(0, t0, t0), null);
        Window window = new Window(t0, t1, lossFrom);
        net.forwardBackward(batch, window);
        float eps = 2e-3f;
        List<String> bad = new ArrayList<>();
        for (Parameter p : net.parameters()) {
            float[] g = p.gradient().clone();
            for (int c = 0; c < 8; c++) {
                int i = rnd.nextInt(p.size());
                float saved = p.value()[i];
                p.value()[i] = saved + eps;
                double up = net.forward(batch, window, null);   // the same window again: same start state
                p.value()[i] = saved - eps;
                double down = net.forward(batch, window, null);
                p.value()[i] = saved;
                double fd = (up - down) / (2 * eps);
                if (!(Math.abs(fd - g[i]) <= 2e-3 + 2e-2 * Math.abs(fd))) {
                    bad.add(p.name() + "[" + i + "]: fd " + fd + " bptt " + g[i]);
                }
            }
        }
        assertTrue(bad.isEmpty(), String.join("\n", bad));
    }

    @Test
    void rejectsBadWindows() {
        Trainer trainer = new Trainer(Models.create(spec(CellKind.RNN)), Optimizer.sgd(0.1), Clipping.none());
        assertThrows(IllegalArgumentException.class, () -> trainer.stepTruncated(batch(1), 0, 3));
        assertThrows(IllegalArgumentException.class, () -> trainer.stepTruncated(batch(1), 4, 3));
    }
}
