package org.rnn4j.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Shared helpers of the kernel tests: seeded data, sentinels, window checks, provider lookup.
 * Public where the tests of {@code org.rnn4j.simd.bench} use them.
 */
public final class TestSupport {
    /** Value written around every output window; any kernel that writes outside it changes one. */
    public static final float SENTINEL = -7777.25f;
    /** 2^-24, the unit roundoff of float (half an ulp of 1). */
    static final double U = 0x1p-24;

    /** The property the pom sets to the provider this machine must use ({@code vector} here). */
    static final String EXPECTED_PROVIDER = "rnn4j.test.expectedProvider";

    private TestSupport() {}

    static boolean vectorAvailable() {
        return KernelProvider.vectorUnavailableReason().isEmpty();
    }

    /**
     * The vector kernels. When they cannot run here the test is skipped, unless the build said
     * this machine must run them ({@value #EXPECTED_PROVIDER} = vector), in which case it fails.
     */
    public static Kernels vectorOrSkip() {
        if (!vectorAvailable() && !"vector".equals(System.getProperty(EXPECTED_PROVIDER))) {
            Assumptions.abort("vector kernels unavailable on this JVM: "
                    + KernelProvider.vectorUnavailableReason().orElse("?"));
        }
        return KernelProvider.vector();
    }

    /** Uniform floats in [lo, hi). */
    static float[] random(long seed, int n, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextDouble(lo, hi);
        }
        return x;
    }

    public static float[] filled(int n, float v) {
        float[] x = new float[n];
        Arrays.fill(x, v);
        return x;
    }

    /** Minimal array length holding a rows × cols matrix with leading dimension ld at off. */
    static int matrixLength(int off, int ld, int rows, int cols) {
        return rows == 0 || cols == 0 ? off : off + (rows - 1) * ld + cols;
    }

    /** True when index idx lies in the rows × cols window at off with leading dimension ld. */
    static boolean inWindow(int idx, int off, int ld, int rows, int cols) {
        if (idx < off || rows == 0 || cols == 0) {
            return false;
        }
        int rel = idx - off;
        return rel / ld < rows && rel % ld < cols;
    }

    /** Asserts that every element of c outside the window still holds the sentinel (bitwise). */
    public static void assertOutsideUntouched(String what, float[] c, int off, int ld, int rows, int cols) {
        int bad = 0;
        int first = -1;
        for (int idx = 0; idx < c.length; idx++) {
            if (!inWindow(idx, off, ld, rows, cols)
                    && Float.floatToRawIntBits(c[idx]) != Float.floatToRawIntBits(SENTINEL)) {
                if (bad++ == 0) {
                    first = idx;
                }
            }
        }
        if (bad != 0) {
            fail(what + ": " + bad + " element(s) outside the " + rows + " x " + cols + " window (offset "
                    + off + ", ld " + ld + ") were written; first at index " + first + " = " + c[first]);
        }
    }

    /** Bitwise equality with the position and count of the mismatches in the message. */
    static void assertBitwiseEquals(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        int bad = 0;
        int first = -1;
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                if (bad++ == 0) {
                    first = i;
                }
            }
        }
        if (bad != 0) {
            fail(what + ": " + bad + " of " + expected.length + " elements differ bitwise; first at index "
                    + first + ": expected " + expected[first] + " (0x"
                    + Integer.toHexString(Float.floatToRawIntBits(expected[first])) + ") but was "
                    + actual[first] + " (0x" + Integer.toHexString(Float.floatToRawIntBits(actual[first])) + ")");
        }
    }

    /**
     * True when {@code message} contains {@code token} as a whole word (not as part of a longer
     * identifier or number), so that "m" matches "m must be" but not "matrix".
     */
    public static boolean mentions(String message, String token) {
        return Pattern.compile("(?<![A-Za-z0-9_.])" + Pattern.quote(token) + "(?![A-Za-z0-9_])")
                .matcher(message).find();
    }
}
