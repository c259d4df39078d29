package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.fail;

/** Compares two spectra as multisets (order-free), the way eigenvalue codes may return them. */
final class EigenvalueSets {
    private EigenvalueSets() {}

    /**
     * Fails unless every eigenvalue of {@code want} (rows re, im) has its own partner in {@code
     * got} within {@code tol}, matched greedily nearest first.
     */
    static void assertSame(double[][] want, double[][] got, double tol, String what) {
        if (want.length != got.length) {
            fail(what + ": " + want.length + " eigenvalues expected, got " + got.length);
        }
        boolean[] used = new boolean[got.length];
        for (double[] w : want) {
            int best = -1;
            double bestDist = Double.POSITIVE_INFINITY;
            for (int k = 0; k < got.length; k++) {
                double d = Math.hypot(got[k][0] - w[0], got[k][1] - w[1]);
                if (!used[k] && d < bestDist) {
                    bestDist = d;
                    best = k;
                }
            }
            if (bestDist > tol) {
                fail(what + ": eigenvalue " + w[0] + (w[1] >= 0 ? " + " : " - ") + Math.abs(w[1]) + "i has no partner"
                        + " within " + tol + " (nearest at " + bestDist + ")");
            }
            used[best] = true;
        }
    }
}
