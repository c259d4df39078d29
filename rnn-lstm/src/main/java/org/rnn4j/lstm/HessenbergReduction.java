package org.rnn4j.lstm;

import java.util.Arrays;

/**
 * Reduction of a general real square matrix to upper Hessenberg form by Householder similarity
 * transformations (EISPACK {@code orthes}, as in JAMA): the first step of {@link SpectralRadius},
 * so that each {@link FrancisQr} sweep costs O(n²) instead of O(n³).
 */
final class HessenbergReduction {
    private HessenbergReduction() {}

    /**
     * Reduces {@code h} (n × n, row-major, <b>in/out</b>) to upper Hessenberg form in place, with
     * the same eigenvalues (about 10n³/3 flops); entries below the subdiagonal are set to 0. The
     * orthogonal transformation itself is not kept.
     */
    static void reduce(double[] h, int n) {
        double[] ort = new double[n];
        double[] f = new double[n];
        int high = n - 1;
        for (int m = 1; m <= high - 1; m++) {
            double scale = 0;
            for (int i = m; i <= high; i++) {
                scale += Math.abs(h[i * n + m - 1]);
            }
            if (scale == 0) {
                continue;
            }
            double hh = 0;
            for (int i = high; i >= m; i--) {
                ort[i] = h[i * n + m - 1] / scale;
                hh += ort[i] * ort[i];
            }
            double g = Math.sqrt(hh);
            if (ort[m] > 0) {
                g = -g;
            }
            hh -= ort[m] * g;
            ort[m] -= g;
            // H = (I − u·uᵀ/hh)·H·(I − u·uᵀ/hh); the left product row by row: f = uᵀH/hh.
            Arrays.fill(f, m, n, 0.0);
            for (int i = m; i <= high; i++) {
                double oi = ort[i];
                int row = i * n;
                for (int j = m; j < n; j++) {
                    f[j] += oi * h[row + j];
                }
            }
            for (int j = m; j < n; j++) {
                f[j] /= hh;
            }
            for (int i = m; i <= high; i++) {
                double oi = ort[i];
                int row = i * n;
                for (int j = m; j < n; j++) {
                    h[row + j] -= f[j] * oi;
                }
            }
            for (int i = 0; i <= high; i++) {
                int row = i * n;
                double s = 0;
                for (int j = m; j <= high; j++) {
                    s += ort[j] * h[row + j];
                }
                s /= hh;
                for (int j = m; j <= high; j++) {
                    h[row + j] -= s * ort[j];
                }
            }
            h[m * n + m - 1] = scale * g;
            for (int i = m + 1; i <= high; i++) {
                h[i * n + m - 1] = 0;
            }
        }
    }
}
