package org.rnn4j.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.rnn4j.simd.LstmContract.assertNear;
import static org.rnn4j.simd.LstmContract.placed;
import static org.rnn4j.simd.LstmContract.preActivations;
import static org.rnn4j.simd.LstmContract.sigmoid;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract of the fused GRU epilogues ({@link Kernels#gruForward}, {@link Kernels#gruBackward}),
 * mixed into {@link KernelsContract} so that every implementation runs it, against the formulas
 * of their javadoc evaluated in double.
 *
 * <p>Work rows are 4n wide: [a_r | a_z | a_hn | a_xn] in, [r | z | a_hn | ñ] out. Read-only arrays
 * are NaN-padded; written ones are surrounded by {@link TestSupport#SENTINEL}.
 *
 * <p>Tolerances. Forward: r, z and ñ each carry the activation error E
 * ({@link Activation#VECTOR_MAX_ABS_ERROR}) plus float rounding; r's error reaches ñ multiplied
 * by |a_hn|, and z's reaches h multiplied by |h_prev − ñ|; the bound adds these and allows twice
 * the sum. Backward takes the float gates as given, so the only error is float rounding of a
 * product of at most five factors: 8u times the magnitude of the product. A wrong block, factor
 * or sign is off by the order of the terms themselves.
 */
interface GruContract {

    Kernels kernels();

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {1, 3, 7, 8, 13, 16, 31, 33, 129})
    default void gruForwardMatchesReference(int n) {
        for (int m : new int[] {1, 2, 5}) {
            for (int off : new int[] {0, 3}) {
                checkForward(m, n, off);
            }
        }
    }

    private void checkForward(int m, int n, int off) {
        long seed = 7000L * n + 10L * m + off;
        float[] pre = preActivations(4 * m * n, seed);
        float[] hp = TestSupport.random(seed + 1, m * n, -1, 1);
        float[] gates = placed(pre, off, TestSupport.SENTINEL, 3);
        float[] hPrev = placed(hp, off + 1, Float.NaN, 0);
        float[] h = TestSupport.filled(off + 2 + m * n + 3, TestSupport.SENTINEL);
        float[] hPrevBefore = hPrev.clone();
        kernels().gruForward(m, n, gates, off, hPrev, off + 1, h, off + 2);

        String what = kernels().name() + " gruForward m=" + m + " n=" + n + " offset=" + off;
        assertArrayEquals(hPrevBefore, hPrev, what + ": hPrev was modified");
        TestSupport.assertOutsideUntouched(what + ": gates", gates, off, 4 * n, m, 4 * n);
        TestSupport.assertOutsideUntouched(what + ": h", h, off + 2, n, m, n);
        double e = Activation.VECTOR_MAX_ABS_ERROR + 2 * TestSupport.U;
        for (int row = 0; row < m; row++) {
            for (int j = 0; j < n; j++) {
                int q = 4 * row * n + j;
                double ar = pre[q];
                double az = pre[q + n];
                double ahn = pre[q + 2 * n];
                double axn = pre[q + 3 * n];
                double r = sigmoid(ar);
                double z = sigmoid(az);
                double a = axn + r * ahn;
                double cand = Math.tanh(a);
                double hPrevJ = hp[row * n + j];
                double hj = (1 - z) * cand + z * hPrevJ;
                String at = what + " [" + row + "][" + j + "]";
                assertNear(at + " r (a = " + ar + ")", r, gates[off + q], 2 * e);
                assertNear(at + " z (a = " + az + ")", z, gates[off + q + n], 2 * e);
                assertNear(at + " a_hn kept", ahn, gates[off + q + 2 * n], 0);
                double eCand = 2 * e * Math.abs(ahn) + TestSupport.U * (Math.abs(axn) + Math.abs(r * ahn)) + e;
                assertNear(at + " ñ (a = " + a + ")", cand, gates[off + q + 3 * n], 2 * eCand);
                double eH = eCand * (1 + z) + 2 * e * Math.abs(hPrevJ - cand)
                        + 2 * TestSupport.U * (Math.abs(cand) + Math.abs(z * (hPrevJ - cand)));
                assertNear(at + " h", hj, h[off + 2 + row * n + j], 2 * eH);
            }
        }
    }

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {1, 3, 7, 8, 13, 16, 31, 33, 129})
    default void gruBackwardMatchesReference(int n) {
        for (int m : new int[] {1, 2, 5}) {
            for (int off : new int[] {0, 5}) {
                checkBackward(m, n, off);
            }
        }
    }

    private void checkBackward(int m, int n, int off) {
        long seed = 9000L * n + 10L * m + off;
        // Gates as a forward pass leaves them: r, z in (0, 1), a_hn any, ñ in (−1, 1).
        float[] g = new float[4 * m * n];
        float[] raw = preActivations(4 * m * n, seed);
        for (int row = 0; row < m; row++) {
            for (int j = 0; j < n; j++) {
                int q = 4 * row * n + j;
                g[q] = (float) sigmoid(raw[q]);
                g[q + n] = (float) sigmoid(raw[q + n]);
                g[q + 2 * n] = raw[q + 2 * n];
                g[q + 3 * n] = (float) Math.tanh(raw[q + 3 * n]);
            }
        }
        float[] hp = TestSupport.random(seed + 1, m * n, -1, 1);
        float[] d0 = TestSupport.random(seed + 2, m * n, -2, 2);
        float[] gates = placed(g, off, Float.NaN, 0);
        float[] hPrev = placed(hp, off + 2, Float.NaN, 0);
        float[] dh = placed(d0, off + 1, TestSupport.SENTINEL, 3);
        float[] dGates = TestSupport.filled(off + 3 + 4 * m * n + 3, TestSupport.SENTINEL);
        float[] gatesBefore = gates.clone();
        kernels().gruBackward(m, n, gates, off, hPrev, off + 2, dh, off + 1, dGates, off + 3);

        String what = kernels().name() + " gruBackward m=" + m + " n=" + n + " offset=" + off;
        assertArrayEquals(gatesBefore, gates, what + ": gates were modified");
        TestSupport.assertOutsideUntouched(what + ": dh", dh, off + 1, n, m, n);
        TestSupport.assertOutsideUntouched(what + ": dGates", dGates, off + 3, 4 * n, m, 4 * n);
        double u8 = 8 * TestSupport.U;
        for (int row = 0; row < m; row++) {
            for (int j = 0; j < n; j++) {
                int q = 4 * row * n + j;
                double r = g[q];
                double z = g[q + n];
                double ahn = g[q + 2 * n];
                double cand = g[q + 3 * n];
                double d = d0[row * n + j];
                double hPrevJ = hp[row * n + j];
                double dan = d * (1 - z) * (1 - cand * cand);
                double dar = dan * ahn * r * (1 - r);
                double daz = d * (hPrevJ - cand) * z * (1 - z);
                String at = what + " [" + row + "][" + j + "]";
                int dg = off + 3 + q;
                // 1 − ñ² in float loses u absolute (not relative) when |ñ| is near 1.
                double base = Math.abs(d * (1 - z)) * (Math.abs(1 - cand * cand) + cand * cand);
                assertNear(at + " da_r", dar, dGates[dg], u8 * base * Math.abs(ahn * r * (1 - r)));
                assertNear(at + " da_z", daz, dGates[dg + n],
                        u8 * Math.abs(d * z * (1 - z)) * (Math.abs(hPrevJ) + Math.abs(cand)));
                assertNear(at + " da_hn", dan * r, dGates[dg + 2 * n], u8 * base * r);
                assertNear(at + " da_xn", dan, dGates[dg + 3 * n], u8 * base);
                assertNear(at + " δ∘z", d * z, dh[off + 1 + row * n + j], u8 * Math.abs(d * z));
            }
        }
    }
}
