package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.InferenceModel;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.Nonlinearity;
import org.rnn4j.api.OutputHead;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.StreamBatch;
import org.rnn4j.api.StreamState;
import org.rnn4j.api.WeightFormat;
import org.rnn4j.simd.KernelProvider;
import org.rnn4j.simd.Kernels;

/**
 * Streaming inference against the double-precision oracle ({@link DoubleForward}) and the
 * training model's forward, and the bitwise promises of {@link InferenceModel}: a prefill equals
 * its steps, a batch of streams equals the streams stepped alone, the scalar and vector kernels
 * agree, for every cell, 1–3 layers and awkward sizes, with float and bfloat16 weights (the oracle
 * of a bfloat16 model multiplies the rounded weights, so the same tolerance holds).
 *
 * <p>Tolerance against the oracle and the training forward: each step's sums are float FMA chains
 * of d + n + 1 terms (relative error ≤ (d + n + 1)·u of the sum of |terms|, below 1e-5 at these
 * sizes and weight scales) and the vector kernels' tanh and sigmoid are within 1e-6; with PyTorch's
 * uniform ±1/√n weights the per-step Jacobians have norm about 1 or less, so errors add rather than
 * grow over the {@value #STEPS} steps: 2e-4 absolute on ŷ and h (relative to max(1, |value|) for the
 * linear head and ReLU), against errors of order 0.1–1 for a wrong gate, weight or order.
 */
class StreamingTest {
    static final int STEPS = 19;
    static final double TOL = 2e-4;

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        int[][] sizes = {{1, 1, 1}, {3, 7, 2}, {13, 33, 5}, {7, 129, 3}};
        Object[][] cells = {{CellKind.RNN, Nonlinearity.TANH}, {CellKind.RNN, Nonlinearity.RELU},
                {CellKind.RNN, Nonlinearity.SIGMOID}, {CellKind.LSTM, Nonlinearity.TANH},
                {CellKind.LSTM_NO_FORGET, Nonlinearity.TANH}, {CellKind.GRU, Nonlinearity.TANH},
                {CellKind.GRU_2014, Nonlinearity.TANH}};
        int i = 0;
        for (Object[] cell : cells) {
            for (int[] s : sizes) {
                for (int layers = 1; layers <= 3; layers += (s[1] > 33 ? 2 : 1)) {
                    OutputHead head = (i++ % 2 == 0) ? OutputHead.SOFTMAX : OutputHead.LINEAR;
                    for (WeightFormat f : WeightFormat.values()) {
                        b.add(Arguments.of(cell[0], cell[1], layers, s[0], s[1], s[2], head, f));
                    }
                }
            }
        }
        return b.build();
    }

    static RecurrentModel model(CellKind cell, Nonlinearity phi, int layers, int d, int n, int o, OutputHead head, Kernels k) {
        ModelSpec spec = ModelSpec.builder(d, n, o).cell(cell).activation(phi).layers(layers).head(head)
                .seed(1000L * d + 10L * n + layers).build();
        return Models.create(spec, k);
    }

    static float[] inputs(int steps, int d, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[steps * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }

    @ParameterizedTest(name = "{0} {1} L={2} d={3} n={4} o={5} {6} {7}")
    @MethodSource("cases")
    void stepsMatchTheOracleAndTheTrainingForward(CellKind cell, Nonlinearity phi, int layers, int d, int n, int o,
                                                  OutputHead head, WeightFormat format) {
        RecurrentModel trained = model(cell, phi, layers, d, n, o, head, KernelProvider.get());
        float[] x = inputs(STEPS, d, 7L * n + d);
        double[] hRef = new double[layers * n];
        boolean bf16 = format == WeightFormat.BF16;
        double[] yRef = DoubleForward.run(trained, bf16, x, STEPS, null, null, hRef, null);
        float[] yTrain = new float[STEPS * o];
        trained.forward(SequenceBatch.of(STEPS, 1, d, x, null), yTrain);

        InferenceModel model = Models.compile(trained, format);
        assertEquals(format, model.weightFormat());
        StreamState s = model.newStream();
        float[] y = new float[STEPS * o];
        for (int t = 0; t < STEPS; t++) {
            model.step(s, x, t * d, y, t * o);
        }
        assertEquals(STEPS, s.steps());
        for (int i = 0; i < y.length; i++) {
            double scale = Math.max(1, Math.abs(yRef[i]));
            assertEquals(yRef[i], y[i], TOL * scale, "ŷ[t=" + i / o + "][" + i % o + "] against the oracle");
            if (!bf16) {
                assertEquals(yTrain[i], y[i], TOL * scale, "ŷ[t=" + i / o + "][" + i % o + "] against the training forward");
            }
        }
        float[] hl = new float[n];
        for (int l = 0; l < layers; l++) {
            s.copyHidden(l, hl, 0);
            for (int j = 0; j < n; j++) {
                double ref = hRef[l * n + j];
                assertEquals(ref, hl[j], TOL * Math.max(1, Math.abs(ref)), "h[l=" + l + "][j=" + j + "]");
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} L={2} d={3} n={4} o={5} {6} {7}")
    @MethodSource("cases")
    void prefillBatchesAndKernelsAgreeBitwise(CellKind cell, Nonlinearity phi, int layers, int d, int n, int o,
                                              OutputHead head, WeightFormat format) {
        RecurrentModel trained = model(cell, phi, layers, d, n, o, head, KernelProvider.get());
        int steps = 2 * CompiledStream.PREFILL_CHUNK + 5;                    // three prefill chunks
        float[] x = inputs(steps, d, 11L * n + d);
        InferenceModel vector = Models.compile(trained, format);
        InferenceModel scalar = Models.compile(trained, KernelProvider.scalar(), format);

        StreamState one = vector.newStream();
        float[] yStep = new float[steps * o];
        for (int t = 0; t < steps; t++) {
            vector.step(one, x, t * d, yStep, t * o);
        }
        StreamState pre = vector.newStream();
        float[] yPre = new float[steps * o];
        vector.prefill(pre, 5, x, 0, yPre, 0);
        vector.prefill(pre, steps - 5, x, 5 * d, yPre, 5 * o);
        assertArrayEquals(yStep, yPre, "prefill outputs are the steps' outputs");
        assertStatesEqual(one, pre, layers, n, cell.hasCellState());
        assertArrayEquals(one.saveState(), pre.saveState());

        StreamState sc = scalar.newStream();
        float[] yScalar = new float[steps * o];
        scalar.prefill(sc, steps, x, 0, yScalar, 0);
        float[] hv = new float[n];
        float[] hs = new float[n];
        for (int l = 0; l < layers; l++) {
            one.copyHidden(l, hv, 0);
            sc.copyHidden(l, hs, 0);
            for (int j = 0; j < n; j++) {
                // the gate sums are bitwise equal; the activations differ by ≤ 1e-6 per step
                assertEquals(hs[j], hv[j], TOL, "scalar vs vector h[l=" + l + "][j=" + j + "]");
            }
        }

        // 7 streams, each a different sequence (shifted), stepped together = stepped alone
        int m = 7;
        StreamState[] group = new StreamState[m];
        StreamState[] alone = new StreamState[m];
        for (int i = 0; i < m; i++) {
            group[i] = vector.newStream();
            alone[i] = vector.newStream();
        }
        StreamBatch batch = vector.newBatch(m);
        float[] xs = new float[m * d];
        float[] yGroup = new float[m * o];
        float[] yAlone = new float[m * o];
        for (int t = 0; t < 6; t++) {
            for (int i = 0; i < m; i++) {
                System.arraycopy(x, ((t + 3 * i) % steps) * d, xs, i * d, d);
                vector.step(alone[i], xs, i * d, yAlone, i * o);
            }
            batch.step(group, m - (t == 2 ? 2 : 0), xs, 0, yGroup, 0);  // at t = 2 the last two sit out
            if (t == 2) {
                for (int i = m - 2; i < m; i++) {
                    alone[i].copyFrom(group[i]);                       // and so do their twins
                }
            }
        }
        for (int i = 0; i < m - 2; i++) {
            assertStatesEqual(alone[i], group[i], layers, n, cell.hasCellState());
        }
        assertArrayEquals(java.util.Arrays.copyOf(yAlone, (m - 2) * o), java.util.Arrays.copyOf(yGroup, (m - 2) * o));
        assertTrue(group[0].steps() == 6 && group[m - 1].steps() == 5);
    }

    static void assertStatesEqual(StreamState a, StreamState b, int layers, int n, boolean cells) {
        float[] x = new float[n];
        float[] y = new float[n];
        for (int l = 0; l < layers; l++) {
            a.copyHidden(l, x, 0);
            b.copyHidden(l, y, 0);
            assertArrayEquals(x, y, "h of layer " + l);
            if (cells) {
                a.copyCell(l, x, 0);
                b.copyCell(l, y, 0);
                assertArrayEquals(x, y, "c of layer " + l);
            }
        }
    }
}
