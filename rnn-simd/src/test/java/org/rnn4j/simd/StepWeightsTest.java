package org.rnn4j.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * bfloat16 storage of {@link StepWeights}: the rounding (to nearest, ties to even, against a
 * rounding done in double from the definition), the refusal of weights with no finite bfloat16,
 * and the error of a bfloat16 step against the float weights within the documented
 * {@code 2^−8·Σ|a·w|} plus the chain's rounding.
 */
class StepWeightsTest {

    /** The bfloat16 nearest to v by the definition: 8 significant bits, ties to the even one. */
    static float nearestBfloat16(float v) {
        if (v == 0 || !Float.isFinite(v)) {
            return v;
        }
        int exp = Math.getExponent(v);                        // v = 1.f × 2^exp (subnormals: exp = −127)
        double ulp = Math.scalb(1.0, Math.max(exp, -126) - 7);   // spacing of 8-bit significands
        double q = v / ulp;
        double lo = Math.floor(q);
        double r = q - lo;
        double pick = r > 0.5 ? lo + 1 : r < 0.5 ? lo : (lo % 2 == 0 ? lo : lo + 1);
        return Math.copySign((float) (pick * ulp), v);   // a tiny negative rounds to −0
    }

    @Test
    void roundsToNearestTiesToEven() {
        assertEquals(1f, StepWeights.roundToBfloat16(1f));
        // 1 + 2^-8 is halfway between 1 and 1 + 2^-7: ties to even (1)
        assertEquals(1f, StepWeights.roundToBfloat16(1f + 0x1p-8f));
        // 1 + 3·2^-8 is halfway between 1 + 2^-7 and 1 + 2^-6: ties to even (1 + 2^-6)
        assertEquals(1f + 0x1p-6f, StepWeights.roundToBfloat16(1f + 3 * 0x1p-8f));
        assertEquals(-1f - 0x1p-7f, StepWeights.roundToBfloat16(-1f - 0x1p-7f - 0x1p-10f));
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < 200_000; i++) {
            float v = Float.intBitsToFloat(rnd.nextInt());
            if (!Float.isFinite(v) || Math.abs(v) > 3.38e38f) {
                continue;
            }
            float expected = nearestBfloat16(v);
            float got = StepWeights.roundToBfloat16(v);
            assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(got), "bfloat16 of " + v);
            if (Math.abs(v) >= Float.MIN_NORMAL) {
                assertTrue(Math.abs(got - v) <= 0x1p-8 * Math.abs(v), "relative error of " + v);
            }
        }
    }

    @Test
    void weightsWithNoFiniteBfloat16AreRefused() {
        Kernels k = KernelProvider.scalar();
        float[] wx = {1f, Float.MAX_VALUE, 0.5f};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> k.packStep(1, 3, wx, 0, 1, null, 0, 0, new float[3], 0, StepWeights.Storage.BFLOAT16));
        assertTrue(e.getMessage().contains("W_x[0][1]"), e.getMessage());
        // float storage keeps it
        k.packStep(1, 3, wx, 0, 1, null, 0, 0, new float[3], 0, StepWeights.Storage.FLOAT32);
    }

    /** Half the bytes: (d + r) · V · lanes floats become pairs of 16-bit weights. */
    @Test
    void bfloat16HalvesTheBytes() {
        Kernels k = KernelProvider.get();
        int g = 4, n = 128, d = 128;
        float[] wx = new float[d * g * n];
        float[] wh = new float[n * g * n];
        StepWeights f = k.packStep(g, n, wx, 0, d, wh, 0, n, new float[g * n], 0, StepWeights.Storage.FLOAT32);
        StepWeights b = k.packStep(g, n, wx, 0, d, wh, 0, n, new float[g * n], 0, StepWeights.Storage.BFLOAT16);
        assertEquals(4L * (d + n) * g * n, f.bytes());
        assertEquals(2L * (d + n) * g * n, b.bytes());
    }

    /** A bfloat16 step against float weights: within 2^−8·Σ|a·w| + γ_K·(|b| + Σ|a·w|). */
    @Test
    void bfloat16StepIsWithinTheDocumentedBoundOfTheFloatStep() {
        for (Kernels k : new Kernels[] {KernelProvider.scalar(), KernelProvider.get()}) {
            for (int[] s : new int[][] {{4, 33, 13, 33}, {1, 129, 7, 129}, {3, 17, 3, 17}}) {
                int g = s[0], n = s[1], d = s[2], r = s[3], gn = g * n;
                SplittableRandom rnd = new SplittableRandom(g * 1000L + n);
                float[] wx = random(rnd, d * gn, 0.3);
                float[] wh = random(rnd, r * gn, 0.3);
                float[] b = random(rnd, gn, 0.3);
                float[] x = random(rnd, d, 1);
                float[] h = random(rnd, r, 1);
                StepWeights w = k.packStep(g, n, wx, 0, d, wh, 0, r, b, 0, StepWeights.Storage.BFLOAT16);
                float[] c = new float[gn];
                k.stepInput(1, w, x, 0, d, c, 0, gn);
                k.stepRecurrent(1, w, h, 0, r, c, 0, gn);
                double gamma = (d + r) * 0x1p-24 / (1 - (d + r) * 0x1p-24);
                double worst = 0;
                for (int j = 0; j < gn; j++) {
                    double exact = b[j];
                    double terms = 0;
                    for (int i = 0; i < d; i++) {
                        exact += (double) x[i] * wx[i * gn + j];
                        terms += Math.abs((double) x[i] * wx[i * gn + j]);
                    }
                    for (int i = 0; i < r; i++) {
                        exact += (double) h[i] * wh[i * gn + j];
                        terms += Math.abs((double) h[i] * wh[i * gn + j]);
                    }
                    double bound = 0x1p-8 * terms + gamma * (Math.abs(b[j]) + terms * (1 + 0x1p-8));
                    double err = Math.abs(c[j] - exact);
                    assertTrue(err <= bound, k.name() + " G=" + g + " n=" + n + " column " + j + ": error " + err
                            + " > bound " + bound);
                    worst = Math.max(worst, err / bound);
                }
                // the rounding is really there: some column uses a good part of its bound
                assertTrue(worst > 0.01, "bfloat16 error suspiciously small (" + worst + " of the bound)");
            }
        }
    }

    static float[] random(SplittableRandom rnd, int size, double scale) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
        }
        return a;
    }
}
