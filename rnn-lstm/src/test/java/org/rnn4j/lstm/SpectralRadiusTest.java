package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SpectralRadius}: matrices with known spectra, Gelfand's formula, and EJML's eigenvalues
 * as the independent oracle on awkward sizes (normal, non-normal, complex, zero, nilpotent).
 */
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


    // ---------------------------------------------------------------------------------------
    // Against EJML on awkward sizes
    // ---------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 13, 31, 33})
    void matchesEjmlOnGaussianMatrices(int n) {
        // Gaussian matrices are non-normal, and for n ≥ 2 most have complex eigenvalues.
        for (long seed = 0; seed < 4; seed++) {
            float[] a = TestMatrices.gaussian(n, n, 1000L * n + seed);
            double want = EjmlOracle.spectralRadius(dense(a, n));
            assertEquals(want, SpectralRadius.of(a, 0, n, n), 1e-9 * want, "n=" + n + " seed " + seed);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 13, 31, 33})
    void matchesEjmlOnNonNormalMatricesWithComplexEigenvalues(int n) {
        // A = Q·(B + N)·Qᵀ: B block diagonal with 2 × 2 blocks r_k·R(θ_k) (and a last 1 × 1 block
        // for odd n), N nonzero only above the blocks. B + N is block upper triangular, so its
        // eigenvalues are those of the blocks — known exactly — while A is far from normal.
        SplittableRandom rng = new SplittableRandom(n);
        double[][] t = new double[n][n];
        double known = 0;
        for (int k = 0; k + 1 < n; k += 2) {
            double r = rng.nextDouble(0.2, 2);
            double theta = rng.nextDouble(0.1, Math.PI - 0.1);
            t[k][k] = r * Math.cos(theta);
            t[k][k + 1] = -r * Math.sin(theta);
            t[k + 1][k] = r * Math.sin(theta);
            t[k + 1][k + 1] = r * Math.cos(theta);
            known = Math.max(known, r);
        }
        if (n % 2 == 1) {
            t[n - 1][n - 1] = rng.nextDouble(-2, 2);
            known = Math.max(known, Math.abs(t[n - 1][n - 1]));
        }
        for (int i = 0; i < n; i++) {
            for (int j = (i / 2) * 2 + 2; j < n; j++) {
                t[i][j] = rng.nextDouble(-1, 1);
            }
        }
        double[][] q = orthogonal(n, 7L * n);
        float[] a = flat(mul(mul(q, t), transpose(q)));
        double want = EjmlOracle.spectralRadius(dense(a, n));
        double got = SpectralRadius.of(a, 0, n, n);
        assertEquals(want, got, 1e-9 * want, "n=" + n + " against EJML");
        // the float rounding of A moves the eigenvalues by about κ·2⁻²⁴·‖A‖
        assertEquals(known, got, 1e-4 * known, "n=" + n + " against the construction");
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 7, 13, 31, 33})
    void matchesEjmlWhenTheDominantEigenvaluesAreAComplexPair(int n) {
        // Normal matrices whose spectrum is complex pairs r_k·e^{±iθ_k}, the largest pair 1.5.
        int pairs = n / 2;
        double[] radii = new double[pairs];
        double[] angles = new double[pairs];
        SplittableRandom rng = new SplittableRandom(50 + n);
        for (int k = 0; k < pairs; k++) {
            radii[k] = k == pairs / 2 ? 1.5 : rng.nextDouble(0.1, 1.4);
            angles[k] = rng.nextDouble(0.05, Math.PI - 0.05);
        }
        double last = n % 2 == 1 ? -1.2 : Double.NaN;
        float[] a = flat(TestMatrices.hiddenRotations(radii, angles, last, n));
        double want = EjmlOracle.spectralRadius(dense(a, n));
        assertEquals(want, SpectralRadius.of(a, 0, n, n), 1e-12 * want, "n=" + n + " against EJML");
        assertEquals(1.5, SpectralRadius.of(a, 0, n, n), 1e-6, "n=" + n + " against the construction");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 13, 31, 33})
    void zeroAndNilpotentMatrices(int n) {
        assertEquals(0.0, SpectralRadius.of(new float[n * n], 0, n, n), 0.0, "zero");
        assertEquals(0.0, EjmlOracle.spectralRadius(new double[n][n]), 0.0, "EJML on zero");
        // strictly upper triangular: exactly 0 (the Hessenberg form is the matrix itself)
        SplittableRandom rng = new SplittableRandom(n);
        float[] upper = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                upper[i * n + j] = (float) rng.nextDouble(-2, 2);
            }
        }
        assertEquals(0.0, SpectralRadius.of(upper, 0, n, n), 0.0, "strictly upper triangular");
        // u·vᵀ with vᵀu = 0: nilpotent of index 2 (Jordan blocks of size 2), hidden in a full
        // matrix, so every method moves its 0 eigenvalues by about √(n·2⁻⁵²)·‖A‖.
        if (n >= 2) {
            // Eighths, so that vᵀu = 0 and every product u_i·v_j are exact in float.
            double[] u = new double[n];
            double[] v = new double[n];
            double dot = 0;
            for (int i = 0; i < n - 1; i++) {
                u[i] = rng.nextInt(-8, 9) / 8.0;
                v[i] = rng.nextInt(-8, 9) / 8.0;
                dot += u[i] * v[i];
            }
            u[n - 1] = 1;
            v[n - 1] = -dot;
            double[][] r1 = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    r1[i][j] = u[i] * v[j];
                }
            }
            float[] a = flat(r1);
            double[][] back = dense(a, n);
            double norm = EjmlOracle.largestSingularValue(back);
            double bound = 1e-6 * norm;
            assertTrue(EjmlOracle.spectralRadius(back) <= bound, "EJML " + EjmlOracle.spectralRadius(back));
            assertTrue(SpectralRadius.of(a, 0, n, n) <= bound, "ρ " + SpectralRadius.of(a, 0, n, n));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 7, 13})
    void hiddenJordanBlockIsAsSensitiveAsForEjml(int n) {
        // Q·S·Qᵀ with S the n × n shift: ρ = 0, but a k × k Jordan block moves by ‖E‖^{1/k}, for
        // EJML as for us; both stay below (n·2⁻⁵²)^{1/n} times a modest factor.
        double[][] shift = new double[n][n];
        for (int i = 1; i < n; i++) {
            shift[i][i - 1] = 1;
        }
        double[][] q = orthogonal(n, 3L * n);
        double[][] a = mul(mul(q, shift), transpose(q));
        double[] flatA = new double[n * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, flatA, i * n, n);
        }
        double bound = 10 * Math.pow(n * 0x1p-52, 1.0 / n);
        double ejml = EjmlOracle.spectralRadius(a);
        double ours = SpectralRadius.of(flatA, 0, n, n);
        assertTrue(ejml <= bound, "EJML " + ejml + " > " + bound);
        assertTrue(ours <= bound, "ρ " + ours + " > " + bound);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 13, 31, 33})
    void doubleOverloadMatchesEjmlAndTheFloatOverload(int n) {
        SplittableRandom rng = new SplittableRandom(900 + n);
        int off = 3;
        int ld = n + 2;
        double[] a = new double[off + n * ld];
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m[i][j] = rng.nextDouble(-1, 1) + (i == j ? 0.5 : 0);
                a[off + i * ld + j] = m[i][j];
            }
        }
        double want = EjmlOracle.spectralRadius(m);
        assertEquals(want, SpectralRadius.of(a, off, ld, n), 1e-9 * want, "n=" + n);
        // values that are floats give the same bits through either overload
        float[] f = TestMatrices.gaussian(n, n, n);
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        assertEquals(SpectralRadius.of(f, 0, n, n), SpectralRadius.of(d, 0, n, n), 0.0);
    }

    @Test
    void leavesItsInputUnchanged() {
        float[] a = TestMatrices.gaussian(7, 7, 1);
        float[] copy = a.clone();
        SpectralRadius.of(a, 0, 7, 7);
        assertTrue(Arrays.equals(copy, a));
    }

    @Test
    void errorMessagesNameTheOffendingValue() {
        float[] a = new float[2 + 3 * 3];
        a[2 + 3 + 0] = Float.NaN; // (1, 0) of the 3 × 3 block at offset 2, ld 3
        String m = assertThrows(IllegalArgumentException.class, () -> SpectralRadius.of(a, 2, 3, 3)).getMessage();
        assertTrue(m.contains("SpectralRadius.of") && m.contains("(1, 0)") && m.contains("NaN"), m);
        double[] d = {1, 2, 3, Double.NEGATIVE_INFINITY};
        m = assertThrows(IllegalArgumentException.class, () -> SpectralRadius.of(d, 0, 2, 2)).getMessage();
        assertTrue(m.contains("(1, 1)") && m.contains("-Infinity"), m);
        m = assertThrows(IllegalArgumentException.class, () -> SpectralRadius.of(a, 0, 3, -1)).getMessage();
        assertTrue(m.contains("rows=-1"), m);
        m = assertThrows(IllegalArgumentException.class, () -> SpectralRadius.of(a, -1, 3, 3)).getMessage();
        assertTrue(m.contains("off=-1"), m);
        m = assertThrows(IllegalArgumentException.class, () -> SpectralRadius.of(a, 0, 2, 3)).getMessage();
        assertTrue(m.contains("ld=2"), m);
        m = assertThrows(IllegalArgumentException.class, () -> SpectralRadius.of(a, 3, 3, 3)).getMessage();
        assertTrue(m.contains("needs 12 values") && m.contains("has 11"), m);
        assertThrows(NullPointerException.class, () -> SpectralRadius.of((float[]) null, 0, 1, 1));
    }
}
