package org.rnn4j.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.rnn4j.simd.GemmCase.Layout;

/**
 * One pre-packed GEMM test case: op(B) (k × N, N = {@code packedN}) packed by
 * {@link Kernels#packB} from B stored as {@code transB} says, then
 * {@code C = alpha·A·op(B)[:, col0 .. col0+n) + beta·C} by {@link Kernels#multPacked}, with the
 * arrays it builds and an independent double-precision reference.
 *
 * <p>Like {@link GemmCase}: the logical operands depend only on (m, k, N) (and a version number
 * for the "B changed" tests), A and B are NaN-padded and as short as their shape allows (a read
 * outside their windows gives NaN or throws), C is surrounded by {@link TestSupport#SENTINEL} and
 * holds NaN when beta = 0. The layout's B offset and padding apply to B as stored (k × N, or
 * N × k when {@code transB}).
 */
record PackedCase(boolean transB, int m, int n, int k, int packedN, int col0, float alpha, float beta,
                  Layout layout) {

    /** Σ_p opA[i][p]·opB[p][col0 + j] and Σ_p |…| in double, per (m, n, k, N, col0, version), computed once. */
    private record Reference(double[] sum, double[] absSum) {}

    private static final Map<String, Reference> REFERENCES = new ConcurrentHashMap<>();

    @Override
    public String toString() {
        return "packB(" + (transB ? "transB, " : "") + k + " x " + packedN + ") multPacked m=" + m
                + " cols [" + col0 + ", " + (col0 + n) + ") alpha=" + alpha + " beta=" + beta + " " + layout;
    }

    int bRows() { return transB ? packedN : k; }
    int bCols() { return transB ? k : packedN; }
    /** Leading dimensions are at least 1 (the kernels require ld >= max(1, cols)). */
    int lda() { return Math.max(1, k) + layout.padA(); }
    int ldb() { return Math.max(1, bCols()) + layout.padB(); }
    int ldc() { return Math.max(1, n) + layout.padC(); }

    private long seed() {
        return 0xFACADEL * 1_000_003L + m * 1_000_033L + packedN * 10_007L + k;
    }

    /** op(A), m × k, row-major, dense. */
    float[] opA() {
        return TestSupport.random(seed(), m * k, -1, 1);
    }

    /** op(B), k × N, row-major, dense; another {@code version} is another matrix of the same shape. */
    float[] opB(int version) {
        return TestSupport.random(~(k * 1_000_003L + packedN) + 7919L * version, k * packedN, -1, 1);
    }

    /** Initial contents of C's window (NaN when beta == 0: C must then not be read). */
    float[] initialC() {
        return beta == 0f ? TestSupport.filled(m * n, Float.NaN) : TestSupport.random(seed() + 17, m * n, -1, 1);
    }

    /** A, m × k, NaN-padded. */
    float[] a() {
        float[] op = opA();
        float[] a = TestSupport.filled(TestSupport.matrixLength(layout.offA(), lda(), m, k), Float.NaN);
        for (int i = 0; i < m && k > 0; i++) {
            System.arraycopy(op, i * k, a, layout.offA() + i * lda(), k);
        }
        return a;
    }

    /** B holding the given op(B) as stored for {@link #transB}, NaN-padded. */
    float[] b(float[] opB) {
        float[] b = TestSupport.filled(TestSupport.matrixLength(layout.offB(), ldb(), bRows(), bCols()), Float.NaN);
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < packedN; j++) {
                int idx = transB ? layout.offB() + j * ldb() + p : layout.offB() + p * ldb() + j;
                b[idx] = opB[p * packedN + j];
            }
        }
        return b;
    }

    /** C: its window holds {@link #initialC()}, everything else the sentinel. */
    float[] c() {
        float[] init = initialC();
        float[] c = TestSupport.filled(TestSupport.matrixLength(layout.offC(), ldc(), m, n) + layout.tailC(),
                TestSupport.SENTINEL);
        for (int i = 0; i < m && n > 0; i++) {
            System.arraycopy(init, i * n, c, layout.offC() + i * ldc(), n);
        }
        return c;
    }

    PackedMatrix pack(Kernels kernels, float[] b) {
        return kernels.packB(transB, k, packedN, b, layout.offB(), ldb());
    }

    void repack(Kernels kernels, PackedMatrix packed, float[] b) {
        kernels.repackB(packed, transB, b, layout.offB(), ldb());
    }

    void multiply(Kernels kernels, float[] a, PackedMatrix packed, float[] c) {
        kernels.multPacked(m, n, alpha, a, layout.offA(), lda(), packed, col0, beta, c, layout.offC(), ldc());
    }

    /**
     * Packs with {@code packer}, multiplies with {@code kernels}, checks that A and B are unchanged,
     * the packed shape, the sentinel around C and C against the reference; returns C.
     */
    float[] runAndCheck(Kernels packer, Kernels kernels) {
        float[] a = a(), b = b(opB(0)), c = c();
        float[] a0 = a.clone(), b0 = b.clone();
        PackedMatrix packed = pack(packer, b);
        assertArrayEquals(b0, b, packer.name() + " " + this + ": packB modified B");
        assertEquals(k, packed.rows(), this + ": rows() of the packed matrix");
        assertEquals(packedN, packed.cols(), this + ": cols() of the packed matrix");
        multiply(kernels, a, packed, c);
        assertArrayEquals(a0, a, kernels.name() + " " + this + ": A was modified");
        TestSupport.assertOutsideUntouched(kernels.name() + " " + this + ": C", c, layout.offC(), ldc(), m, n);
        check(kernels.name(), c, 0);
        return c;
    }

    /**
     * Compares C's window with the double reference {@code alpha·Σ_p a_ip·b_p,col0+j + beta·c_ij}
     * for op(B) version {@code version}, with the tolerance of {@link GemmCase#check}: at most
     * 2·(k + 8)·u·(|alpha|·Σ_p |a_ip·b_pj| + |beta·c_ij|) + 1e-7 (twice the worst-case rounding
     * error of any summation order, blocked or not, with or without FMA; a wrong column, a missing
     * or doubled term costs an error of the order of one term, far more).
     */
    void check(String kernelsName, float[] c, int version) {
        Reference ref = reference(version);
        float[] init = initialC();
        double relTol = 2.0 * (k + 8) * TestSupport.U;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double c0 = beta == 0f ? 0 : init[i * n + j];
                double expected = (double) alpha * ref.sum()[i * n + j] + (double) beta * c0;
                double bound = Math.abs((double) alpha) * ref.absSum()[i * n + j] + Math.abs((double) beta * c0);
                double tol = relTol * bound + 1e-7;
                float got = c[layout.offC() + i * ldc() + j];
                if (!(Math.abs(got - expected) <= tol)) { // also catches NaN
                    fail(kernelsName + " " + this + (version == 0 ? "" : " (B version " + version + ")")
                            + ": C[" + i + "][" + j + "] = " + got + ", expected " + expected + " ± " + tol
                            + " (error " + Math.abs(got - expected) + ")");
                }
            }
        }
    }

    private Reference reference(int version) {
        String key = m + "x" + n + "x" + k + " N=" + packedN + " col0=" + col0 + " v" + version;
        return REFERENCES.computeIfAbsent(key, unused -> {
            float[] opA = opA();
            float[] opB = opB(version);
            double[] sum = new double[m * n];
            double[] abs = new double[m * n];
            for (int i = 0; i < m; i++) {
                int ci = i * n;
                for (int p = 0; p < k; p++) {
                    double aip = opA[i * k + p];
                    int bp = p * packedN + col0;
                    for (int j = 0; j < n; j++) {
                        double t = aip * opB[bp + j];
                        sum[ci + j] += t;
                        abs[ci + j] += Math.abs(t);
                    }
                }
            }
            return new Reference(sum, abs);
        });
    }
}
