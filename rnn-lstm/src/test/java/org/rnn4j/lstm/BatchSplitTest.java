package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.NonFiniteException;
import org.rnn4j.api.Nonlinearity;
import org.rnn4j.api.OutputHead;
import org.rnn4j.api.Parameter;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.Targets;
import org.rnn4j.simd.KernelProvider;

/**
 * With two threads the recurrent loops cut the batch into two row blocks that run at the same
 * time. The one-thread model is the reference: outputs, loss, every gradient, the initial-state
 * gradients and the per-step ‖∂L/∂h_t‖ must agree, at batch sizes that split evenly, unevenly,
 * or not at all (fewer than 2·3 rows).
 */
class BatchSplitTest {

    @Test
    void twoThreadsGiveTheOneThreadResultsBitForBit() {
        for (CellKind cell : new CellKind[] {CellKind.RNN, CellKind.LSTM, CellKind.LSTM_NO_FORGET, CellKind.GRU,
                CellKind.GRU_2014}) {
            for (int batch : new int[] {1, 5, 6, 7, 13, 33}) {
                ModelSpec spec = ModelSpec.builder(3, 17, 4).cell(cell).layers(2).seed(11).build();
                RecurrentModel one = Models.create(spec, KernelProvider.get());
                RecurrentModel two = Models.create(spec, KernelProvider.get().withThreads(2));
                SequenceBatch b = RandomBatches.classesEveryStep(9, batch, 3, 4, 5 + batch);
                float[] h0 = random(2 * batch * 17, 3);
                float[] c0 = random(2 * batch * 17, 4);
                one.setInitialState(h0, c0);
                two.setInitialState(h0, c0);
                String what = cell + " batch " + batch;
                assertEquals(one.forwardBackward(b), two.forwardBackward(b), what + ": loss");
                for (Parameter p : one.parameters()) {
                    assertArrayEquals(p.gradient(), two.parameter(p.name()).gradient(), what + ": d" + p.name());
                }
                float[] dh1 = new float[2 * batch * 17], dh2 = new float[dh1.length];
                float[] dc1 = new float[dh1.length], dc2 = new float[dh1.length];
                one.copyInitialStateGradient(dh1, dc1);
                two.copyInitialStateGradient(dh2, dc2);
                assertArrayEquals(dh1, dh2, what + ": dh0");
                assertArrayEquals(dc1, dc2, what + ": dc0");
                double[] n1 = new double[9], n2 = new double[9];
                one.copyHiddenGradientNorms(n1);
                two.copyHiddenGradientNorms(n2);
                // Σ squares per block, then added: equal to the float precision of sumOfSquares.
                for (int t = 0; t < 9; t++) {
                    assertEquals(n1[t], n2[t], 1e-6 * n1[t], what + ": ‖∂L/∂h_" + t + "‖");
                }
                float[] out1 = new float[9 * batch * 4], out2 = new float[out1.length];
                one.forward(b, out1);
                two.forward(b, out2);
                assertArrayEquals(out1, out2, what + ": outputs");
            }
        }
    }

    /**
     * With one block the forward loop projects the inputs in pieces of steps, just before their
     * steps (here 7, 7 and 3 of 17 steps: 33 rows × 4·129 gate columns); with two blocks all
     * steps are projected first. Both must give the same bits, in both layers and the reverse
     * direction of a bidirectional model.
     */
    @Test
    void theProjectionInPiecesGivesTheWholeProjectionsBits() {
        int hidden = 129;
        int batch = 33;
        int steps = 17;
        assertEquals(7, RecurrentLayer.PIECE_FLOATS / (batch * 4 * hidden), "steps per piece");
        for (CellKind cell : new CellKind[] {CellKind.LSTM, CellKind.RNN, CellKind.GRU}) {
            for (boolean bidirectional : new boolean[] {false, true}) {
                ModelSpec spec = ModelSpec.builder(5, hidden, 3).cell(cell).layers(2).bidirectional(bidirectional)
                        .seed(3).build();
                RecurrentModel one = Models.create(spec, KernelProvider.get());
                RecurrentModel two = Models.create(spec, KernelProvider.get().withThreads(2));
                SequenceBatch b = RandomBatches.classesEveryStep(steps, batch, 5, 3, 21);
                String what = cell + (bidirectional ? " bidirectional" : "");
                assertEquals(one.forwardBackward(b), two.forwardBackward(b), what + ": loss");
                for (Parameter p : one.parameters()) {
                    assertArrayEquals(p.gradient(), two.parameter(p.name()).gradient(), what + ": d" + p.name());
                }
                float[] out1 = new float[steps * batch * 3], out2 = new float[out1.length];
                one.forward(b, out1);
                two.forward(b, out2);
                assertArrayEquals(out1, out2, what + ": outputs");
            }
        }
    }

    /**
     * With two threads the optimizer cuts every parameter into two ranges updated at once; each
     * rule is element-wise, so three training steps must leave the one-thread weights bit for bit
     * (68 Ki values: above {@link OptimizerState#PARALLEL_MIN}).
     */
    @Test
    void twoThreadOptimizerStepsGiveTheOneThreadWeights() {
        ModelSpec spec = ModelSpec.builder(5, 129, 3).cell(CellKind.LSTM).seed(8).build();
        for (org.rnn4j.api.Optimizer optimizer : new org.rnn4j.api.Optimizer[] {
                org.rnn4j.api.Optimizer.adam(1e-2), org.rnn4j.api.Optimizer.momentum(0.1, 0.9),
                org.rnn4j.api.Optimizer.rmsProp(1e-2), org.rnn4j.api.Optimizer.sgd(0.1)}) {
            RecurrentModel one = Models.create(spec, KernelProvider.get());
            RecurrentModel two = Models.create(spec, KernelProvider.get().withThreads(2));
            assertTrue(one.parameters().stream().mapToInt(Parameter::size).sum() > OptimizerState.PARALLEL_MIN);
            Trainer t1 = new Trainer(one, optimizer, org.rnn4j.api.Clipping.none());
            Trainer t2 = new Trainer(two, optimizer, org.rnn4j.api.Clipping.none());
            for (int step = 0; step < 3; step++) {
                SequenceBatch b = RandomBatches.classesEveryStep(6, 7, 5, 3, 40 + step);
                assertEquals(t1.step(b), t2.step(b), optimizer + " step " + step + ": loss");
            }
            for (Parameter p : one.parameters()) {
                assertArrayEquals(p.value(), two.parameter(p.name()).value(), optimizer + ": " + p.name());
            }
        }
    }

    /** A NaN in a sequence of the second row block is found at its step and row, as with one thread. */
    @Test
    void aNonFiniteHiddenStateInTheSecondBlockNamesItsStepAndRow() {
        ModelSpec spec = ModelSpec.builder(1, 3, 2).cell(CellKind.RNN).activation(Nonlinearity.RELU)
                .head(OutputHead.SOFTMAX).build();
        int batch = 8;
        NonFiniteException[] seen = new NonFiniteException[2];
        for (int threads = 1; threads <= 2; threads++) {
            RecurrentModel m = Models.create(spec, KernelProvider.get().withThreads(threads));
            java.util.Arrays.fill(m.parameter("layer0.W_h").value(), 1e3f);
            java.util.Arrays.fill(m.parameter("layer0.W_x").value(), 1f);
            java.util.Arrays.fill(m.parameter("layer0.b").value(), 0f); // rows with zero input stay 0
            float[] x = new float[40 * batch];
            for (int t = 0; t < 40; t++) {
                x[t * batch + 6] = 1f;                 // row 6 (second block) grows from step 0
                x[t * batch + 1] = t >= 5 ? 1f : 0f;   // row 1 (first block) only from step 5
            }
            SequenceBatch b = SequenceBatch.of(40, batch, 1, x, Targets.classesEveryStep(new int[40 * batch]));
            seen[threads - 1] = assertThrows(NonFiniteException.class, () -> m.forward(b, null));
        }
        assertEquals(seen[0].getMessage(), seen[1].getMessage());
        assertEquals(seen[0].step(), seen[1].step());
        assertTrue(seen[1].getMessage().contains("b=6"), seen[1].getMessage());
    }

    private static float[] random(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rnd.nextDouble() - 0.5);
        }
        return a;
    }
}
