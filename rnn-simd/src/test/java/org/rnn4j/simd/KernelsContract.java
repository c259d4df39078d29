package org.rnn4j.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.simd.GemmCase.Layout;
import org.rnn4j.simd.GemmCase.Shape;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The contract of {@link Kernels}, run against every implementation (scalar, vector and their
 * parallel views) by the concrete subclasses. Every result is compared with an independent
 * double-precision reference computed here, never with another implementation (except where
 * bitwise agreement with the scalar kernels is itself the promise, as for the steps). The pre-packed
 * GEMM, the fused LSTM epilogues and the step kernels have their own contracts
 * ({@link PackedGemmContract}, {@link LstmContract}, {@link GruContract}, {@link Gru2014Contract},
 * {@link StepContract}, JUnit test interfaces)
 * mixed in here, so every implementation runs them too.
 * The activation inputs and helpers the tests of {@code org.rnn4j.simd.bench} share are public.
 */
public abstract class KernelsContract implements PackedGemmContract, LstmContract, GruContract, Gru2014Contract,
        StepContract {
    private static final Logger LOG = LoggerFactory.getLogger(KernelsContract.class);

    /** For the concrete subclasses (explicit: a public class in an exported package, -Xlint). */
    protected KernelsContract() {}

    /** The kernels under test (public: it implements the mixed-in contracts' method). */
    @Override
    public abstract Kernels kernels();

    static final int[] AWKWARD = {1, 2, 3, 7, 13, 31, 33, 127, 129, 257};
    static final int[] AWKWARD_WITH_ZERO = {0, 1, 2, 3, 7, 13, 31, 33, 127, 129, 257};

    // =============================================================================================
    // GEMM
    // =============================================================================================

    /** (alpha, beta) pairs the size sweep cycles through; beta == 0 runs with C full of NaN. */
    private static final float[][] SWEEP_SCALARS = {{1f, 0f}, {1f, 1f}, {0.5f, -2f}, {-1.25f, 0.75f}};

    /** Columns beyond one NC block of the vector kernels (NC = 128·NR: 2048 on AVX2, 4096 on AVX-512). */
    static int beyondNc() {
        return TestSupport.vectorAvailable() ? VectorKernels.NC + 52 : 2100;
    }

    /**
     * Awkward sizes: the diagonal squares of {1, 2, 3, 7, 13, 31, 33, 127, 129, 257} and a list of
     * non-square triples (not the full cube, to stay fast), each for all three shapes, cycling
     * through the layouts (tight, offsets + padded leading dimensions) and (alpha, beta) pairs.
     */
    static Stream<GemmCase> gemmSizes() {
        List<int[]> triples = new ArrayList<>();
        for (int s : AWKWARD) {
            triples.add(new int[] {s, s, s});
        }
        int[][] more = {
            {1, 257, 33}, {33, 7, 129}, {129, 31, 3}, {7, 1029, 13}, {300, 97, 513}, {32, 1024, 256},
            {2, 513, 300}, {1, 1, 1}, {2, 1, 257}, {1, 129, 1029}, {3, 2, 7}, {13, 3, 127}, {127, 13, 2},
            {257, 1, 31}, {31, 129, 257}, {129, 31, 257}, {97, 33, 300}, {2, 7, 3}, {1, 31, 129},
            // exact multiples of the vector tiles and blocks (MR = 6, NR = 16 on AVX2, KC = 256, MC = 96)
            {6, 16, 256}, {12, 32, 512}, {96, 64, 257}, {192, 48, 255},
            // 12- and 8-row strips mixed (AVX-512, n ≥ 512): 16 = 8 + 8, 20 = 12 + 8, 28 = 12 + 8 + 8,
            // 64 = 4·12 + 2·8; and the same heights below 512 columns (8-row tiles only)
            {16, 515, 31}, {20, 600, 129}, {28, 513, 300}, {64, 530, 257}, {20, 65, 129}, {64, 97, 257},
            // one vector wide or narrower (A read in place): leftover rows, k past KC, n = 16 = L on AVX-512
            {203, 16, 600}, {45, 9, 513}, {3200, 16, 256},
            // beyond every block of the vector kernels at once: k > KC, m > MC, n > NC
            {200, beyondNc(), 600},
        };
        triples.addAll(List.of(more));
        List<GemmCase> cases = new ArrayList<>();
        for (int t = 0; t < triples.size(); t++) {
            int[] mnk = triples.get(t);
            for (Shape shape : Shape.values()) {
                float[] ab = SWEEP_SCALARS[(t + 2 * shape.ordinal()) % SWEEP_SCALARS.length];
                Layout layout = Layout.ALL[(t + shape.ordinal()) % Layout.ALL.length];
                cases.add(new GemmCase(shape, mnk[0], mnk[1], mnk[2], ab[0], ab[1], layout));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gemmSizes")
    void gemmAwkwardSizes(GemmCase c) {
        c.runAndCheck(kernels());
    }

    /**
     * Every (alpha, beta) case on the packed path (m > 2), the unpacked path (m ∈ {1, 2}) and
     * across a KC boundary: (1, 0), (1, 1), (0.5, −2), alpha = 0 (C = beta·C), beta = 0 with C
     * full of NaN (overwritten, not propagated), and both zero.
     */
    static Stream<GemmCase> gemmScalars() {
        float[][] scalars = {
            {1f, 0f}, {1f, 1f}, {0.5f, -2f}, {-1f, 0f}, {2.5f, 1f}, {0f, 0f}, {0f, 1f}, {0f, 0.5f}, {3f, -0.25f},
        };
        int[][] triples = {{13, 33, 31}, {1, 33, 300}, {2, 40, 7}, {100, 70, 300}, {7, 3, 1}, {21, 5, 300}};
        List<GemmCase> cases = new ArrayList<>();
        for (int[] t : triples) {
            for (Shape shape : Shape.values()) {
                for (float[] ab : scalars) {
                    cases.add(new GemmCase(shape, t[0], t[1], t[2], ab[0], ab[1], Layout.PADDED));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gemmScalars")
    void gemmAlphaBeta(GemmCase c) {
        c.runAndCheck(kernels());
    }

    /** k = 0: C = beta·C (beta = 0 clears C even when it holds NaN). */
    static Stream<GemmCase> gemmEmptyK() {
        float[][] scalars = {{1f, 0f}, {1f, 1f}, {0.5f, -2f}, {0f, 0.5f}};
        int[][] pairs = {{7, 13}, {1, 33}, {2, 5}, {129, 20}};
        List<GemmCase> cases = new ArrayList<>();
        for (int[] mn : pairs) {
            for (Shape shape : Shape.values()) {
                for (float[] ab : scalars) {
                    cases.add(new GemmCase(shape, mn[0], mn[1], 0, ab[0], ab[1], Layout.PADDED));
                    cases.add(new GemmCase(shape, mn[0], mn[1], 0, ab[0], ab[1], Layout.TIGHT));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gemmEmptyK")
    void gemmWithKZeroScalesC(GemmCase c) {
        c.runAndCheck(kernels());
    }

    /**
     * m = 0 or n = 0: nothing is computed and C is not touched, also with beta = 0 (C's rows,
     * empty, may start beyond the end of a minimal C array: nothing may be indexed there).
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Shape.class)
    void gemmWithEmptyCDoesNothing(Shape shape) {
        for (float beta : new float[] {-2f, 0f}) {
            for (int[] mnk : new int[][] {{0, 5, 3}, {4, 0, 3}, {0, 0, 0}, {0, 3, 0}, {4, 0, 0}}) {
                GemmCase c = new GemmCase(shape, mnk[0], mnk[1], mnk[2], 0.5f, beta, Layout.PADDED);
                float[] cArr = c.c();
                float[] before = cArr.clone();
                c.run(kernels(), c.a(), c.b(), cArr);
                assertArrayEquals(before, cArr, kernels().name() + " " + c + ": C changed");
            }
        }
    }

    /** A GEMM repeated on the same arrays gives the same bits (no state leaks between calls). */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Shape.class)
    void gemmIsDeterministic(Shape shape) {
        GemmCase c = new GemmCase(shape, 100, 70, 300, 0.5f, -2f, Layout.PADDED);
        float[] a = c.a(), b = c.b();
        float[] c1 = c.c(), c2 = c.c();
        c.run(kernels(), a, b, c1);
        // a different product in between, to disturb any per-thread workspace
        new GemmCase(shape, 7, 1029, 13, 1f, 0f, Layout.TIGHT).runAndCheck(kernels());
        c.run(kernels(), a, b, c2);
        TestSupport.assertBitwiseEquals(kernels().name() + " " + c + " run twice", c1, c2);
    }

    // =============================================================================================
    // Row operations
    // =============================================================================================

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {0, 1, 2, 3, 7, 13, 31, 33, 127, 129, 257})
    void addRowVectorAddsToEveryRow(int n) {
        for (int m : new int[] {0, 1, 2, 7, 13}) {
            int vOff = 3, cOff = 5, ldc = Math.max(1, n) + 4;
            float[] v = TestSupport.random(11 + n, vOff + n, -2, 2);
            float[] c = TestSupport.filled(TestSupport.matrixLength(cOff, ldc, m, n) + 6, TestSupport.SENTINEL);
            float[] init = TestSupport.random(29 + 7L * n + m, m * n, -2, 2);
            for (int i = 0; i < m && n > 0; i++) {
                System.arraycopy(init, i * n, c, cOff + i * ldc, n);
            }
            float[] v0 = v.clone();
            kernels().addRowVector(m, n, v, vOff, c, cOff, ldc);
            assertArrayEquals(v0, v, "v was modified");
            String what = kernels().name() + " addRowVector " + m + "x" + n;
            TestSupport.assertOutsideUntouched(what, c, cOff, ldc, m, n);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double expected = (double) init[i * n + j] + v[vOff + j];
                    // one rounding of a float sum
                    assertClose(what + " [" + i + "][" + j + "]", expected, c[cOff + i * ldc + j],
                            TestSupport.U * Math.abs(expected));
                }
            }
        }
    }

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {0, 1, 2, 3, 7, 13, 31, 33, 127, 129, 257})
    void sumRowsAccumulatesColumnSums(int n) {
        for (int m : new int[] {0, 1, 2, 7, 13, 129}) {
            int aOff = 2, lda = Math.max(1, n) + 3, outOff = 4;
            float[] a = TestSupport.filled(TestSupport.matrixLength(aOff, lda, m, n), Float.NaN);
            float[] data = TestSupport.random(41 + 13L * n + m, m * n, -3, 3);
            for (int i = 0; i < m && n > 0; i++) {
                System.arraycopy(data, i * n, a, aOff + i * lda, n);
            }
            float[] out = TestSupport.filled(outOff + n + 5, TestSupport.SENTINEL);
            float[] init = TestSupport.random(43 + n, n, -1, 1);
            System.arraycopy(init, 0, out, outOff, n);
            float[] a0 = a.clone();
            kernels().sumRows(m, n, a, aOff, lda, out, outOff);
            String what = kernels().name() + " sumRows " + m + "x" + n;
            assertArrayEquals(a0, a, what + ": A was modified");
            TestSupport.assertOutsideUntouched(what, out, outOff, n, 1, n);
            for (int j = 0; j < n; j++) {
                double expected = init[j];
                double abs = Math.abs(init[j]);
                for (int i = 0; i < m; i++) {
                    expected += data[i * n + j];
                    abs += Math.abs(data[i * n + j]);
                }
                // m additions in float: |error| <= m·u·Σ|terms|; allow twice that
                assertClose(what + " out[" + j + "]", expected, out[outOff + j], 2 * (m + 1) * TestSupport.U * abs);
            }
        }
    }

    /** The row lengths softmax is tested on (the list plus the AVX2 / AVX-512 lane counts). */
    static IntStream softmaxLengths() {
        return IntStream.of(1, 3, 7, 8, 13, 16, 17, 33, 129);
    }

    /**
     * Logits of the softmax tests, one kind of row per row index: random, all equal, ±1000
     * alternating, all near +1000, all near −1000, wide [−100, 100] (terms that underflow).
     */
    static float[] logits(int m, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                x[i * n + j] = switch (i % 6) {
                    case 0 -> (float) r.nextDouble(-10, 10);
                    case 1 -> 3.5f;
                    case 2 -> j % 2 == 0 ? 1000f : -1000f;
                    case 3 -> (float) (1000 + r.nextDouble(-5, 5));
                    case 4 -> (float) (-1000 + r.nextDouble(-5, 5));
                    default -> (float) r.nextDouble(-100, 100);
                };
            }
        }
        return x;
    }

    @ParameterizedTest(name = "n = {0}")
    @MethodSource("softmaxLengths")
    void softmaxRowsMatchesReference(int n) {
        checkSoftmax(false, n, false);
        checkSoftmax(false, n, true);
    }

    @ParameterizedTest(name = "n = {0}")
    @MethodSource("softmaxLengths")
    void logSoftmaxRowsMatchesReference(int n) {
        checkSoftmax(true, n, false);
        checkSoftmax(true, n, true);
    }

    private void checkSoftmax(boolean log, int n, boolean inPlace) {
        int m = 7;
        float[] logits = logits(m, n, 1234 + n);
        int xOff = 3, ldx = n + 2;
        int yOff = inPlace ? xOff : 5, ldy = inPlace ? ldx : n + 4;
        float[] x = TestSupport.filled(TestSupport.matrixLength(xOff, ldx, m, n) + 4, TestSupport.SENTINEL);
        for (int i = 0; i < m; i++) {
            System.arraycopy(logits, i * n, x, xOff + i * ldx, n);
        }
        float[] x0 = x.clone();
        float[] y = inPlace ? x : TestSupport.filled(TestSupport.matrixLength(yOff, ldy, m, n) + 4, TestSupport.SENTINEL);
        if (log) {
            kernels().logSoftmaxRows(m, n, x, xOff, ldx, y, yOff, ldy);
        } else {
            kernels().softmaxRows(m, n, x, xOff, ldx, y, yOff, ldy);
        }
        String what = kernels().name() + (log ? " logSoftmaxRows " : " softmaxRows ") + m + "x" + n
                + (inPlace ? " in place" : "");
        if (!inPlace) {
            assertArrayEquals(x0, x, what + ": x was modified");
        }
        TestSupport.assertOutsideUntouched(what, y, yOff, ldy, m, n);
        for (int i = 0; i < m; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                max = Math.max(max, logits[i * n + j]);
            }
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += Math.exp(logits[i * n + j] - max);
            }
            double logSum = Math.log(sum);
            // W = Σ p_l·|x_l − max|: the relative error the rounding of the float x − max puts into the sum
            double w = 0;
            for (int j = 0; j < n; j++) {
                w += Math.exp(logits[i * n + j] - max) / sum * Math.abs(logits[i * n + j] - max);
            }
            // relative error of the float sum: exp (~3e-7), n additions, 1/sum, the product
            double sumRel = 4e-6 + (n + 8) * 2 * TestSupport.U + 2 * TestSupport.U * w;
            double rowSum = 0;
            for (int j = 0; j < n; j++) {
                double xj = logits[i * n + j];
                float got = y[yOff + i * ldy + j];
                String at = what + " row " + i + " (kind " + (i % 6) + ") [" + j + "] x=" + xj;
                if (log) {
                    double expected = (xj - max) - logSum;
                    // plus the float roundings of the last steps, bounded loosely by u·(|max| + |log Σ| + |y|)
                    // each (the tighter |x − max| bound is logSoftmaxAgreesWithDoubleReference's)
                    double tol = sumRel + 2 * 2 * TestSupport.U * (Math.abs(max) + Math.abs(logSum) + Math.abs(expected));
                    assertClose(at, expected, got, tol);
                } else {
                    double expected = Math.exp(xj - max) / sum;
                    // plus the rounding of x_j − max in float (relative error u·|x_j − max| in e^…);
                    // the absolute 1e-30 allows exp(x) clamped at the smallest normal float
                    double tol = (sumRel + 2 * 2 * TestSupport.U * Math.abs(xj - max)) * expected + 1e-30;
                    assertClose(at, expected, got, tol);
                    assertTrue(got >= 0f, at + ": negative probability " + got);
                    rowSum += got;
                }
            }
            if (!log) {
                assertEquals(1.0, rowSum, 1e-5, what + " row " + i + " does not sum to 1");
            }
        }
    }

    @Test
    void softmaxOfEqualValuesIsUniform() {
        for (int n : new int[] {1, 3, 7, 8, 13, 33, 129}) {
            float[] x = TestSupport.filled(2 * n, -42.5f);
            float[] y = new float[2 * n];
            float[] ly = new float[2 * n];
            kernels().softmaxRows(2, n, x, 0, n, y, 0, n);
            kernels().logSoftmaxRows(2, n, x, 0, n, ly, 0, n);
            for (int j = 0; j < 2 * n; j++) {
                assertEquals(1.0 / n, y[j], 4 * TestSupport.U / n * (n + 4), kernels().name() + " n=" + n);
                assertEquals(-Math.log(n), ly[j], 1e-5, kernels().name() + " log n=" + n);
            }
        }
    }

    /** Row lengths of the huge-logit log-softmax tests. */
    static final int[] HUGE_ROW_LENGTHS = {1, 3, 7, 13, 33, 129};

    /**
     * All-equal logits near ±1e38 and at ±3e38: log-softmax is −ln K and softmax 1/K whatever the
     * magnitude. Adding ln K to max first would round back to max there and give 0.
     */
    @Test
    void hugeEqualLogitsGiveMinusLogK() {
        for (float h : new float[] {1e38f, -1e38f, 3e38f, -3e38f, Float.MAX_VALUE, -Float.MAX_VALUE}) {
            for (int k : HUGE_ROW_LENGTHS) {
                int m = 2, off = 3, ld = k + 2;
                float[] x = TestSupport.filled(TestSupport.matrixLength(off, ld, m, k) + 2, TestSupport.SENTINEL);
                for (int i = 0; i < m; i++) {
                    // the second row one ulp nearer 0 (stays finite at ±MAX_VALUE): another bit pattern
                    float v = i == 0 ? h : h > 0 ? Math.nextDown(h) : Math.nextUp(h);
                    Arrays.fill(x, off + i * ld, off + i * ld + k, v);
                }
                float[] ly = TestSupport.filled(x.length, TestSupport.SENTINEL);
                float[] y = TestSupport.filled(x.length, TestSupport.SENTINEL);
                kernels().logSoftmaxRows(m, k, x, off, ld, ly, off, ld);
                kernels().softmaxRows(m, k, x, off, ld, y, off, ld);
                String what = kernels().name() + " h=" + h + " K=" + k;
                TestSupport.assertOutsideUntouched(what + " log", ly, off, ld, m, k);
                TestSupport.assertOutsideUntouched(what, y, off, ld, m, k);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < k; j++) {
                        int at = off + i * ld + j;
                        // x − max = 0 exactly, Σ = K: only the rounding of ln K to float (and a few ulps of exp(0))
                        assertClose(what + " logSoftmax [" + i + "][" + j + "]", -Math.log(k), ly[at],
                                2 * TestSupport.U * Math.log(k) + 1e-6);
                        assertClose(what + " softmax [" + i + "][" + j + "]", 1.0 / k, y[at],
                                4 * TestSupport.U / k * (k + 4));
                    }
                }
            }
        }
    }

    /**
     * One huge logit among tiny ones (and one of the opposite sign): the huge one gets
     * log-probability ≈ 0, the others ≈ x − max; where x − max overflows float the result is −∞.
     */
    @Test
    void oneHugeLogitAmongTinyOnes() {
        SplittableRandom r = new SplittableRandom(77);
        for (float h : new float[] {1e38f, 3e38f, -1e38f, 1e30f}) {
            for (int k : HUGE_ROW_LENGTHS) {
                float[] row = new float[k];
                for (int j = 0; j < k; j++) {
                    row[j] = switch (j % 4) {
                        case 0 -> (float) r.nextDouble(-1e-30, 1e-30);
                        case 1 -> (float) r.nextDouble(-1, 1);
                        case 2 -> 0f;
                        default -> -Math.abs(h);
                    };
                }
                row[(k * 5) / 7] = h; // not always first or last
                assertLogSoftmaxMatchesDouble(kernels().name() + " one huge h=" + h + " K=" + k, 1, k, row);
            }
        }
    }

    /**
     * Log-softmax against {@code (x − max) − log Σ exp(x − max)} in double, on rows whose maximum
     * is far from 0 (offsets up to 1e38) and on the usual softmax rows, with a bound that scales
     * with |x − max| (not |max|): the result must not lose digits to the size of the logits.
     */
    @ParameterizedTest(name = "n = {0}")
    @MethodSource("softmaxLengths")
    void logSoftmaxAgreesWithDoubleReference(int n) {
        double[] offsets = {0, 1e4, -1e4, 123456.7, -3e7, 1e20, -1e30, 1e38, -3e38};
        SplittableRandom r = new SplittableRandom(4321 + n);
        int m = offsets.length;
        float[] x = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                // spread ±10 (lost to rounding above ~1e8, where the rows become all-equal or one-hot)
                x[i * n + j] = (float) (offsets[i] + r.nextDouble(-10, 10));
            }
        }
        assertLogSoftmaxMatchesDouble(kernels().name() + " offset rows n=" + n, m, n, x);
        assertLogSoftmaxMatchesDouble(kernels().name() + " softmax rows n=" + n, 7, n, logits(7, n, 99 + n));
    }

    /**
     * Runs logSoftmaxRows on the m × n rows (padded, offset, then in place) and checks each value
     * against the double reference within the documented bound of {@link Kernels#logSoftmaxRows}:
     * ε_Σ + u·(|x − max| + |lse| + |y|), here with the slack factor 2 of the other softmax tests.
     */
    private void assertLogSoftmaxMatchesDouble(String what, int m, int n, float[] rows) {
        for (boolean inPlace : new boolean[] {false, true}) {
            int xOff = 2, ldx = n + 3;
            int yOff = inPlace ? xOff : 1, ldy = inPlace ? ldx : n + 1;
            float[] x = TestSupport.filled(TestSupport.matrixLength(xOff, ldx, m, n) + 3, TestSupport.SENTINEL);
            for (int i = 0; i < m; i++) {
                System.arraycopy(rows, i * n, x, xOff + i * ldx, n);
            }
            float[] y = inPlace ? x : TestSupport.filled(TestSupport.matrixLength(yOff, ldy, m, n) + 3, TestSupport.SENTINEL);
            kernels().logSoftmaxRows(m, n, x, xOff, ldx, y, yOff, ldy);
            String how = what + (inPlace ? " in place" : "");
            TestSupport.assertOutsideUntouched(how, y, yOff, ldy, m, n);
            for (int i = 0; i < m; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    max = Math.max(max, rows[i * n + j]);
                }
                double sum = 0;
                double w = 0;
                for (int j = 0; j < n; j++) {
                    sum += Math.exp(rows[i * n + j] - max);
                }
                for (int j = 0; j < n; j++) {
                    double d = rows[i * n + j] - max;
                    w += Math.exp(d) / sum * Math.abs(d);
                }
                double lse = Math.log(sum);
                double sumRel = 4e-6 + (n + 8) * 2 * TestSupport.U + 2 * TestSupport.U * w;
                for (int j = 0; j < n; j++) {
                    double d = rows[i * n + j] - max;
                    double expected = d - lse;
                    float got = y[yOff + i * ldy + j];
                    String at = how + " row " + i + " [" + j + "] x=" + rows[i * n + j] + " max=" + max;
                    if (Float.isInfinite((float) expected)) {
                        // x − max beyond the float range (logits of both signs near ±Float.MAX_VALUE)
                        assertEquals((float) expected, got, at);
                        continue;
                    }
                    double tol = sumRel + 2 * TestSupport.U * (Math.abs(d) + Math.abs(lse) + Math.abs(expected));
                    assertClose(at, expected, got, tol);
                }
            }
        }
    }

    // =============================================================================================
    // Activations
    // =============================================================================================

    public static final int[] ACTIVATION_LENGTHS = {1, 3, 7, 13, 31, 33, 127, 129, 257};

    static Stream<Arguments> activationCases() {
        List<Arguments> cases = new ArrayList<>();
        for (Activation f : Activation.values()) {
            for (int n : ACTIVATION_LENGTHS) {
                cases.add(Arguments.of(f, n));
            }
        }
        return cases.stream();
    }

    /** The exact function in double (NaN stays NaN for relu, like {@code Math.max}). */
    static double exact(Activation f, double x) {
        return switch (f) {
            case IDENTITY -> x;
            case TANH -> Math.tanh(x);
            case SIGMOID -> 1.0 / (1.0 + Math.exp(-x));
            case RELU -> Double.isNaN(x) ? x : Math.max(0.0, x);
        };
    }

    /** Allowed absolute error of {@code activate}: the documented vector bound; relu and identity are exact. */
    static double activationTolerance(Activation f) {
        return f == Activation.TANH || f == Activation.SIGMOID ? Activation.VECTOR_MAX_ABS_ERROR : 0.0;
    }

    /** Inputs for activation tests: mostly [-8, 8], plus zeros, tiny and large values at fixed places. */
    public static float[] activationInputs(int n, long seed) {
        float[] x = TestSupport.random(seed, n, -8, 8);
        float[] specials = {0f, -0f, 1e-7f, -3e-5f, 30f, -30f, 0.5f, -1f, 100f, -100f};
        for (int i = 0; i < n; i += 5) {
            x[i] = specials[(i / 5) % specials.length];
        }
        return x;
    }

    @ParameterizedTest(name = "{0} n = {1}")
    @MethodSource("activationCases")
    void activateMatchesReference(Activation f, int n) {
        for (int xOff : new int[] {0, 3}) {
            int yOff = xOff + 2;
            float[] data = activationInputs(n, 77 + n);
            float[] x = TestSupport.filled(xOff + n + 3, TestSupport.SENTINEL);
            System.arraycopy(data, 0, x, xOff, n);
            float[] x0 = x.clone();
            float[] y = TestSupport.filled(yOff + n + 3, TestSupport.SENTINEL);
            kernels().activate(f, n, x, xOff, y, yOff);
            String what = kernels().name() + " activate " + f + " n=" + n + " xOff=" + xOff;
            assertArrayEquals(x0, x, what + ": x was modified");
            TestSupport.assertOutsideUntouched(what, y, yOff, n, 1, n);
            for (int i = 0; i < n; i++) {
                assertClose(what + " x=" + data[i], exact(f, data[i]), y[yOff + i], activationTolerance(f));
            }
            // in place (y == x, same offset) gives the same bits
            kernels().activate(f, n, x, xOff, x, xOff);
            float[] inPlace = new float[n];
            float[] outOfPlace = new float[n];
            System.arraycopy(x, xOff, inPlace, 0, n);
            System.arraycopy(y, yOff, outOfPlace, 0, n);
            TestSupport.assertBitwiseEquals(what + " in place", outOfPlace, inPlace);
            TestSupport.assertOutsideUntouched(what + " in place", x, xOff, n, 1, n);
        }
    }

    /** Outputs y of f to take derivatives from: in f's range, with its boundary values. */
    static float[] activationOutputs(Activation f, int n, long seed) {
        float[] y = switch (f) {
            case TANH -> TestSupport.random(seed, n, -1, 1);
            case SIGMOID -> TestSupport.random(seed, n, 0, 1);
            case RELU -> TestSupport.random(seed, n, -0.5, 4);
            case IDENTITY -> TestSupport.random(seed, n, -4, 4);
        };
        float[] edges = switch (f) {
            case TANH -> new float[] {1f, -1f, 0f, 0.99999994f};
            case SIGMOID -> new float[] {0f, 1f, 0.5f, 0.99999994f};
            case RELU -> new float[] {0f, -0f, Float.MIN_VALUE, 1f};
            case IDENTITY -> new float[] {0f, 1e30f, -1f, 7f};
        };
        for (int i = 0; i < n; i += 4) {
            y[i] = edges[(i / 4) % edges.length];
        }
        return y;
    }

    /** f'(x) from y = f(x), in double. */
    static double derivativeExact(Activation f, double y) {
        return switch (f) {
            case IDENTITY -> 1.0;
            case TANH -> 1.0 - y * y;
            case SIGMOID -> y * (1.0 - y);
            case RELU -> y > 0 ? 1.0 : 0.0;
        };
    }

    /**
     * Allowed absolute error of the derivative: 1 − y² and y(1 − y) are at most two float
     * roundings of values ≤ 1 (≤ 2u·(1 + y²)); relu and identity are exact.
     */
    static double derivativeTolerance(Activation f) {
        return f == Activation.TANH || f == Activation.SIGMOID ? 4 * TestSupport.U : 0.0;
    }

    @ParameterizedTest(name = "{0} n = {1}")
    @MethodSource("activationCases")
    void derivativeFromOutputMatchesReference(Activation f, int n) {
        for (int yOff : new int[] {0, 5}) {
            int dOff = yOff == 0 ? 3 : 0;
            float[] data = activationOutputs(f, n, 99 + n);
            float[] y = TestSupport.filled(yOff + n + 2, TestSupport.SENTINEL);
            System.arraycopy(data, 0, y, yOff, n);
            float[] y0 = y.clone();
            float[] d = TestSupport.filled(dOff + n + 2, TestSupport.SENTINEL);
            kernels().derivativeFromOutput(f, n, y, yOff, d, dOff);
            String what = kernels().name() + " derivativeFromOutput " + f + " n=" + n + " yOff=" + yOff;
            assertArrayEquals(y0, y, what + ": y was modified");
            TestSupport.assertOutsideUntouched(what, d, dOff, n, 1, n);
            for (int i = 0; i < n; i++) {
                assertClose(what + " y=" + data[i], derivativeExact(f, data[i]), d[dOff + i], derivativeTolerance(f));
            }
            // in place: d == y
            kernels().derivativeFromOutput(f, n, y, yOff, y, yOff);
            for (int i = 0; i < n; i++) {
                assertEquals(Float.floatToRawIntBits(d[dOff + i]), Float.floatToRawIntBits(y[yOff + i]),
                        what + " in place [" + i + "]");
            }
        }
    }

    @ParameterizedTest(name = "{0} n = {1}")
    @MethodSource("activationCases")
    void multiplyDerivativeMatchesReference(Activation f, int n) {
        for (int yOff : new int[] {0, 5}) {
            int gOff = yOff == 0 ? 3 : 1;
            float[] data = activationOutputs(f, n, 123 + n);
            float[] grad = TestSupport.random(321 + n, n, -3, 3);
            float[] y = TestSupport.filled(yOff + n + 2, TestSupport.SENTINEL);
            System.arraycopy(data, 0, y, yOff, n);
            float[] y0 = y.clone();
            float[] g = TestSupport.filled(gOff + n + 2, TestSupport.SENTINEL);
            System.arraycopy(grad, 0, g, gOff, n);
            kernels().multiplyDerivative(f, n, y, yOff, g, gOff);
            String what = kernels().name() + " multiplyDerivative " + f + " n=" + n + " yOff=" + yOff;
            assertArrayEquals(y0, y, what + ": y was modified");
            TestSupport.assertOutsideUntouched(what, g, gOff, n, 1, n);
            for (int i = 0; i < n; i++) {
                double expected = grad[i] * derivativeExact(f, data[i]);
                // the derivative's error times |g|, plus the rounding of the product
                double tol = (derivativeTolerance(f) + TestSupport.U) * Math.abs(grad[i]);
                if (f == Activation.RELU || f == Activation.IDENTITY) {
                    tol = 0;
                }
                assertClose(what + " y=" + data[i] + " g=" + grad[i], expected, g[gOff + i], tol);
            }
        }
    }

    /** NaN in gives NaN out for tanh, sigmoid and relu, in the vector body and in the tail. */
    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"TANH", "SIGMOID", "RELU"})
    void nanPropagates(Activation f) {
        int n = 37;
        float[] x = activationInputs(n, 5);
        int[] nanAt = {0, 5, 9, 17, 31, 35, 36};
        for (int i : nanAt) {
            x[i] = Float.NaN;
        }
        float[] y = new float[n];
        kernels().activate(f, n, x, 0, y, 0);
        for (int i = 0; i < n; i++) {
            String what = kernels().name() + " " + f + " at " + i + " of x=" + x[i];
            if (Float.isNaN(x[i])) {
                assertTrue(Float.isNaN(y[i]), what + ": NaN in must give NaN out, got " + y[i]);
            } else {
                assertClose(what, exact(f, x[i]), y[i], activationTolerance(f));
            }
        }
        kernels().activate(f, n, x, 0, x, 0);
        for (int i : nanAt) {
            assertTrue(Float.isNaN(x[i]), kernels().name() + " " + f + " in place at " + i + ": got " + x[i]);
        }
    }

    /**
     * tanh and sigmoid on a dense grid over [-20, 20] (step 1e-4, 400 001 points) against
     * {@link Math#tanh} and the double sigmoid: absolute error at most
     * {@link Activation#VECTOR_MAX_ABS_ERROR}. The max error seen is logged.
     */
    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"TANH", "SIGMOID"})
    void accuracyOnDenseGrid(Activation f) {
        int n = 400_001;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (-20 + i * 1e-4);
        }
        float[] y = new float[n + 1];
        kernels().activate(f, n, x, 0, y, 1); // an unaligned output too
        double maxErr = 0;
        int worst = 0;
        for (int i = 0; i < n; i++) {
            double err = Math.abs(y[i + 1] - exact(f, x[i]));
            if (!(err <= maxErr)) { // NaN counts as worst
                maxErr = err;
                worst = i;
                if (Double.isNaN(err)) {
                    break;
                }
            }
        }
        String report = kernels().name() + " " + f + " on [-20, 20] step 1e-4: max abs error " + maxErr
                + " at x = " + x[worst] + " (bound " + Activation.VECTOR_MAX_ABS_ERROR + ")";
        LOG.info(report);
        assertTrue(maxErr <= Activation.VECTOR_MAX_ABS_ERROR, report);
    }

    public static final float[] EXTREMES = {
        80f, -80f, 100f, -100f, 1e30f, -1e30f, Float.MAX_VALUE, -Float.MAX_VALUE,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE,
        Float.MIN_NORMAL, -Float.MIN_NORMAL, 44f, -44f, 87.5f, -87.5f, 88.8f, -88.8f, 89f, -89f, 9f, -9f,
        1e-3f, -1e-3f, 1e-7f, -1e-7f, 20f, -20f, 1e5f, -1e5f, 0.34657359f, -0.34657359f,
    };

    /** The extremes, each tried at every position of a vector (offsets 0..16) and in the scalar tail. */
    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"TANH", "SIGMOID"})
    void accuracyAtExtremes(Activation f) {
        int n = EXTREMES.length;
        double maxErr = 0;
        for (int shift = 0; shift <= 16; shift++) {
            float[] x = TestSupport.filled(shift + n + 1, TestSupport.SENTINEL);
            System.arraycopy(EXTREMES, 0, x, shift, n);
            float[] y = TestSupport.filled(n + 2, TestSupport.SENTINEL);
            kernels().activate(f, n, x, shift, y, 1);
            for (int i = 0; i < n; i++) {
                double expected = exact(f, EXTREMES[i]);
                double err = Math.abs(y[1 + i] - expected);
                maxErr = Double.isNaN(err) ? Double.NaN : Math.max(maxErr, err);
                assertClose(kernels().name() + " " + f + " shift " + shift + " x=" + EXTREMES[i], expected, y[1 + i],
                        Activation.VECTOR_MAX_ABS_ERROR);
            }
            assertEquals(TestSupport.SENTINEL, y[0]);
            assertEquals(TestSupport.SENTINEL, y[n + 1]);
        }
        LOG.info("{} {} at the extremes: max abs error {}", kernels().name(), f, maxErr);
    }

    // =============================================================================================
    // Vector operations
    // =============================================================================================

    @ParameterizedTest(name = "n = {0}")
    @MethodSource("awkwardWithZero")
    void axpyAddsScaledVector(int n) {
        for (float alpha : new float[] {1f, -0.75f, 0f}) {
            int xOff = 3, yOff = 5;
            float[] x = TestSupport.random(3 + n, xOff + n, -2, 2);
            float[] y = TestSupport.filled(yOff + n + 4, TestSupport.SENTINEL);
            float[] y0 = TestSupport.random(4 + n, n, -2, 2);
            System.arraycopy(y0, 0, y, yOff, n);
            float[] xCopy = x.clone();
            kernels().axpy(n, alpha, x, xOff, y, yOff);
            String what = kernels().name() + " axpy n=" + n + " alpha=" + alpha;
            assertArrayEquals(xCopy, x, what + ": x was modified");
            TestSupport.assertOutsideUntouched(what, y, yOff, n, 1, n);
            for (int i = 0; i < n; i++) {
                double expected = y0[i] + (double) alpha * x[xOff + i];
                // at most two roundings (product, sum), with or without FMA
                double tol = 2 * TestSupport.U * (Math.abs(y0[i]) + Math.abs(alpha * x[xOff + i]));
                assertClose(what + " [" + i + "]", expected, y[yOff + i], tol);
            }
        }
    }

    static IntStream awkwardWithZero() {
        return IntStream.of(AWKWARD_WITH_ZERO);
    }

    @ParameterizedTest(name = "n = {0}")
    @MethodSource("awkwardWithZero")
    void scaleMultipliesInPlace(int n) {
        for (float alpha : new float[] {0.3f, -2f, 0f, 1f}) {
            int off = 2;
            float[] data = TestSupport.random(8 + n, n, -5, 5);
            float[] x = TestSupport.filled(off + n + 3, TestSupport.SENTINEL);
            System.arraycopy(data, 0, x, off, n);
            kernels().scale(n, alpha, x, off);
            String what = kernels().name() + " scale n=" + n + " alpha=" + alpha;
            TestSupport.assertOutsideUntouched(what, x, off, n, 1, n);
            for (int i = 0; i < n; i++) {
                // a single float product is correctly rounded, so the bits are known exactly
                assertEquals((float) ((double) alpha * data[i]), x[off + i], 0f, what + " [" + i + "]");
            }
        }
    }

    @ParameterizedTest(name = "n = {0}")
    @MethodSource("awkwardWithZero")
    void hadamardMultipliesElementwise(int n) {
        float[] xs = TestSupport.random(21 + n, n, -3, 3);
        float[] ys = TestSupport.random(22 + n, n, -3, 3);
        float[] expected = new float[n];
        for (int i = 0; i < n; i++) {
            expected[i] = (float) ((double) xs[i] * ys[i]); // correctly rounded float product
        }
        String what = kernels().name() + " hadamard n=" + n;
        // separate output, all offsets different
        float[] x = new float[n + 1];
        float[] y = new float[n + 2];
        System.arraycopy(xs, 0, x, 1, n);
        System.arraycopy(ys, 0, y, 2, n);
        float[] z = TestSupport.filled(n + 6, TestSupport.SENTINEL);
        kernels().hadamard(n, x, 1, y, 2, z, 3);
        TestSupport.assertOutsideUntouched(what, z, 3, n, 1, n);
        assertArrayEquals(expected, slice(z, 3, n), what);
        // z aliases x exactly
        kernels().hadamard(n, x, 1, y, 2, x, 1);
        assertArrayEquals(expected, slice(x, 1, n), what + " z == x");
        // z aliases y exactly
        System.arraycopy(xs, 0, x, 1, n);
        kernels().hadamard(n, x, 1, y, 2, y, 2);
        assertArrayEquals(expected, slice(y, 2, n), what + " z == y");
    }

    @ParameterizedTest(name = "n = {0}")
    @MethodSource("awkwardWithZero")
    void sumOfSquaresAndNorm(int n) {
        int off = 4;
        float[] x = TestSupport.filled(off + n + 3, Float.NaN); // NaN outside: any read beyond shows
        System.arraycopy(TestSupport.random(55 + n, n, -4, 4), 0, x, off, n);
        double expected = 0;
        for (int i = 0; i < n; i++) {
            expected += (double) x[off + i] * x[off + i];
        }
        double got = kernels().sumOfSquares(n, x, off);
        String what = kernels().name() + " sumOfSquares n=" + n;
        // "accurate to about float precision relative to the sum"
        assertClose(what, expected, got, 1e-6 * expected);
        assertClose(what + " norm2", Math.sqrt(expected), kernels().norm2(n, x, off), 1e-6 * Math.sqrt(expected));
        if (n == 0) {
            assertEquals(0.0, got);
            assertEquals(0.0, kernels().norm2(0, new float[0], 0));
        }
    }

    /** Millions of equal terms: the worst case for float accumulation; relative error ≤ 1e-6. */
    @Test
    void sumOfSquaresOfMillionsOfTerms() {
        int n = 3_000_001;
        float[] x = TestSupport.filled(n + 1, 0.1f);
        double term = (double) 0.1f * 0.1f;
        double expected = term * n;
        double got = kernels().sumOfSquares(n, x, 1);
        double rel = Math.abs(got - expected) / expected;
        LOG.info("{} sumOfSquares of {} x 0.1f: relative error {}", kernels().name(), n, rel);
        assertTrue(rel <= 1e-6, kernels().name() + " sumOfSquares of " + n + " x 0.1f = " + got + ", expected "
                + expected + ": relative error " + rel + " > 1e-6");
        double norm = kernels().norm2(n, x, 1);
        assertClose(kernels().name() + " norm2", Math.sqrt(expected), norm, 1e-6 * Math.sqrt(expected));
    }

    // =============================================================================================
    // Argument errors
    // =============================================================================================

    /**
     * A call with a bad argument: the exception type, words its message must contain (the
     * argument's name, the offending numbers), the arrays it is given (checked unchanged after).
     */
    record ErrorCase(String name, Class<? extends RuntimeException> type, List<String> mentions,
                     Supplier<float[][]> arrays, BiConsumer<Kernels, float[][]> call) {
        @Override
        public String toString() {
            return name;
        }
    }

    static float[] data(int n) {
        return TestSupport.random(n * 7L + 1, n, -1, 1);
    }

    /** Calls the GEMM of the given shape. */
    static void gemm(Kernels kk, Shape shape, int m, int n, int k, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        switch (shape) {
            case MULT -> kk.mult(m, n, k, 1f, a, aOff, lda, b, bOff, ldb, 0.5f, c, cOff, ldc);
            case TRANS_A -> kk.multTransA(m, n, k, 1f, a, aOff, lda, b, bOff, ldb, 0.5f, c, cOff, ldc);
            case TRANS_B -> kk.multTransB(m, n, k, 1f, a, aOff, lda, b, bOff, ldb, 0.5f, c, cOff, ldc);
        }
    }

    private static void gemmErrors(List<ErrorCase> out, Shape s, int m, int n, int k) {
        Class<IllegalArgumentException> iae = IllegalArgumentException.class;
        Class<IndexOutOfBoundsException> ioobe = IndexOutOfBoundsException.class;
        Class<NullPointerException> npe = NullPointerException.class;
        int aCols = s == Shape.TRANS_A ? m : k, aRows = s == Shape.TRANS_A ? k : m;
        int bCols = s == Shape.TRANS_B ? k : n, bRows = s == Shape.TRANS_B ? n : k;
        int aLen = aRows * aCols, bLen = bRows * bCols, cLen = m * n;
        String p = s + " " + m + "x" + n + "x" + k + ": ";
        Supplier<float[][]> ok = () -> new float[][] {data(aLen), data(bLen), data(cLen)};
        out.add(new ErrorCase(p + "m < 0", iae, List.of("m", "-1"), ok,
                (kk, x) -> gemm(kk, s, -1, n, k, x[0], 0, aCols, x[1], 0, bCols, x[2], 0, n)));
        out.add(new ErrorCase(p + "n < 0", iae, List.of("n", "-2"), ok,
                (kk, x) -> gemm(kk, s, m, -2, k, x[0], 0, aCols, x[1], 0, bCols, x[2], 0, n)));
        out.add(new ErrorCase(p + "k < 0", iae, List.of("k", "-3"), ok,
                (kk, x) -> gemm(kk, s, m, n, -3, x[0], 0, aCols, x[1], 0, bCols, x[2], 0, n)));
        out.add(new ErrorCase(p + "lda too small", iae,
                List.of("leading dimension", "A", String.valueOf(aCols), String.valueOf(aCols - 1)), ok,
                (kk, x) -> gemm(kk, s, m, n, k, x[0], 0, aCols - 1, x[1], 0, bCols, x[2], 0, n)));
        out.add(new ErrorCase(p + "ldb too small", iae,
                List.of("leading dimension", "B", String.valueOf(bCols), String.valueOf(bCols - 1)), ok,
                (kk, x) -> gemm(kk, s, m, n, k, x[0], 0, aCols, x[1], 0, bCols - 1, x[2], 0, n)));
        out.add(new ErrorCase(p + "ldc too small", iae,
                List.of("leading dimension", "C", String.valueOf(n), String.valueOf(n - 1)), ok,
                (kk, x) -> gemm(kk, s, m, n, k, x[0], 0, aCols, x[1], 0, bCols, x[2], 0, n - 1)));
        out.add(new ErrorCase(p + "A one element short", ioobe,
                List.of("A", String.valueOf(aLen), String.valueOf(aLen - 1)),
                () -> new float[][] {data(aLen - 1), data(bLen), data(cLen)},
                (kk, x) -> gemm(kk, s, m, n, k, x[0], 0, aCols, x[1], 0, bCols, x[2], 0, n)));
        out.add(new ErrorCase(p + "B offset past the end", ioobe,
                List.of("B", "offset", "2", String.valueOf(bLen + 2), String.valueOf(bLen)), ok,
                (kk, x) -> gemm(kk, s, m, n, k, x[0], 0, aCols, x[1], 2, bCols, x[2], 0, n)));
        out.add(new ErrorCase(p + "C one element short", ioobe,
                List.of("C", String.valueOf(cLen), String.valueOf(cLen - 1)),
                () -> new float[][] {data(aLen), data(bLen), data(cLen - 1)},
                (kk, x) -> gemm(kk, s, m, n, k, x[0], 0, aCols, x[1], 0, bCols, x[2], 0, n)));
        out.add(new ErrorCase(p + "C with padded ld too short", ioobe,
                List.of("C", String.valueOf((m - 1) * (n + 3) + n), String.valueOf(cLen + 2)),
                () -> new float[][] {data(aLen), data(bLen), data(cLen + 2)},
                (kk, x) -> gemm(kk, s, m, n, k, x[0], 0, aCols, x[1], 0, bCols, x[2], 0, n + 3)));
        out.add(new ErrorCase(p + "negative offset of A", ioobe, List.of("A", "-1"), ok,
                (kk, x) -> gemm(kk, s, m, n, k, x[0], -1, aCols, x[1], 0, bCols, x[2], 0, n)));
        out.add(new ErrorCase(p + "C offset at the end", ioobe, List.of("C", String.valueOf(cLen)), ok,
                (kk, x) -> gemm(kk, s, m, n, k, x[0], 0, aCols, x[1], 0, bCols, x[2], cLen, n)));
        out.add(new ErrorCase(p + "A null", npe, List.of("A"),
                () -> new float[][] {null, data(bLen), data(cLen)},
                (kk, x) -> gemm(kk, s, m, n, k, x[0], 0, aCols, x[1], 0, bCols, x[2], 0, n)));
        out.add(new ErrorCase(p + "B null", npe, List.of("B"),
                () -> new float[][] {data(aLen), null, data(cLen)},
                (kk, x) -> gemm(kk, s, m, n, k, x[0], 0, aCols, x[1], 0, bCols, x[2], 0, n)));
        out.add(new ErrorCase(p + "C null", npe, List.of("C"),
                () -> new float[][] {data(aLen), data(bLen), null},
                (kk, x) -> gemm(kk, s, m, n, k, x[0], 0, aCols, x[1], 0, bCols, x[2], 0, n)));
    }

    static Stream<ErrorCase> argumentErrors() {
        List<ErrorCase> out = new ArrayList<>();
        for (Shape s : Shape.values()) {
            gemmErrors(out, s, 4, 5, 7);
            // above PARALLEL_MIN_FLOPS, so that the parallel views would split it: still checked first
            int m = 200, n = 300, k = 150;
            int bLen = k * n;
            int bCols = s == Shape.TRANS_B ? k : n;
            out.add(new ErrorCase(s + " 200x300x150 (parallel size): B one element short", IndexOutOfBoundsException.class,
                    List.of("B", String.valueOf(bLen), String.valueOf(bLen - 1)),
                    () -> new float[][] {data(m * k), data(bLen - 1), data(m * n)},
                    (kk, x) -> gemm(kk, s, m, n, k, x[0], 0, s == Shape.TRANS_A ? m : k, x[1], 0, bCols, x[2], 0, n)));
        }
        Class<IllegalArgumentException> iae = IllegalArgumentException.class;
        Class<IndexOutOfBoundsException> ioobe = IndexOutOfBoundsException.class;
        Class<NullPointerException> npe = NullPointerException.class;

        // addRowVector(m = 3, n = 5)
        Supplier<float[][]> rowVec = () -> new float[][] {data(5), data(15)};
        out.add(new ErrorCase("addRowVector m < 0", iae, List.of("m", "-1"), rowVec,
                (kk, x) -> kk.addRowVector(-1, 5, x[0], 0, x[1], 0, 5)));
        out.add(new ErrorCase("addRowVector n < 0", iae, List.of("n", "-1"), rowVec,
                (kk, x) -> kk.addRowVector(3, -1, x[0], 0, x[1], 0, 5)));
        out.add(new ErrorCase("addRowVector v too short", ioobe, List.of("v", "5", "4"),
                () -> new float[][] {data(4), data(15)}, (kk, x) -> kk.addRowVector(3, 5, x[0], 0, x[1], 0, 5)));
        out.add(new ErrorCase("addRowVector ldc too small", iae, List.of("leading dimension", "c", "5", "4"), rowVec,
                (kk, x) -> kk.addRowVector(3, 5, x[0], 0, x[1], 0, 4)));
        out.add(new ErrorCase("addRowVector c too short", ioobe, List.of("c", "16", "15"), rowVec,
                (kk, x) -> kk.addRowVector(3, 5, x[0], 0, x[1], 1, 5)));
        out.add(new ErrorCase("addRowVector v null", npe, List.of("v"), () -> new float[][] {null, data(15)},
                (kk, x) -> kk.addRowVector(3, 5, x[0], 0, x[1], 0, 5)));

        // sumRows(m = 3, n = 5)
        Supplier<float[][]> sumRows = () -> new float[][] {data(15), data(5)};
        out.add(new ErrorCase("sumRows m < 0", iae, List.of("m", "-4"), sumRows,
                (kk, x) -> kk.sumRows(-4, 5, x[0], 0, 5, x[1], 0)));
        out.add(new ErrorCase("sumRows lda too small", iae, List.of("leading dimension", "a", "5", "3"), sumRows,
                (kk, x) -> kk.sumRows(3, 5, x[0], 0, 3, x[1], 0)));
        out.add(new ErrorCase("sumRows out too short for its offset", ioobe, List.of("out", "5", "1"), sumRows,
                (kk, x) -> kk.sumRows(3, 5, x[0], 0, 5, x[1], 1)));
        out.add(new ErrorCase("sumRows out null", npe, List.of("out"), () -> new float[][] {data(15), null},
                (kk, x) -> kk.sumRows(3, 5, x[0], 0, 5, x[1], 0)));

        // softmaxRows / logSoftmaxRows(m = 2, n = 4)
        Supplier<float[][]> rows = () -> new float[][] {data(8), data(8)};
        for (boolean log : new boolean[] {false, true}) {
            String fn = log ? "logSoftmaxRows" : "softmaxRows";
            out.add(new ErrorCase(fn + " n = 0", iae, List.of("n", "0"), rows,
                    (kk, x) -> softmax(kk, log, 2, 0, x[0], 0, 4, x[1], 0, 4)));
            out.add(new ErrorCase(fn + " m < 0", iae, List.of("m", "-1"), rows,
                    (kk, x) -> softmax(kk, log, -1, 4, x[0], 0, 4, x[1], 0, 4)));
            out.add(new ErrorCase(fn + " ldx too small", iae, List.of("leading dimension", "x", "4", "3"), rows,
                    (kk, x) -> softmax(kk, log, 2, 4, x[0], 0, 3, x[1], 0, 4)));
            out.add(new ErrorCase(fn + " ldy too small", iae, List.of("leading dimension", "y", "4", "2"), rows,
                    (kk, x) -> softmax(kk, log, 2, 4, x[0], 0, 4, x[1], 0, 2)));
            out.add(new ErrorCase(fn + " y too short", ioobe, List.of("y", "8", "7"),
                    () -> new float[][] {data(8), data(7)}, (kk, x) -> softmax(kk, log, 2, 4, x[0], 0, 4, x[1], 0, 4)));
            out.add(new ErrorCase(fn + " x offset past the end", ioobe, List.of("x", "9", "8"), rows,
                    (kk, x) -> softmax(kk, log, 2, 4, x[0], 1, 4, x[1], 0, 4)));
            out.add(new ErrorCase(fn + " x null", npe, List.of("x"), () -> new float[][] {null, data(8)},
                    (kk, x) -> softmax(kk, log, 2, 4, x[0], 0, 4, x[1], 0, 4)));
        }

        // activations, n = 6
        Supplier<float[][]> act = () -> new float[][] {data(6), data(6)};
        out.add(new ErrorCase("activate null function", npe, List.of("activation"), act,
                (kk, x) -> kk.activate(null, 6, x[0], 0, x[1], 0)));
        out.add(new ErrorCase("activate n < 0", iae, List.of("n", "-1"), act,
                (kk, x) -> kk.activate(Activation.TANH, -1, x[0], 0, x[1], 0)));
        out.add(new ErrorCase("activate x too short", ioobe, List.of("x", "7", "6"), act,
                (kk, x) -> kk.activate(Activation.SIGMOID, 7, x[0], 0, x[1], 0)));
        out.add(new ErrorCase("activate y offset past the end", ioobe, List.of("y", "6", "3"), act,
                (kk, x) -> kk.activate(Activation.RELU, 6, x[0], 0, x[1], 3)));
        out.add(new ErrorCase("activate y null", npe, List.of("y"), () -> new float[][] {data(6), null},
                (kk, x) -> kk.activate(Activation.IDENTITY, 6, x[0], 0, x[1], 0)));
        // derivativeFromOutput(f, n, y, yOff, d, dOff) and multiplyDerivative(f, n, y, yOff, g, gOff):
        // the messages must name y, d and g (the parameters of these methods)
        Activation tanh = Activation.TANH;
        out.add(new ErrorCase("derivativeFromOutput y too short", ioobe, List.of("y", "6", "5"),
                () -> new float[][] {data(5), data(6)}, (kk, x) -> kk.derivativeFromOutput(tanh, 6, x[0], 0, x[1], 0)));
        out.add(new ErrorCase("derivativeFromOutput d too short", ioobe, List.of("d", "6", "5"),
                () -> new float[][] {data(6), data(5)}, (kk, x) -> kk.derivativeFromOutput(tanh, 6, x[0], 0, x[1], 0)));
        out.add(new ErrorCase("derivativeFromOutput d null", npe, List.of("d"),
                () -> new float[][] {data(6), null}, (kk, x) -> kk.derivativeFromOutput(tanh, 6, x[0], 0, x[1], 0)));
        out.add(new ErrorCase("multiplyDerivative y too short", ioobe, List.of("y", "6", "5"),
                () -> new float[][] {data(5), data(6)}, (kk, x) -> kk.multiplyDerivative(tanh, 6, x[0], 0, x[1], 0)));
        out.add(new ErrorCase("multiplyDerivative g too short", ioobe, List.of("g", "6", "5"),
                () -> new float[][] {data(6), data(5)}, (kk, x) -> kk.multiplyDerivative(tanh, 6, x[0], 0, x[1], 0)));
        out.add(new ErrorCase("multiplyDerivative n < 0", iae, List.of("n", "-2"), act,
                (kk, x) -> kk.multiplyDerivative(tanh, -2, x[0], 0, x[1], 0)));
        // identity: f' = 1 makes multiplyDerivative a no-op, but its arguments are still checked
        for (Activation f : Activation.values()) {
            out.add(new ErrorCase("multiplyDerivative " + f + " array too short", ioobe, List.of("6", "5"),
                    () -> new float[][] {data(6), data(5)}, (kk, x) -> kk.multiplyDerivative(f, 6, x[0], 0, x[1], 0)));
            out.add(new ErrorCase("derivativeFromOutput " + f + " offset past the end", ioobe, List.of("6", "1"),
                    act, (kk, x) -> kk.derivativeFromOutput(f, 6, x[0], 1, x[1], 0)));
        }

        // vector operations, n = 6
        Supplier<float[][]> vec = () -> new float[][] {data(6), data(6), data(6)};
        out.add(new ErrorCase("axpy n < 0", iae, List.of("n", "-1"), vec, (kk, x) -> kk.axpy(-1, 2f, x[0], 0, x[1], 0)));
        out.add(new ErrorCase("axpy x too short", ioobe, List.of("x", "7", "6"), vec,
                (kk, x) -> kk.axpy(7, 2f, x[0], 0, x[1], 0)));
        out.add(new ErrorCase("axpy y offset past the end", ioobe, List.of("y", "6", "2"), vec,
                (kk, x) -> kk.axpy(6, 2f, x[0], 0, x[1], 2)));
        out.add(new ErrorCase("axpy x null", npe, List.of("x"), () -> new float[][] {null, data(6)},
                (kk, x) -> kk.axpy(6, 2f, x[0], 0, x[1], 0)));
        out.add(new ErrorCase("scale negative offset", ioobe, List.of("x", "-1"), vec, (kk, x) -> kk.scale(3, 2f, x[0], -1)));
        out.add(new ErrorCase("scale n < 0", iae, List.of("n", "-5"), vec, (kk, x) -> kk.scale(-5, 2f, x[0], 0)));
        out.add(new ErrorCase("hadamard y too short", ioobe, List.of("y", "6", "5"),
                () -> new float[][] {data(6), data(5), data(6)}, (kk, x) -> kk.hadamard(6, x[0], 0, x[1], 0, x[2], 0)));
        out.add(new ErrorCase("hadamard z offset past the end", ioobe, List.of("z", "6", "1"), vec,
                (kk, x) -> kk.hadamard(6, x[0], 0, x[1], 0, x[2], 1)));
        out.add(new ErrorCase("hadamard z null", npe, List.of("z"), () -> new float[][] {data(6), data(6), null},
                (kk, x) -> kk.hadamard(6, x[0], 0, x[1], 0, x[2], 0)));
        out.add(new ErrorCase("sumOfSquares n < 0", iae, List.of("n", "-1"), vec, (kk, x) -> kk.sumOfSquares(-1, x[0], 0)));
        out.add(new ErrorCase("sumOfSquares x too short", ioobe, List.of("x", "6", "4"), vec,
                (kk, x) -> kk.sumOfSquares(6, x[0], 4)));
        out.add(new ErrorCase("norm2 x null", npe, List.of("x"), () -> new float[][] {null},
                (kk, x) -> kk.norm2(3, x[0], 0)));
        return out.stream();
    }

    private static void softmax(Kernels kk, boolean log, int m, int n, float[] x, int xOff, int ldx,
                                float[] y, int yOff, int ldy) {
        if (log) {
            kk.logSoftmaxRows(m, n, x, xOff, ldx, y, yOff, ldy);
        } else {
            kk.softmaxRows(m, n, x, xOff, ldx, y, yOff, ldy);
        }
    }

    /**
     * Each bad argument throws the documented exception, its message names the argument and the
     * offending numbers, and nothing is written (C and every other array are unchanged).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("argumentErrors")
    void argumentErrorsAreReportedBeforeAnyWrite(ErrorCase e) {
        assertFailsBeforeAnyWrite(kernels(), e);
    }

    /** The check of {@link #argumentErrorsAreReportedBeforeAnyWrite}, shared with the mixed-in contracts. */
    static void assertFailsBeforeAnyWrite(Kernels kernels, ErrorCase e) {
        float[][] arrays = e.arrays().get();
        float[][] before = new float[arrays.length][];
        for (int i = 0; i < arrays.length; i++) {
            before[i] = arrays[i] == null ? null : arrays[i].clone();
        }
        RuntimeException thrown = assertThrows(e.type(), () -> e.call().accept(kernels, arrays),
                kernels.name() + " " + e.name());
        String message = String.valueOf(thrown.getMessage());
        for (String word : e.mentions()) {
            assertTrue(TestSupport.mentions(message, word), kernels.name() + " " + e.name()
                    + ": message should mention '" + word + "': " + message);
        }
        for (int i = 0; i < arrays.length; i++) {
            assertArrayEquals(before[i], arrays[i], kernels.name() + " " + e.name() + ": array " + i
                    + " changed although the call failed");
        }
    }

    @Test
    void withThreadsRejectsLessThanOne() {
        for (int t : new int[] {0, -1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kernels().withThreads(t));
            assertTrue(TestSupport.mentions(e.getMessage(), "threads") && TestSupport.mentions(e.getMessage(), String.valueOf(t)),
                    e.getMessage());
        }
    }

    @Test
    void withOneThreadIsSingleThreaded() {
        Kernels one = kernels().withThreads(1);
        assertEquals(1, one.threads());
        assertSame(one, one.withThreads(1));
        assertEquals(kernels().vectorBitSize(), one.vectorBitSize());
        assertTrue(kernels().name().startsWith(one.name()), kernels().name() + " vs " + one.name());
    }

    // =============================================================================================

    public static void assertClose(String what, double expected, double actual, double tol) {
        if (Double.isNaN(expected) && Double.isNaN(actual)) {
            return;
        }
        if (expected == actual) { // also equal infinities
            return;
        }
        if (!(Math.abs(actual - expected) <= tol)) {
            fail(what + ": expected " + expected + " ± " + tol + " but was " + actual
                    + " (error " + Math.abs(actual - expected) + ")");
        }
    }

    public static float[] slice(float[] x, int off, int n) {
        float[] s = new float[n];
        System.arraycopy(x, off, s, 0, n);
        return s;
    }
}
