package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.lstm.TestMatrices.orthogonal;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link LargestSingularValue}: matrices with known σ_max, the 2 × 2 closed form, and EJML's SVD. */
class LargestSingularValueTest {

    // ---------------------------------------------------------------------------------------
    // Matrices with known σ_max
    // ---------------------------------------------------------------------------------------

    @Test
    void largestSingularValueOfKnownMatrices() {
        // diagonal
        float[] d = {0.5f, 0f, 0f, 0f, -3f, 0f, 0f, 0f, 2f};
        assertEquals(3.0, LargestSingularValue.of(d, 0, 3, 3), 3e-6);
        // c · orthogonal
        int n = 12;
        double[][] q = orthogonal(n, 3);
        float[] a = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i * n + j] = (float) (2.5 * q[i][j]);
            }
        }
        assertEquals(2.5, LargestSingularValue.of(a, 0, n, n), 2.5e-6);
        // rank one u·vᵀ: σ = ‖u‖·‖v‖
        float[] u = {1f, -2f, 0.5f, 3f};
        float[] v = {0.25f, 1f, -1f, 2f};
        float[] r1 = new float[16];
        double nu = 0;
        double nv = 0;
        for (int i = 0; i < 4; i++) {
            nu += u[i] * u[i];
            nv += v[i] * v[i];
            for (int j = 0; j < 4; j++) {
                r1[i * 4 + j] = u[i] * v[j];
            }
        }
        assertEquals(Math.sqrt(nu * nv), LargestSingularValue.of(r1, 0, 4, 4), 1e-6 * Math.sqrt(nu * nv));
        // nilpotent shift: spectral radius 0, but ‖A‖₂ = 1
        float[] shift = new float[25];
        for (int i = 1; i < 5; i++) {
            shift[i * 5 + i - 1] = 1f;
        }
        assertEquals(1.0, LargestSingularValue.of(shift, 0, 5, 5), 1e-6);
        assertEquals(0.0, LargestSingularValue.of(new float[9], 0, 3, 3));
        assertEquals(0.0, LargestSingularValue.of(new float[0], 0, 0, 0));
    }

    @Test
    void largestSingularValueOf2x2InClosedForm() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int k = 0; k < 50; k++) {
            float[] a = new float[4];
            for (int i = 0; i < 4; i++) {
                a[i] = (float) rng.nextDouble(-3, 3);
            }
            double p = a[0];
            double qq = a[1];
            double r = a[2];
            double s = a[3];
            // σ_max² = (S + √(S² − 4·det²))/2 with S = ‖A‖_F²
            double fro = p * p + qq * qq + r * r + s * s;
            double det = p * s - qq * r;
            double sigma = Math.sqrt((fro + Math.sqrt(Math.max(0, fro * fro - 4 * det * det))) / 2);
            assertEquals(sigma, LargestSingularValue.of(a, 0, 2, 2), 1e-6 * sigma);
        }
    }

    @Test
    void largestSingularValueMatchesEjmlOnRandomMatrices() {
        for (int n : new int[] {3, 7, 20, 40}) {
            SplittableRandom rng = new SplittableRandom(100 + n);
            float[] a = new float[n * n + 5];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) rng.nextGaussian();
            }
            int off = 5;
            double[][] m = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    m[i][j] = a[off + i * n + j];
                }
            }
            double want = EjmlOracle.largestSingularValue(m);
            double got = LargestSingularValue.of(a, off, n, n);
            assertEquals(want, got, 1e-6 * want, "n=" + n);
            assertTrue(got >= SpectralRadius.of(a, off, n, n) * (1 - 1e-9), "σ_max ≥ ρ");
        }
    }
}
