package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.InferenceModel;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.OutputHead;
import org.rnn4j.api.StreamBatch;
import org.rnn4j.api.StreamState;

/**
 * Streaming inference against PyTorch: every sequence of a fixture's batch is a stream of its own,
 * started from the fixture's h0/c0 (when given) and stepped through its T inputs, three ways — one
 * {@link InferenceModel#step} per input, one {@link StreamBatch#step} per time step for all m
 * sequences together, and one {@link InferenceModel#prefill} per sequence. ŷ must match
 * {@code softmax(outputs.logits)} (the fixtures store the head's pre-softmax outputs; a linear head
 * is compared as is) and the final states {@code h_last}/{@code c_last}, to the tolerance of
 * {@link PyTorchFixtureTest} (1e-5 of the tensor's largest magnitude, at least 1); the three ways
 * must agree bitwise.
 *
 * <p>All unidirectional fixtures of {@code index.json} are used (a bidirectional model cannot
 * stream), those with {@code lengths} too: sequence b is a stream of its own length(b) steps, so
 * its final state is PyTorch's packed h_n, and ŷ is compared at t &lt; length(b) (see
 * {@code make_fixtures.py}).
 */
class StreamFixtureTest {

    static Stream<Arguments> cases() throws IOException {
        JsonNode index;
        try (InputStream in = StreamFixtureTest.class.getResourceAsStream("/fixtures/index.json")) {
            index = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
        }
        List<Arguments> args = new ArrayList<>();
        for (JsonNode name : index) {
            if (name.asText().startsWith("bi")) {
                continue;                                // bidirectional: not a streaming model
            }
            args.add(Arguments.of(name.asText(), "scalar"));
            args.add(Arguments.of(name.asText(), "vector"));
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} on {1} kernels")
    @MethodSource("cases")
    void streamsMatchPyTorch(String file, String kernelsName) throws IOException {
        PyTorchFixtureTest.Case c = PyTorchFixtureTest.load(file, PyTorchFixtureTest.kernels(kernelsName));
        JsonNode f = c.json();
        ModelSpec spec = c.model().spec();
        InferenceModel model = Models.compile(c.model(), PyTorchFixtureTest.kernels(kernelsName));
        int steps = f.get("steps").asInt();
        int m = f.get("batch").asInt();
        int d = spec.inputSize();
        int n = spec.hiddenSize();
        int o = spec.outputSize();
        int layers = spec.layers();
        boolean lstm = spec.cell() == CellKind.LSTM;
        float[] x = PyTorchFixtureTest.floats(f.get("inputs"));                  // T·m·d, time-major
        float[] h0 = f.get("h0").isNull() ? null : PyTorchFixtureTest.floats(f.get("h0")); // L·m·n
        float[] c0 = f.get("c0").isNull() ? null : PyTorchFixtureTest.floats(f.get("c0"));
        assertEquals(steps * m * d, x.length, "inputs");

        int[] len = new int[m];
        for (int b = 0; b < m; b++) {
            len[b] = c.batch().length(b);
        }

        // 1. one stream per sequence, one step per input of its own length
        StreamState[] single = new StreamState[m];
        float[] ySingle = new float[steps * m * o];
        for (int b = 0; b < m; b++) {
            single[b] = start(model, h0, c0, b, m, layers, n);
            for (int t = 0; t < len[b]; t++) {
                model.step(single[b], x, (t * m + b) * d, ySingle, (t * m + b) * o);
            }
            assertEquals(len[b], single[b].steps());
        }

        float[] logits = PyTorchFixtureTest.floats(f.get("outputs").get("logits"));
        PyTorchFixtureTest.close("ŷ of the streams", PyTorchFixtureTest.withinLengths(c.batch(), o,
                spec.head() == OutputHead.SOFTMAX ? PyTorchFixtureTest.softmax(logits, o) : logits), ySingle);
        PyTorchFixtureTest.close("h_last of the streams", PyTorchFixtureTest.floats(f.get("outputs").get("h_last")),
                gather(single, layers, n, false));
        if (lstm) {
            PyTorchFixtureTest.close("c_last of the streams", PyTorchFixtureTest.floats(f.get("outputs").get("c_last")),
                    gather(single, layers, n, true));
        }

        // 2. all m sequences together, one batch step per time step (rows of step t are contiguous)
        StreamState[] together = new StreamState[m];
        for (int b = 0; b < m; b++) {
            together[b] = start(model, h0, c0, b, m, layers, n);
        }
        StreamBatch batch = model.newBatch(m);
        float[] yBatch = new float[steps * m * o];
        StreamState[] active = new StreamState[m];
        float[] xt = new float[m * d];
        float[] yt = new float[m * o];
        for (int t = 0; t < steps; t++) {
            int count = 0;                                   // the streams still running at step t
            for (int b = 0; b < m; b++) {
                if (t < len[b]) {
                    active[count] = together[b];
                    System.arraycopy(x, (t * m + b) * d, xt, count * d, d);
                    count++;
                }
            }
            batch.step(active, count, xt, 0, yt, 0);
            for (int b = 0, r = 0; b < m; b++) {
                if (t < len[b]) {
                    System.arraycopy(yt, r++ * o, yBatch, (t * m + b) * o, o);
                }
            }
        }
        assertArrayEquals(ySingle, yBatch, "batch steps give the single steps' outputs bitwise");

        // 3. one prefill of all T inputs per sequence
        float[] yPrefill = new float[steps * m * o];
        StreamState[] prefilled = new StreamState[m];
        float[] xb = new float[steps * d];
        float[] yb = new float[steps * o];
        for (int b = 0; b < m; b++) {
            for (int t = 0; t < steps; t++) {
                System.arraycopy(x, (t * m + b) * d, xb, t * d, d);
            }
            prefilled[b] = start(model, h0, c0, b, m, layers, n);
            model.prefill(prefilled[b], len[b], xb, 0, yb, 0);
            for (int t = 0; t < len[b]; t++) {
                System.arraycopy(yb, t * o, yPrefill, (t * m + b) * o, o);
            }
        }
        assertArrayEquals(ySingle, yPrefill, "prefill gives the single steps' outputs bitwise");

        for (int b = 0; b < m; b++) {
            byte[] expected = single[b].saveState();
            assertArrayEquals(expected, together[b].saveState(), "state of sequence " + b + " after the batch steps");
            assertArrayEquals(expected, prefilled[b].saveState(), "state of sequence " + b + " after the prefill");
        }
    }

    /** A stream of {@code model} in sequence b's initial state (fixture layout L·m·n → L·n). */
    static StreamState start(InferenceModel model, float[] h0, float[] c0, int b, int m, int layers, int n) {
        StreamState s = model.newStream();
        if (h0 != null) {
            s.setState(slice(h0, b, m, layers, n), c0 == null ? null : slice(c0, b, m, layers, n));
            float[] check = new float[n];
            s.copyHidden(layers - 1, check, 0);
            assertEquals(h0[((layers - 1) * m + b) * n + n - 1], check[n - 1], 0.0, "setState took h0");
        }
        return s;
    }

    static float[] slice(float[] lmn, int b, int m, int layers, int n) {
        float[] v = new float[layers * n];
        for (int l = 0; l < layers; l++) {
            System.arraycopy(lmn, (l * m + b) * n, v, l * n, n);
        }
        return v;
    }

    /** The streams' final h (or c) in the fixture layout L·m·n. */
    static float[] gather(StreamState[] streams, int layers, int n, boolean cell) {
        int m = streams.length;
        float[] v = new float[layers * m * n];
        for (int l = 0; l < layers; l++) {
            for (int b = 0; b < m; b++) {
                if (cell) {
                    streams[b].copyCell(l, v, (l * m + b) * n);
                } else {
                    streams[b].copyHidden(l, v, (l * m + b) * n);
                }
            }
        }
        return v;
    }
}
