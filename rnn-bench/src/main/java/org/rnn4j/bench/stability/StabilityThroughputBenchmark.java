package org.rnn4j.bench.stability;

import org.rnn4j.bench.ModelBenchmark;
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
import org.rnn4j.api.InferenceModel;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.StreamState;
import org.rnn4j.lstm.Models;
import org.rnn4j.lstm.Trainer;

/**
 * The throughput part of the stability report: RNN against LSTM at one shape, forward, forward +
 * BPTT, a training step (Adam, global-norm clipping at 1) and a batch-1 single step (one step of
 * one stream of the compiled streaming model, output layer included: the latency of streaming
 * inference, see {@code StreamingBenchmark}), one thread. Short settings by default, because
 * the report's time budget is minutes; {@link Throughput} overrides them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class StabilityThroughputBenchmark {
    /** Classes of the output layer (softmax, a target at every step). */
    public static final int OUTPUTS = 16;

    @Param({"RNN", "LSTM"})
    public String cell;

    /** B x T x D x H of forward, forwardBackward and trainingStep. */
    @Param({"32x100x64x128"})
    public String shape;

    /** D = H of the batch-1 single step. */
    @Param({"128"})
    public int stepSize;

    RecurrentModel model;
    Trainer trainer;
    SequenceBatch batch;
    float[] outputs;

    InferenceModel stepModel;
    StreamState stream;
    float[] stepInput;
    float[] stepOutputs;

    @Setup
    public void setUp() {
        int[] s = ThroughputShape.parse(shape);
        int b = s[0], t = s[1], d = s[2], h = s[3];
        CellKind kind = CellKind.valueOf(cell);
        model = Models.create(ModelSpec.builder(d, h, OUTPUTS).cell(kind).seed(1).build());
        trainer = new Trainer(model, Optimizer.adam(1e-4), Clipping.globalNorm(1));
        batch = ModelBenchmark.batch(t, b, d, 7);
        outputs = new float[t * b * OUTPUTS];
        stepModel = Models.compile(Models.create(ModelSpec.builder(stepSize, stepSize, OUTPUTS).cell(kind).seed(1).build()));
        stream = stepModel.newStream();
        stepInput = ModelBenchmark.batch(1, 1, stepSize, 8).inputs();
        stepOutputs = new float[OUTPUTS];
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

    @Benchmark
    public float singleStep() {
        stepModel.step(stream, stepInput, 0, stepOutputs, 0);
        return stepOutputs[0];
    }
}
