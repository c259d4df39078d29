package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.InferenceModel;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.NonFiniteException;
import org.rnn4j.api.Nonlinearity;
import org.rnn4j.api.OutputHead;
import org.rnn4j.api.Parameter;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.StreamBatch;
import org.rnn4j.api.StreamState;
import org.rnn4j.simd.KernelProvider;
import org.rnn4j.simd.Kernels;

/**
 * What streaming inference refuses, and that a refusal changes nothing: wrong lengths and offsets,
 * non-finite inputs (named by input, step or stream), streams of another model, malformed batch
 * calls, non-finite weights at compile time; and states or outputs that overflow, which throw
 * {@link NonFiniteException} with the stream (or every stream of a batch) left as it was.
 */
class StreamBadInputTest {
    static final int D = 3;
    static final int N = 7;
    static final int O = 4;
    static final int LAYERS = 2;

    static InferenceModel lstm(String kernels) {
        RecurrentModel trained = Models.create(ModelSpec.builder(D, N, O).cell(CellKind.LSTM).layers(LAYERS).seed(3).build(),
                KernelProvider.scalar());
        return Models.compile(trained, PyTorchFixtureTest.kernels(kernels));
    }

    static StreamState advanced(InferenceModel model, int steps, long seed) {
        return StreamStateTest.advanced(model, steps, seed);
    }

    static <T extends Throwable> T refused(Class<T> type, Executable call, StreamState[] streams, String... parts) {
        byte[][] before = new byte[streams.length][];
        for (int i = 0; i < streams.length; i++) {
            before[i] = streams[i].saveState();
        }
        T e = assertThrows(type, call);
        BadInputTest.assertMessage(e, parts);
        for (int i = 0; i < streams.length; i++) {
            assertArrayEquals(before[i], streams[i].saveState(), "stream " + i + " changed by a refused call: " + e.getMessage());
        }
        return e;
    }

    static IllegalArgumentException refused(Executable call, StreamState s, String... parts) {
        return refused(IllegalArgumentException.class, call, new StreamState[] {s}, parts);
    }

    // ---------------------------------------------------------------------------------------
    // step and prefill
    // ---------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void wrongArraysAreRefused(String kernels) {
        InferenceModel model = lstm(kernels);
        StreamState s = advanced(model, 5, 1);
        float[] x = new float[D];
        float[] out = new float[O];
        refused(() -> model.step(s, new float[D - 1], 0, out, 0), s, "x", String.valueOf(D), String.valueOf(D - 1));
        refused(() -> model.step(s, new float[10], 8, out, 0), s, "x", "offset 8", "length 10");
        refused(() -> model.step(s, x, -1, out, 0), s, "x", "offset -1");
        refused(() -> model.step(s, x, Integer.MAX_VALUE, out, 0), s, "x");
        refused(() -> model.step(s, null, 0, out, 0), s, "x", "null");
        refused(() -> model.step(s, x, 0, new float[O - 1], 0), s, "out", String.valueOf(O), String.valueOf(O - 1));
        refused(() -> model.step(s, x, 0, out, 1), s, "out", "offset 1");
        refused(() -> model.step(s, x, 0, out, -2), s, "out", "offset -2");
        refused(() -> model.step(null, x, 0, out, 0), s, "stream", "null");

        refused(() -> model.prefill(s, -1, x, 0, null, 0), s, "steps", "-1");
        refused(() -> model.prefill(s, 3, new float[3 * D - 1], 0, null, 0), s, "x", String.valueOf(3 * D));
        refused(() -> model.prefill(s, 40, new float[40 * D], 1, null, 0), s, "x", "offset 1");
        refused(() -> model.prefill(s, 2, x, -3, null, 0), s, "x", "offset -3");
        refused(() -> model.prefill(s, 1, null, 0, null, 0), s, "x", "null");
        refused(() -> model.prefill(s, 40, new float[40 * D], 0, new float[40 * O - 1], 0), s, "out",
                String.valueOf(40 * O));
        refused(() -> model.prefill(null, 1, x, 0, null, 0), s, "stream", "null");
        assertEquals(5, s.steps());

        model.prefill(s, 0, new float[0], 0, null, 0);                       // zero steps: nothing happens
        assertEquals(5, s.steps());
        model.step(s, x, 0, out, 0);                                         // and the stream still works
        assertEquals(6, s.steps());
    }

    @ParameterizedTest
    @CsvSource({"scalar, NaN", "vector, NaN", "scalar, Infinity", "vector, -Infinity"})
    void nonFiniteInputsAreNamed(String kernels, float bad) {
        InferenceModel model = lstm(kernels);
        StreamState s = advanced(model, 4, 2);
        for (int j = 0; j < D; j++) {
            float[] x = StreamingTest.inputs(1, D, 3);
            x[j] = bad;
            refused(() -> model.step(s, x, 0, null, 0), s, "input " + j, String.valueOf(bad));
            float[] shifted = new float[D + 5];
            System.arraycopy(x, 0, shifted, 5, D);
            refused(() -> model.step(s, shifted, 5, null, 0), s, "input " + j, "x[" + (5 + j) + "]");
        }
        for (int t : new int[] {0, 3, 33, 69}) {                              // steps in the first and later chunks
            float[] x = StreamingTest.inputs(70, D, 4);
            x[t * D + 1] = bad;
            refused(() -> model.prefill(s, 70, x, 0, new float[70 * O], 0), s, "step " + t, "input 1", String.valueOf(bad));
        }
        assertEquals(4, s.steps());
        float[] nanBeyond = StreamingTest.inputs(3, D, 5);                    // a bad value past the inputs is no input
        nanBeyond[2 * D] = bad;
        model.prefill(s, 2, nanBeyond, 0, null, 0);
        assertEquals(6, s.steps());
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void aStreamOfAnotherModelIsRefused(String kernels) {
        InferenceModel model = lstm(kernels);
        InferenceModel twin = lstm(kernels);                                 // same spec, same weights, other model
        StreamState mine = advanced(model, 3, 6);
        StreamState theirs = advanced(twin, 3, 6);
        assertArrayEquals(mine.saveState(), theirs.saveState());
        StreamState[] both = {mine, theirs};
        float[] x = new float[2 * D];
        refused(IllegalArgumentException.class, () -> model.step(theirs, x, 0, null, 0), both, "another model");
        refused(IllegalArgumentException.class, () -> model.prefill(theirs, 2, x, 0, null, 0), both, "another model");
        StreamBatch batch = model.newBatch(2);
        refused(IllegalArgumentException.class, () -> batch.step(new StreamState[] {mine, theirs}, 2, x, 0, null, 0), both,
                "streams[1]", "another model");
        StreamBatch twinBatch = twin.newBatch(2);
        refused(IllegalArgumentException.class, () -> twinBatch.step(new StreamState[] {theirs, mine}, 2, x, 0, null, 0),
                both, "streams[1]", "another model");
        assertEquals(3, mine.steps());
        assertEquals(3, theirs.steps());
    }

    // ---------------------------------------------------------------------------------------
    // batches
    // ---------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "vector"})
    void malformedBatchCallsAreRefused(String kernels) {
        InferenceModel model = lstm(kernels);
        StreamState[] s = new StreamState[4];
        for (int i = 0; i < s.length; i++) {
            s[i] = advanced(model, 2 + i, 10 + i);
        }
        StreamBatch batch = model.newBatch(3);
        assertEquals(3, batch.capacity());
        float[] x = StreamingTest.inputs(4, D, 7);
        float[] out = new float[4 * O];
        refused(IllegalArgumentException.class, () -> batch.step(s, 4, x, 0, out, 0), s, "count", "4", "3");
        refused(IllegalArgumentException.class, () -> batch.step(s, -1, x, 0, out, 0), s, "count", "-1");
        refused(IllegalArgumentException.class, () -> batch.step(Arrays.copyOf(s, 2), 3, x, 0, out, 0), s, "streams", "3", "2");
        refused(IllegalArgumentException.class, () -> batch.step(null, 1, x, 0, out, 0), s, "streams", "null");
        refused(IllegalArgumentException.class, () -> batch.step(new StreamState[] {s[0], null, s[2]}, 3, x, 0, out, 0), s,
                "streams[1]", "null");
        refused(IllegalArgumentException.class, () -> batch.step(new StreamState[] {s[0], s[1], s[0]}, 3, x, 0, out, 0), s,
                "streams[2]", "twice");
        refused(IllegalArgumentException.class, () -> batch.step(new StreamState[] {s[3], s[3]}, 2, x, 0, out, 0), s,
                "streams[1]", "twice");
        refused(IllegalArgumentException.class, () -> batch.step(s, 3, x, 2 * D, out, 0), s, "x", String.valueOf(3 * D));
        refused(IllegalArgumentException.class, () -> batch.step(s, 3, x, -1, out, 0), s, "x", "offset -1");
        refused(IllegalArgumentException.class, () -> batch.step(s, 3, null, 0, out, 0), s, "x", "null");
        refused(IllegalArgumentException.class, () -> batch.step(s, 3, x, 0, out, 2 * O), s, "out", String.valueOf(3 * O));
        for (int i = 0; i < 3; i++) {
            for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
                float[] xb = x.clone();
                xb[i * D + 2] = bad;
                refused(IllegalArgumentException.class, () -> batch.step(s, 3, xb, 0, out, 0), s,
                        "streams[" + i + "]", "input 2", String.valueOf(bad));
            }
        }
        refused(IllegalArgumentException.class, () -> model.newBatch(0), s, "capacity", "0");
        refused(IllegalArgumentException.class, () -> model.newBatch(-5), s, "capacity", "-5");

        // after all that the batch works, with the streams it refused (twice-listed ones included)
        float[] y = new float[3 * O];
        batch.step(new StreamState[] {s[3], s[0], s[1]}, 3, x, 0, y, 0);
        batch.step(s, 0, x, 0, null, 0);                                     // count 0: nothing happens
        assertEquals(3, s[0].steps());
        assertEquals(4, s[1].steps());
        assertEquals(4, s[2].steps());
        assertEquals(6, s[3].steps());
        StreamState alone = advanced(model, 5, 13);
        float[] yAlone = new float[O];
        model.step(alone, x, 0, yAlone, 0);
        assertArrayEquals(yAlone, Arrays.copyOf(y, O));
        assertArrayEquals(alone.saveState(), s[3].saveState());
    }

    // ---------------------------------------------------------------------------------------
    // compile
    // ---------------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({"layer0.W_x, 2, 5, NaN", "layer0.W_h, 6, 27, Infinity", "layer1.W_x, 0, 0, -Infinity",
            "layer1.W_h, 3, 20, NaN", "layer1.b, 0, 27, NaN", "W_y, 6, 3, Infinity", "b_y, 0, 1, NaN"})
    void compilingANonFiniteWeightNamesIt(String name, int row, int col, float bad) {
        RecurrentModel trained = Models.create(ModelSpec.builder(D, N, O).cell(CellKind.LSTM).layers(LAYERS).build(),
                KernelProvider.scalar());
        Parameter p = trained.parameter(name);
        p.value()[row * p.cols() + col] = bad;
        for (Kernels k : new Kernels[] {KernelProvider.scalar(), KernelProvider.vector()}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Models.compile(trained, k));
            BadInputTest.assertMessage(e, name + "[" + row + "][" + col + "]", String.valueOf(bad));
        }
        p.value()[row * p.cols() + col] = 0.25f;
        Models.compile(trained, KernelProvider.vector());
    }

    @org.junit.jupiter.api.Test
    void compileRefusesNulls() {
        RecurrentModel trained = Models.create(ModelSpec.builder(D, N, O).build(), KernelProvider.scalar());
        assertThrows(IllegalArgumentException.class, () -> Models.compile(null, KernelProvider.scalar()));
        assertThrows(IllegalArgumentException.class, () -> Models.compile(trained, (org.rnn4j.simd.Kernels) null));
        assertThrows(IllegalArgumentException.class, () -> Models.compile(trained, (org.rnn4j.api.WeightFormat) null));
        assertThrows(IllegalArgumentException.class, () -> Models.compile(null));
    }

    // ---------------------------------------------------------------------------------------
    // non-finite states and outputs: the step is not committed
    // ---------------------------------------------------------------------------------------

    static final float HUGE = 1e30f;

    /**
     * A ReLU RNN (d = 3, n = 7, 2 layers, b = 0 but for units 3..6 of layer 0 at 0.5, which keeps
     * the state non-zero): W_x = I (layer 0: input j to unit j), W_h = 0 except
     * {@code W_h = 1e30} on the diagonal of units 0..2 of layer {@code explodes} (none for −1).
     * Inputs ≤ 0 keep units 0..2 at 0; an input of 1e30 sets them to 1e30, and any positive input
     * after that overflows h of layer {@code explodes} to +∞. The output layer is o = h·W_y with
     * every element of W_y {@code wy}.
     */
    static InferenceModel exploding(int explodes, float wy, OutputHead head, Kernels k) {
        RecurrentModel m = Models.create(ModelSpec.builder(D, N, O).cell(CellKind.RNN).activation(Nonlinearity.RELU)
                .layers(LAYERS).head(head).build(), KernelProvider.scalar());
        for (Parameter p : m.parameters()) {
            Arrays.fill(p.value(), 0f);
        }
        for (int j = 0; j < D; j++) {
            m.parameter("layer0.W_x").value()[j * N + j] = 1f;
            if (explodes >= 0) {
                m.parameter("layer" + explodes + ".W_h").value()[j * N + j] = HUGE;
            }
        }
        for (int j = 0; j < N; j++) {
            m.parameter("layer1.W_x").value()[j * N + j] = 1f;
        }
        Arrays.fill(m.parameter("layer0.b").value(), D, N, 0.5f);
        Arrays.fill(m.parameter("W_y").value(), wy);
        return Models.compile(m, k);
    }

    static float[] filled(int count, float v) {
        float[] a = new float[count];
        Arrays.fill(a, v);
        return a;
    }

    static final float[] SAFE = filled(D, -1f);
    static final float[] BIG = filled(D, HUGE);
    static final float[] ONE = filled(D, 1f);

    @ParameterizedTest(name = "layer {0} overflows, {1} kernels")
    @CsvSource({"0, scalar", "0, vector", "1, scalar", "1, vector"})
    void anOverflowingStepIsNotCommitted(int layer, String kernels) {
        InferenceModel model = exploding(layer, 1e-9f, OutputHead.LINEAR, PyTorchFixtureTest.kernels(kernels));
        StreamState s = model.newStream();
        float[] y = new float[O];
        for (int t = 0; t < 3; t++) {
            model.step(s, SAFE, 0, y, 0);
        }
        model.step(s, BIG, 0, y, 0);
        float[] h = new float[N];
        s.copyHidden(layer, h, 0);
        assertTrue(h[0] >= HUGE && Float.isFinite(h[0]) && h[N - 1] == 0.5f, "h of layer " + layer + ": " + Arrays.toString(h));
        assertEquals(4, s.steps());

        NonFiniteException e = refused(NonFiniteException.class, () -> model.step(s, ONE, 0, y, 0),
                new StreamState[] {s}, "layer " + layer, "hidden state");
        assertEquals(4, e.step(), e.getMessage());
        assertEquals(4, s.steps());
        e = refused(NonFiniteException.class, () -> model.step(s, SAFE, 0, null, 0), new StreamState[] {s}, "layer " + layer);
        assertEquals(4, e.step());
        // a prefill of no steps commits its working state: still the state before the failures
        byte[] before = s.saveState();
        model.prefill(s, 0, SAFE, 0, null, 0);
        assertArrayEquals(before, s.saveState());
        assertEquals(4, s.steps());
    }

    @ParameterizedTest(name = "layer {0} overflows at prefill step {1}, {2} kernels")
    @CsvSource({"0, 5, scalar", "1, 5, vector", "0, 32, vector", "0, 36, vector", "1, 36, scalar", "1, 64, vector"})
    void anOverflowingPrefillLeavesTheStreamAsBeforeTheCall(int layer, int at, String kernels) {
        InferenceModel model = exploding(layer, 1e-9f, OutputHead.LINEAR, PyTorchFixtureTest.kernels(kernels));
        StreamState s = model.newStream();
        model.prefill(s, 4, filled(4 * D, -1f), 0, null, 0);
        assertEquals(4, s.steps());
        int steps = 70;
        float[] x = filled(steps * D, -1f);
        Arrays.fill(x, (at - 1) * D, at * D, HUGE);                          // h ≈ 1e30 after step at − 1 ...
        Arrays.fill(x, at * D, (at + 1) * D, 1f);                            // ... and +∞ at step at
        float[] y = new float[steps * O];
        NonFiniteException e = refused(NonFiniteException.class, () -> model.prefill(s, steps, x, 0, y, 0),
                new StreamState[] {s}, "layer " + layer);
        assertEquals(4 + at, e.step(), "the stream's step: " + e.getMessage());
        assertEquals(4, s.steps());
        e = refused(NonFiniteException.class, () -> model.prefill(s, steps, x, 0, null, 0), new StreamState[] {s},
                "layer " + layer);
        assertEquals(4 + at, e.step());

        // the steps before the overflow, alone, go through; the one after them fails as it did
        StreamState t = s.copy();
        model.prefill(t, at, x, 0, null, 0);
        assertEquals(4 + at, t.steps());
        e = refused(NonFiniteException.class, () -> model.step(t, x, at * D, null, 0), new StreamState[] {t}, "layer " + layer);
        assertEquals(4 + at, e.step());
    }

    @ParameterizedTest(name = "streams[{0}] overflows, {1} kernels")
    @CsvSource({"0, scalar", "2, vector", "4, scalar", "1, vector"})
    void anOverflowingBatchChangesNoStream(int bad, String kernels) {
        InferenceModel model = exploding(1, 1e-9f, OutputHead.SOFTMAX, PyTorchFixtureTest.kernels(kernels));
        int m = 5;
        StreamState[] s = new StreamState[m];
        float[] x = new float[m * D];
        for (int i = 0; i < m; i++) {
            s[i] = model.newStream();
            model.prefill(s[i], i + 1, filled((i + 1) * D, -0.5f), 0, null, 0);   // different step counts
            System.arraycopy(i == bad ? ONE : SAFE, 0, x, i * D, D);
        }
        model.step(s[bad], BIG, 0, null, 0);
        long badSteps = s[bad].steps();
        StreamBatch batch = model.newBatch(m);
        float[] y = new float[m * O];
        NonFiniteException e = refused(NonFiniteException.class, () -> batch.step(s, m, x, 0, y, 0), s,
                "layer 1", "streams[" + bad + "]");
        assertEquals(badSteps, e.step(), e.getMessage());

        // the others step on together, as they would alone
        StreamState[] rest = new StreamState[m - 1];
        StreamState[] twins = new StreamState[m - 1];
        for (int i = 0, r = 0; i < m; i++) {
            if (i != bad) {
                twins[r] = s[i].copy();
                rest[r++] = s[i];
            }
        }
        float[] yr = new float[(m - 1) * O];
        batch.step(rest, m - 1, filled((m - 1) * D, 0.25f), 0, yr, 0);
        float[] yt = new float[O];
        for (int r = 0; r < m - 1; r++) {
            model.step(twins[r], filled(D, 0.25f), 0, yt, 0);
            assertArrayEquals(yt, Arrays.copyOfRange(yr, r * O, r * O + O));
            assertArrayEquals(twins[r].saveState(), rest[r].saveState());
        }
    }

    /**
     * The states stay finite but the output o = h·W_y overflows (h ≈ 1e10, W_y = 1e30): the check
     * before the softmax throws, naming the output layer and the stream's step, and nothing is
     * committed — for a step, a prefill and a batch.
     */
    @ParameterizedTest(name = "{0} kernels")
    @ValueSource(strings = {"scalar", "vector"})
    void anOverflowingOutputIsNotCommitted(String kernels) {
        InferenceModel model = exploding(-1, HUGE, OutputHead.SOFTMAX, PyTorchFixtureTest.kernels(kernels));
        float[] large = filled(D, 1e10f);                                     // o ≈ 3e10·1e30 = +∞
        float[] y = new float[O];
        StreamState s = model.newStream();
        model.prefill(s, 3, filled(3 * D, -1f), 0, null, 0);
        model.step(s, SAFE, 0, y, 0);                                        // o = 4·0.5·1e30: finite
        assertEquals(1f / O, y[0], 1e-7f);
        NonFiniteException e = refused(NonFiniteException.class, () -> model.step(s, large, 0, y, 0),
                new StreamState[] {s}, "output");
        assertEquals(4, e.step(), e.getMessage());
        StreamState t = s.copy();
        model.step(t, large, 0, null, 0);                                    // without the output layer: fine
        assertEquals(5, t.steps());

        float[] x = filled(40 * D, -1f);
        Arrays.fill(x, 35 * D, 36 * D, 1e10f);
        e = refused(NonFiniteException.class, () -> model.prefill(s, 40, x, 0, new float[40 * O], 0),
                new StreamState[] {s}, "output");
        assertEquals(4 + 35, e.step(), e.getMessage());
        model.prefill(t, 40, x, 0, null, 0);
        assertEquals(45, t.steps());

        StreamState[] g = {model.newStream(), s.copy(), model.newStream()};
        model.step(g[2], SAFE, 0, null, 0);
        float[] xb = new float[3 * D];
        Arrays.fill(xb, -1f);
        Arrays.fill(xb, D, 2 * D, 1e10f);
        StreamBatch batch = model.newBatch(4);
        e = refused(NonFiniteException.class, () -> batch.step(g, 3, xb, 0, new float[3 * O], 0), g, "output", "streams[1]");
        assertEquals(4, e.step(), "the step of streams[1]: " + e.getMessage());
        batch.step(g, 3, xb, 0, null, 0);
        assertEquals(5, g[1].steps());
    }
}
