package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.rnn4j.lstm.TestMatrices.dense;
import static org.rnn4j.lstm.TestMatrices.flat;
import static org.rnn4j.lstm.TestMatrices.gelfandRadius;
import static org.rnn4j.lstm.TestMatrices.mul;
import static org.rnn4j.lstm.TestMatrices.orthogonal;
import static org.rnn4j.lstm.TestMatrices.radius2;
import static org.rnn4j.lstm.TestMatrices.transpose;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link SpectralRadius}: matrices with known spectra and Gelfand's formula. */
class SpectralRadiusTest {

    // ---------------------------------------------------------------------------------------
    // Matrices with known spectra
    // ---------------------------------------------------------------------------------------

    @Test
    void spectralRadiusOfDiagonalMatrices() {
        float[] d = {0.5f, -3f, 2f, 0f, 2.5f};
        int n = d.length;
        float[] a = new float[n * n];
        for (int i = 0; i < n; i++) {
            a[i * n + i] = d[i];
        }
        assertEquals(3.0, SpectralRadius.of(a, 0, n, n), 1e-12);
        assertEquals(0.0, SpectralRadius.of(new float[0], 0, 0, 0));
        assertEquals(4.0, SpectralRadius.of(new float[] {-4f}, 0, 1, 1));
    }

    @Test
    void spectralRadiusOfScaledIdentity() {
        for (int n : new int[] {1, 2, 7, 40}) {
            for (float c : new float[] {1f, -2.5f, 0.3f}) {
                float[] a = new float[n * n];
                for (int i = 0; i < n; i++) {
                    a[i * n + i] = c;
                }
                assertEquals(Math.abs(c), SpectralRadius.of(a, 0, n, n), 1e-12 * Math.abs(c));
            }
        }
    }

    @Test
    void spectralRadiusOfRotationsHasComplexEigenvalues() {
        // r·R(θ) has eigenvalues r·e^{±iθ}: power iteration on it never converges.
        for (double theta : new double[] {0.3, Math.PI / 2, 2.5, Math.PI - 1e-3}) {
            double r = 1.7;
            float[] a = {(float) (r * Math.cos(theta)), (float) (-r * Math.sin(theta)),
                    (float) (r * Math.sin(theta)), (float) (r * Math.cos(theta))};
            double exact = radius2(a[0], a[1], a[2], a[3]);
            assertEquals(exact, SpectralRadius.of(a, 0, 2, 2), 1e-12);
            assertEquals(r, SpectralRadius.of(a, 0, 2, 2), 1e-6);
        }
        // Block-diagonal rotations with radii 0.8, 1.3 (dominant complex pair), 0.5 (real), hidden by
        // an orthogonal similarity: the spectrum is unchanged.
        int n = 5;
        double[][] b = new double[n][n];
        double[] radii = {0.8, 1.3};
        double[] angles = {1.0, 2.2};
        for (int k = 0; k < 2; k++) {
            int o = 2 * k;
            b[o][o] = radii[k] * Math.cos(angles[k]);
            b[o][o + 1] = -radii[k] * Math.sin(angles[k]);
            b[o + 1][o] = radii[k] * Math.sin(angles[k]);
            b[o + 1][o + 1] = radii[k] * Math.cos(angles[k]);
        }
        b[4][4] = -0.5;
        double[][] q = orthogonal(n, 99);
        float[] a = flat(mul(mul(q, b), transpose(q)));
        assertEquals(1.3, SpectralRadius.of(a, 0, n, n), 1e-6);
        assertEquals(gelfandRadius(dense(a, n), 40), SpectralRadius.of(a, 0, n, n), 1e-6);
    }

    @Test
    void spectralRadiusOfRandomOrthogonalIsOne() {
        for (int n : new int[] {2, 3, 10, 64}) {
            float[] a = flat(orthogonal(n, n));
            assertEquals(1.0, SpectralRadius.of(a, 0, n, n), 1e-6, "n=" + n);
        }
    }

    @Test
    void spectralRadiusOfNilpotentMatricesIsZero() {
        int n = 6;
        SplittableRandom rng = new SplittableRandom(5);
        float[] upper = new float[n * n];
        float[] lower = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                upper[i * n + j] = (float) rng.nextDouble(-2, 2);
            }
        }
        for (int i = 1; i < n; i++) {
            lower[i * n + i - 1] = 1f; // the shift (one Jordan block), already Hessenberg
        }
        assertEquals(0.0, SpectralRadius.of(upper, 0, n, n), 0.0);
        assertEquals(0.0, SpectralRadius.of(lower, 0, n, n), 1e-2);
        assertEquals(0.0, SpectralRadius.of(new float[n * n], 0, n, n), 0.0);
    }

    @Test
    void spectralRadiusOfNonNormalMatricesWithKnownEigenvalues() {
        // A = Q·T·Qᵀ with T upper triangular: eigenvalues = diag(T), in any order of magnitude.
        int n = 7;
        double[] diag = {0.4, -1.9, 1.2, 0.0, -0.7, 1.85, 0.1};
        SplittableRandom rng = new SplittableRandom(8);
        double[][] t = new double[n][n];
        for (int i = 0; i < n; i++) {
            t[i][i] = diag[i];
            for (int j = i + 1; j < n; j++) {
                t[i][j] = rng.nextDouble(-1, 1);
            }
        }
        double[][] q = orthogonal(n, 4);
        float[] a = flat(mul(mul(q, t), transpose(q)));
        assertEquals(1.9, SpectralRadius.of(a, 0, n, n), 1e-5);
        // companion matrix of (x − 0.5)(x + 2)(x² − 2x + 2): roots 0.5, −2, 1 ± i → ρ = 2 (not √2)
        // p(x) = x⁴ − 0.5x³ − 2x² + 5x − 2
        float[] comp = {
            0.5f, 2f, -5f, 2f,
            1f, 0f, 0f, 0f,
            0f, 1f, 0f, 0f,
            0f, 0f, 1f, 0f};
        assertEquals(2.0, SpectralRadius.of(comp, 0, 4, 4), 1e-9);
    }

    @Test
    void spectralRadiusMatchesGelfandOnRandomMatrices() {
        for (int n : new int[] {2, 3, 9, 30, 50}) {
            SplittableRandom rng = new SplittableRandom(n);
            float[] a = new float[n * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) rng.nextGaussian();
            }
            double want = gelfandRadius(dense(a, n), 40);
            assertEquals(want, SpectralRadius.of(a, 0, n, n), 1e-4 * want, "n=" + n);
        }
    }

    @Test
    void spectralRadiusHonoursOffsetAndLeadingDimension() {
        // 2x2 block [[0, -2], [2, 0]] (eigenvalues ±2i) embedded at offset 3 in rows of 6
        float[] a = new float[20];
        Arrays.fill(a, 100f);
        a[3] = 0f;
        a[4] = -2f;
        a[9] = 2f;
        a[10] = 0f;
        assertEquals(2.0, SpectralRadius.of(a, 3, 6, 2), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> SpectralRadius.of(a, 3, 6, 4));
        assertThrows(IllegalArgumentException.class, () -> SpectralRadius.of(a, 0, 1, 2));
        float[] nan = {1f, Float.NaN, 0f, 1f};
        assertThrows(IllegalArgumentException.class, () -> SpectralRadius.of(nan, 0, 2, 2));
    }
}
