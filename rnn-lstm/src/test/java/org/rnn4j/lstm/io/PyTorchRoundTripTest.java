package org.rnn4j.lstm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rnn4j.lstm.io.PyTorchSafetensorsFixtureTest.assertClose;
import static org.rnn4j.lstm.io.PyTorchSafetensorsFixtureTest.floats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.Nonlinearity;
import org.rnn4j.api.OutputHead;
import org.rnn4j.api.Parameter;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.lstm.Models;

/**
 * The round trip rnn4j → file → PyTorch → outputs. Each case is an rnn4j model with seeded
 * random weights (biases included), saved with {@link ModelFiles#savePyTorch}. The committed copy
 * of that file was loaded by PyTorch ({@code src/test/python/run_rnn4j_files_in_pytorch.py}:
 * {@code load_state_dict(strict=True)} into {@code nn.RNN}/{@code nn.LSTM} + {@code nn.Linear}
 * under the file's prefixes) and run; its outputs are committed beside it.
 *
 * <p>Each run checks that rnn4j still writes the committed file byte for byte (so PyTorch's
 * verdict is about today's writer) and that the rnn4j model's outputs and final states are
 * PyTorch's on the same inputs, to 1e-5 relative to the tensor's largest magnitude. To
 * regenerate after a deliberate change of the layout: run this test with
 * {@code -Drnn4j.writeFixtures=true}, then the script.
 */
class PyTorchRoundTripTest {
    private static final String DIR = "fixtures/rnn4j_to_pytorch/";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    record Case(String name, ModelSpec spec, String rnnPrefix, String headPrefix, long seed) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("rnn_tanh_2layer", ModelSpec.builder(3, 7, 5).cell(CellKind.RNN).layers(2)
                        .head(OutputHead.LINEAR).build(), "rnn.", "fc.", 1),
                new Case("rnn_relu_1layer", ModelSpec.builder(13, 31, 1).cell(CellKind.RNN)
                        .activation(Nonlinearity.RELU).head(OutputHead.LINEAR).build(), "rnn.", "fc.", 2),
                new Case("lstm_2layer", ModelSpec.builder(5, 33, 3).cell(CellKind.LSTM).layers(2)
                        .head(OutputHead.LINEAR).build(), "encoder.lstm.", "head.", 3),
                // A softmax model: the file holds the same tensors; PyTorch's logits are compared
                // after a softmax.
                new Case("lstm_3layer_softmax", ModelSpec.builder(1, 13, 7).cell(CellKind.LSTM).layers(3)
                        .head(OutputHead.SOFTMAX).build(), "rnn.", "fc.", 4),
                new Case("gru_2layer", ModelSpec.builder(7, 13, 3).cell(CellKind.GRU).layers(2)
                        .head(OutputHead.LINEAR).build(), "gru.", "out.", 5),
                new Case("bilstm_2layer", ModelSpec.builder(3, 7, 5).cell(CellKind.LSTM).layers(2).bidirectional(true)
                        .head(OutputHead.LINEAR).build(), "rnn.", "fc.", 6),
                new Case("bigru_1layer_softmax", ModelSpec.builder(5, 31, 3).cell(CellKind.GRU).bidirectional(true)
                        .head(OutputHead.SOFTMAX).build(), "rnn.", "fc.", 7));
    }

    /** The case's model: seeded uniform weights in ±0.45, every bias non-zero. */
    static RecurrentModel model(Case c) {
        RecurrentModel m = Models.create(c.spec());
        SplittableRandom rnd = new SplittableRandom(c.seed());
        for (Parameter p : m.parameters()) {
            float[] v = p.value();
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) rnd.nextDouble(-0.45, 0.45);
            }
        }
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void pyTorchRunsWhatRnn4jWrites(Case c) throws IOException {
        RecurrentModel model = model(c);
        Path written = dir.resolve(c.name() + ".safetensors");
        ModelFiles.savePyTorch(model, written, c.rnnPrefix(), c.headPrefix());
        byte[] bytes = Files.readAllBytes(written);
        if (Boolean.getBoolean("rnn4j.writeFixtures")) {
            writeFixture(c, bytes);
            return;
        }
        assertArrayEquals(resource(c.name() + ".safetensors"), bytes,
                c.name() + ": rnn4j no longer writes the file PyTorch ran (regenerate: see the class comment)");

        JsonNode f = JSON.readTree(resource(c.name() + ".json"));
        int steps = f.get("steps").asInt();
        int batch = f.get("batch").asInt();
        ModelSpec spec = c.spec();
        float[] outputs = new float[steps * batch * spec.outputSize()];
        model.forward(SequenceBatch.of(steps, batch, spec.inputSize(), floats(f.get("inputs")), null), outputs);
        float[] logits = floats(f.get("logits"));
        assertClose(spec.head() == OutputHead.SOFTMAX ? softmax(logits, spec.outputSize()) : logits, outputs,
                c.name() + " outputs");
        int states = spec.layers() * spec.directions() * batch * spec.hiddenSize();
        float[] h = new float[states];
        float[] cs = new float[states];
        boolean lstm = spec.cell().hasCellState();
        model.copyFinalState(h, lstm ? cs : null);
        assertClose(floats(f.get("h_n")), h, c.name() + " h_n");
        if (lstm) {
            assertClose(floats(f.get("c_n")), cs, c.name() + " c_n");
        }
        // And back: the file rnn4j wrote loads into an equal model.
        RecurrentModel back = ModelFiles.loadPyTorch(written, spec, c.rnnPrefix(), c.headPrefix(), false);
        for (Parameter p : model.parameters()) {
            assertArrayEquals(p.value(), back.parameter(p.name()).value(), c.name() + " " + p.name());
        }
    }

    /** Row-wise softmax in double. */
    private static float[] softmax(float[] logits, int width) {
        float[] out = new float[logits.length];
        for (int r = 0; r < logits.length; r += width) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < width; j++) {
                max = Math.max(max, logits[r + j]);
            }
            double sum = 0;
            for (int j = 0; j < width; j++) {
                sum += Math.exp(logits[r + j] - max);
            }
            for (int j = 0; j < width; j++) {
                out[r + j] = (float) (Math.exp(logits[r + j] - max) / sum);
            }
        }
        return out;
    }

    private static byte[] resource(String file) throws IOException {
        try (InputStream in = PyTorchRoundTripTest.class.getResourceAsStream("/" + DIR + file)) {
            if (in == null) {
                throw new IOException("missing test resource " + DIR + file + " (regenerate: see PyTorchRoundTripTest)");
            }
            return in.readAllBytes();
        }
    }

    /** Writes the case's file (and the index) into the module's test resources. */
    private static void writeFixture(Case c, byte[] bytes) throws IOException {
        Path out = Path.of("src", "test", "resources").resolve(DIR);
        Files.createDirectories(out);
        Files.write(out.resolve(c.name() + ".safetensors"), bytes);
        String index = "[" + String.join(", ", cases().stream().map(k -> "\"" + k.name() + "\"").toList()) + "]\n";
        Files.writeString(out.resolve("index.json"), index, StandardCharsets.UTF_8);
        assertEquals(bytes.length, Files.size(out.resolve(c.name() + ".safetensors")));
    }
}
