package org.rnn4j.lstm;

import java.util.SplittableRandom;

/**
 * Small dense-matrix helpers for the linear-algebra tests (double[][] is row by row): products,
 * test matrices with known structure, and the float layout the library reads.
 */
final class TestMatrices {
    private TestMatrices() {}

    static double[][] mul(double[][] a, double[][] b) {
        int n = a.length;
        int k = b.length;
        int m = b[0].length;
        double[][] c = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < k; p++) {
                for (int j = 0; j < m; j++) {
                    c[i][j] += a[i][p] * b[p][j];
                }
            }
        }
        return c;
    }

    static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    /** Row-major float copy (rounded to float: what a model stores). */
    static float[] flat(double[][] a) {
        int n = a.length;
        float[] f = new float[n * a[0].length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < a[0].length; j++) {
                f[i * a[0].length + j] = (float) a[i][j];
            }
        }
        return f;
    }

    /** The square float matrix read back in double (what the library sees). */
    static double[][] dense(float[] a, int n) {
        return dense(a, 0, n, n, n);
    }

    /** The rows × cols float block at {@code a[off + i·ld + j]} read back in double. */
    static double[][] dense(float[] a, int off, int ld, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                m[i][j] = a[off + i * ld + j];
            }
        }
        return m;
    }

    /** rows × cols standard Gaussians, rounded to float. */
    static float[] gaussian(int rows, int cols, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] a = new float[rows * cols];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rng.nextGaussian();
        }
        return a;
    }

    /**
     * Independent spectral radius: Gelfand's formula ‖A^k‖_F^{1/k}, k = 2^s, by repeated squaring
     * with normalisation (an upper bound that converges to ρ).
     */
    static double gelfandRadius(double[][] a, int squarings) {
        int n = a.length;
        double[][] b = new double[n][];
        for (int i = 0; i < n; i++) {
            b[i] = a[i].clone();
        }
        double log = 0;
        double w = 1;
        for (int s = 0; ; s++) {
            double f = 0;
            for (double[] row : b) {
                for (double x : row) {
                    f += x * x;
                }
            }
            f = Math.sqrt(f);
            if (f == 0) {
                return 0;
            }
            log += w * Math.log(f);
            if (s == squarings) {
                return Math.exp(log);
            }
            for (double[] row : b) {
                for (int j = 0; j < n; j++) {
                    row[j] /= f;
                }
            }
            b = mul(b, b);
            w /= 2;
        }
    }

    /** Closed-form spectral radius of a 2 × 2 matrix. */
    static double radius2(double a, double b, double c, double d) {
        double tr = a + d;
        double det = a * d - b * c;
        double disc = tr * tr / 4 - det;
        if (disc >= 0) {
            double s = Math.sqrt(disc);
            return Math.max(Math.abs(tr / 2 + s), Math.abs(tr / 2 - s));
        }
        return Math.sqrt(det); // |λ|² = λ·λ̄ = det for a complex pair
    }

    /** Random orthogonal n × n matrix by Gram–Schmidt (twice) in the test, independent of the library. */
    static double[][] orthogonal(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] q = new double[n][n];
        for (int j = 0; j < n; j++) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = rng.nextGaussian();
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int k = 0; k < j; k++) {
                    double dot = 0;
                    for (int i = 0; i < n; i++) {
                        dot += q[i][k] * v[i];
                    }
                    for (int i = 0; i < n; i++) {
                        v[i] -= dot * q[i][k];
                    }
                }
            }
            double norm = 0;
            for (double x : v) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                q[i][j] = v[i] / norm;
            }
        }
        return q;
    }

    /**
     * n × n block-diagonal matrix of 2 × 2 rotations r_k·R(θ_k) (eigenvalues r_k·e^{±iθ_k}) and, for
     * odd n, a last 1 × 1 block {@code last}, hidden by the orthogonal similarity Q·B·Qᵀ: a normal
     * matrix whose spectrum is complex pairs of known moduli.
     */
    static double[][] hiddenRotations(double[] radii, double[] angles, double last, long seed) {
        int pairs = radii.length;
        int n = 2 * pairs + (Double.isNaN(last) ? 0 : 1);
        double[][] b = new double[n][n];
        for (int k = 0; k < pairs; k++) {
            int o = 2 * k;
            b[o][o] = radii[k] * Math.cos(angles[k]);
            b[o][o + 1] = -radii[k] * Math.sin(angles[k]);
            b[o + 1][o] = radii[k] * Math.sin(angles[k]);
            b[o + 1][o + 1] = radii[k] * Math.cos(angles[k]);
        }
        if (n % 2 == 1) {
            b[n - 1][n - 1] = last;
        }
        double[][] q = orthogonal(n, seed);
        return mul(mul(q, b), transpose(q));
    }
}
