package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link FrancisQr}: every eigenvalue of upper Hessenberg matrices, against EJML's. */
class FrancisQrTest {

    /** n × n upper Hessenberg matrix with Gaussian entries (subdiagonal scaled by {@code sub}). */
    private static double[][] hessenberg(int n, double sub, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] h = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = Math.max(0, i - 1); j < n; j++) {
                h[i][j] = rng.nextGaussian() * (j == i - 1 ? sub : 1);
            }
        }
        return h;
    }

    private static double[][] eigenvalues(double[][] h) {
        int n = h.length;
        double[] flat = new double[n * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(h[i], 0, flat, i * n, n);
        }
        double[] re = new double[n];
        double[] im = new double[n];
        assertTrue(FrancisQr.eigenvalues(flat, n, re, im), "converged");
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            out[i] = new double[] {re[i], im[i]};
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 13, 31, 33})
    void allEigenvaluesMatchEjml(int n) {
        // subdiagonals of size 1 (complex pairs everywhere) and 1e-3 (nearly decoupled blocks)
        for (double sub : new double[] {1, 1e-3}) {
            double[][] h = hessenberg(n, sub, 70 + n);
            EigenvalueSets.assertSame(EjmlOracle.eigenvalues(h), eigenvalues(h), 1e-8, "n=" + n + " sub=" + sub);
        }
    }

    @Test
    void complexPairsComeAsConjugates() {
        // [[0, -2], [2, 0]] ⊕ [[1, -1], [1, 1]] ⊕ [3]: ±2i, 1 ± i, 3
        double[][] h = {
            {0, -2, 0.5, 0.25, 1},
            {2, 0, -1, 0.5, 2},
            {0, 0, 1, -1, 3},
            {0, 0, 1, 1, 4},
            {0, 0, 0, 0, 3}};
        double[][] got = eigenvalues(h);
        EigenvalueSets.assertSame(new double[][] {{0, 2}, {0, -2}, {1, 1}, {1, -1}, {3, 0}}, got, 1e-12, "known");
        EigenvalueSets.assertSame(EjmlOracle.eigenvalues(h), got, 1e-12, "EJML");
    }

    @Test
    void zeroMatrixHasZeroEigenvalues() {
        double[][] got = eigenvalues(new double[4][4]);
        for (double[] z : got) {
            assertEquals(0.0, z[0], 0.0);
            assertEquals(0.0, z[1], 0.0);
        }
    }
}
