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
import org.openjdk.jmh.annotations.Warmup;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.Clipping;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.Optimizer;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.Targets;
import org.rnn4j.lstm.Models;
import org.rnn4j.lstm.Trainer;
import org.rnn4j.simd.KernelProvider;

/**
 * Whole-model throughput: forward, forward + BPTT, and a full training step (forward, BPTT,
 * global-norm clipping, Adam) of a vanilla RNN, an LSTM and a GRU at the shapes
 * (B, T, D, H) = (32, 100, 128, 256) and (64, 50, 256, 512), on 1 and 2 threads. The output
 * layer has 16 classes (its cost is not in the FLOP count below).
 *
 * <p>FLOPs per forward = 2·T·B·(D + H)·G·H (G = 1 RNN, 4 LSTM, 3 GRU); forward + backward = 3× that.
 * Run with {@code -prof gc}: {@code gc.alloc.rate.norm} of {@code trainingStep} is the
 * allocation per step in steady state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class ModelBenchmark {
    /** Classes of the output layer. */
    public static final int OUTPUTS = 16;

    @Param({"RNN", "LSTM", "GRU"})
    public String cell;

    /** B x T x D x H. */
    @Param({"32x100x128x256", "64x50x256x512"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    RecurrentModel model;
    Trainer trainer;
    SequenceBatch batch;
    float[] outputs;

    @Setup
    public void setUp() {
        int[] s = parse(shape);
        int b = s[0], t = s[1], d = s[2], h = s[3];
        ModelSpec spec = ModelSpec.builder(d, h, OUTPUTS).cell(CellKind.valueOf(cell)).seed(1).build();
        batch = batch(t, b, d, 7);
        model = Models.create(spec, KernelProvider.get().withThreads(threads));
        trainer = new Trainer(model, Optimizer.adam(1e-4), Clipping.globalNorm(1));
        outputs = new float[t * b * OUTPUTS];
        if (threads == 1) {
            // Scalar and vector kernels must agree before anything is timed.
            RecurrentModel reference = Models.create(spec, KernelProvider.scalar());
            double expected = reference.forward(batch, null);
            double actual = model.forward(batch, null);
            if (!(Math.abs(expected - actual) <= 1e-4 * Math.max(1, Math.abs(expected)))) {
                throw new IllegalStateException("vector loss " + actual + " != scalar loss " + expected);
            }
        }
    }

    static int[] parse(String shape) {
        String[] p = shape.split("x");
        return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3])};
    }

    /** A seeded batch of N(0, 1) inputs and a class of {@link #OUTPUTS} at every step. */
    public static SequenceBatch batch(int steps, int m, int d, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[steps * m * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        int[] y = new int[steps * m];
        for (int i = 0; i < y.length; i++) {
            y[i] = rnd.nextInt(OUTPUTS);
        }
        return SequenceBatch.of(steps, m, d, x, Targets.classesEveryStep(y));
    }

    /** FLOPs of one forward pass by the formula. */
    public static double forwardFlops(String cell, String shape) {
        int[] s = parse(shape);
        int g = CellKind.valueOf(cell).gates();
        return 2.0 * s[1] * s[0] * (s[2] + s[3]) * g * s[3];
    }

    @Benchmark
    public double forward() {
        return model.forward(batch, outputs);
    }

    @Benchmark
    public double forwardBackward() {
        return model.forwardBackward(batch);
    }

    @Benchmark
    public double trainingStep() {
        return trainer.step(batch);
    }
}
