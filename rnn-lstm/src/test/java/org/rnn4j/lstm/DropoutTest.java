package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.Parameter;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.simd.KernelProvider;

/**
 * Dropout between stacked layers (PyTorch's {@code dropout=p}): training passes only, the masks
 * a function of the seed and the pass count, the gradient that of the masked network, the same
 * on one and two threads.
 */
class DropoutTest {
    static final int D = 3, N = 7, O = 4, M = 7, T = 6;

    static ModelSpec spec(CellKind cell, double p, int layers) {
        return ModelSpec.builder(D, N, O).cell(cell).layers(layers).dropout(p).seed(5).build();
    }

    /** With the pass count fixed, the loss is a function of the weights: its gradient is BPTT's. */
    @ParameterizedTest
    @EnumSource(value = CellKind.class, names = {"RNN", "LSTM", "GRU", "GRU_2014"})
    void gradientsMatchFiniteDifferencesOfTheMaskedNetwork(CellKind cell) {
        RecurrentModel model = Models.create(spec(cell, 0.4, 3), KernelProvider.scalar());
        SequenceBatch batch = RandomBatches.classesEveryStep(T, M, D, O, 9);
        model.setTrainingPasses(20);
        double loss = model.forwardBackward(batch);
        assertEquals(21, model.trainingPasses());
        // every gradient first: each finite-difference pass below overwrites them
        java.util.Map<String, float[]> grads = new java.util.HashMap<>();
        for (Parameter p : model.parameters()) {
            grads.put(p.name(), p.gradient().clone());
        }
        double h = 1e-2;
        int checked = 0;
        for (Parameter p : model.parameters()) {
            float[] v = p.value();
            float[] g = grads.get(p.name());
            for (int i = 0; i < v.length; i += Math.max(1, v.length / 5)) {
                float keep = v[i];
                v[i] = keep + (float) h;
                model.setTrainingPasses(20);
                double up = model.forwardBackward(batch);
                v[i] = keep - (float) h;
                model.setTrainingPasses(20);
                double down = model.forwardBackward(batch);
                v[i] = keep;
                double fd = (up - down) / (2 * h);
                assertEquals(fd, g[i], 2e-3 * Math.max(1, Math.abs(fd)), cell + " d" + p.name() + "[" + i + "]");
                checked++;
            }
        }
        assertTrue(checked > 20);
        // the masks matter: another pass count, another loss
        model.setTrainingPasses(21);
        assertNotEquals(loss, model.forwardBackward(batch));
    }

    @Test
    void inferenceUsesNoDropoutAndPZeroIsNoDropout() {
        SequenceBatch batch = RandomBatches.classesEveryStep(T, M, D, O, 10);
        RecurrentModel none = Models.create(spec(CellKind.LSTM, 0, 2));
        RecurrentModel half = Models.create(spec(CellKind.LSTM, 0.5, 2));
        float[] a = new float[T * M * O];
        float[] b = new float[T * M * O];
        assertEquals(none.forward(batch, a), half.forward(batch, b));
        assertArrayEquals(a, b, "forward (inference) ignores dropout");
        assertEquals(0, half.trainingPasses(), "an inference pass is not a training pass");
        RecurrentModel zero = Models.create(spec(CellKind.LSTM, 0, 2));
        assertEquals(none.forwardBackward(batch), zero.forwardBackward(batch));
        assertNotEquals(none.forwardBackward(batch), half.forwardBackward(batch));
    }

    @ParameterizedTest
    @EnumSource(value = CellKind.class, names = {"RNN", "LSTM", "GRU", "GRU_2014"})
    void sameSeedSameMasksOnOneAndTwoThreads(CellKind cell) {
        SequenceBatch batch = RandomBatches.classesEveryStep(T, 13, D, O, 11);
        RecurrentModel one = Models.create(spec(cell, 0.3, 3), KernelProvider.get());
        RecurrentModel two = Models.create(spec(cell, 0.3, 3), KernelProvider.get().withThreads(2));
        for (int pass = 0; pass < 3; pass++) {
            assertEquals(one.forwardBackward(batch), two.forwardBackward(batch), cell + " pass " + pass);
            for (Parameter p : one.parameters()) {
                assertArrayEquals(p.gradient(), two.parameter(p.name()).gradient(), cell + " d" + p.name());
            }
        }
    }

    /** Each element is dropped with probability p and the rest scaled by 1/(1 − p): E[mask] = 1. */
    @Test
    void masksDropAFractionPAndKeepTheMean() {
        double p = 0.3;
        RecurrentModel model = Models.create(ModelSpec.builder(D, 64, O).layers(2).dropout(p).seed(3).build());
        RecurrentNetwork net = (RecurrentNetwork) model;
        SequenceBatch batch = RandomBatches.classesEveryStep(50, 20, D, O, 12);
        model.forwardBackward(batch);
        float[] mask = net.dropoutMask(0);
        int size = 50 * 20 * 64;
        int dropped = 0;
        double sum = 0;
        for (int i = 0; i < size; i++) {
            dropped += mask[i] == 0 ? 1 : 0;
            sum += mask[i];
            assertTrue(mask[i] == 0 || mask[i] == (float) (1 / (1 - p)));
        }
        double rate = dropped / (double) size;
        // binomial: 4 standard deviations of the rate at size = 64 000
        double sd = Math.sqrt(p * (1 - p) / size);
        assertEquals(p, rate, 4 * sd, "drop rate");
        assertEquals(1, sum / size, 4 * sd / (1 - p), "mean factor");
    }

    @Test
    void dropoutOutsideZeroToOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> spec(CellKind.LSTM, 1.0, 2));
        assertThrows(IllegalArgumentException.class, () -> spec(CellKind.LSTM, -0.1, 2));
        assertThrows(IllegalArgumentException.class, () -> spec(CellKind.LSTM, Double.NaN, 2));
    }
}
