package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.rnn4j.lstm.TestMatrices.mul;
import static org.rnn4j.lstm.TestMatrices.transpose;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link HouseholderQr}: the orthogonal factor. */
class HouseholderQrTest {

    @Test
    void orthogonalFactorReproducesAFullRankMatrix() {
        // A = Q·R with R upper triangular with non-negative diagonal: check QᵀA is upper triangular.
        int n = 6;
        SplittableRandom rng = new SplittableRandom(2);
        double[] a = new double[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextGaussian();
        }
        double[][] am = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                am[i][j] = a[i * n + j];
            }
        }
        double[] q = new double[n * n];
        HouseholderQr.orthogonalFactor(a.clone(), n, q);
        double[][] qm = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                qm[i][j] = q[i * n + j];
            }
        }
        double[][] r = mul(transpose(qm), am);
        for (int i = 0; i < n; i++) {
            assertTrue(r[i][i] > 0, "positive diagonal of R");
            for (int j = 0; j < i; j++) {
                if (Math.abs(r[i][j]) > 1e-12) {
                    fail("R(" + i + "," + j + ") = " + r[i][j]);
                }
            }
        }
    }
}
