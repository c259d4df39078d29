package org.rnn4j.simd;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.simd.GemmCase.Layout;
import org.rnn4j.simd.KernelsContract.ErrorCase;

/**
 * The contract of the pre-packed GEMM ({@link Kernels#packB}, {@link Kernels#repackB},
 * {@link Kernels#multPacked}), mixed into {@link KernelsContract} so that every implementation
 * runs it. Results are compared with the double reference of {@link PackedCase}.
 *
 * <p>The vector kernels multiply from their register panels only when {@code col0} is a multiple
 * of the panel width NR (16 on AVX2, 32 on AVX-512) and m &gt; 2; otherwise they take the plain
 * copy. The cases below use col0 = 0, 16, 32 (the panel path on AVX2; 16 is the plain path on
 * AVX-512) and col0 = 5 (always the plain path), slices narrower than N − col0 (whose last panel
 * holds real columns beyond the slice, not zero padding), k across KC = 256 and m across MC = 96.
 */
interface PackedGemmContract {

    /** The kernels under test. */
    Kernels kernels();

    /**
     * (m, k, N, col0, n): the awkward diagonal (m = k = N = n, col0 = 0) and slices
     * {@code [col0, col0 + n)} with n &lt; N − col0, each for transB false and true, cycling
     * through the layouts and (alpha, beta).
     */
    static Stream<PackedCase> packedSizes() {
        // (alpha, beta) pairs the sweep cycles through; beta == 0 runs with C full of NaN
        float[][] scalars = {{1f, 0f}, {1f, 1f}, {0.5f, -2f}, {-1.25f, 0.75f}};
        List<int[]> tuples = new ArrayList<>();
        for (int s : KernelsContract.AWKWARD) {
            tuples.add(new int[] {s, s, s, 0, s});
        }
        int[][] more = {
            {1, 300, 257, 0, 257}, {1, 300, 257, 32, 129},   // one row (unpacked path)
            {2, 600, 129, 5, 100}, {2, 257, 64, 16, 33},     // two rows
            {3, 257, 33, 16, 17},                            // one panel, cut 1 column into the next
            {7, 300, 129, 32, 64}, {13, 600, 257, 5, 200},   // k > KC, not a multiple of it
            {31, 129, 300, 16, 257}, {33, 1, 127, 32, 31},   // k = 1
            {127, 300, 97, 0, 97}, {129, 33, 1029, 32, 700}, // m > MC
            {200, 600, 257, 16, 200}, {200, 300, 129, 5, 120}, {200, 257, 300, 32, 255},
            {257, 2, 65, 32, 33}, {7, 513, 31, 16, 15},
            // exact multiples of the vector tiles and blocks (MR = 4, NR = 16 on AVX2, KC = 256, MC = 96)
            {96, 256, 64, 16, 48}, {4, 512, 48, 32, 16}, {192, 256, 32, 0, 32},
        };
        tuples.addAll(List.of(more));
        List<PackedCase> cases = new ArrayList<>();
        for (int t = 0; t < tuples.size(); t++) {
            int[] x = tuples.get(t);
            for (boolean transB : new boolean[] {false, true}) {
                int variant = t + (transB ? 1 : 0);
                float[] ab = scalars[(t + (transB ? 2 : 0)) % scalars.length];
                cases.add(new PackedCase(transB, x[0], x[4], x[1], x[2], x[3], ab[0], ab[1],
                        Layout.ALL[variant % Layout.ALL.length]));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.rnn4j.simd.PackedGemmContract#packedSizes")
    default void multPackedAwkwardSizes(PackedCase c) {
        c.runAndCheck(kernels(), kernels());
    }

    /**
     * Every (alpha, beta) case on the panel path (m &gt; 2, col0 = 16), the plain path (col0 = 5)
     * and the unpacked path (m = 2): alpha = 0 (C = beta·C), beta = 0 with C full of NaN, both
     * zero, alpha = 0.7 (not a power of two: alpha·acc rounds).
     */
    static Stream<PackedCase> packedScalars() {
        float[][] scalars = {
            {1f, 0f}, {1f, 1f}, {0.5f, -2f}, {-1f, 0f}, {2.5f, 1f}, {0f, 0f}, {0f, 1f}, {0f, 0.5f}, {3f, -0.25f},
            {0.7f, -1.3f},
        };
        int[][] tuples = {{13, 300, 70, 16, 33}, {13, 300, 70, 5, 33}, {2, 300, 70, 32, 33}, {100, 300, 70, 0, 70}};
        List<PackedCase> cases = new ArrayList<>();
        for (int[] x : tuples) {
            for (boolean transB : new boolean[] {false, true}) {
                for (float[] ab : scalars) {
                    cases.add(new PackedCase(transB, x[0], x[4], x[1], x[2], x[3], ab[0], ab[1], Layout.PADDED));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.rnn4j.simd.PackedGemmContract#packedScalars")
    default void multPackedAlphaBeta(PackedCase c) {
        c.runAndCheck(kernels(), kernels());
    }

    /**
     * Empty products: m = 0 or n = 0 (also with col0 = N) leave C untouched; k = 0 gives
     * C = beta·C (beta = 0 clears C even when it holds NaN), on every path.
     */
    static Stream<PackedCase> packedEmpty() {
        int[][] tuples = {
            {0, 7, 9, 2, 5}, {4, 7, 9, 9, 0}, {0, 0, 0, 0, 0}, {5, 7, 0, 0, 0},
            {1, 0, 9, 3, 4}, {13, 0, 40, 16, 20}, {13, 0, 40, 5, 20}, {100, 0, 33, 0, 33},
        };
        List<PackedCase> cases = new ArrayList<>();
        for (int[] x : tuples) {
            for (boolean transB : new boolean[] {false, true}) {
                for (float[] ab : new float[][] {{1f, 0f}, {0.5f, -2f}}) {
                    cases.add(new PackedCase(transB, x[0], x[4], x[1], x[2], x[3], ab[0], ab[1], Layout.PADDED));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.rnn4j.simd.PackedGemmContract#packedEmpty")
    default void multPackedWithEmptyCOrKZero(PackedCase c) {
        c.runAndCheck(kernels(), kernels());
    }

    /**
     * All N columns (col0 = 0, n = N): the same product as {@link Kernels#mult} on op(B), so that
     * pre-packing changes the speed of a model, never its bits. For the vector kernels this holds
     * because both use the same micro-kernel and the same k-blocking (KC) and apply alpha and
     * beta the same way; for m ≤ 2 both take the unpacked row path.
     */
    static Stream<PackedCase> fullWidth() {
        int[][] mkn = {{1, 300, 257}, {2, 33, 129}, {3, 7, 16}, {13, 600, 257}, {97, 257, 100}, {200, 600, 33},
                       {4, 256, 16}, {33, 129, 1029}};
        float[][] scalars = {{0.7f, -1.3f}, {1f, 0f}};
        List<PackedCase> cases = new ArrayList<>();
        for (int t = 0; t < mkn.length; t++) {
            int[] x = mkn[t];
            for (boolean transB : new boolean[] {false, true}) {
                float[] ab = scalars[(t + (transB ? 1 : 0)) % scalars.length];
                cases.add(new PackedCase(transB, x[0], x[2], x[1], x[2], 0, ab[0], ab[1],
                        Layout.ALL[t % Layout.ALL.length]));
            }
        }
        // m > MC and N > NC: mult cuts the columns into NC blocks, multPacked does not
        cases.add(new PackedCase(false, 100, KernelsContract.beyondNc(), 300, KernelsContract.beyondNc(), 0,
                0.7f, -1.3f, Layout.PADDED));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.rnn4j.simd.PackedGemmContract#fullWidth")
    default void multPackedOfAllColumnsIsBitwiseMult(PackedCase c) {
        float[] viaPacked = c.runAndCheck(kernels(), kernels());
        float[] viaMult = c.c();
        int ldOpB = Math.max(1, c.packedN());
        kernels().mult(c.m(), c.n(), c.k(), c.alpha(), c.a(), c.layout().offA(), c.lda(),
                c.opB(0), 0, ldOpB, c.beta(), viaMult, c.layout().offC(), c.ldc());
        TestSupport.assertBitwiseEquals(kernels().name() + " " + c + " vs mult on op(B)", viaMult, viaPacked);
    }

    /** The same multPacked twice, with another one (other sizes, other path) in between: the same bits. */
    @ParameterizedTest(name = "transB = {0}")
    @ValueSource(booleans = {false, true})
    default void multPackedIsDeterministic(boolean transB) {
        PackedCase c = new PackedCase(transB, 100, 200, 300, 257, 32, 0.5f, -2f, Layout.PADDED);
        float[] a = c.a();
        PackedMatrix packed = c.pack(kernels(), c.b(c.opB(0)));
        float[] c1 = c.c(), c2 = c.c();
        c.multiply(kernels(), a, packed, c1);
        new PackedCase(!transB, 7, 1029, 13, 1100, 16, 1f, 0f, Layout.TIGHT).runAndCheck(kernels(), kernels());
        c.multiply(kernels(), a, packed, c2);
        TestSupport.assertBitwiseEquals(kernels().name() + " " + c + " run twice", c1, c2);
        c.check(kernels().name(), c1, 0);
    }

    // =============================================================================================
    // repackB
    // =============================================================================================

    /**
     * After B changes, repackB refills the same packed matrix and multPacked gives the new
     * product, on the panel path (m = 13, col0 = 0 or 32), the plain path (col0 = 5) and the
     * unpacked path (m = 2); refilling from B stored the other way round (transB flipped, the
     * same op(B) shape) works too.
     */
    @ParameterizedTest(name = "transB = {0}")
    @ValueSource(booleans = {false, true})
    default void repackBAfterChangingBGivesTheNewProduct(boolean transB) {
        for (int m : new int[] {13, 2}) {
            for (int col0 : new int[] {0, 32, 5}) {
                PackedCase c = new PackedCase(transB, m, 33, 300, 97, col0, 0.5f, -2f, Layout.PADDED);
                PackedCase flipped = new PackedCase(!transB, m, 33, 300, 97, col0, 0.5f, -2f, Layout.SKEWED);
                String what = kernels().name() + " " + c;
                float[] a = c.a();
                PackedMatrix packed = c.pack(kernels(), c.b(c.opB(0)));
                float[] out = c.c();
                c.multiply(kernels(), a, packed, out);
                c.check(kernels().name(), out, 0);

                float[] b1 = c.b(c.opB(1));
                float[] b1Before = b1.clone();
                c.repack(kernels(), packed, b1);
                assertArrayEquals(b1Before, b1, what + ": repackB modified B");
                out = c.c();
                c.multiply(kernels(), a, packed, out);
                TestSupport.assertOutsideUntouched(what + " after repackB: C", out, c.layout().offC(), c.ldc(), m, c.n());
                c.check(kernels().name() + " after repackB", out, 1);

                flipped.repack(kernels(), packed, flipped.b(flipped.opB(2)));
                out = c.c();
                c.multiply(kernels(), a, packed, out);
                c.check(kernels().name() + " after repackB(transB = " + !transB + ")", out, 2);
            }
        }
    }

    /**
     * repackB compares an untransposed B with what it holds and copies from the first row that
     * differs: a change in B's last element alone, or of a zero's sign alone, still reaches the
     * product; refilling with the same B leaves the product as it was. m = 13 × 33 × 300 on the
     * panel path, each side of the product against the double reference.
     */
    @ParameterizedTest(name = "transB = {0}")
    @ValueSource(booleans = {false, true})
    default void repackBSeesAChangeInTheLastElementOrInAZerosSign(boolean transB) {
        PackedCase c = new PackedCase(transB, 13, 33, 300, 97, 0, 1f, 0f, Layout.PADDED);
        float[] a = c.a();
        float[] b = c.b(c.opB(0));
        PackedMatrix packed = c.pack(kernels(), b);
        float[] before = c.c();
        c.multiply(kernels(), a, packed, before);

        c.repack(kernels(), packed, b.clone());              // the same B: nothing changes
        float[] same = c.c();
        c.multiply(kernels(), a, packed, same);
        assertArrayEquals(before, same, kernels().name() + ": repacking the same B changed the product");

        float[] last = b.clone();                            // op(B)[k−1][n−1]: the last row, the last column C uses
        int at = transB ? c.layout().offB() + (c.n() - 1) * c.ldb() + 299 : c.layout().offB() + 299 * c.ldb() + c.n() - 1;
        last[at] += 1000f;
        c.repack(kernels(), packed, last);
        float[] out = c.c();
        c.multiply(kernels(), a, packed, out);
        int lastColumn = c.n() - 1;
        for (int i = 0; i < 13; i++) {
            int o = c.layout().offC() + i * c.ldc() + lastColumn;
            float expected = before[o] + 1000f * a[c.layout().offA() + i * c.lda() + 299];
            assertEquals(expected, out[o], 1e-3f * (1 + Math.abs(expected)),
                    kernels().name() + ": row " + i + " of C after changing B's last element");
        }

        float[] zeros = new float[b.length];                 // +0 everywhere, then −0 at one place
        c.repack(kernels(), packed, zeros);
        float[] signed = zeros.clone();
        signed[at] = -0f;
        c.repack(kernels(), packed, signed);
        float[] z = c.c();
        c.multiply(kernels(), a, packed, z);
        // the product cannot show a zero's sign here (A's other terms are +0 products), so check
        // the packed copy directly
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(packed.plain[299 * 97 + lastColumn]),
                kernels().name() + ": repackB kept +0 where B holds −0");
    }

    /**
     * B that cannot hold the packed k × N = 7 × 12 op(B): narrower (ldb &lt; the columns of B as
     * stored) or shorter (fewer rows), stored plainly or transposed. repackB throws before it
     * writes (the packed matrix still gives the old product) an IllegalArgumentException (its
     * documented {@code @throws}) whose message names B, the packed shape (7 and 12) and what B
     * offers instead (its leading dimension, or its length).
     */
    static Stream<Arguments> mismatchedB() {
        return Stream.of(
                // transB, rows and leading dimension of B as stored, the number B offers
                Arguments.of(false, 7, 11, "11"),  // k x 11 instead of k x 12 (ld 11 < 12)
                Arguments.of(false, 6, 12, "72"),  // 6 x 12 instead of 7 x 12 (72 < 84 elements)
                Arguments.of(true, 12, 6, "6"),    // stored 12 x 6 instead of 12 x 7 (ld 6 < 7)
                Arguments.of(true, 11, 7, "77"));  // stored 11 x 7 instead of 12 x 7 (77 < 84 elements)
    }

    @ParameterizedTest(name = "transB = {0}, B {1} rows, ld {2}")
    @MethodSource("org.rnn4j.simd.PackedGemmContract#mismatchedB")
    default void repackBFromADifferentShapedBThrows(boolean transB, int rows, int ld, String offered) {
        PackedCase c = new PackedCase(false, 5, 12, 7, 12, 0, 1f, 0f, Layout.TIGHT);
        PackedMatrix packed = c.pack(kernels(), c.b(c.opB(0)));
        float[] bad = TestSupport.random(99, rows * ld, -1, 1);
        float[] badBefore = bad.clone();
        String what = kernels().name() + " repackB(transB = " + transB + ") of a 7 x 12 packed matrix from B with "
                + rows + " rows and ld " + ld;
        RuntimeException e = assertThrows(RuntimeException.class, () -> kernels().repackB(packed, transB, bad, 0, ld),
                what);
        assertArrayEquals(badBefore, bad, what + ": B was modified");
        float[] out = c.c();
        c.multiply(kernels(), c.a(), packed, out);
        c.check(kernels().name() + " after the failed " + what, out, 0);
        String message = String.valueOf(e.getMessage());
        assertAll(what + " threw " + e,
                () -> assertInstanceOf(IllegalArgumentException.class, e, what + " (repackB's @throws)"),
                () -> assertTrue(TestSupport.mentions(message, "B"), what + ": message should name B: " + message),
                () -> assertTrue(TestSupport.mentions(message, "7") && TestSupport.mentions(message, "12"),
                        what + ": message should name the packed shape 7 x 12: " + message),
                () -> assertTrue(TestSupport.mentions(message, offered),
                        what + ": message should name what B offers (" + offered + "): " + message));
    }

    // =============================================================================================
    // A PackedMatrix moving between implementations
    // =============================================================================================

    /** The scalar kernels, the vector kernels when they run here, and the kernels under test. */
    private List<Kernels> implementations() {
        List<Kernels> all = new ArrayList<>(List.of(KernelProvider.scalar()));
        if (TestSupport.vectorAvailable()) {
            all.add(KernelProvider.vector());
        }
        all.add(kernels());
        return all;
    }

    /**
     * A matrix packed by any implementation (the scalar kernels keep only the plain copy, the
     * vector ones also their panels) multiplies correctly with the kernels under test, before
     * and after the kernels under test repack it.
     */
    @Test
    default void packedMatrixFromAnotherImplementationWorks() {
        for (Kernels packer : implementations()) {
            for (int col0 : new int[] {0, 32}) {
                boolean transB = col0 == 0;
                PackedCase c = new PackedCase(transB, 13, 33, 300, 70, col0, 0.5f, -2f, Layout.PADDED);
                String what = kernels().name() + " on a matrix packed by " + packer.name();
                c.runAndCheck(packer, kernels());
                float[] a = c.a();
                PackedMatrix packed = c.pack(packer, c.b(c.opB(0)));
                c.repack(kernels(), packed, c.b(c.opB(1)));
                float[] out = c.c();
                c.multiply(kernels(), a, packed, out);
                c.check(what + ", repacked by " + kernels().name(), out, 1);
            }
        }
    }

    /**
     * A matrix packed by the kernels under test and refilled by another implementation's repackB
     * (after B changed) gives the new product with the kernels under test.
     */
    @Test
    default void packedMatrixRepackedByAnotherImplementationWorks() {
        for (Kernels repacker : implementations()) {
            for (int col0 : new int[] {0, 32}) {
                boolean transB = col0 != 0;
                PackedCase c = new PackedCase(transB, 13, 33, 300, 70, col0, 0.5f, -2f, Layout.PADDED);
                float[] a = c.a();
                PackedMatrix packed = c.pack(kernels(), c.b(c.opB(0)));
                repacker.repackB(packed, transB, c.b(c.opB(1)), c.layout().offB(), c.ldb());
                float[] out = c.c();
                c.multiply(kernels(), a, packed, out);
                c.check(kernels().name() + " on a matrix packed by " + kernels().name() + ", repacked by "
                        + repacker.name(), out, 1);
            }
        }
    }

    // =============================================================================================
    // Argument errors
    // =============================================================================================

    /** packB(false, k = 7, N = 9) of x[1], then multPacked into C = x[2] from A = x[0]. */
    private static void multPacked(Kernels kk, float[][] x, int m, int n, int aOff, int lda, int col0,
                                   int cOff, int ldc) {
        PackedMatrix packed = kk.packB(false, 7, 9, x[1], 0, 9);
        kk.multPacked(m, n, 1f, x[0], aOff, lda, packed, col0, 0.5f, x[2], cOff, ldc);
    }

    /**
     * Bad arguments of packB and multPacked (m = 4, k = 7, N = 9, columns [2, 7) unless the case
     * says otherwise): each throws naming the argument and the offending numbers, and A, B and
     * C are unchanged.
     */
    static Stream<ErrorCase> packedArgumentErrors() {
        Class<IllegalArgumentException> iae = IllegalArgumentException.class;
        Class<IndexOutOfBoundsException> ioobe = IndexOutOfBoundsException.class;
        Class<NullPointerException> npe = NullPointerException.class;
        Supplier<float[][]> ok = () -> new float[][] {KernelsContract.data(28), KernelsContract.data(63),
                                                      KernelsContract.data(20)};
        List<ErrorCase> out = new ArrayList<>();
        String p = "multPacked 4 x [2, 7) x 7 of a 7 x 9 packed B: ";
        out.add(new ErrorCase(p + "col0 < 0", ioobe, List.of("col0", "-1"), ok,
                (kk, x) -> multPacked(kk, x, 4, 5, 0, 7, -1, 0, 5)));
        out.add(new ErrorCase(p + "col0 + n > N (col0 = 5, n = 5)", ioobe, List.of("col0", "5", "9"), ok,
                (kk, x) -> multPacked(kk, x, 4, 5, 0, 7, 5, 0, 5)));
        out.add(new ErrorCase(p + "col0 = N + 1 with n = 0", ioobe, List.of("col0", "10", "9"), ok,
                (kk, x) -> multPacked(kk, x, 4, 0, 0, 7, 10, 0, 5)));
        out.add(new ErrorCase(p + "m < 0", iae, List.of("m", "-1"), ok,
                (kk, x) -> multPacked(kk, x, -1, 5, 0, 7, 2, 0, 5)));
        out.add(new ErrorCase(p + "n < 0", iae, List.of("n", "-2"), ok,
                (kk, x) -> multPacked(kk, x, 4, -2, 0, 7, 2, 0, 5)));
        out.add(new ErrorCase(p + "A one element short", ioobe, List.of("A", "28", "27"),
                () -> new float[][] {KernelsContract.data(27), KernelsContract.data(63), KernelsContract.data(20)},
                (kk, x) -> multPacked(kk, x, 4, 5, 0, 7, 2, 0, 5)));
        out.add(new ErrorCase(p + "A offset past the end", ioobe, List.of("A", "2", "30", "28"), ok,
                (kk, x) -> multPacked(kk, x, 4, 5, 2, 7, 2, 0, 5)));
        out.add(new ErrorCase(p + "lda < k", iae, List.of("leading dimension", "A", "7", "6"), ok,
                (kk, x) -> multPacked(kk, x, 4, 5, 0, 6, 2, 0, 5)));
        out.add(new ErrorCase(p + "C one element short", ioobe, List.of("C", "20", "19"),
                () -> new float[][] {KernelsContract.data(28), KernelsContract.data(63), KernelsContract.data(19)},
                (kk, x) -> multPacked(kk, x, 4, 5, 0, 7, 2, 0, 5)));
        out.add(new ErrorCase(p + "ldc < n", iae, List.of("leading dimension", "C", "5", "4"), ok,
                (kk, x) -> multPacked(kk, x, 4, 5, 0, 7, 2, 0, 4)));
        out.add(new ErrorCase(p + "negative offset of C", ioobe, List.of("C", "-1"), ok,
                (kk, x) -> multPacked(kk, x, 4, 5, 0, 7, 2, -1, 5)));
        out.add(new ErrorCase(p + "A null", npe, List.of("A"),
                () -> new float[][] {null, KernelsContract.data(63), KernelsContract.data(20)},
                (kk, x) -> multPacked(kk, x, 4, 5, 0, 7, 2, 0, 5)));
        out.add(new ErrorCase(p + "C null", npe, List.of("C"),
                () -> new float[][] {KernelsContract.data(28), KernelsContract.data(63), null},
                (kk, x) -> multPacked(kk, x, 4, 5, 0, 7, 2, 0, 5)));
        out.add(new ErrorCase("multPacked packed B null", npe, List.of("packed"), ok,
                (kk, x) -> kk.multPacked(4, 5, 1f, x[0], 0, 7, null, 0, 0.5f, x[2], 0, 5)));

        // above PARALLEL_MIN_FLOPS, so that the parallel views would split it: still checked first
        Supplier<float[][]> big = () -> new float[][] {KernelsContract.data(200 * 150),
                                                       KernelsContract.data(150 * 310), KernelsContract.data(200 * 300)};
        String q = "multPacked 200 x [16, 316) x 150 of a 150 x 310 packed B (parallel size): ";
        out.add(new ErrorCase(q + "col0 + n > N", ioobe, List.of("col0", "16", "310"), big,
                (kk, x) -> kk.multPacked(200, 300, 1f, x[0], 0, 150, kk.packB(false, 150, 310, x[1], 0, 310),
                        16, 0.5f, x[2], 0, 300)));
        out.add(new ErrorCase(q.replace("[16, 316)", "[8, 308)") + "C one element short", ioobe,
                List.of("C", String.valueOf(200 * 300), String.valueOf(200 * 300 - 1)),
                () -> new float[][] {KernelsContract.data(200 * 150), KernelsContract.data(150 * 310),
                                     KernelsContract.data(200 * 300 - 1)},
                (kk, x) -> kk.multPacked(200, 300, 1f, x[0], 0, 150, kk.packB(false, 150, 310, x[1], 0, 310),
                        8, 0.5f, x[2], 0, 300)));

        // packB(transB, k = 7, N = 9)
        Supplier<float[][]> b = () -> new float[][] {KernelsContract.data(63)};
        out.add(new ErrorCase("packB k < 0", iae, List.of("k", "-1"), b, (kk, x) -> kk.packB(false, -1, 9, x[0], 0, 9)));
        out.add(new ErrorCase("packB n < 0", iae, List.of("n", "-3"), b, (kk, x) -> kk.packB(true, 7, -3, x[0], 0, 7)));
        out.add(new ErrorCase("packB B one element short", ioobe, List.of("B", "63", "62"),
                () -> new float[][] {KernelsContract.data(62)}, (kk, x) -> kk.packB(false, 7, 9, x[0], 0, 9)));
        out.add(new ErrorCase("packB(transB) B offset past the end", ioobe, List.of("B", "1", "64", "63"), b,
                (kk, x) -> kk.packB(true, 7, 9, x[0], 1, 7)));
        out.add(new ErrorCase("packB ldb < N", iae, List.of("leading dimension", "B", "9", "8"), b,
                (kk, x) -> kk.packB(false, 7, 9, x[0], 0, 8)));
        out.add(new ErrorCase("packB(transB) ldb < k", iae, List.of("leading dimension", "B", "7", "6"), b,
                (kk, x) -> kk.packB(true, 7, 9, x[0], 0, 6)));
        out.add(new ErrorCase("packB B null", npe, List.of("B"), () -> new float[][] {null},
                (kk, x) -> kk.packB(false, 7, 9, x[0], 0, 9)));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.rnn4j.simd.PackedGemmContract#packedArgumentErrors")
    default void packedArgumentErrorsAreReportedBeforeAnyWrite(ErrorCase e) {
        KernelsContract.assertFailsBeforeAnyWrite(kernels(), e);
    }
}
