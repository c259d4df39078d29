package org.rnn4j.lstm;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Householder QR of a square matrix in double, for the orthogonal factor only: the orthogonal
 * initialiser's Haar-random gate blocks (Mezzadri 2007).
 */
final class HouseholderQr {
    private HouseholderQr() {}

    /**
     * <b>out</b> {@code q} (n·n, row-major): a Haar-distributed random orthogonal matrix — the Q of
     * the Householder QR of an n × n standard Gaussian matrix, sign-corrected so that R has a
     * positive diagonal. Draws n·n Gaussians from {@code rng} in row-major order.
     */
    static void randomOrthogonal(int n, SplittableRandom rng, double[] q) {
        double[] a = new double[n * n];
        for (int i = 0; i < n * n; i++) {
            a[i] = rng.nextGaussian();
        }
        orthogonalFactor(a, n, q);
    }

    /**
     * <b>out</b> {@code q}: the orthogonal factor of {@code a = Q·R} (n × n, row-major; {@code a}
     * is destroyed), with the signs chosen so that R has a non-negative diagonal.
     */
    static void orthogonalFactor(double[] a, int n, double[] q) {
        double[] houseNorm2 = new double[n];
        double[] rdiagSign = new double[n];
        // Householder vectors v_k (entries k..n-1) and their squared norms; R is left in a.
        double[][] house = new double[n][];
        for (int k = 0; k < n; k++) {
            double norm = 0;
            for (int i = k; i < n; i++) {
                norm = Math.hypot(norm, a[i * n + k]);
            }
            double akk = a[k * n + k];
            if (norm == 0) {
                house[k] = null;
                rdiagSign[k] = 1;
                continue;
            }
            // Reflect column k onto alpha·e_k with alpha = -sign(akk)·norm (no cancellation).
            double alpha = akk >= 0 ? -norm : norm;
            double[] hv = new double[n - k];
            hv[0] = akk - alpha;
            for (int i = k + 1; i < n; i++) {
                hv[i - k] = a[i * n + k];
            }
            double hn = 0;
            for (double x : hv) {
                hn += x * x;
            }
            if (hn == 0) {
                house[k] = null;
                rdiagSign[k] = alpha >= 0 ? 1 : -1;
                continue;
            }
            // Apply H = I - 2 v vᵀ / (vᵀv) to the remaining columns.
            for (int j = k; j < n; j++) {
                double s = 0;
                for (int i = k; i < n; i++) {
                    s += hv[i - k] * a[i * n + j];
                }
                s = 2 * s / hn;
                for (int i = k; i < n; i++) {
                    a[i * n + j] -= s * hv[i - k];
                }
            }
            house[k] = hv;
            houseNorm2[k] = hn;
            rdiagSign[k] = alpha >= 0 ? 1 : -1;
        }
        // Q = H_0 H_1 ... H_{n-1}: apply the reflections to the identity from the right, last first.
        Arrays.fill(q, 0, n * n, 0.0);
        for (int i = 0; i < n; i++) {
            q[i * n + i] = 1;
        }
        for (int k = n - 1; k >= 0; k--) {
            double[] hv = house[k];
            if (hv == null) {
                continue;
            }
            double hn = houseNorm2[k];
            // Q ← H_k·Q (rows k..n-1 change).
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int i = k; i < n; i++) {
                    s += hv[i - k] * q[i * n + j];
                }
                s = 2 * s / hn;
                for (int i = k; i < n; i++) {
                    q[i * n + j] -= s * hv[i - k];
                }
            }
        }
        // A = Q·R with R's diagonal r_kk; Q·diag(sign r) has R' = diag(sign r)·R ≥ 0 on the diagonal.
        for (int j = 0; j < n; j++) {
            if (rdiagSign[j] < 0) {
                for (int i = 0; i < n; i++) {
                    q[i * n + j] = -q[i * n + j];
                }
            }
        }
    }
}
