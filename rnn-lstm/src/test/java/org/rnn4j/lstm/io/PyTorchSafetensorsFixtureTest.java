package org.rnn4j.lstm.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.Nonlinearity;
import org.rnn4j.api.OutputHead;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;

/**
 * PyTorch state_dicts saved as safetensors (F32, F16, BF16, F64; written by
 * {@code src/test/python/make_pytorch_safetensors_fixtures.py}) loaded with
 * {@link ModelFiles#loadPyTorch}: the model's outputs at every step and its final states are
 * PyTorch's, to 1e-5 relative to the largest magnitude of the tensor (at least 1) — fp32 against
 * fp32 with other summation orders lands near 1e-7.
 */
class PyTorchSafetensorsFixtureTest {
    private static final double RTOL = 1e-5;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PyTorchSafetensorsFixtureTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static List<String> cases() throws IOException {
        List<String> names = new ArrayList<>();
        for (JsonNode n : read("index.json")) {
            names.add(n.asText());
        }
        return names;
    }

    static JsonNode read(String file) throws IOException {
        try (InputStream in = PyTorchSafetensorsFixtureTest.class.getResourceAsStream("/fixtures/pytorch_safetensors/" + file)) {
            if (in == null) {
                throw new IOException("missing test resource fixtures/pytorch_safetensors/" + file);
            }
            return JSON.readTree(in);
        }
    }

    static float[] floats(JsonNode a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) a.get(i).asDouble();
        }
        return out;
    }

    static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        double scale = 1;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], RTOL * scale, what + "[" + i + "]");
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]) / scale);
        }
        LOG.info("{}: max |rnn4j - PyTorch| / max(1, max |PyTorch|) = {}", what, String.format("%.2e", worst));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void outputsAndStatesArePyTorchs(String name) throws IOException {
        JsonNode f = read(name + ".json");
        boolean lstm = f.get("cell").asText().equals("LSTM");
        ModelSpec spec = ModelSpec.builder(f.get("input_size").asInt(), f.get("hidden_size").asInt(), f.get("output_size").asInt())
                .cell(CellKind.valueOf(f.get("cell").asText()))
                .activation(!lstm && f.get("nonlinearity").asText().equals("relu") ? Nonlinearity.RELU : Nonlinearity.TANH)
                .layers(f.get("layers").asInt())
                .head(OutputHead.LINEAR)                 // the fixtures' outputs are fc's logits
                .build();
        Path file = dir.resolve(name + ".safetensors");
        try (InputStream in = getClass().getResourceAsStream("/fixtures/pytorch_safetensors/" + name + ".safetensors")) {
            Files.copy(in, file);
        }
        assertEquals(f.get("dtype").asText(), SafeTensorsFile.read(file).tensor("rnn.weight_ih_l0").dtype().name());
        RecurrentModel model = ModelFiles.loadPyTorch(file, spec, "rnn.", "fc.", false);
        int steps = f.get("T").asInt();
        int batch = f.get("B").asInt();
        float[] outputs = new float[steps * batch * spec.outputSize()];
        model.forward(SequenceBatch.of(steps, batch, spec.inputSize(), floats(f.get("inputs")), null), outputs);
        assertClose(floats(f.get("logits")), outputs, name + " logits");
        int states = spec.layers() * batch * spec.hiddenSize();
        float[] h = new float[states];
        float[] c = new float[states];
        model.copyFinalState(h, lstm ? c : null);
        assertClose(floats(f.get("h_n")), h, name + " h_n");
        if (lstm) {
            assertClose(floats(f.get("c_n")), c, name + " c_n");
        }
    }
}
