package org.rnn4j.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.rnn4j.simd.bench.FmaProbe;

/**
 * The machine's FMA limit on one thread: independent vector FMA chains held in registers. The
 * report turns the time per call into GFLOP/s as {@code FmaProbe.flops(ITERATIONS) / time} and
 * divides every GEMM's GFLOP/s by it. Keep the warm-up at a second or more: the Vector API is
 * only fast once C2 has compiled the probe (interpreted or C1-compiled it is ~1000× slower).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class FmaPeakBenchmark {
    /** Iterations per call: long enough that loop overhead and the final sum are negligible. */
    public static final int ITERATIONS = 10_000;

    float seed = 1e-3f;

    @Benchmark
    public float fmaChains() {
        return FmaProbe.run(ITERATIONS, seed);
    }
}
