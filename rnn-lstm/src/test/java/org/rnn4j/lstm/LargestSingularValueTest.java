package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.lstm.TestMatrices.dense;
import static org.rnn4j.lstm.TestMatrices.orthogonal;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link LargestSingularValue}: matrices with known σ_max, the 2 × 2 closed form, and EJML's SVD
 * as the independent oracle on awkward square and rectangular shapes.
 */
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

    // ---------------------------------------------------------------------------------------
    // Against EJML on awkward shapes
    // ---------------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({"1,1", "1,7", "7,1", "2,3", "3,2", "3,13", "13,3", "7,33", "33,7", "13,13", "31,33", "33,31",
            "31,2", "2,31", "33,33"})
    void rectangularGaussianMatchesEjml(int rows, int cols) {
        // embedded at an offset in rows of ld = cols + 3 whose padding is never read
        int off = 4;
        int ld = cols + 3;
        float[] a = new float[off + rows * ld];
        Arrays.fill(a, 1e30f);
        float[] g = TestMatrices.gaussian(rows, cols, 31L * rows + cols);
        for (int i = 0; i < rows; i++) {
            System.arraycopy(g, i * cols, a, off + i * ld, cols);
        }
        double want = EjmlOracle.largestSingularValue(dense(g, 0, cols, rows, cols));
        assertEquals(want, LargestSingularValue.of(a, off, ld, rows, cols), 1e-6 * want, rows + "x" + cols);
    }

    @ParameterizedTest
    @CsvSource({"1,5", "5,1", "3,13", "13,3", "31,33", "33,2"})
    void rectangularRankOneIsTheProductOfTheNorms(int rows, int cols) {
        // u·vᵀ: σ_max = ‖u‖·‖v‖, the only nonzero singular value; eighths keep u_i·v_j exact in float
        SplittableRandom rng = new SplittableRandom(rows * 100L + cols);
        double[] u = new double[rows];
        double[] v = new double[cols];
        for (int i = 0; i < rows; i++) {
            u[i] = rng.nextInt(-8, 9) / 8.0;
        }
        for (int j = 0; j < cols; j++) {
            v[j] = rng.nextInt(-8, 9) / 8.0;
        }
        u[0] = 1;
        v[0] = -1;
        float[] a = new float[rows * cols];
        double nu = 0;
        double nv = 0;
        for (int i = 0; i < rows; i++) {
            nu += u[i] * u[i];
            for (int j = 0; j < cols; j++) {
                a[i * cols + j] = (float) (u[i] * v[j]);
            }
        }
        for (double x : v) {
            nv += x * x;
        }
        double want = Math.sqrt(nu * nv);
        assertEquals(want, EjmlOracle.largestSingularValue(dense(a, 0, cols, rows, cols)), 1e-12 * want, "EJML");
        assertEquals(want, LargestSingularValue.of(a, 0, cols, rows, cols), 1e-6 * want, rows + "x" + cols);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 13, 31, 33})
    void nonNormalAndNilpotentSquareMatricesMatchEjml(int n) {
        SplittableRandom rng = new SplittableRandom(7 + n);
        // upper triangular with a large strictly upper part: σ_max far above ρ = max |diag|
        float[] t = new float[n * n];
        for (int i = 0; i < n; i++) {
            t[i * n + i] = (float) rng.nextDouble(-0.5, 0.5);
            for (int j = i + 1; j < n; j++) {
                t[i * n + j] = (float) rng.nextDouble(-3, 3);
            }
        }
        double want = EjmlOracle.largestSingularValue(dense(t, n));
        double got = LargestSingularValue.of(t, 0, n, n);
        assertEquals(want, got, 1e-6 * want, "triangular n=" + n);
        assertTrue(got >= SpectralRadius.of(t, 0, n, n) * (1 - 1e-9), "σ_max ≥ ρ");
        // the shift (nilpotent, ρ = 0) has ‖A‖₂ = 1 for n ≥ 2; a scaled shift c·S has c
        float[] shift = new float[n * n];
        for (int i = 1; i < n; i++) {
            shift[i * n + i - 1] = -2.5f;
        }
        double s = EjmlOracle.largestSingularValue(dense(shift, n));
        assertEquals(n == 1 ? 0 : 2.5, s, 1e-12, "EJML shift");
        assertEquals(s, LargestSingularValue.of(shift, 0, n, n), 1e-6 * Math.max(s, 1), "shift n=" + n);
    }

    @ParameterizedTest
    @CsvSource({"1,1", "1,7", "7,1", "13,31", "33,2"})
    void zeroAndEmptyMatrices(int rows, int cols) {
        assertEquals(0.0, LargestSingularValue.of(new float[rows * cols], 0, cols, rows, cols), 0.0);
        assertEquals(0.0, LargestSingularValue.of(new double[rows * cols], 0, cols, rows, cols), 0.0);
        assertEquals(0.0, EjmlOracle.largestSingularValue(new double[rows][cols]), 0.0, "EJML");
        assertEquals(0.0, LargestSingularValue.of(new float[3], 0, cols, 0, cols), 0.0, "no rows");
        assertEquals(0.0, LargestSingularValue.of(new float[3], 0, 0, rows, 0), 0.0, "no columns");
    }

    @Test
    void aSingleNonzeroEntryOfARectangularMatrix() {
        // A = −7·e_0·e_3ᵀ: rank one, σ_max = 7, all of it in one corner of the start vector.
        int rows = 5;
        int cols = 4;
        float[] a = new float[rows * cols];
        a[3] = -7f;
        assertEquals(7.0, EjmlOracle.largestSingularValue(dense(a, 0, cols, rows, cols)), 1e-12, "EJML");
        assertEquals(7.0, LargestSingularValue.of(a, 0, cols, rows, cols), 7e-6);
    }

    @ParameterizedTest
    @CsvSource({"1,1", "3,2", "7,13", "33,31"})
    void doubleOverloadMatchesEjmlAndTheFloatOverload(int rows, int cols) {
        SplittableRandom rng = new SplittableRandom(rows + 17L * cols);
        double[][] m = new double[rows][cols];
        double[] d = new double[2 + rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                m[i][j] = rng.nextDouble(-1, 1) * 1e-3;
                d[2 + i * cols + j] = m[i][j];
            }
        }
        double want = EjmlOracle.largestSingularValue(m);
        assertEquals(want, LargestSingularValue.of(d, 2, cols, rows, cols), 1e-6 * want);
        // float values: the same bits through every overload and the square form
        float[] f = TestMatrices.gaussian(rows, cols, rows * 3L + cols);
        double[] fd = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            fd[i] = f[i];
        }
        assertEquals(LargestSingularValue.of(f, 0, cols, rows, cols), LargestSingularValue.of(fd, 0, cols, rows, cols),
                0.0);
        if (rows == cols) {
            assertEquals(LargestSingularValue.of(f, 0, cols, rows, cols), LargestSingularValue.of(f, 0, cols, rows), 0.0);
            assertEquals(LargestSingularValue.of(fd, 0, cols, rows, cols), LargestSingularValue.of(fd, 0, cols, rows),
                    0.0);
        }
    }

    @Test
    void extremeScalesNeitherOverflowNorUnderflow() {
        // squares of 1e30 overflow float and of 1e-30 underflow it; the values are rescaled first
        for (double scale : new double[] {1e30, 1e-30, 1e300, 1e-300}) {
            double[][] m = {{scale, 2 * scale, 0}, {0, -scale, 3 * scale}};
            double[] d = {m[0][0], m[0][1], m[0][2], m[1][0], m[1][1], m[1][2]};
            double want = EjmlOracle.largestSingularValue(m);
            assertEquals(want, LargestSingularValue.of(d, 0, 3, 2, 3), 1e-6 * want, "scale " + scale);
        }
    }

    @Test
    void leavesItsInputUnchanged() {
        float[] a = TestMatrices.gaussian(4, 9, 1);
        float[] copy = a.clone();
        LargestSingularValue.of(a, 0, 9, 4, 9);
        assertTrue(Arrays.equals(copy, a));
    }

    @Test
    void errorMessagesNameTheOffendingValue() {
        float[] a = new float[2 * 5];
        a[5 + 3] = Float.POSITIVE_INFINITY; // (1, 3) of the 2 × 4 block with ld 5
        String m = assertThrows(IllegalArgumentException.class, () -> LargestSingularValue.of(a, 0, 5, 2, 4))
                .getMessage();
        assertTrue(m.contains("LargestSingularValue.of") && m.contains("(1, 3)") && m.contains("Infinity"), m);
        double[] d = {0, Double.NaN};
        m = assertThrows(IllegalArgumentException.class, () -> LargestSingularValue.of(d, 0, 2, 1, 2)).getMessage();
        assertTrue(m.contains("(0, 1)") && m.contains("NaN"), m);
        m = assertThrows(IllegalArgumentException.class, () -> LargestSingularValue.of(a, 0, 5, 2, -4)).getMessage();
        assertTrue(m.contains("cols=-4"), m);
        m = assertThrows(IllegalArgumentException.class, () -> LargestSingularValue.of(a, 0, 3, 2, 4)).getMessage();
        assertTrue(m.contains("ld=3"), m);
        m = assertThrows(IllegalArgumentException.class, () -> LargestSingularValue.of(a, 1, 5, 2, 5)).getMessage();
        assertTrue(m.contains("2x5") && m.contains("needs 11 values"), m);
        assertThrows(NullPointerException.class, () -> LargestSingularValue.of((double[]) null, 0, 1, 1, 1));
    }

    /**
     * {@link LargestSingularValue#exact} against EJML's SVD to 1e-12 relative — also for a scaled
     * orthogonal matrix, whose singular values all coincide (power iteration's worst case), where
     * it must never fall below ρ — and in a block with a leading dimension.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 13, 31, 33})
    void exactMatchesEjmlToRounding(int n) {
        SplittableRandom rng = new SplittableRandom(11 + n);
        int ld = n + 3;
        double[] g = new double[n * ld];
        for (int i = 0; i < g.length; i++) {
            g[i] = rng.nextGaussian();
        }
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] = g[i * ld + j];
            }
        }
        double want = EjmlOracle.largestSingularValue(a);
        assertEquals(want, LargestSingularValue.exact(g, 0, ld, n), 1e-12 * want, "Gaussian n=" + n);
        float[] q = TestMatrices.flat(orthogonal(n, 5 + n));
        for (int i = 0; i < q.length; i++) {
            q[i] *= 1.5f;
        }
        double sigma = LargestSingularValue.exact(q, 0, n, n);
        assertEquals(EjmlOracle.largestSingularValue(dense(q, n)), sigma, 1e-12 * sigma, "1.5·Q n=" + n);
        assertTrue(SpectralRadius.of(q, 0, n, n) <= sigma * (1 + 1e-12), "ρ ≤ σ_max for 1.5·Q, n=" + n);
        assertEquals(0, LargestSingularValue.exact(new double[n * n], 0, n, n));
        assertThrows(IllegalArgumentException.class, () -> LargestSingularValue.exact(new float[] {Float.NaN}, 0, 1, 1));
    }
}
