package org.rnn4j.lstm;

import java.util.Arrays;
import java.util.Comparator;
import org.rnn4j.api.diagnostics.Spectrum;

/**
 * Every eigenvalue of a general real square matrix, complex ones in conjugate pairs: the
 * derivation's eigendecomposition argument (a change along eigenvector v_i is scaled by λ_i per
 * step) made visible. Same method and accuracy as {@link SpectralRadius} (Householder reduction to
 * Hessenberg form, then Francis double-shift QR, in double).
 */
public final class Eigenvalues {
    private Eigenvalues() {}

    /**
     * The eigenvalues of the n × n block at {@code a[off + i·ld + j]}, sorted by descending
     * modulus (ties: larger real part, then larger imaginary part first).
     *
     * @throws IllegalArgumentException if the block does not fit or holds a non-finite value
     *                                  (naming its row and column)
     * @throws ArithmeticException      if the QR iteration does not converge (30·n sweeps)
     */
    public static Spectrum of(float[] a, int off, int ld, int n) {
        return sorted(DenseBlock.copy(a, off, ld, n, n, "Eigenvalues.of"), n);
    }

    /** As {@link #of(float[], int, int, int)} for a matrix in double. */
    public static Spectrum of(double[] a, int off, int ld, int n) {
        return sorted(DenseBlock.copy(a, off, ld, n, n, "Eigenvalues.of"), n);
    }

    private static Spectrum sorted(double[] h, int n) {
        double[] re = new double[n];
        double[] im = new double[n];
        if (n == 1) {
            re[0] = h[0];
        } else if (n > 1) {
            HessenbergReduction.reduce(h, n);
            if (!FrancisQr.eigenvalues(h, n, re, im)) {
                throw new ArithmeticException("Eigenvalues.of: the QR iteration did not converge for a " + n + "x" + n
                        + " matrix");
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -Math.hypot(re[i], im[i]))
                .thenComparingDouble(i -> -re[i]).thenComparingDouble(i -> -im[i]));
        double[] sre = new double[n];
        double[] sim = new double[n];
        for (int i = 0; i < n; i++) {
            sre[i] = re[order[i]];
            sim[i] = im[order[i]];
        }
        return new Spectrum(sre, sim);
    }
}
