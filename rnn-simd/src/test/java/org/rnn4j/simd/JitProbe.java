package org.rnn4j.simd;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Run in a fresh JVM by {@link VectorReproducibilityTest}: computes a few kernels once while they
 * are still interpreted (first call in the JVM), then again after enough calls for C2 to compile
 * them, and prints one line per kernel: {@code RESULT <name> <differing elements> <total>}.
 * Not a test itself (surefire does not pick up this name).
 */
public final class JitProbe {
    private static final int WARM_UP_CALLS = 30_000;

    private JitProbe() {}

    public static void main(String[] args) {
        Kernels v = VectorKernels.INSTANCE;
        SplittableRandom r = new SplittableRandom(2024);
        float[] a = random(r, 2 * 64);
        float[] b = random(r, 64 * 24);
        float[] a8 = random(r, 8 * 64);
        float[] logits = random(r, 4 * 40);
        float[] x = random(r, 1000);

        probe("multTransB m=1 (unpacked)", () -> {
            float[] c = new float[24];
            v.multTransB(1, 24, 64, 1f, a, 0, 64, b, 0, 64, 0f, c, 0, 24);
            return c;
        });
        probe("multTransB m=2 (unpacked)", () -> {
            float[] c = new float[2 * 24];
            v.multTransB(2, 24, 64, 0.7f, a, 0, 64, b, 0, 64, 0f, c, 0, 24);
            return c;
        });
        probe("mult m=2 (unpacked)", () -> {
            float[] c = new float[2 * 24];
            v.mult(2, 24, 64, 0.7f, a, 0, 64, b, 0, 24, 0f, c, 0, 24);
            return c;
        });
        probe("multTransA m=8 (packed)", () -> {
            float[] c = new float[8 * 24];
            v.multTransA(8, 24, 64, 0.7f, a8, 0, 8, b, 0, 24, 0f, c, 0, 24);
            return c;
        });
        probe("softmaxRows 4x40", () -> {
            float[] y = new float[4 * 40];
            v.softmaxRows(4, 40, logits, 0, 40, y, 0, 40);
            return y;
        });
        probe("logSoftmaxRows 4x40", () -> {
            float[] y = new float[4 * 40];
            v.logSoftmaxRows(4, 40, logits, 0, 40, y, 0, 40);
            return y;
        });
        probe("sumOfSquares 1000", () -> new float[] {(float) v.sumOfSquares(1000, x, 0),
                (float) (v.sumOfSquares(1000, x, 0) - (float) v.sumOfSquares(1000, x, 0))});
        System.out.flush();
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        return x;
    }

    private static void probe(String name, Supplier<float[]> kernel) {
        float[] first = kernel.get();
        float[] last = first;
        for (int i = 0; i < WARM_UP_CALLS; i++) {
            last = kernel.get();
        }
        int differing = 0;
        for (int i = 0; i < first.length; i++) {
            if (Float.floatToRawIntBits(first[i]) != Float.floatToRawIntBits(last[i])) {
                differing++;
            }
        }
        System.out.println("RESULT " + name.replace(' ', '_') + " " + differing + " " + first.length
                + (differing == 0 ? "" : " first=" + Arrays.toString(Arrays.copyOf(first, 3))
                        + " last=" + Arrays.toString(Arrays.copyOf(last, 3))));
    }
}
