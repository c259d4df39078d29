package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.InferenceModel;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.Nonlinearity;
import org.rnn4j.api.OutputHead;
import org.rnn4j.api.StreamBatch;
import org.rnn4j.api.StreamState;
import org.rnn4j.simd.KernelProvider;

/**
 * One {@link InferenceModel} shared by {@value #THREADS} threads at once, each with its own
 * streams and {@link StreamBatch}, running a seeded mix of single steps, batch steps (random
 * subsets in random order), prefills (crossing chunk boundaries), copies and save/restore: every
 * output and every final state must be bitwise those of the same work run on one thread. The
 * threads meet at a barrier every {@value #PHASE} operations, so their work really overlaps.
 */
class StreamConcurrencyTest {
    static final int THREADS = 4;
    static final int STREAMS = 5;
    static final int OPS = 300;
    static final int PHASE = 25;

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of(CellKind.LSTM, Nonlinearity.TANH, 2, 13, 33, 7, OutputHead.SOFTMAX, "vector"),
                Arguments.of(CellKind.LSTM, Nonlinearity.TANH, 2, 13, 33, 7, OutputHead.SOFTMAX, "scalar"),
                Arguments.of(CellKind.RNN, Nonlinearity.TANH, 2, 13, 129, 3, OutputHead.SOFTMAX, "vector"),
                Arguments.of(CellKind.RNN, Nonlinearity.TANH, 1, 1, 33, 1, OutputHead.LINEAR, "scalar"));
    }

    /** Everything one thread's work produced, in order. */
    record Result(List<float[]> outputs, List<byte[]> states, long steps) {}

    /**
     * One thread's work: {@link #OPS} operations drawn from {@code seed} on its own streams and
     * batch; when {@code barrier} is not null, waits there every {@link #PHASE} operations.
     */
    static Result work(InferenceModel model, long seed, CyclicBarrier barrier) throws Exception {
        int d = model.spec().inputSize();
        int o = model.spec().outputSize();
        SplittableRandom rnd = new SplittableRandom(seed);
        StreamState[] s = new StreamState[STREAMS];
        for (int i = 0; i < STREAMS; i++) {
            s[i] = model.newStream();
        }
        StreamBatch batch = model.newBatch(STREAMS);
        List<float[]> outputs = new ArrayList<>();
        List<byte[]> states = new ArrayList<>();
        for (int op = 0; op < OPS; op++) {
            if (barrier != null && op % PHASE == 0) {
                barrier.await(20, TimeUnit.SECONDS);
            }
            int kind = rnd.nextInt(20);
            if (kind < 8) {                                                   // one step
                int k = rnd.nextInt(STREAMS);
                float[] x = gaussian(rnd, d);
                float[] y = kind < 7 ? new float[o] : null;
                model.step(s[k], x, 0, y, 0);
                if (y != null) {
                    outputs.add(y);
                }
            } else if (kind < 14) {                                           // a batch step, streams in random order
                int count = 1 + rnd.nextInt(STREAMS);
                StreamState[] rows = shuffled(s, rnd);
                float[] x = gaussian(rnd, count * d);
                float[] y = new float[count * o];
                batch.step(rows, count, x, 0, y, 0);
                outputs.add(y);
            } else if (kind < 18) {                                           // a prefill, up to two chunks and a bit
                int k = rnd.nextInt(STREAMS);
                int steps = 1 + rnd.nextInt(2 * CompiledStream.PREFILL_CHUNK + 3);
                float[] x = gaussian(rnd, steps * d);
                float[] y = kind < 17 ? new float[steps * o] : null;
                model.prefill(s[k], steps, x, 0, y, 0);
                if (y != null) {
                    outputs.add(y);
                }
            } else if (kind == 18) {                                          // save one stream into another
                int from = rnd.nextInt(STREAMS);
                byte[] bytes = s[from].saveState();
                states.add(bytes);
                s[rnd.nextInt(STREAMS)].restoreState(bytes);
            } else {                                                          // a copy replaces a stream
                int from = rnd.nextInt(STREAMS);
                s[rnd.nextInt(STREAMS)] = s[from].copy();
            }
        }
        long steps = 0;
        for (StreamState stream : s) {
            states.add(stream.saveState());
            steps += stream.steps();
        }
        return new Result(outputs, states, steps);
    }

    static float[] gaussian(SplittableRandom rnd, int count) {
        float[] x = new float[count];
        for (int i = 0; i < count; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }

    static StreamState[] shuffled(StreamState[] s, SplittableRandom rnd) {
        StreamState[] r = s.clone();
        for (int i = r.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            StreamState t = r[i];
            r[i] = r[j];
            r[j] = t;
        }
        return r;
    }

    @ParameterizedTest(name = "{0} {1} L={2} d={3} n={4} o={5} {6} {7}")
    @MethodSource("models")
    void threadsSharingAModelGetTheSequentialResults(CellKind cell, Nonlinearity phi, int layers, int d, int n, int o,
                                                     OutputHead head, String kernels) throws Exception {
        ModelSpec spec = ModelSpec.builder(d, n, o).cell(cell).activation(phi).layers(layers).head(head)
                .seed(17L * n + layers).build();
        InferenceModel model = Models.compile(Models.create(spec, KernelProvider.scalar()), PyTorchFixtureTest.kernels(kernels));

        Result[] sequential = new Result[THREADS];
        for (int i = 0; i < THREADS; i++) {
            sequential[i] = work(model, 1000L + i, null);
        }

        CyclicBarrier barrier = new CyclicBarrier(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        Result[] concurrent = new Result[THREADS];
        try {
            List<Future<Result>> futures = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                long seed = 1000L + i;
                futures.add(pool.submit(() -> work(model, seed, barrier)));
            }
            for (int i = 0; i < THREADS; i++) {
                concurrent[i] = futures.get(i).get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        for (int i = 0; i < THREADS; i++) {
            Result a = sequential[i];
            Result b = concurrent[i];
            assertTrue(a.steps() > OPS, "thread " + i + " did some work: " + a.steps() + " steps");
            assertEquals(a.steps(), b.steps(), "thread " + i + ": steps");
            assertEquals(a.outputs().size(), b.outputs().size(), "thread " + i + ": outputs");
            for (int k = 0; k < a.outputs().size(); k++) {
                assertArrayEquals(a.outputs().get(k), b.outputs().get(k), "thread " + i + ", output " + k);
            }
            assertEquals(a.states().size(), b.states().size(), "thread " + i + ": states");
            for (int k = 0; k < a.states().size(); k++) {
                assertArrayEquals(a.states().get(k), b.states().get(k), "thread " + i + ", state " + k);
            }
        }
        // the threads' work differs (else a mix-up between threads could go unnoticed)
        for (int i = 1; i < THREADS; i++) {
            assertTrue(!java.util.Arrays.equals(sequential[0].outputs().get(0), sequential[i].outputs().get(0)),
                    "threads 0 and " + i + " got the same first output");
        }
    }
}
