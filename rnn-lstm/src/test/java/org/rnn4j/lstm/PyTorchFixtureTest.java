package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.Nonlinearity;
import org.rnn4j.api.OutputHead;
import org.rnn4j.api.Parameter;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.Targets;
import org.rnn4j.simd.KernelProvider;
import org.rnn4j.simd.Kernels;

/**
 * Forward outputs, loss and every gradient against PyTorch 1.13, from the fixtures that
 * {@code src/test/python/make_fixtures.py} writes (weights, inputs, targets, outputs, loss,
 * gradients of all parameters, of the initial state and of the inputs).
 *
 * <p>Tolerance: every tensor must match to {@value #RTOL} relative to the tensor's largest
 * magnitude (at least 1). fp32 against fp32 with different summation orders and, for the vector
 * kernels, tanh/sigmoid with an absolute error up to 1e-6, lands around 1e-7 to 1e-6.
 */
class PyTorchFixtureTest {
    private static final double RTOL = 1e-5;
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> cases() throws IOException {
        JsonNode index = read("index.json");
        List<Arguments> args = new ArrayList<>();
        for (JsonNode name : index) {
            args.add(Arguments.of(name.asText(), "scalar"));
            args.add(Arguments.of(name.asText(), "vector"));
        }
        return args.stream();
    }

    private static JsonNode read(String file) throws IOException {
        try (InputStream in = PyTorchFixtureTest.class.getResourceAsStream("/fixtures/" + file)) {
            if (in == null) {
                throw new IOException("missing test resource fixtures/" + file);
            }
            return JSON.readTree(in);
        }
    }

    static float[] floats(JsonNode tensor) {
        JsonNode data = tensor.get("data");
        float[] a = new float[data.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) data.get(i).asDouble();
        }
        return a;
    }

    static int[] ints(JsonNode tensor) {
        JsonNode data = tensor.get("data");
        int[] a = new int[data.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = data.get(i).asInt();
        }
        return a;
    }

    /** The model and batch of one fixture, with PyTorch's weights loaded. */
    record Case(JsonNode json, RecurrentModel model, SequenceBatch batch) {}

    static Case load(String file, Kernels kernels) throws IOException {
        JsonNode f = read(file);
        String loss = f.get("loss").asText();
        boolean lstm = f.get("cell").asText().equals("LSTM");
        ModelSpec spec = ModelSpec.builder(f.get("input_size").asInt(), f.get("hidden_size").asInt(),
                        f.get("output_size").asInt())
                .cell(CellKind.valueOf(f.get("cell").asText()))
                .activation(!lstm && f.get("nonlinearity").asText().equals("relu") ? Nonlinearity.RELU : Nonlinearity.TANH)
                .layers(f.get("layers").asInt())
                .head(loss.startsWith("mse") ? OutputHead.LINEAR : OutputHead.SOFTMAX)
                .bidirectional(f.has("bidirectional") && f.get("bidirectional").asBoolean())
                .build();
        RecurrentModel model = Models.create(spec, kernels);
        for (Iterator<Map.Entry<String, JsonNode>> it = f.get("params").properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            float[] v = floats(e.getValue());
            Parameter p = model.parameter(e.getKey());
            assertEquals(p.size(), v.length, "size of " + e.getKey());
            System.arraycopy(v, 0, p.value(), 0, v.length);
        }
        if (!f.get("h0").isNull()) {
            model.setInitialState(floats(f.get("h0")), f.get("c0").isNull() ? null : floats(f.get("c0")));
        }
        int steps = f.get("steps").asInt();
        int m = f.get("batch").asInt();
        Targets targets = switch (loss) {
            case "ce_all" -> Targets.classesEveryStep(ints(f.get("targets")));
            case "ce_last" -> Targets.classesAtLastStep(ints(f.get("targets")));
            case "mse_all" -> Targets.realsEveryStep(floats(f.get("targets")), spec.outputSize());
            default -> throw new IllegalStateException("unknown loss " + loss);
        };
        SequenceBatch batch = SequenceBatch.of(steps, m, spec.inputSize(), floats(f.get("inputs")), targets);
        if (!f.get("lengths").isNull()) {
            int[] lengths = new int[m];
            for (int b = 0; b < m; b++) {
                lengths[b] = f.get("lengths").get(b).asInt();
            }
            batch = batch.withLengths(lengths);
        }
        return new Case(f, model, batch);
    }

    static Kernels kernels(String name) {
        return name.equals("scalar") ? KernelProvider.scalar() : KernelProvider.vector();
    }

    @ParameterizedTest(name = "{0} on {1} kernels")
    @MethodSource("cases")
    void matchesPyTorch(String file, String kernelsName) throws IOException {
        Case c = load(file, kernels(kernelsName));
        JsonNode f = c.json();
        RecurrentModel model = c.model();
        ModelSpec spec = model.spec();
        int steps = c.batch().steps();
        int m = c.batch().batchSize();
        int n = spec.hiddenSize();
        int o = spec.outputSize();
        int layers = spec.layers();

        float[] outputs = new float[steps * m * o];
        double forwardLoss = model.forward(c.batch(), outputs);
        double loss = model.forwardBackward(c.batch());
        double expectedLoss = f.get("loss_value").asDouble();
        assertEquals(forwardLoss, loss, 0.0, "forward and forwardBackward compute the same loss");
        assertEquals(expectedLoss, loss, RTOL * Math.max(1, Math.abs(expectedLoss)), "loss");

        // Past a sequence's length its state is frozen (PyTorch's packed sequences): rnn4j's
        // outputs there repeat the last step's, PyTorch's padded ones are zero; neither is compared.
        SequenceBatch b = c.batch();
        float[] logits = floats(f.get("outputs").get("logits"));
        close("outputs", withinLengths(b, o, spec.head() == OutputHead.SOFTMAX ? softmax(logits, o) : logits),
                withinLengths(b, o, outputs));
        int width = spec.layerOutputSize();                  // n, or [h_fwd | h_rev]
        float[] top = new float[steps * m * width];
        model.copyTopHidden(top);
        close("top_hidden", withinLengths(b, width, floats(f.get("outputs").get("top_hidden"))), withinLengths(b, width, top));
        int slots = layers * spec.directions();
        float[] hLast = new float[slots * m * n];
        float[] cLast = new float[slots * m * n];
        model.copyFinalState(hLast, cLast);
        close("h_last", floats(f.get("outputs").get("h_last")), hLast);
        if (spec.cell() == CellKind.LSTM) {
            close("c_last", floats(f.get("outputs").get("c_last")), cLast);
        }

        JsonNode grads = f.get("grads");
        for (Parameter p : model.parameters()) {
            close("gradient of " + p.name(), floats(grads.get(p.name())), p.gradient());
        }
        float[] dInputs = new float[steps * m * spec.inputSize()];
        model.copyInputGradient(dInputs);
        close("d_inputs", floats(grads.get("d_inputs")), dInputs);
        if (grads.has("h0")) {
            float[] dh0 = new float[slots * m * n];
            float[] dc0 = new float[slots * m * n];
            model.copyInitialStateGradient(dh0, dc0);
            close("d h0", floats(grads.get("h0")), dh0);
            if (grads.has("c0")) {
                close("d c0", floats(grads.get("c0")), dc0);
            }
        }
    }

    /** A copy of a time-major T × m × width array with the rows at t ≥ length(b) zeroed. */
    static float[] withinLengths(SequenceBatch batch, int width, float[] a) {
        float[] out = a.clone();
        int m = batch.batchSize();
        for (int t = 0; t < batch.steps(); t++) {
            for (int s = 0; s < m; s++) {
                if (t >= batch.length(s)) {
                    java.util.Arrays.fill(out, (t * m + s) * width, (t * m + s + 1) * width, 0f);
                }
            }
        }
        return out;
    }

    static float[] softmax(float[] logits, int o) {
        float[] p = new float[logits.length];
        for (int r = 0; r < logits.length / o; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < o; j++) {
                max = Math.max(max, logits[r * o + j]);
            }
            double sum = 0;
            for (int j = 0; j < o; j++) {
                sum += Math.exp(logits[r * o + j] - max);
            }
            for (int j = 0; j < o; j++) {
                p[r * o + j] = (float) (Math.exp(logits[r * o + j] - max) / sum);
            }
        }
        return p;
    }

    static void close(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 1;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(expected[i] - actual[i]);
            if (!(err <= worst)) {
                worst = err;
                at = i;
            }
        }
        double tol = RTOL * scale;
        int index = at;
        double error = worst;
        assertTrue(worst <= tol, () -> what + ": max error " + error + " at [" + index + "] (expected "
                + expected[index] + ", got " + actual[index] + "), tolerance " + tol);
    }
}
