package org.rnn4j.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One GEMM test case: shape, sizes, scalars and memory layout, with the arrays it builds and an
 * independent double-precision reference to check the result against.
 *
 * <p>The logical operands op(A) (m × k) and op(B) (k × n) depend only on (m, n, k) and are laid
 * out in memory as the shape stores them (A·B, Aᵀ·B with A stored k × m, A·Bᵀ with B stored
 * n × k). Padding and offsets of A and B hold NaN, so a kernel that reads outside the operand
 * windows produces NaN; A and B are allocated with their minimal length, so a kernel that reads
 * past the end of the last row throws. C is surrounded by {@link TestSupport#SENTINEL}.
 */
record GemmCase(Shape shape, int m, int n, int k, float alpha, float beta, Layout layout) {

    enum Shape {
        /** {@code mult}: C = alpha·A·B + beta·C. */
        MULT,
        /** {@code multTransA}: C = alpha·Aᵀ·B + beta·C, A stored k × m. */
        TRANS_A,
        /** {@code multTransB}: C = alpha·A·Bᵀ + beta·C, B stored n × k. */
        TRANS_B
    }

    /** Offsets and extra leading-dimension padding of A, B and C; C also gets a tail after its window. */
    record Layout(int offA, int padA, int offB, int padB, int offC, int padC, int tailC) {
        static final Layout TIGHT = new Layout(0, 0, 0, 0, 0, 0, 0);
        static final Layout PADDED = new Layout(3, 5, 1, 3, 7, 2, 5);
        static final Layout SKEWED = new Layout(0, 1, 11, 0, 2, 9, 3);
        static final Layout[] ALL = {TIGHT, PADDED, SKEWED};

        @Override
        public String toString() {
            return this == TIGHT ? "tight" : "off=" + offA + "/" + offB + "/" + offC
                    + " pad=" + padA + "/" + padB + "/" + padC;
        }
    }

    /** Σ_p opA[i][p]·opB[p][j] and Σ_p |opA[i][p]·opB[p][j]| in double, per (m, n, k), computed once. */
    private record Reference(double[] sum, double[] absSum) {}

    private static final Map<String, Reference> REFERENCES = new ConcurrentHashMap<>();

    @Override
    public String toString() {
        return shape + " " + m + "x" + n + "x" + k + " alpha=" + alpha + " beta=" + beta + " " + layout;
    }

    int aRows() { return shape == Shape.TRANS_A ? k : m; }
    int aCols() { return shape == Shape.TRANS_A ? m : k; }
    int bRows() { return shape == Shape.TRANS_B ? n : k; }
    int bCols() { return shape == Shape.TRANS_B ? k : n; }
    /** Leading dimensions are at least 1 (the kernels require ld >= max(1, cols)). */
    int lda() { return Math.max(1, aCols()) + layout.padA(); }
    int ldb() { return Math.max(1, bCols()) + layout.padB(); }
    int ldc() { return Math.max(1, n) + layout.padC(); }

    private long seed() {
        return 0x5EEDL * 1_000_003L + m * 1_000_033L + n * 10_007L + k;
    }

    /** op(A), m × k, row-major, dense. */
    float[] opA() {
        return TestSupport.random(seed(), m * k, -1, 1);
    }

    /** op(B), k × n, row-major, dense. */
    float[] opB() {
        return TestSupport.random(~seed(), k * n, -1, 1);
    }

    /** Initial contents of C's window (NaN when beta == 0: C must then not be read). */
    float[] initialC() {
        return beta == 0f ? TestSupport.filled(m * n, Float.NaN) : TestSupport.random(seed() + 17, m * n, -1, 1);
    }

    /** A as stored for this shape and layout. */
    float[] a() {
        float[] op = opA();
        float[] a = TestSupport.filled(TestSupport.matrixLength(layout.offA(), lda(), aRows(), aCols()), Float.NaN);
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                int idx = shape == Shape.TRANS_A ? layout.offA() + p * lda() + i : layout.offA() + i * lda() + p;
                a[idx] = op[i * k + p];
            }
        }
        return a;
    }

    /** B as stored for this shape and layout. */
    float[] b() {
        float[] op = opB();
        float[] b = TestSupport.filled(TestSupport.matrixLength(layout.offB(), ldb(), bRows(), bCols()), Float.NaN);
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                int idx = shape == Shape.TRANS_B ? layout.offB() + j * ldb() + p : layout.offB() + p * ldb() + j;
                b[idx] = op[p * n + j];
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

    /** Runs this case's GEMM on the given kernels, in place on c. */
    void run(Kernels kernels, float[] a, float[] b, float[] c) {
        int offA = layout.offA(), offB = layout.offB(), offC = layout.offC();
        switch (shape) {
            case MULT -> kernels.mult(m, n, k, alpha, a, offA, lda(), b, offB, ldb(), beta, c, offC, ldc());
            case TRANS_A -> kernels.multTransA(m, n, k, alpha, a, offA, lda(), b, offB, ldb(), beta, c, offC, ldc());
            case TRANS_B -> kernels.multTransB(m, n, k, alpha, a, offA, lda(), b, offB, ldb(), beta, c, offC, ldc());
        }
    }

    /** Builds the arrays, runs the kernel, and checks C, the sentinel around it and that A and B are unchanged. */
    void runAndCheck(Kernels kernels) {
        float[] a = a(), b = b(), c = c();
        float[] a0 = a.clone(), b0 = b.clone();
        run(kernels, a, b, c);
        assertArrayEquals(a0, a, this + ": A was modified");
        assertArrayEquals(b0, b, this + ": B was modified");
        TestSupport.assertOutsideUntouched(kernels.name() + " " + this + ": C", c, layout.offC(), ldc(), m, n);
        check(kernels.name(), c);
    }

    /**
     * Compares C's window with the double reference {@code alpha·Σ_p a_ip·b_pj + beta·c_ij}.
     *
     * <p>Tolerance: whatever the summation order (blocked, vectorised, with or without FMA), the
     * rounding error of a float sum is bounded by γ_r · Σ|terms| with γ_r ≈ r·u (u = 2^-24) and r
     * the number of roundings on the longest path: k − 1 additions, one product per term, the
     * multiplication by alpha, beta·c and the final addition, plus two per KC block when the k
     * loop is split. We allow |got − ref| ≤ 2·(k + 8)·u · (|alpha|·Σ_p |a_ip·b_pj| + |beta·c_ij|)
     * + 1e-7, i.e. twice that worst case: it never flakes for a correct kernel (the typical error
     * is about √k·u times the sum), while a wrong index, a missing or doubled term or a wrongly
     * applied alpha/beta costs an error of the order of the terms themselves, orders of magnitude
     * more (for k = 600 the allowance is 7e-5 relative to Σ|terms|; one term is ~1/k of it).
     */
    void check(String kernelsName, float[] c) {
        Reference ref = reference();
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
                    fail(kernelsName + " " + this + ": C[" + i + "][" + j + "] = " + got + ", expected "
                            + expected + " ± " + tol + " (error " + Math.abs(got - expected) + ")");
                }
            }
        }
    }

    private Reference reference() {
        return REFERENCES.computeIfAbsent(m + "x" + n + "x" + k, key -> {
            float[] opA = opA();
            float[] opB = opB();
            double[] sum = new double[m * n];
            double[] abs = new double[m * n];
            for (int i = 0; i < m; i++) {
                int ci = i * n;
                for (int p = 0; p < k; p++) {
                    double aip = opA[i * k + p];
                    int bp = p * n;
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
