package org.rnn4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.Nonlinearity;
import org.rnn4j.api.OutputHead;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.RecurrentGradient;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.lstm.Models;

/**
 * Every exported graph run in ONNX Runtime gives what {@link RecurrentModel#forward} gives, to
 * {@value #TOLERANCE} absolute, for every output value: ŷ of every step, and every layer's final
 * h (and C) against {@link RecurrentModel#copyFinalState}. Any mistake in the gate reorder or the
 * transposes shows here, since seeded random weights differ in every gate block.
 */
class OnnxRuntimeTest {
    private static final double TOLERANCE = 1e-5;
    /** max |ORT − rnn4j| per cell, over all cases: the summary line {@link #report} prints. */
    private static final Map<String, Double> MAX_DIFF = new TreeMap<>();

    @TempDir
    Path dir;

    /** cell, φ, layers, d, n, o, head, then two (T, B) runs of the same exported file. */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(CellKind.RNN, Nonlinearity.TANH, 1, 3, 7, 13, OutputHead.SOFTMAX, 31, 1, 3, 33),
                Arguments.of(CellKind.RNN, Nonlinearity.RELU, 2, 13, 33, 1, OutputHead.LINEAR, 7, 3, 1, 13),
                Arguments.of(CellKind.RNN, Nonlinearity.SIGMOID, 3, 1, 13, 7, OutputHead.SOFTMAX, 3, 31, 33, 7),
                Arguments.of(CellKind.RNN, Nonlinearity.TANH, 3, 31, 3, 31, OutputHead.LINEAR, 1, 33, 13, 1),
                Arguments.of(CellKind.RNN, Nonlinearity.RELU, 1, 7, 1, 3, OutputHead.SOFTMAX, 13, 7, 31, 3),
                Arguments.of(CellKind.RNN, Nonlinearity.SIGMOID, 2, 33, 31, 1, OutputHead.LINEAR, 33, 13, 7, 1),
                Arguments.of(CellKind.LSTM, Nonlinearity.TANH, 1, 7, 1, 3, OutputHead.LINEAR, 33, 13, 1, 1),
                Arguments.of(CellKind.LSTM, Nonlinearity.TANH, 2, 33, 31, 7, OutputHead.SOFTMAX, 13, 7, 31, 3),
                Arguments.of(CellKind.LSTM, Nonlinearity.TANH, 3, 3, 13, 33, OutputHead.LINEAR, 31, 3, 7, 33),
                Arguments.of(CellKind.LSTM, Nonlinearity.TANH, 1, 1, 3, 1, OutputHead.SOFTMAX, 1, 1, 33, 31),
                Arguments.of(CellKind.LSTM, Nonlinearity.TANH, 3, 13, 33, 13, OutputHead.SOFTMAX, 7, 31, 3, 13),
                Arguments.of(CellKind.LSTM, Nonlinearity.TANH, 2, 31, 7, 31, OutputHead.LINEAR, 3, 33, 13, 7),
                Arguments.of(CellKind.GRU, Nonlinearity.TANH, 1, 3, 7, 13, OutputHead.SOFTMAX, 31, 1, 3, 33),
                Arguments.of(CellKind.GRU, Nonlinearity.TANH, 2, 33, 31, 7, OutputHead.LINEAR, 13, 7, 31, 3),
                Arguments.of(CellKind.GRU, Nonlinearity.TANH, 3, 13, 33, 1, OutputHead.LINEAR, 7, 13, 1, 33),
                Arguments.of(CellKind.GRU, Nonlinearity.TANH, 1, 1, 1, 3, OutputHead.SOFTMAX, 1, 1, 33, 31),
                Arguments.of(CellKind.GRU_2014, Nonlinearity.TANH, 1, 3, 7, 13, OutputHead.SOFTMAX, 31, 1, 3, 33),
                Arguments.of(CellKind.GRU_2014, Nonlinearity.TANH, 2, 33, 31, 7, OutputHead.LINEAR, 13, 7, 31, 3),
                Arguments.of(CellKind.GRU_2014, Nonlinearity.TANH, 2, 13, 33, 1, OutputHead.SOFTMAX, 7, 13, 1, 33),
                Arguments.of(CellKind.GRU_2014, Nonlinearity.TANH, 1, 1, 1, 3, OutputHead.LINEAR, 1, 1, 33, 31));
    }

    /** Bidirectional models: the same comparison. */
    static Stream<Arguments> bidirectionalCases() {
        return Stream.of(
                Arguments.of(CellKind.RNN, Nonlinearity.TANH, 2, 3, 7, 5, OutputHead.LINEAR, 13, 3, 1, 7),
                Arguments.of(CellKind.LSTM, Nonlinearity.TANH, 2, 13, 33, 3, OutputHead.SOFTMAX, 7, 13, 31, 1),
                Arguments.of(CellKind.GRU, Nonlinearity.TANH, 3, 7, 13, 31, OutputHead.LINEAR, 31, 1, 3, 33),
                Arguments.of(CellKind.GRU_2014, Nonlinearity.TANH, 2, 5, 9, 4, OutputHead.SOFTMAX, 7, 5, 13, 2));
    }

    @ParameterizedTest(name = "bidirectional {0} {1} L={2} d={3} n={4} o={5} {6}, T×B {7}×{8} and {9}×{10}")
    @MethodSource("bidirectionalCases")
    void ortMatchesForwardBidirectional(CellKind cell, Nonlinearity phi, int layers, int d, int n, int o,
                                        OutputHead head, int t1, int b1, int t2, int b2) throws Exception {
        RecurrentModel model = model(ModelSpec.builder(d, n, o).cell(cell).activation(phi).layers(layers).head(head)
                .bidirectional(true).seed(2000L * layers + 31L * d + n).build());
        try (OrtModel ort = OrtModel.of(OnnxExport.toBytes(model))) {
            compare(model, ort, t1, b1, 21);
            compare(model, ort, t2, b2, 22);
        }
    }

    @ParameterizedTest(name = "{0} {1} L={2} d={3} n={4} o={5} {6}, T×B {7}×{8} and {9}×{10}")
    @MethodSource("cases")
    void ortMatchesForward(CellKind cell, Nonlinearity phi, int layers, int d, int n, int o, OutputHead head,
                           int t1, int b1, int t2, int b2) throws Exception {
        RecurrentModel model = model(ModelSpec.builder(d, n, o).cell(cell).activation(phi).layers(layers).head(head)
                .seed(1000L * layers + 31L * d + n).build());
        try (OrtModel ort = OrtModel.of(OnnxExport.toBytes(model))) {
            // the same session at two shapes: seq and batch are symbolic
            compare(model, ort, t1, b1, 11);
            compare(model, ort, t2, b2, 12);
        }
    }

    @Test
    void fileWrittenByWriteLoadsInOrt() throws Exception {
        RecurrentModel model = model(ModelSpec.builder(5, 9, 4).cell(CellKind.LSTM).layers(2).seed(7).build());
        Path file = dir.resolve("model.onnx");
        OnnxExport.write(model, file);
        try (OrtModel ort = OrtModel.of(file)) {
            compare(model, ort, 6, 3, 13);
        }
        // a second write replaces the file, atomically, with the same bytes
        OnnxExport.write(model, file);
        assertTrue(Arrays.equals(OnnxExport.toBytes(model), Files.readAllBytes(file)));
    }

    @Test
    void logitsWithoutTheSoftmaxNode() throws Exception {
        RecurrentModel model = model(ModelSpec.builder(4, 6, 5).cell(CellKind.LSTM).head(OutputHead.SOFTMAX).seed(3).build());
        int steps = 9;
        int batch = 4;
        float[] x = inputs(steps, batch, 4, 14);
        float[] expected = new float[steps * batch * 5];
        model.forward(SequenceBatch.of(steps, batch, 4, x, null), expected);
        byte[] bytes = OnnxExport.toBytes(model, OnnxExport.Options.defaults().withSoftmax(false));
        try (OrtModel ort = OrtModel.of(bytes)) {
            float[] logits = ort.run(Map.of(OnnxExport.INPUT, new OrtModel.Input(x, steps, batch, 4))).get("output");
            float[] probabilities = softmaxRows(logits, 5);
            check("LSTM", "softmax(logits)", expected, probabilities);
            // logits, not probabilities: some are negative
            boolean negative = false;
            for (float v : logits) {
                negative |= v < 0;
            }
            assertTrue(negative, "output should be the logits");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stateCases")
    void initialStateInputs(CellKind cell, Nonlinearity phi) throws Exception {
        int d = 3;
        int n = 7;
        int o = 2;
        int layers = 2;
        int steps = 5;
        int batch = 3;
        RecurrentModel model = model(ModelSpec.builder(d, n, o).cell(cell).activation(phi).layers(layers)
                .head(OutputHead.LINEAR).seed(21).build());
        float[] h0 = inputs(layers, batch, n, 22);
        float[] c0 = inputs(layers, batch, n, 23);
        boolean lstm = cell == CellKind.LSTM;
        model.setInitialState(h0, lstm ? c0 : null);
        float[] x = inputs(steps, batch, d, 24);
        float[] expected = new float[steps * batch * o];
        model.forward(SequenceBatch.of(steps, batch, d, x, null), expected);
        float[] hN = new float[layers * batch * n];
        float[] cN = new float[layers * batch * n];
        model.copyFinalState(hN, lstm ? cN : null);

        byte[] bytes = OnnxExport.toBytes(model, OnnxExport.Options.defaults().withInitialStateInputs(true));
        try (OrtModel ort = OrtModel.of(bytes)) {
            Map<String, OrtModel.Input> in = new TreeMap<>();
            in.put(OnnxExport.INPUT, new OrtModel.Input(x, steps, batch, d));
            in.put("initial_h", new OrtModel.Input(h0, layers, batch, n));
            if (lstm) {
                in.put("initial_c", new OrtModel.Input(c0, layers, batch, n));
            }
            Map<String, float[]> out = ort.run(in);
            String key = key(model);
            check(key, "output", expected, out.get("output"));
            check(key, "h_n", hN, out.get("h_n"));
            if (lstm) {
                check(key, "c_n", cN, out.get("c_n"));
            }
        }
    }

    /**
     * With {@code sequence_lens} ORT stops each sequence at its length as rnn4j's lengths do: the
     * outputs within each length and every layer's (and direction's) final state agree, for both
     * directions and stacked layers (the layer above reads ONNX's zeros past a length where rnn4j
     * repeats the frozen state; both are past the length, so no state depends on them).
     */
    @ParameterizedTest(name = "{0} bidirectional={1}")
    @MethodSource("lengthCases")
    void sequenceLengthsStopEachSequence(CellKind cell, boolean bidirectional) throws Exception {
        int d = 4, n = 9, o = 3, layers = 2, steps = 7, batch = 5;
        RecurrentModel model = model(ModelSpec.builder(d, n, o).cell(cell).layers(layers).head(OutputHead.LINEAR)
                .bidirectional(bidirectional).seed(31).build());
        int[] lengths = {7, 1, 4, 6, 2};
        float[] x = inputs(steps, batch, d, 32);
        float[] expected = new float[steps * batch * o];
        model.forward(SequenceBatch.of(steps, batch, d, x, null).withLengths(lengths), expected);
        int slots = layers * model.spec().directions();
        float[] hN = new float[slots * batch * n];
        float[] cN = new float[slots * batch * n];
        boolean lstm = cell == CellKind.LSTM;
        model.copyFinalState(hN, lstm ? cN : null);

        byte[] bytes = OnnxExport.toBytes(model, OnnxExport.Options.defaults().withSequenceLengths(true));
        try (OrtModel ort = OrtModel.of(bytes)) {
            Map<String, OrtModel.Input> in = new TreeMap<>();
            in.put(OnnxExport.INPUT, new OrtModel.Input(x, steps, batch, d));
            in.put("sequence_lens", OrtModel.Input.ints(lengths, batch));
            Map<String, float[]> out = ort.run(in);
            String key = key(model) + "+lengths";
            check(key, "output within lengths", withinLengths(expected, lengths, batch, o),
                    withinLengths(out.get("output"), lengths, batch, o));
            check(key, "h_n", hN, out.get("h_n"));
            if (lstm) {
                check(key, "c_n", cN, out.get("c_n"));
            }
        }
    }

    static Stream<Arguments> lengthCases() {
        return Stream.of(Arguments.of(CellKind.RNN, false), Arguments.of(CellKind.LSTM, false),
                Arguments.of(CellKind.GRU, false), Arguments.of(CellKind.LSTM, true), Arguments.of(CellKind.GRU, true),
                Arguments.of(CellKind.GRU_2014, true));
    }

    /** A copy with the rows at t ≥ length(b) zeroed (time-major, T × batch × width). */
    private static float[] withinLengths(float[] a, int[] lengths, int batch, int width) {
        float[] out = a.clone();
        for (int t = 0; t < a.length / (batch * width); t++) {
            for (int b = 0; b < batch; b++) {
                if (t >= lengths[b]) {
                    Arrays.fill(out, (t * batch + b) * width, (t * batch + b + 1) * width, 0f);
                }
            }
        }
        return out;
    }

    static Stream<Arguments> stateCases() {
        return Stream.of(Arguments.of(CellKind.RNN, Nonlinearity.TANH), Arguments.of(CellKind.LSTM, Nonlinearity.TANH),
                Arguments.of(CellKind.GRU, Nonlinearity.TANH), Arguments.of(CellKind.GRU_2014, Nonlinearity.TANH));
    }

    @Test
    void truncatedGradientLstmExportsLikeTheExactOne() throws Exception {
        // the gradient is a training choice; the forward pass, and so the graph, is the same
        RecurrentModel model = model(ModelSpec.builder(4, 5, 3).cell(CellKind.LSTM)
                .gradient(RecurrentGradient.TRUNCATED_1997).seed(5).build());
        try (OrtModel ort = OrtModel.of(OnnxExport.toBytes(model))) {
            compare(model, ort, 8, 2, 15);
        }
    }

    @AfterAll
    static void report() {
        System.out.println("max |ORT - rnn4j| per cell: " + MAX_DIFF);
    }

    /** A model whose weights are drawn by the spec's seeded initialiser. */
    private static RecurrentModel model(ModelSpec spec) {
        return Models.create(spec);
    }

    /** forward on seeded inputs of T×B against the session: output, h_n and (LSTM) c_n. */
    private static void compare(RecurrentModel model, OrtModel ort, int steps, int batch, long seed) throws Exception {
        ModelSpec spec = model.spec();
        int d = spec.inputSize();
        int n = spec.hiddenSize();
        float[] x = inputs(steps, batch, d, seed);
        float[] expected = new float[steps * batch * spec.outputSize()];
        model.forward(SequenceBatch.of(steps, batch, d, x, null), expected);
        float[] hN = new float[spec.layers() * spec.directions() * batch * n];
        float[] cN = new float[spec.layers() * spec.directions() * batch * n];
        boolean lstm = spec.cell() == CellKind.LSTM;
        model.copyFinalState(hN, lstm ? cN : null);

        Map<String, float[]> out = ort.run(Map.of(OnnxExport.INPUT, new OrtModel.Input(x, steps, batch, d)));
        String key = key(model);
        String where = " (T=" + steps + ", B=" + batch + ")";
        check(key, "output" + where, expected, out.get("output"));
        check(key, "h_n" + where, hN, out.get("h_n"));
        if (lstm) {
            check(key, "c_n" + where, cN, out.get("c_n"));
        }
    }

    /** Same length, every value within {@link #TOLERANCE}; the max difference goes to the summary. */
    private static void check(String key, String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, key + " " + what + ": value count");
        double max = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs((double) expected[i] - actual[i]);
            if (!(diff <= max)) {  // also catches NaN
                max = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff;
                at = i;
            }
        }
        MAX_DIFF.merge(key, max, Math::max);
        double m = max;
        int a = at;
        assertTrue(max <= TOLERANCE, () -> key + " " + what + ": max |ORT - rnn4j| = " + m + " at index " + a
                + " (rnn4j " + expected[a] + ", ORT " + actual[a] + ")");
    }

    private static String key(RecurrentModel model) {
        ModelSpec s = model.spec();
        return (s.bidirectional() ? "bi" : "") + (s.cell() == CellKind.RNN ? "RNN(" + s.activation() + ")" : s.cell().name());
    }

    /** a × b × c standard-normal values from {@code seed}. */
    private static float[] inputs(int a, int b, int c, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[a * b * c];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }

    /** Softmax of each row of {@code cols} values, in double. */
    private static float[] softmaxRows(float[] z, int cols) {
        float[] p = new float[z.length];
        for (int r = 0; r < z.length / cols; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, z[r * cols + j]);
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                sum += Math.exp(z[r * cols + j] - max);
            }
            for (int j = 0; j < cols; j++) {
                p[r * cols + j] = (float) (Math.exp(z[r * cols + j] - max) / sum);
            }
        }
        return p;
    }
}
