package org.rnn4j.lstm;

/**
 * Gelfand's formula ρ(A) = lim ‖A^k‖^(1/k), evaluated by repeated normalised squaring: the
 * fallback of {@link SpectralRadius} for the rare matrix on which {@link FrancisQr} does not
 * converge (slow, about 2·n³ flops per squaring, but it cannot fail).
 */
final class GelfandFormula {
    private GelfandFormula() {}

    /**
     * ‖A^(2^j)‖_F^(1/2^j) after {@code squarings} normalised squarings of {@code a} (n × n,
     * row-major, <b>in</b>, destroyed): an upper bound of ρ(A) that converges to it.
     */
    static double upperBound(double[] a, int n, int squarings) {
        double[] b = a;
        double[] t = new double[n * n];
        double logRho = 0;
        double weight = 1;
        for (int s = 0; s <= squarings; s++) {
            double f = 0;
            for (double x : b) {
                f = Math.hypot(f, x);
            }
            if (f == 0) {
                return 0;
            }
            logRho += weight * Math.log(f);
            if (s == squarings) {
                break;
            }
            for (int i = 0; i < b.length; i++) {
                b[i] /= f;
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int k = 0; k < n; k++) {
                        sum += b[i * n + k] * b[k * n + j];
                    }
                    t[i * n + j] = sum;
                }
            }
            double[] swap = b;
            b = t;
            t = swap;
            weight /= 2;
        }
        return Math.exp(logRho);
    }
}
