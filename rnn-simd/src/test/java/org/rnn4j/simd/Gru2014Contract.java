package org.rnn4j.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.rnn4j.simd.LstmContract.assertNear;
import static org.rnn4j.simd.LstmContract.placed;
import static org.rnn4j.simd.LstmContract.preActivations;
import static org.rnn4j.simd.LstmContract.sigmoid;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.simd.KernelsContract.ErrorCase;

/**
 * The contract of the 2014 GRU's fused epilogues ({@link Kernels#gru2014Reset},
 * {@link Kernels#gru2014Forward}, {@link Kernels#gru2014Backward},
 * {@link Kernels#gru2014ResetBackward}), mixed into {@link KernelsContract} so that every
 * implementation runs it, against the formulas of their javadoc evaluated in double.
 *
 * <p>Work rows are 4n wide, [a_r | a_z | a_n | r∘h_{t−1}]. Each kernel writes only the blocks its
 * javadoc names: the others are filled with {@link TestSupport#SENTINEL} (or hold values that
 * must come back bitwise), read-only arrays are NaN-padded and compared bitwise after the call,
 * written ones are surrounded by the sentinel.
 *
 * <p>Tolerances, as in {@link GruContract}: an activated value carries the activation error E
 * ({@link Activation#VECTOR_MAX_ABS_ERROR}) plus float rounding, and reaches a result multiplied
 * by the factors beside it; a product of at most five float factors is off by 8u of its
 * magnitude. Each bound allows twice its sum. A wrong block, factor or sign is off by the order
 * of the terms themselves.
 */
interface Gru2014Contract {

    Kernels kernels();

    /** E plus float rounding: the error of one activated value. */
    private static double activationError() {
        return Activation.VECTOR_MAX_ABS_ERROR + 2 * TestSupport.U;
    }

    /** Gates as a forward pass leaves them, [r | z | ñ | r∘h_prev]: r, z in (0, 1), ñ in (−1, 1). */
    private static float[] storedGates(int m, int n, float[] hp, long seed) {
        float[] g = new float[4 * m * n];
        float[] raw = preActivations(4 * m * n, seed);
        for (int row = 0; row < m; row++) {
            for (int j = 0; j < n; j++) {
                int q = 4 * row * n + j;
                g[q] = (float) sigmoid(raw[q]);
                g[q + n] = (float) sigmoid(raw[q + n]);
                g[q + 2 * n] = (float) Math.tanh(raw[q + 2 * n]);
                g[q + 3 * n] = g[q] * hp[row * n + j];
            }
        }
        return g;
    }

    /** Block {@code block} of every row of the work rows at {@code off} still holds the sentinel. */
    private static void assertBlockUntouched(String what, float[] w, int off, int m, int n, int block) {
        for (int row = 0; row < m; row++) {
            for (int j = 0; j < n; j++) {
                float v = w[off + 4 * row * n + block * n + j];
                if (Float.floatToRawIntBits(v) != Float.floatToRawIntBits(TestSupport.SENTINEL)) {
                    throw new AssertionError(what + ": block " + block + " [" + row + "][" + j + "] was written: " + v);
                }
            }
        }
    }

    // =============================================================================================
    // Forward
    // =============================================================================================

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {1, 3, 7, 8, 13, 16, 31, 33, 129})
    default void gru2014ResetMatchesReference(int n) {
        for (int m : new int[] {1, 2, 5}) {
            for (int off : new int[] {0, 3}) {
                long seed = 11000L * n + 10L * m + off;
                float[] pre = preActivations(4 * m * n, seed);
                float[] hp = TestSupport.random(seed + 1, m * n, -1, 1);
                float[] gates = placed(pre, off, TestSupport.SENTINEL, 3);
                float[] hPrev = placed(hp, off + 1, Float.NaN, 0);
                float[] hPrevBefore = hPrev.clone();
                kernels().gru2014Reset(m, n, gates, off, hPrev, off + 1);

                String what = kernels().name() + " gru2014Reset m=" + m + " n=" + n + " offset=" + off;
                assertArrayEquals(hPrevBefore, hPrev, what + ": hPrev was modified");
                TestSupport.assertOutsideUntouched(what + ": gates", gates, off, 4 * n, m, 4 * n);
                double e = activationError();
                for (int row = 0; row < m; row++) {
                    for (int j = 0; j < n; j++) {
                        int q = 4 * row * n + j;
                        double r = sigmoid(pre[q]);
                        double z = sigmoid(pre[q + n]);
                        double h = hp[row * n + j];
                        String at = what + " [" + row + "][" + j + "]";
                        assertNear(at + " r (a = " + pre[q] + ")", r, gates[off + q], 2 * e);
                        assertNear(at + " z (a = " + pre[q + n] + ")", z, gates[off + q + n], 2 * e);
                        // a_n is completed by the caller's product after this kernel: left bitwise as it was
                        assertNear(at + " a_n kept", pre[q + 2 * n], gates[off + q + 2 * n], 0);
                        assertNear(at + " r∘h_prev", r * h, gates[off + q + 3 * n],
                                2 * (e * Math.abs(h) + TestSupport.U * Math.abs(r * h)));
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {1, 3, 7, 8, 13, 16, 31, 33, 129})
    default void gru2014ForwardMatchesReference(int n) {
        for (int m : new int[] {1, 2, 5}) {
            for (int off : new int[] {0, 3}) {
                long seed = 12000L * n + 10L * m + off;
                float[] hp = TestSupport.random(seed + 1, m * n, -1, 1);
                // [r | z | a_n | r∘h]: r, z activated, a_n a complete pre-activation (with the specials)
                float[] in = storedGates(m, n, hp, seed);
                float[] an = preActivations(m * n, seed + 2);
                for (int row = 0; row < m; row++) {
                    System.arraycopy(an, row * n, in, 4 * row * n + 2 * n, n);
                }
                float[] gates = placed(in, off, TestSupport.SENTINEL, 3);
                float[] hPrev = placed(hp, off + 1, Float.NaN, 0);
                float[] h = TestSupport.filled(off + 2 + m * n + 3, TestSupport.SENTINEL);
                float[] hPrevBefore = hPrev.clone();
                kernels().gru2014Forward(m, n, gates, off, hPrev, off + 1, h, off + 2);

                String what = kernels().name() + " gru2014Forward m=" + m + " n=" + n + " offset=" + off;
                assertArrayEquals(hPrevBefore, hPrev, what + ": hPrev was modified");
                TestSupport.assertOutsideUntouched(what + ": gates", gates, off, 4 * n, m, 4 * n);
                TestSupport.assertOutsideUntouched(what + ": h", h, off + 2, n, m, n);
                double e = activationError();
                for (int row = 0; row < m; row++) {
                    for (int j = 0; j < n; j++) {
                        int q = 4 * row * n + j;
                        double z = in[q + n];
                        double a = an[row * n + j];
                        double cand = Math.tanh(a);
                        double hPrevJ = hp[row * n + j];
                        double hj = (1 - z) * cand + z * hPrevJ;
                        String at = what + " [" + row + "][" + j + "]";
                        assertNear(at + " r kept", in[q], gates[off + q], 0);
                        assertNear(at + " z kept", z, gates[off + q + n], 0);
                        assertNear(at + " r∘h_prev kept", in[q + 3 * n], gates[off + q + 3 * n], 0);
                        assertNear(at + " ñ (a = " + a + ")", cand, gates[off + q + 2 * n], 2 * e);
                        double eH = e * (1 + z) + 2 * TestSupport.U * (Math.abs(cand) + Math.abs(hPrevJ) + Math.abs(hj));
                        assertNear(at + " h", hj, h[off + 2 + row * n + j], 2 * eH);
                    }
                }
            }
        }
    }

    // =============================================================================================
    // Backward
    // =============================================================================================

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {1, 3, 7, 8, 13, 16, 31, 33, 129})
    default void gru2014BackwardMatchesReference(int n) {
        for (int m : new int[] {1, 2, 5}) {
            for (int off : new int[] {0, 5}) {
                long seed = 13000L * n + 10L * m + off;
                float[] hp = TestSupport.random(seed + 1, m * n, -1, 1);
                float[] g = storedGates(m, n, hp, seed);
                float[] d0 = TestSupport.random(seed + 2, m * n, -2, 2);
                float[] gates = placed(g, off, Float.NaN, 0);
                float[] hPrev = placed(hp, off + 2, Float.NaN, 0);
                float[] dh = placed(d0, off + 1, Float.NaN, 0);
                float[] dGates = TestSupport.filled(off + 3 + 4 * m * n + 3, TestSupport.SENTINEL);
                float[] gatesBefore = gates.clone();
                float[] dhBefore = dh.clone();
                kernels().gru2014Backward(m, n, gates, off, hPrev, off + 2, dh, off + 1, dGates, off + 3);

                String what = kernels().name() + " gru2014Backward m=" + m + " n=" + n + " offset=" + off;
                assertArrayEquals(gatesBefore, gates, what + ": gates were modified");
                assertArrayEquals(dhBefore, dh, what + ": dh was modified (it is only read)");
                TestSupport.assertOutsideUntouched(what + ": dGates", dGates, off + 3, 4 * n, m, 4 * n);
                assertBlockUntouched(what + ": dGates", dGates, off + 3, m, n, 0);
                assertBlockUntouched(what + ": dGates", dGates, off + 3, m, n, 3);
                double u8 = 8 * TestSupport.U;
                for (int row = 0; row < m; row++) {
                    for (int j = 0; j < n; j++) {
                        int q = 4 * row * n + j;
                        double z = g[q + n];
                        double cand = g[q + 2 * n];
                        double d = d0[row * n + j];
                        double hPrevJ = hp[row * n + j];
                        String at = what + " [" + row + "][" + j + "]";
                        int dg = off + 3 + q;
                        assertNear(at + " da_z", d * (hPrevJ - cand) * z * (1 - z), dGates[dg + n],
                                u8 * Math.abs(d * z * (1 - z)) * (Math.abs(hPrevJ) + Math.abs(cand)));
                        // 1 − ñ² in float loses u absolute (not relative) when |ñ| is near 1.
                        double base = Math.abs(d * (1 - z)) * (Math.abs(1 - cand * cand) + cand * cand);
                        assertNear(at + " da_n", d * (1 - z) * (1 - cand * cand), dGates[dg + 2 * n], u8 * base);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {1, 3, 7, 8, 13, 16, 31, 33, 129})
    default void gru2014ResetBackwardMatchesReference(int n) {
        for (int m : new int[] {1, 2, 5}) {
            for (int off : new int[] {0, 5}) {
                long seed = 14000L * n + 10L * m + off;
                float[] hp = TestSupport.random(seed + 1, m * n, -1, 1);
                float[] g = storedGates(m, n, hp, seed);
                float[] d0 = TestSupport.random(seed + 2, m * n, -2, 2);
                // dGates: block 3 = ∂L/∂(r∘h_prev) in; blocks 1, 2 hold values that must stay; block 0 out
                float[] dg0 = TestSupport.random(seed + 3, 4 * m * n, -3, 3);
                for (int row = 0; row < m; row++) {
                    java.util.Arrays.fill(dg0, 4 * row * n, 4 * row * n + n, TestSupport.SENTINEL);
                }
                float[] gates = placed(g, off, Float.NaN, 0);
                float[] hPrev = placed(hp, off + 2, Float.NaN, 0);
                float[] dh = placed(d0, off + 1, TestSupport.SENTINEL, 3);
                float[] dGates = placed(dg0, off + 3, TestSupport.SENTINEL, 3);
                float[] gatesBefore = gates.clone();
                kernels().gru2014ResetBackward(m, n, gates, off, hPrev, off + 2, dh, off + 1, dGates, off + 3);

                String what = kernels().name() + " gru2014ResetBackward m=" + m + " n=" + n + " offset=" + off;
                assertArrayEquals(gatesBefore, gates, what + ": gates were modified");
                TestSupport.assertOutsideUntouched(what + ": dh", dh, off + 1, n, m, n);
                TestSupport.assertOutsideUntouched(what + ": dGates", dGates, off + 3, 4 * n, m, 4 * n);
                double u8 = 8 * TestSupport.U;
                for (int row = 0; row < m; row++) {
                    for (int j = 0; j < n; j++) {
                        int q = 4 * row * n + j;
                        double r = g[q];
                        double z = g[q + n];
                        double grh = dg0[q + 3 * n];
                        double d = d0[row * n + j];
                        double hPrevJ = hp[row * n + j];
                        String at = what + " [" + row + "][" + j + "]";
                        int dg = off + 3 + q;
                        assertNear(at + " da_z kept", dg0[q + n], dGates[dg + n], 0);
                        assertNear(at + " da_n kept", dg0[q + 2 * n], dGates[dg + 2 * n], 0);
                        assertNear(at + " ∂L/∂(r∘h) kept", grh, dGates[dg + 3 * n], 0);
                        double dar = grh * hPrevJ * r * (1 - r);
                        assertNear(at + " da_r", dar, dGates[dg], u8 * Math.abs(dar));
                        double dhPrev = d * z + grh * r;
                        assertNear(at + " δ∘z + g∘r", dhPrev, dh[off + 1 + row * n + j],
                                u8 * (Math.abs(d * z) + Math.abs(grh * r)));
                    }
                }
            }
        }
    }

    // =============================================================================================
    // Argument errors
    // =============================================================================================

    /**
     * Bad arguments (m = 2, n = 3: work rows of 24, the other matrices of 6): each throws naming
     * the array and the offending numbers, and no array is written.
     */
    static Stream<ErrorCase> gru2014ArgumentErrors() {
        Class<IllegalArgumentException> iae = IllegalArgumentException.class;
        Class<IndexOutOfBoundsException> ioobe = IndexOutOfBoundsException.class;
        Class<NullPointerException> npe = NullPointerException.class;
        List<ErrorCase> out = new ArrayList<>();

        // gru2014Reset: gates, hPrev = x[0], x[1]
        String p = "gru2014Reset 2 x 3: ";
        out.add(new ErrorCase(p + "m < 0", iae, List.of("m", "-1"), arrays(24, 6),
                (kk, x) -> kk.gru2014Reset(-1, 3, x[0], 0, x[1], 0)));
        out.add(new ErrorCase(p + "n < 0", iae, List.of("n", "-3"), arrays(24, 6),
                (kk, x) -> kk.gru2014Reset(2, -3, x[0], 0, x[1], 0)));
        out.add(new ErrorCase(p + "gates one element short", ioobe, List.of("gates", "24", "23"), arrays(23, 6),
                (kk, x) -> kk.gru2014Reset(2, 3, x[0], 0, x[1], 0)));
        out.add(new ErrorCase(p + "hPrev offset past the end", ioobe, List.of("hPrev", "6", "1"), arrays(24, 6),
                (kk, x) -> kk.gru2014Reset(2, 3, x[0], 0, x[1], 1)));
        out.add(new ErrorCase(p + "gates null", npe, List.of("gates"), nullAt(0, 24, 6),
                (kk, x) -> kk.gru2014Reset(2, 3, x[0], 0, x[1], 0)));

        // gru2014Forward: gates, hPrev, h = x[0..2]
        String f = "gru2014Forward 2 x 3: ";
        out.add(new ErrorCase(f + "gates offset past the end", ioobe, List.of("gates", "1", "24"), arrays(24, 6, 6),
                (kk, x) -> kk.gru2014Forward(2, 3, x[0], 1, x[1], 0, x[2], 0)));
        out.add(new ErrorCase(f + "hPrev one element short", ioobe, List.of("hPrev", "6", "5"), arrays(24, 5, 6),
                (kk, x) -> kk.gru2014Forward(2, 3, x[0], 0, x[1], 0, x[2], 0)));
        out.add(new ErrorCase(f + "h one element short", ioobe, List.of("h", "6", "5"), arrays(24, 6, 5),
                (kk, x) -> kk.gru2014Forward(2, 3, x[0], 0, x[1], 0, x[2], 0)));
        out.add(new ErrorCase(f + "h null", npe, List.of("h"), nullAt(2, 24, 6, 6),
                (kk, x) -> kk.gru2014Forward(2, 3, x[0], 0, x[1], 0, x[2], 0)));

        // gru2014Backward and gru2014ResetBackward: gates, hPrev, dh, dGates = x[0..3]
        for (boolean reset : new boolean[] {false, true}) {
            String b = (reset ? "gru2014ResetBackward" : "gru2014Backward") + " 2 x 3: ";
            out.add(new ErrorCase(b + "m < 0", iae, List.of("m", "-2"), arrays(24, 6, 6, 24),
                    (kk, x) -> backward(kk, reset, -2, 3, x, 0)));
            out.add(new ErrorCase(b + "gates one element short", ioobe, List.of("gates", "24", "23"),
                    arrays(23, 6, 6, 24), (kk, x) -> backward(kk, reset, 2, 3, x, 0)));
            out.add(new ErrorCase(b + "dh one element short", ioobe, List.of("dh", "6", "5"),
                    arrays(24, 6, 5, 24), (kk, x) -> backward(kk, reset, 2, 3, x, 0)));
            out.add(new ErrorCase(b + "dGates one element short", ioobe, List.of("dGates", "24", "23"),
                    arrays(24, 6, 6, 23), (kk, x) -> backward(kk, reset, 2, 3, x, 0)));
            out.add(new ErrorCase(b + "dGates offset past the end", ioobe, List.of("dGates", "2", "24"),
                    arrays(24, 6, 6, 24), (kk, x) -> backward(kk, reset, 2, 3, x, 2)));
            out.add(new ErrorCase(b + "dGates null", npe, List.of("dGates"), nullAt(3, 24, 6, 6, 24),
                    (kk, x) -> backward(kk, reset, 2, 3, x, 0)));
        }
        return out.stream();
    }

    private static Supplier<float[][]> arrays(int... sizes) {
        return () -> {
            float[][] x = new float[sizes.length][];
            for (int i = 0; i < sizes.length; i++) {
                x[i] = KernelsContract.data(sizes[i]);
            }
            return x;
        };
    }

    private static Supplier<float[][]> nullAt(int index, int... sizes) {
        return () -> {
            float[][] x = arrays(sizes).get();
            x[index] = null;
            return x;
        };
    }

    private static void backward(Kernels kk, boolean reset, int m, int n, float[][] x, int dgOff) {
        if (reset) {
            kk.gru2014ResetBackward(m, n, x[0], 0, x[1], 0, x[2], 0, x[3], dgOff);
        } else {
            kk.gru2014Backward(m, n, x[0], 0, x[1], 0, x[2], 0, x[3], dgOff);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.rnn4j.simd.Gru2014Contract#gru2014ArgumentErrors")
    default void gru2014ArgumentErrorsAreReportedBeforeAnyWrite(ErrorCase e) {
        KernelsContract.assertFailsBeforeAnyWrite(kernels(), e);
    }
}
