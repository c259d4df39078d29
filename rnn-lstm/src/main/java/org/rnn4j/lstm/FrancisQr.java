package org.rnn4j.lstm;

import java.util.Arrays;

/**
 * Eigenvalues of a real upper Hessenberg matrix by the Francis implicit double-shift QR algorithm
 * (EISPACK {@code hqr}, as in JAMA, eigenvalues only): real arithmetic throughout, complex
 * conjugate pairs from 2 × 2 blocks. The second step of {@link SpectralRadius}, after {@link
 * HessenbergReduction}.
 */
final class FrancisQr {
    /** Unit roundoff of double: the deflation threshold relative to the neighbouring diagonal. */
    private static final double EPS = 0x1p-52;

    private FrancisQr() {}

    /**
     * Eigenvalues of the upper Hessenberg matrix {@code h} (n × n, row-major, <b>in</b>,
     * destroyed).
     *
     * @param re <b>out</b> real parts (n values)
     * @param im <b>out</b> imaginary parts (n values; pairs ±z)
     * @return false if it did not converge within 30·n iterations in total ({@code re}, {@code im}
     *         then hold only some of the eigenvalues)
     */
    static boolean eigenvalues(double[] h, int nn, double[] re, double[] im) {
        int n = nn - 1;
        int low = 0;
        double exshift = 0;
        double p = 0;
        double q = 0;
        double r = 0;
        double s;
        double z;
        double w;
        double x;
        double y;

        double norm = 0;
        for (int i = 0; i < nn; i++) {
            for (int j = Math.max(i - 1, 0); j < nn; j++) {
                norm += Math.abs(h[i * nn + j]);
            }
        }
        if (norm == 0) {
            Arrays.fill(re, 0, nn, 0);
            Arrays.fill(im, 0, nn, 0);
            return true;
        }

        int iter = 0;
        int totalIter = 0;
        int maxTotal = 30 * nn;
        while (n >= low) {
            // Look for a single small subdiagonal element.
            int l = n;
            while (l > low) {
                s = Math.abs(h[(l - 1) * nn + l - 1]) + Math.abs(h[l * nn + l]);
                if (s == 0) {
                    s = norm;
                }
                if (Math.abs(h[l * nn + l - 1]) < EPS * s) {
                    break;
                }
                l--;
            }

            if (l == n) {
                // One root found.
                re[n] = h[n * nn + n] + exshift;
                im[n] = 0;
                n--;
                iter = 0;
            } else if (l == n - 1) {
                // Two roots found.
                w = h[n * nn + n - 1] * h[(n - 1) * nn + n];
                p = (h[(n - 1) * nn + n - 1] - h[n * nn + n]) / 2.0;
                q = p * p + w;
                z = Math.sqrt(Math.abs(q));
                x = h[n * nn + n] + exshift;
                if (q >= 0) {
                    // Real pair.
                    z = p >= 0 ? p + z : p - z;
                    re[n - 1] = x + z;
                    re[n] = re[n - 1];
                    if (z != 0) {
                        re[n] = x - w / z;
                    }
                    im[n - 1] = 0;
                    im[n] = 0;
                } else {
                    // Complex pair.
                    re[n - 1] = x + p;
                    re[n] = x + p;
                    im[n - 1] = z;
                    im[n] = -z;
                }
                n -= 2;
                iter = 0;
            } else {
                if (totalIter++ >= maxTotal) {
                    return false;
                }
                // Form the shift.
                x = h[n * nn + n];
                y = 0;
                w = 0;
                if (l < n) {
                    y = h[(n - 1) * nn + n - 1];
                    w = h[n * nn + n - 1] * h[(n - 1) * nn + n];
                }
                // Wilkinson's original ad hoc shift.
                if (iter == 10) {
                    exshift += x;
                    for (int i = low; i <= n; i++) {
                        h[i * nn + i] -= x;
                    }
                    s = Math.abs(h[n * nn + n - 1]) + Math.abs(h[(n - 1) * nn + n - 2]);
                    x = 0.75 * s;
                    y = x;
                    w = -0.4375 * s * s;
                }
                // MATLAB's ad hoc shift.
                if (iter == 30) {
                    s = (y - x) / 2.0;
                    s = s * s + w;
                    if (s > 0) {
                        s = Math.sqrt(s);
                        if (y < x) {
                            s = -s;
                        }
                        s = x - w / ((y - x) / 2.0 + s);
                        for (int i = low; i <= n; i++) {
                            h[i * nn + i] -= s;
                        }
                        exshift += s;
                        x = 0.964;
                        y = x;
                        w = x;
                    }
                }
                iter++;

                // Look for two consecutive small subdiagonal elements.
                int m = n - 2;
                while (m >= l) {
                    z = h[m * nn + m];
                    r = x - z;
                    s = y - z;
                    p = (r * s - w) / h[(m + 1) * nn + m] + h[m * nn + m + 1];
                    q = h[(m + 1) * nn + m + 1] - z - r - s;
                    r = h[(m + 2) * nn + m + 1];
                    s = Math.abs(p) + Math.abs(q) + Math.abs(r);
                    p /= s;
                    q /= s;
                    r /= s;
                    if (m == l) {
                        break;
                    }
                    if (Math.abs(h[m * nn + m - 1]) * (Math.abs(q) + Math.abs(r))
                            < EPS * (Math.abs(p) * (Math.abs(h[(m - 1) * nn + m - 1]) + Math.abs(z)
                            + Math.abs(h[(m + 1) * nn + m + 1])))) {
                        break;
                    }
                    m--;
                }
                for (int i = m + 2; i <= n; i++) {
                    h[i * nn + i - 2] = 0;
                    if (i > m + 2) {
                        h[i * nn + i - 3] = 0;
                    }
                }

                // Double QR step on rows l..n and columns m..n.
                for (int k = m; k <= n - 1; k++) {
                    boolean notlast = k != n - 1;
                    if (k != m) {
                        p = h[k * nn + k - 1];
                        q = h[(k + 1) * nn + k - 1];
                        r = notlast ? h[(k + 2) * nn + k - 1] : 0;
                        x = Math.abs(p) + Math.abs(q) + Math.abs(r);
                        if (x == 0) {
                            continue;
                        }
                        p /= x;
                        q /= x;
                        r /= x;
                    }
                    s = Math.sqrt(p * p + q * q + r * r);
                    if (p < 0) {
                        s = -s;
                    }
                    if (s != 0) {
                        if (k != m) {
                            h[k * nn + k - 1] = -s * x;
                        } else if (l != m) {
                            h[k * nn + k - 1] = -h[k * nn + k - 1];
                        }
                        p += s;
                        x = p / s;
                        y = q / s;
                        z = r / s;
                        q /= p;
                        r /= p;
                        // Row modification (columns k..n of the active block suffice for eigenvalues).
                        for (int j = k; j <= n; j++) {
                            p = h[k * nn + j] + q * h[(k + 1) * nn + j];
                            if (notlast) {
                                p += r * h[(k + 2) * nn + j];
                                h[(k + 2) * nn + j] -= p * z;
                            }
                            h[k * nn + j] -= p * x;
                            h[(k + 1) * nn + j] -= p * y;
                        }
                        // Column modification (rows l..min(n, k+3)).
                        int iMax = Math.min(n, k + 3);
                        for (int i = l; i <= iMax; i++) {
                            p = x * h[i * nn + k] + y * h[i * nn + k + 1];
                            if (notlast) {
                                p += z * h[i * nn + k + 2];
                                h[i * nn + k + 2] -= p * r;
                            }
                            h[i * nn + k] -= p;
                            h[i * nn + k + 1] -= p * q;
                        }
                    }
                }
            }
        }
        return true;
    }
}
