package org.rnn4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.InferenceModel;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.StreamBatch;
import org.rnn4j.api.StreamState;
import org.rnn4j.api.WeightFormat;
import org.rnn4j.lstm.Models;

/**
 * Streaming inference at batch 1 — one event advances one stream by one step — on the shapes
 * {@code ../shared/peers/run} times ONNX Runtime and PyTorch on (D = H = 128 and 256, one step,
 * state fed back, no output layer: the peers' models have none).
 * <ul>
 *   <li>{@link #step}: one stream, one step, average time (the peers' figure). Weight bytes read
 *       per step are {@code 4·(D + H)·G·H} (half that with {@code BF16} weights); divide by the time and compare with
 *       {@link ReadBandwidthBenchmark} at the same size, run in the same session.</li>
 *   <li>{@link #stepLatency}: the same in {@code Mode.SampleTime}: p50, p99, p99.9.</li>
 *   <li>{@link #stepWithOutput}: with a 16-class softmax output layer.</li>
 *   <li>{@link #streams64} / {@link #streams64TwoThreads}: 64 streams stepped together by one
 *       {@link StreamBatch} per thread, over one shared model; time per call / 64 is the time per
 *       stream; FLOPs per stream step are {@code 2·(D + H)·G·H}, to compare with
 *       {@link FmaPeakBenchmark}.</li>
 * </ul>
 * Run with {@code -prof gc}: {@code gc.alloc.rate.norm} must be 0 B/op for every one of them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class StreamingBenchmark {
    /** Classes of the output layer of {@link #stepWithOutput}. */
    public static final int OUTPUTS = 16;
    /** Streams stepped together. */
    public static final int STREAMS = 64;

    /** The model, shared by every thread. */
    @State(Scope.Benchmark)
    public static class Model {
        @Param({"RNN", "LSTM", "GRU"})
        public String cell;

        /** D = H. */
        @Param({"128", "256"})
        public int size;

        /** How the recurrent weights are stored: F32, or BF16 (half the bytes per step). */
        @Param({"F32", "BF16"})
        public String weights;

        InferenceModel model;

        @Setup
        public void setUp() {
            ModelSpec spec = ModelSpec.builder(size, size, OUTPUTS).cell(CellKind.valueOf(cell)).seed(1).build();
            RecurrentModel trained = Models.create(spec);
            model = Models.compile(trained, WeightFormat.valueOf(weights));
            // Before timing: a few steps agree with the training model's forward over the same inputs.
            int steps = 3;
            float[] x = inputs(steps * size, 5);
            float[] expected = new float[steps * OUTPUTS];
            trained.forward(SequenceBatch.of(steps, 1, size, x, null), expected);
            StreamState s = model.newStream();
            float[] y = new float[steps * OUTPUTS];
            for (int t = 0; t < steps; t++) {
                model.step(s, x, t * size, y, t * OUTPUTS);
            }
            for (int i = 0; i < y.length; i++) {
                // bfloat16 weights: ŷ within a few 1e-3 (2^-8 relative per weight, averaged over D + H terms)
                if (!(Math.abs(y[i] - expected[i]) <= (weights.equals("F32") ? 1e-4 : 1e-2))) {
                    throw new IllegalStateException("step output " + i + ": " + y[i] + " != forward's " + expected[i]);
                }
            }
        }
    }

    /** One thread's streams, inputs and batch scratch. */
    @State(Scope.Thread)
    public static class Streams {
        StreamState stream;
        StreamState[] streams;
        StreamBatch batch;
        float[] x;
        float[] xs;
        float[] out;

        @Setup
        public void setUp(Model m) {
            int d = m.size;
            stream = m.model.newStream();
            streams = new StreamState[STREAMS];
            for (int i = 0; i < STREAMS; i++) {
                streams[i] = m.model.newStream();
            }
            batch = m.model.newBatch(STREAMS);
            x = inputs(d, 11);
            xs = inputs(STREAMS * d, 13);
            out = new float[STREAMS * OUTPUTS];
        }
    }

    static float[] inputs(int size, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }

    @Benchmark
    public void step(Model m, Streams s) {
        m.model.step(s.stream, s.x, 0, null, 0);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public void stepLatency(Model m, Streams s) {
        m.model.step(s.stream, s.x, 0, null, 0);
    }

    @Benchmark
    public void stepWithOutput(Model m, Streams s) {
        m.model.step(s.stream, s.x, 0, s.out, 0);
    }

    @Benchmark
    public void streams64(Model m, Streams s) {
        s.batch.step(s.streams, STREAMS, s.xs, 0, null, 0);
    }

    @Benchmark
    @Threads(2)
    public void streams64TwoThreads(Model m, Streams s) {
        s.batch.step(s.streams, STREAMS, s.xs, 0, null, 0);
    }
}
