package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.Parameter;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.Window;
import org.rnn4j.lstm.io.ModelFiles;
import org.rnn4j.lstm.io.SafeTensorsWriter;
import org.rnn4j.simd.KernelProvider;

/**
 * Bidirectional layers beyond the PyTorch fixtures ({@link PyTorchFixtureTest} runs the four
 * {@code bi*} cases): every parameter's, input's and initial state's gradient against finite
 * differences, with lengths and dropout; two threads bitwise; the model files; and the refusals
 * (windows, diagnostics, streaming).
 */
class BidirectionalTest {
    static final int D = 3, N = 5, O = 4, M = 7, T = 6;

    @TempDir
    Path dir;

    static ModelSpec spec(CellKind cell, double dropout) {
        return ModelSpec.builder(D, N, O).cell(cell).layers(2).bidirectional(true).dropout(dropout).seed(8).build();
    }

    static SequenceBatch batch(long seed) {
        return RandomBatches.classesEveryStep(T, M, D, O, seed).withLengths(new int[] {6, 1, 4, 6, 2, 5, 3});
    }

    @ParameterizedTest
    @EnumSource(value = CellKind.class, names = {"RNN", "LSTM", "GRU", "GRU_2014"})
    void gradientsMatchFiniteDifferences(CellKind cell) {
        RecurrentModel model = Models.create(spec(cell, 0.25), KernelProvider.scalar());
        SequenceBatch batch = batch(3);
        SplittableRandom rnd = new SplittableRandom(4);
        float[] h0 = new float[4 * M * N];
        float[] c0 = new float[4 * M * N];
        for (int i = 0; i < h0.length; i++) {
            h0[i] = (float) (0.5 * rnd.nextGaussian());
            c0[i] = (float) (0.5 * rnd.nextGaussian());
        }
        model.setInitialState(h0, c0);
        model.setTrainingPasses(7);
        model.forwardBackward(batch);
        Map<String, float[]> grads = new HashMap<>();
        for (Parameter p : model.parameters()) {
            grads.put(p.name(), p.gradient().clone());
        }
        float[] dx = new float[T * M * D];
        model.copyInputGradient(dx);
        float[] dh0 = new float[h0.length];
        model.copyInitialStateGradient(dh0, null);

        float h = 1e-2f;
        int checked = 0;
        for (Parameter p : model.parameters()) {
            float[] v = p.value();
            for (int i = 0; i < v.length; i += Math.max(1, v.length / 4)) {
                float keep = v[i];
                v[i] = keep + h;
                double up = loss(model, batch);
                v[i] = keep - h;
                double down = loss(model, batch);
                v[i] = keep;
                check(cell + " d" + p.name() + "[" + i + "]", (up - down) / (2 * h), grads.get(p.name())[i]);
                checked++;
            }
        }
        float[] x = batch.inputs();
        for (int i = 0; i < x.length; i += 7) {
            float keep = x[i];
            x[i] = keep + h;
            double up = loss(model, batch);
            x[i] = keep - h;
            double down = loss(model, batch);
            x[i] = keep;
            check(cell + " dx[" + i + "]", (up - down) / (2 * h), dx[i]);
        }
        for (int i = 0; i < h0.length; i += 5) {        // all four state blocks: layer × direction
            float[] hp = h0.clone();
            hp[i] += h;
            model.setInitialState(hp, c0);
            double up = loss(model, batch);
            hp[i] -= 2 * h;
            model.setInitialState(hp, c0);
            double down = loss(model, batch);
            check(cell + " dh0[" + i + "]", (up - down) / (2 * h), dh0[i]);
        }
        assertTrue(checked > 30);
    }

    /** The training loss with the masks of pass 8 (the one the gradients came from). */
    private static double loss(RecurrentModel model, SequenceBatch batch) {
        model.setTrainingPasses(7);
        return model.forwardBackward(batch);
    }

    private static void check(String what, double fd, double bptt) {
        assertEquals(fd, bptt, 2e-3 + 2e-2 * Math.abs(fd), what);
    }

    @ParameterizedTest
    @EnumSource(value = CellKind.class, names = {"RNN", "LSTM", "GRU", "GRU_2014"})
    void twoThreadsGiveOneThreadsResultsBitForBit(CellKind cell) {
        SequenceBatch batch = batch(5);
        RecurrentModel one = Models.create(spec(cell, 0.2), KernelProvider.get());
        RecurrentModel two = Models.create(spec(cell, 0.2), KernelProvider.get().withThreads(2));
        assertEquals(one.forwardBackward(batch), two.forwardBackward(batch));
        for (Parameter p : one.parameters()) {
            assertArrayEquals(p.gradient(), two.parameter(p.name()).gradient(), cell + " d" + p.name());
        }
        float[] a = new float[4 * M * N];
        float[] b = new float[4 * M * N];
        one.copyFinalState(a, null);
        two.copyFinalState(b, null);
        assertArrayEquals(a, b);
    }

    @Test
    void windowsDiagnosticsAndStreamingAreRefused() {
        RecurrentModel model = Models.create(spec(CellKind.LSTM, 0));
        SequenceBatch batch = batch(6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.forwardBackward(batch, new Window(0, 3, 0)));
        assertTrue(e.getMessage().contains("bidirectional"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Diagnostics.of(model, batch));
        assertTrue(e.getMessage().contains("bidirectional"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Models.compile(model));
        assertTrue(e.getMessage().contains("bidirectional"), e.getMessage());
    }

    @Test
    void modelFilesRoundTripInBothLayouts() throws IOException {
        RecurrentModel model = Models.create(spec(CellKind.GRU, 0));
        SequenceBatch batch = batch(7);
        float[] expected = new float[T * M * O];
        model.forward(batch, expected);
        Path own = dir.resolve("bi.safetensors");
        ModelFiles.save(model, own);
        RecurrentModel back = ModelFiles.load(own);
        assertTrue(back.spec().bidirectional());
        float[] y = new float[expected.length];
        back.forward(batch, y);
        assertArrayEquals(expected, y);
        Path torch = dir.resolve("bi_torch.safetensors");
        ModelFiles.savePyTorch(model, torch, "rnn.", "fc.");
        RecurrentModel fromTorch = ModelFiles.loadPyTorch(torch, model.spec(), "rnn.", "fc.", false);
        fromTorch.forward(batch, y);
        assertArrayEquals(expected, y);
    }

    /** PyTorch's own state_dict of a bidirectional fixture, as safetensors, loads to its params. */
    @Test
    void pyTorchStateDictWithReverseNamesLoads() throws IOException {
        for (String name : new String[] {"bilstm_2layer_h0.json", "bigru_2layer_lengths.json"}) {
            PyTorchFixtureTest.Case c = PyTorchFixtureTest.load(name, KernelProvider.get());
            JsonNode state = c.json().get("torch_state_dict");
            SafeTensorsWriter w = new SafeTensorsWriter();
            for (Iterator<Map.Entry<String, JsonNode>> it = state.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode shape = e.getValue().get("shape");
                long[] dims = new long[shape.size()];
                for (int i = 0; i < dims.length; i++) {
                    dims[i] = shape.get(i).asLong();
                }
                w.add(e.getKey(), dims, PyTorchFixtureTest.floats(e.getValue()));
            }
            Path file = dir.resolve(name + ".safetensors");
            w.write(file);
            RecurrentModel loaded = ModelFiles.loadPyTorch(file, c.model().spec(), "rnn.", "head.", false);
            for (Parameter p : c.model().parameters()) {
                assertArrayEquals(p.value(), loaded.parameter(p.name()).value(), name + " " + p.name());
            }
        }
    }
}
