package org.rnn4j.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
import org.rnn4j.bench.report.ReportMath;
import org.rnn4j.simd.Activation;
import org.rnn4j.simd.KernelProvider;
import org.rnn4j.simd.Kernels;
import org.rnn4j.simd.bench.ActivationVariants;

/**
 * Element-wise activations and row softmax: the scalar and vector kernels
 * ({@link Kernels#activate}, {@link Kernels#softmaxRows}) against the alternative formulations of
 * {@link ActivationVariants} (the Vector API's own {@code lanewise(TANH)} / {@code lanewise(EXP)}).
 *
 * <p>Method names are {@code <op><Variant>}: {@code Scalar} = scalar kernels, {@code Vector} and
 * {@code Polynomial} = vector kernels (their polynomial exp), {@code Lanewise} = Vector API
 * lanewise op. The report divides the elements of a call (n, or rows × rowLength for softmax,
 * see {@link ReportMath#softmaxElements}) by the time to give elements per nanosecond.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class ActivationBenchmark {

    /** Inputs of element-wise functions: n values uniform in [-6, 6). */
    @State(Scope.Thread)
    public static class Data {
        /** Elements per call: 16 KiB (in L1) and 256 KiB (in L2) of floats. */
        @Param({"4096", "65536"})
        public int n;

        float[] x;
        float[] y;
        Kernels scalar;
        Kernels vector;

        @Setup(Level.Trial)
        public void setUp() {
            x = uniform(new SplittableRandom(42), n, 6);
            y = new float[n];
            scalar = KernelProvider.scalar();
            vector = KernelProvider.vector();
            float[] expected = new float[n];
            double vectorBound = Activation.VECTOR_MAX_ABS_ERROR + 1e-7; // + the scalar's rounding
            for (Activation f : new Activation[] {Activation.TANH, Activation.SIGMOID, Activation.RELU}) {
                scalar.activate(f, n, x, 0, expected, 0);
                vector.activate(f, n, x, 0, y, 0);
                Agreement.check("vector " + f, expected, y, f == Activation.RELU ? 0 : vectorBound, 0);
            }
            scalar.activate(Activation.TANH, n, x, 0, expected, 0);
            ActivationVariants.tanhLanewise(n, x, 0, y, 0);
            Agreement.check("tanhLanewise", expected, y, 1e-5, 0);
            scalar.activate(Activation.SIGMOID, n, x, 0, expected, 0);
            ActivationVariants.sigmoidLanewise(n, x, 0, y, 0);
            Agreement.check("sigmoidLanewise", expected, y, 1e-5, 0);
            for (int i = 0; i < n; i++) {
                expected[i] = (float) Math.exp(x[i]);
            }
            ActivationVariants.expPolynomial(n, x, 0, y, 0);
            Agreement.check("expPolynomial", expected, y, 0, 1e-5);
            ActivationVariants.expLanewise(n, x, 0, y, 0);
            Agreement.check("expLanewise", expected, y, 0, 1e-5);
        }
    }

    /** Inputs of softmax: about n logits uniform in [-4, 4), in rows of rowLength. */
    @State(Scope.Thread)
    public static class Rows {
        /** Elements per call (rounded down to whole rows). */
        @Param({"4096", "65536"})
        public int n;

        /** Row length: a 10-class output, a 128-unit layer, a 1024-word vocabulary. */
        @Param({"10", "128", "1024"})
        public int rowLength;

        int rows;
        float[] x;
        float[] y;
        Kernels scalar;
        Kernels vector;

        @Setup(Level.Trial)
        public void setUp() {
            rows = ReportMath.softmaxRows(n, rowLength);
            x = uniform(new SplittableRandom(43), rows * rowLength, 4);
            y = new float[rows * rowLength];
            scalar = KernelProvider.scalar();
            vector = KernelProvider.vector();
            float[] expected = new float[y.length];
            scalar.softmaxRows(rows, rowLength, x, 0, rowLength, expected, 0, rowLength);
            vector.softmaxRows(rows, rowLength, x, 0, rowLength, y, 0, rowLength);
            Agreement.check("vector softmaxRows", expected, y, 1e-7, 1e-5);
        }
    }

    static float[] uniform(SplittableRandom random, int length, double halfWidth) {
        float[] v = new float[length];
        for (int i = 0; i < length; i++) {
            v[i] = (float) ((random.nextDouble() * 2 - 1) * halfWidth);
        }
        return v;
    }

    @Benchmark
    public float[] tanhScalar(Data d) {
        d.scalar.activate(Activation.TANH, d.n, d.x, 0, d.y, 0);
        return d.y;
    }

    @Benchmark
    public float[] tanhVector(Data d) {
        d.vector.activate(Activation.TANH, d.n, d.x, 0, d.y, 0);
        return d.y;
    }

    @Benchmark
    public float[] tanhLanewise(Data d) {
        ActivationVariants.tanhLanewise(d.n, d.x, 0, d.y, 0);
        return d.y;
    }

    @Benchmark
    public float[] sigmoidScalar(Data d) {
        d.scalar.activate(Activation.SIGMOID, d.n, d.x, 0, d.y, 0);
        return d.y;
    }

    @Benchmark
    public float[] sigmoidVector(Data d) {
        d.vector.activate(Activation.SIGMOID, d.n, d.x, 0, d.y, 0);
        return d.y;
    }

    @Benchmark
    public float[] sigmoidLanewise(Data d) {
        ActivationVariants.sigmoidLanewise(d.n, d.x, 0, d.y, 0);
        return d.y;
    }

    @Benchmark
    public float[] reluScalar(Data d) {
        d.scalar.activate(Activation.RELU, d.n, d.x, 0, d.y, 0);
        return d.y;
    }

    @Benchmark
    public float[] reluVector(Data d) {
        d.vector.activate(Activation.RELU, d.n, d.x, 0, d.y, 0);
        return d.y;
    }

    @Benchmark
    public float[] expPolynomial(Data d) {
        ActivationVariants.expPolynomial(d.n, d.x, 0, d.y, 0);
        return d.y;
    }

    @Benchmark
    public float[] expLanewise(Data d) {
        ActivationVariants.expLanewise(d.n, d.x, 0, d.y, 0);
        return d.y;
    }

    @Benchmark
    public float[] softmaxScalar(Rows r) {
        r.scalar.softmaxRows(r.rows, r.rowLength, r.x, 0, r.rowLength, r.y, 0, r.rowLength);
        return r.y;
    }

    @Benchmark
    public float[] softmaxVector(Rows r) {
        r.vector.softmaxRows(r.rows, r.rowLength, r.x, 0, r.rowLength, r.y, 0, r.rowLength);
        return r.y;
    }
}
