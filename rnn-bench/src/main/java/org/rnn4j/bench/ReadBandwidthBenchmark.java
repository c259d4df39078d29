package org.rnn4j.bench;

import java.util.concurrent.TimeUnit;
import java.lang.foreign.MemorySegment;
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
import org.rnn4j.simd.bench.ReadProbe;

/**
 * One core's read bandwidth from the cache level an array of {@code kib} KiB fits: bytes per
 * second = {@code kib·1024 / time}. Run it beside {@link StreamingBenchmark}: a batch-1 step
 * streams its packed weights once (512 KiB for an LSTM at D = H = 128, 2 MiB at 256), so its
 * weight bytes per second over this figure at the same size is its distance to the limit.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class ReadBandwidthBenchmark {
    /** Array size in KiB: L1, L2 and beyond. */
    @Param({"32", "128", "512", "1024", "2048", "8192"})
    public int kib;

    float[] a;
    MemorySegment aligned;

    @Setup
    public void setUp() {
        a = new float[kib * 1024 / Float.BYTES];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i % 7) * 0.125f;
        }
        float expected = 0;
        for (float v : a) {
            expected += v;
        }
        aligned = ReadProbe.aligned(a);
        for (float got : new float[] {ReadProbe.sum(a), ReadProbe.sum(aligned)}) {
            if (Math.abs(got - expected) > 1e-3 * expected) {
                throw new IllegalStateException("ReadProbe.sum " + got + " != " + expected);
            }
        }
    }

    /** From 64-byte-aligned off-heap memory, as the step weights are stored: the limit to compare with. */
    @Benchmark
    public float read() {
        return ReadProbe.sum(aligned);
    }

    /** From a float[] (its alignment as the heap places it): for contrast. */
    @Benchmark
    public float readHeapArray() {
        return ReadProbe.sum(a);
    }
}
