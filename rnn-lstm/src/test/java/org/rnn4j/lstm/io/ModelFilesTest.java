package org.rnn4j.lstm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.InferenceModel;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.Nonlinearity;
import org.rnn4j.api.OutputHead;
import org.rnn4j.api.Parameter;
import org.rnn4j.api.RecurrentGradient;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.StreamState;
import org.rnn4j.lstm.Models;

/**
 * Saving and loading models in rnn4j's layout: a loaded model is the saved one (spec, every
 * weight bitwise, the same outputs bitwise, also compiled for streaming), and every file that
 * does not fit is refused, naming what and where, before any weight reaches a model.
 */
class ModelFilesTest {
    @TempDir
    Path dir;

    static Stream<Arguments> specs() {
        return Stream.of(
                Arguments.of(ModelSpec.builder(3, 7, 2).cell(CellKind.RNN).activation(Nonlinearity.RELU).seed(3).build()),
                Arguments.of(ModelSpec.builder(13, 33, 5).cell(CellKind.LSTM).layers(2).seed(4).build()),
                Arguments.of(ModelSpec.builder(1, 13, 1).cell(CellKind.LSTM_NO_FORGET).head(OutputHead.LINEAR)
                        .gradient(RecurrentGradient.TRUNCATED_1997).layers(3).seed(5).build()),
                Arguments.of(ModelSpec.builder(7, 1, 3).cell(CellKind.RNN).activation(Nonlinearity.SIGMOID).seed(6).build()),
                Arguments.of(ModelSpec.builder(5, 13, 3).cell(CellKind.GRU_2014).layers(2).seed(7).build()));
    }

    static SequenceBatch batch(ModelSpec spec, int steps, int m, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[steps * m * spec.inputSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return SequenceBatch.of(steps, m, spec.inputSize(), x, null);
    }

    @ParameterizedTest
    @MethodSource("specs")
    void aLoadedModelIsTheSavedOne(ModelSpec spec) throws IOException {
        RecurrentModel model = Models.create(spec);
        Path file = dir.resolve("model.safetensors");
        ModelFiles.save(model, file);
        RecurrentModel loaded = ModelFiles.load(file);
        ModelSpec s = loaded.spec();
        assertEquals(List.of(spec.cell(), spec.activation(), spec.inputSize(), spec.hiddenSize(), spec.outputSize(),
                        spec.layers(), spec.head(), spec.gradient()),
                List.of(s.cell(), s.activation(), s.inputSize(), s.hiddenSize(), s.outputSize(), s.layers(), s.head(),
                        s.gradient()));
        for (Parameter p : model.parameters()) {
            assertArrayEquals(p.value(), loaded.parameter(p.name()).value(), p.name());
        }
        SequenceBatch b = batch(spec, 5, 3, 9);
        int outs = 5 * 3 * spec.outputSize();
        float[] y0 = new float[outs];
        float[] y1 = new float[outs];
        model.forward(b, y0);
        loaded.forward(b, y1);
        assertArrayEquals(y0, y1, "outputs of the loaded model");

        InferenceModel inference = ModelFiles.loadInference(file);
        InferenceModel compiled = Models.compile(model);
        StreamState a = inference.newStream();
        StreamState c = compiled.newStream();
        float[] ya = new float[spec.outputSize()];
        float[] yc = new float[spec.outputSize()];
        float[] x = batch(spec, 1, 1, 11).inputs();
        for (int t = 0; t < 4; t++) {
            inference.step(a, x, 0, ya, 0);
            compiled.step(c, x, 0, yc, 0);
            assertArrayEquals(yc, ya, "streaming output at step " + t);
        }
    }

    @Test
    void savingReplacesTheFileWhole() throws IOException {
        Path file = dir.resolve("m.safetensors");
        ModelSpec spec = ModelSpec.builder(3, 7, 2).seed(1).build();
        ModelFiles.save(Models.create(spec), file);
        RecurrentModel second = Models.create(ModelSpec.builder(3, 7, 2).seed(2).build());
        ModelFiles.save(second, file);
        assertArrayEquals(second.parameter("layer0.W_h").value(), ModelFiles.load(file).parameter("layer0.W_h").value());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(file), left.toList(), "no temporary file left behind");
        }
    }

    /** Snapshot of every weight of a model. */
    static List<float[]> weights(RecurrentModel m) {
        List<float[]> out = new ArrayList<>();
        for (Parameter p : m.parameters()) {
            out.add(p.value().clone());
        }
        return out;
    }

    static void assertUnchanged(List<float[]> before, RecurrentModel m) {
        List<Parameter> ps = m.parameters();
        for (int i = 0; i < ps.size(); i++) {
            assertArrayEquals(before.get(i), ps.get(i).value(), ps.get(i).name() + " changed by a failed load");
        }
    }

    /** The file of a saved model with its parameters, but tensor {@code drop} left out and {@code extra} added. */
    Path variant(ModelSpec spec, String drop, String extra, long[] reshape) throws IOException {
        RecurrentModel model = Models.create(spec);
        SafeTensorsWriter w = new SafeTensorsWriter();
        Path saved = dir.resolve("base.safetensors");
        ModelFiles.save(model, saved);
        SafeTensorsFile f = SafeTensorsFile.read(saved);
        f.metadata().forEach(w::metadata);
        for (TensorInfo t : f.tensors()) {
            if (t.name().equals(drop)) {
                continue;
            }
            float[] v = f.floats(t.name());
            long[] shape = t.name().equals(extra) || reshape == null || !t.name().equals("W_y") ? t.shape() : reshape;
            w.add(t.name(), shape, v);
        }
        if (extra != null) {
            w.add(extra, new long[] {2}, new float[] {1, 2});
        }
        Path out = dir.resolve("variant.safetensors");
        w.write(out);
        return out;
    }

    @Test
    void filesThatDoNotFitAreRefusedBeforeAnyWeightMoves() throws IOException {
        ModelSpec spec = ModelSpec.builder(3, 7, 2).cell(CellKind.LSTM).seed(1).build();
        RecurrentModel target = Models.create(ModelSpec.builder(3, 7, 2).cell(CellKind.LSTM).seed(8).build());
        List<float[]> before = weights(target);

        ModelFileException e = assertThrows(ModelFileException.class,
                () -> ModelFiles.loadInto(target, variant(spec, "layer0.W_h", null, null), false));
        assertEquals("layer0.W_h", e.tensor());
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
        assertUnchanged(before, target);

        e = assertThrows(ModelFileException.class,
                () -> ModelFiles.loadInto(target, variant(spec, null, "layer9.W_x", null), false));
        assertEquals("layer9.W_x", e.tensor());
        assertTrue(e.getMessage().contains("no such parameter"), e.getMessage());
        assertUnchanged(before, target);
        ModelFiles.loadInto(target, variant(spec, null, "layer9.W_x", null), true);   // allowed: loads
        assertArrayEquals(ModelFiles.load(dir.resolve("base.safetensors")).parameter("W_y").value(),
                target.parameter("W_y").value());

        before = weights(target);
        e = assertThrows(ModelFileException.class,
                () -> ModelFiles.loadInto(target, variant(spec, null, null, new long[] {2, 7}), false));
        assertEquals("W_y", e.tensor());
        assertTrue(e.getMessage().contains("[2, 7]") && e.getMessage().contains("[7, 2]"), e.getMessage());
        assertTrue(e.offset() > 0);
        assertUnchanged(before, target);

        RecurrentModel other = Models.create(ModelSpec.builder(3, 9, 2).cell(CellKind.LSTM).build());
        List<float[]> otherBefore = weights(other);
        e = assertThrows(ModelFileException.class,
                () -> ModelFiles.loadInto(other, dir.resolve("base.safetensors"), false));
        assertTrue(e.getMessage().contains("n=7") && e.getMessage().contains("n=9"), e.getMessage());
        assertUnchanged(otherBefore, other);
    }

    @Test
    void aNonFiniteWeightIsRefusedNamingItsOffset() throws IOException {
        RecurrentModel model = Models.create(ModelSpec.builder(2, 3, 2).cell(CellKind.RNN).build());
        Path file = dir.resolve("nan.safetensors");
        ModelFiles.save(model, file);
        byte[] bytes = Files.readAllBytes(file);
        SafeTensorsFile f = SafeTensorsFile.parse(bytes);
        TensorInfo wh = f.tensor("layer0.W_h");
        int at = (int) (f.dataStart() + wh.begin() + 4 * 5);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putFloat(at, Float.NaN);
        Files.write(file, bytes);
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(file));
        assertEquals("layer0.W_h", e.tensor());
        assertEquals(at, e.offset());
        assertTrue(e.getMessage().contains("element 5"), e.getMessage());
    }

    @Test
    void theSpecInTheMetadataIsChecked() throws IOException {
        Path plain = dir.resolve("plain.safetensors");
        new SafeTensorsWriter().add("weight", new long[] {1}, new float[] {1}).write(plain);
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(plain));
        assertTrue(e.getMessage().contains("not an rnn4j model file") && e.getMessage().contains("weight"), e.getMessage());

        RecurrentModel model = Models.create(ModelSpec.builder(2, 3, 2).build());
        Path saved = dir.resolve("ok.safetensors");
        ModelFiles.save(model, saved);
        SafeTensorsFile f = SafeTensorsFile.read(saved);
        String[][] bad = {{"rnn4j.format", "2", "reads \"1\""}, {"rnn4j.cell", "GRUX", "none of"},
                {"rnn4j.hidden_size", "three", "not an integer"}, {"rnn4j.layers", "0", "layers must be >= 1"},
                {"rnn4j.head", "", "none of"}};
        for (String[] b : bad) {
            SafeTensorsWriter w = new SafeTensorsWriter();
            f.metadata().forEach(w::metadata);
            w.metadata(b[0], b[1]);
            for (TensorInfo t : f.tensors()) {
                w.add(t.name(), t.shape(), f.floats(t.name()));
            }
            Path p = dir.resolve("bad.safetensors");
            w.write(p);
            e = assertThrows(ModelFileException.class, () -> ModelFiles.load(p), b[0]);
            assertTrue(e.getMessage().contains(b[2]), b[0] + ": " + e.getMessage());
        }
        SafeTensorsWriter w = new SafeTensorsWriter();
        f.metadata().forEach((k, v) -> {
            if (!k.equals("rnn4j.output_size")) {
                w.metadata(k, v);
            }
        });
        for (TensorInfo t : f.tensors()) {
            w.add(t.name(), t.shape(), f.floats(t.name()));
        }
        Path p = dir.resolve("missing.safetensors");
        w.write(p);
        e = assertThrows(ModelFileException.class, () -> ModelFiles.load(p));
        assertTrue(e.getMessage().contains("rnn4j.output_size"), e.getMessage());
    }
}
