package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.rnn4j.lstm.TestMatrices.mul;
import static org.rnn4j.lstm.TestMatrices.transpose;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link HouseholderQr}: the orthogonal factor against EJML's QR, and Haar-random orthogonal matrices. */
class HouseholderQrTest {

    private static double[][] square(double[] a, int n) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a, i * n, m[i], 0, n);
        }
        return m;
    }

    private static void assertOrthogonal(double[][] q, double tol, String what) {
        int n = q.length;
        double[][] qtq = mul(transpose(q), q);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(i == j ? 1 : 0, qtq[i][j], tol, what + " QᵀQ(" + i + ", " + j + ")");
            }
        }
    }

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

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 13, 31, 33})
    void orthogonalFactorMatchesEjmlsQr(int n) {
        // For a full-rank A the Q with R's diagonal positive is unique, so two independent
        // Householder codes must agree to rounding.
        SplittableRandom rng = new SplittableRandom(40 + n);
        double[] a = new double[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextGaussian();
        }
        double[][] want = EjmlOracle.orthogonalFactor(square(a, n));
        double[] q = new double[n * n];
        HouseholderQr.orthogonalFactor(a.clone(), n, q);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(want[i][j], q[i * n + j], 1e-10, "n=" + n + " Q(" + i + ", " + j + ")");
            }
        }
    }

    @Test
    void rankDeficientInputStillGivesAnOrthogonalFactor() {
        // columns: zero, c, 2c, e_0 (a zero column takes the norm == 0 branch, 2c a reflection of length ~0)
        int n = 4;
        double[] c = {0.5, -1, 2, 0.25};
        double[][] am = new double[n][n];
        for (int i = 0; i < n; i++) {
            am[i][1] = c[i];
            am[i][2] = 2 * c[i];
        }
        am[0][3] = 1;
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(am[i], 0, a, i * n, n);
        }
        double[] q = new double[n * n];
        HouseholderQr.orthogonalFactor(a, n, q);
        double[][] qm = square(q, n);
        assertOrthogonal(qm, 1e-12, "rank 2");
        double[][] r = mul(transpose(qm), am);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                assertEquals(0, r[i][j], 1e-12, "R(" + i + ", " + j + ")");
            }
            assertTrue(r[i][i] >= -1e-12, "non-negative diagonal of R: " + r[i][i]);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 13, 31, 33})
    void randomOrthogonalHasUnitSingularValues(int n) {
        double[] q = new double[n * n];
        SplittableRandom rng = new SplittableRandom(n);
        HouseholderQr.randomOrthogonal(n, rng, q);
        double[][] qm = square(q, n);
        assertOrthogonal(qm, 1e-12, "n=" + n);
        for (double s : EjmlOracle.singularValues(qm)) {
            assertEquals(1, s, 1e-12, "n=" + n + " singular value");
        }
        // it draws exactly n² Gaussians, so the next parameter's stream starts where it should
        SplittableRandom same = new SplittableRandom(n);
        for (int i = 0; i < n * n; i++) {
            same.nextGaussian();
        }
        assertEquals(same.nextLong(), rng.nextLong());
    }
}
