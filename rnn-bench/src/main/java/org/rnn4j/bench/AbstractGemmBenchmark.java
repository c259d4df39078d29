package org.rnn4j.bench;

import java.util.Arrays;
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
import org.rnn4j.simd.KernelProvider;
import org.rnn4j.simd.Kernels;
import org.rnn4j.simd.PackedMatrix;

/**
 * One GEMM call {@code C = A·B}, {@code Aᵀ·B}, {@code A·Bᵀ} or A·B on a pre-packed B (alpha 1,
 * beta 0) of one kernel implementation at one size, as in JMH sample 24 (inheritance): the subclasses only declare
 * which implementations and sizes they run, so that the slow scalar kernels can have their own,
 * smaller default parameter set ({@link ScalarGemmBenchmark}) while the SIMD kernels run at all
 * sizes ({@link GemmBenchmark}).
 *
 * <p>Before timing, {@link #setUp()} computes the product with the implementation under test and
 * with a reference (scalar for the vector kernels, vector for the scalar ones) and throws if any
 * element differs by more than the floating-point error bound of a k-term dot product.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public abstract class AbstractGemmBenchmark {
    /**
     * Which kernel method: {@code AB} = mult, {@code ATB} = multTransA, {@code ABT} = multTransB,
     * {@code ABP} = multPacked (A·B with B packed once in the set-up, as the recurrent loops use W_h).
     */
    @Param({"AB", "ATB", "ABT", "ABP"})
    public String shape;

    int m, n, k;
    int lda, ldb, ldc;
    float[] a, b, c;
    Kernels kernels;
    int op;
    /** B packed for {@code ABP}; null otherwise. */
    PackedMatrix packed;

    /** {@code scalar}, {@code vector} or {@code vector2t}. */
    abstract String impl();

    /** {@code "MxNxK"}. */
    abstract String size();

    /** The kernels of an impl parameter: scalar, vector, or vector2t (vector, 2-thread GEMM view). */
    static Kernels kernels(String impl) {
        return switch (impl) {
            case "scalar" -> KernelProvider.scalar();
            case "vector" -> KernelProvider.vector();
            case "vector2t" -> KernelProvider.vector().withThreads(2);
            default -> throw new IllegalArgumentException("impl must be scalar, vector or vector2t, got '"
                    + impl + "'");
        };
    }

    @Setup(Level.Trial)
    public void setUp() {
        ReportMath.GemmSize s = ReportMath.GemmSize.parse(size());
        m = s.m();
        n = s.n();
        k = s.k();
        op = switch (shape) {
            case "AB" -> 0;
            case "ATB" -> 1;
            case "ABT" -> 2;
            case "ABP" -> 3;
            default -> throw new IllegalArgumentException("shape must be AB, ATB, ABT or ABP, got '" + shape + "'");
        };
        // A is m×k (AB, ABT, ABP) or stored k×m (ATB); B is k×n (AB, ATB, ABP) or stored n×k (ABT).
        lda = op == 1 ? m : k;
        ldb = op == 2 ? k : n;
        ldc = n;
        SplittableRandom random = new SplittableRandom(0x5eed_0000L + 31L * m + 17L * n + k);
        a = uniform(random, m * k);
        b = uniform(random, k * n);
        c = new float[m * n];
        kernels = kernels(impl());
        packed = op == 3 ? kernels.packB(false, k, n, b, 0, ldb) : null;

        Kernels reference = impl().equals("scalar") ? KernelProvider.vector() : KernelProvider.scalar();
        float[] expected = new float[m * n];
        gemm(reference, expected);
        Arrays.fill(c, Float.NaN); // beta = 0: C must be overwritten, not read
        gemm(kernels, c);
        checkAgreement(expected, c);
    }

    private void gemm(Kernels kern, float[] out) {
        switch (op) {
            case 0 -> kern.mult(m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, out, 0, ldc);
            case 1 -> kern.multTransA(m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, out, 0, ldc);
            case 2 -> kern.multTransB(m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, out, 0, ldc);
            // each kernel set with B in its own packing (the timed call uses the field packed)
            default -> kern.multPacked(m, n, 1f, a, 0, lda, kern.packB(false, k, n, b, 0, ldb), 0, 0f, out, 0, ldc);
        }
    }

    /**
     * Both results are within {@code γ_k·(|A|·|B|)_ij} of the exact product (γ_k = k·u / (1 − k·u),
     * u = 2⁻²⁴), so they differ by at most twice that; {@code (|A|·|B|)_ij} is bounded by the
     * product of the Euclidean norms of row i of op(A) and column j of op(B) (Cauchy–Schwarz).
     */
    private void checkAgreement(float[] expected, float[] actual) {
        double u = 0x1p-24;
        double gamma = k * u / (1 - k * u);
        double[] rowNorm = new double[m];
        double[] colNorm = new double[n];
        for (int p = 0; p < k; p++) {
            for (int i = 0; i < m; i++) {
                double v = op == 1 ? a[p * lda + i] : a[i * lda + p];
                rowNorm[i] += v * v;
            }
            for (int j = 0; j < n; j++) {
                double v = op == 2 ? b[j * ldb + p] : b[p * ldb + j];
                colNorm[j] += v * v;
            }
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double bound = 2 * gamma * Math.sqrt(rowNorm[i] * colNorm[j]) + Float.MIN_NORMAL;
                float e = expected[i * ldc + j];
                float x = actual[i * ldc + j];
                if (!(Math.abs((double) e - x) <= bound)) {
                    throw new IllegalStateException(String.format(
                            "%s %s %s disagrees with the reference at C[%d][%d]: %s vs %s (bound %.3g)",
                            kernels.name(), shape, size(), i, j, x, e, bound));
                }
            }
        }
    }

    private static float[] uniform(SplittableRandom random, int length) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return x;
    }

    @Benchmark
    public float[] gemm() {
        switch (op) {
            case 0 -> kernels.mult(m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, ldc);
            case 1 -> kernels.multTransA(m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, ldc);
            case 2 -> kernels.multTransB(m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, ldc);
            default -> kernels.multPacked(m, n, 1f, a, 0, lda, packed, 0, 0f, c, 0, ldc);
        }
        return c;
    }
}
