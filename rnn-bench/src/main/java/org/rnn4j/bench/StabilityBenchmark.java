package org.rnn4j.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.Clipping;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.Optimizer;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.diagnostics.ErrorSignal;
import org.rnn4j.api.diagnostics.GradientDiagnostics;
import org.rnn4j.api.diagnostics.JacobianProfile;
import org.rnn4j.lstm.Diagnostics;
import org.rnn4j.lstm.Models;
import org.rnn4j.lstm.Trainer;

/**
 * Vanilla RNN vs LSTM, throughput and gradient stability in one JMH result: the time of a
 * training step (forward, BPTT, clipping, Adam) at (B, T, D, H) = (32, 100, 64, n), and, as
 * secondary results beside it ({@link Stability}, JMH auxiliary counters), how much of the
 * error signal of the last step's loss is left after T/2 and T − 1 steps back at initialisation,
 * log10 ‖∂L_T/∂h_k‖/‖∂L_T/∂h_T‖, and log10 ‖∂h_T/∂h_k‖₂ at the same lags (geometric mean over
 * the batch's first {@value #DIAGNOSED} sequences).
 *
 * <p>{@link #jacobianNormsAllLags} is the cost of the diagnostics themselves: ‖∂h_T/∂h_k‖₂ for
 * all k of one sequence (matrix-free power iteration at the default tolerance) plus the T
 * one-step norms.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class StabilityBenchmark {
    static final int STEPS = 100;
    static final int BATCH = 32;
    static final int INPUTS = 64;
    static final int CLASSES = ModelBenchmark.OUTPUTS;
    static final int DIAGNOSED = 4;

    @Param({"RNN", "LSTM"})
    public String cell;

    @Param({"128", "256"})
    public int hidden;

    RecurrentModel model;
    Trainer trainer;
    SequenceBatch batch;
    GradientDiagnostics diagnostics;

    /**
     * The stability figures, reported by JMH beside the time as auxiliary counters, as decades
     * lost (−log10, so that JMH's console, which shows every negative value as "≈ 0", prints them;
     * the JSON holds the same numbers). JMH zeroes such fields when an iteration starts, so the
     * benchmark writes them on every call (four stores, nothing next to a training step); and it
     * adds an EVENTS counter up over the measurement iterations, so each iteration reports its
     * share, value / iterations, and the result is the value itself.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Stability {
        /** −log10 ‖∂L_T/∂h_{T/2}‖ / ‖∂L_T/∂h_T‖ at initialisation: decades of error signal lost over T/2 steps. */
        public double errorDecadesLostHalf;
        /** −log10 ‖∂L_T/∂h_1‖ / ‖∂L_T/∂h_T‖ (lag T − 1). */
        public double errorDecadesLostLast;
        /** −log10 ‖∂h_T/∂h_{T/2}‖₂. */
        public double jacobianDecadesHalf;
        /** −log10 ‖∂h_T/∂h_1‖₂. */
        public double jacobianDecadesLast;
        double[] figures;
        double share;

        @Setup(Level.Trial)
        public void measure(StabilityBenchmark b, BenchmarkParams params) {
            figures = figures(b.diagnostics);
            share = 1.0 / params.getMeasurement().getCount();
        }

        void report() {
            errorDecadesLostHalf = -figures[0] * share;
            errorDecadesLostLast = -figures[1] * share;
            jacobianDecadesHalf = -figures[2] * share;
            jacobianDecadesLast = -figures[3] * share;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        ModelSpec spec = ModelSpec.builder(INPUTS, hidden, CLASSES).cell(CellKind.valueOf(cell)).seed(1).build();
        model = Models.create(spec);
        trainer = new Trainer(model, Optimizer.adam(1e-4), Clipping.globalNorm(1));
        batch = ModelBenchmark.batch(STEPS, BATCH, INPUTS, 7);
        diagnostics = Diagnostics.of(model, batch);   // at initialisation, before any training step
    }

    /** The four stability figures of {@link Stability}, checked to be finite and ordered. */
    static double[] figures(GradientDiagnostics d) {
        int t = d.steps();
        double ratioHalf = 0;
        double ratioLast = 0;
        double jacHalf = 0;
        double jacLast = 0;
        for (int b = 0; b < DIAGNOSED; b++) {
            ErrorSignal e = d.errorSignal(0, b, t);
            ratioHalf += e.ratioAtLag(t / 2) / DIAGNOSED;
            ratioLast += e.ratioAtLag(t - 1) / DIAGNOSED;
        }
        JacobianProfile[] ps = new JacobianProfile[DIAGNOSED];
        for (int b = 0; b < DIAGNOSED; b++) {
            ps[b] = d.jacobianNorms(0, b, t);
            jacHalf += ps[b].atLag(t / 2) / DIAGNOSED;
            jacLast += ps[b].atLag(t - 1) / DIAGNOSED;
        }
        double[] f = {ratioHalf, ratioLast, jacHalf, jacLast};
        for (double v : f) {
            if (Double.isNaN(v) || v > 10) {
                throw new IllegalStateException("implausible stability figure " + v + " in " + java.util.Arrays.toString(f));
            }
        }
        return f;
    }

    /** A training step of the model, with the stability figures of its initialisation beside it. */
    @Benchmark
    public double trainingStep(Stability stability) {
        stability.report();
        return trainer.step(batch);
    }

    /** The diagnostics' cost: ‖∂h_T/∂h_k‖₂ for every k and every one-step norm, one sequence. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public JacobianProfile jacobianNormsAllLags() {
        return diagnostics.jacobianNorms(0, 0, STEPS);
    }
}
