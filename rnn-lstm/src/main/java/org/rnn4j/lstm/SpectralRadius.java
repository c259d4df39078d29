package org.rnn4j.lstm;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spectral radius ρ(A) = max |λ_i| of a general real square matrix: whether a linear
 * recurrence h ← A·h grows or decays in the long run (the {@link org.rnn4j.api.Initializer#spectralRadius()
 * rescaling} of W_hh, echo-state style).
 *
 * <p>Method: all eigenvalues, in double precision, by reduction to upper Hessenberg form with
 * Householder similarity transformations ({@link HessenbergReduction}) followed by the Francis
 * implicit double-shift QR algorithm ({@link FrancisQr}) — EISPACK {@code orthes} + {@code hqr},
 * as in JAMA — which handles complex conjugate pairs, the case where power iteration fails.
 *
 * <p>Cost: about 10·n³ flops and n² doubles of memory (a copy of A in double; the input is not
 * modified).
 *
 * <p>Accuracy: the algorithm is backward stable, so the computed eigenvalues are the exact ones
 * of A + E with ‖E‖ ≈ n·2⁻⁵²·‖A‖. For a simple dominant eigenvalue the error of ρ is about
 * κ(λ)·‖E‖ (κ its condition number, 1 for normal matrices such as orthogonal or symmetric ones:
 * then ρ is correct to ~1e-14 relative). Defective eigenvalues are sensitive for every method:
 * a k × k Jordan block moves by up to ‖E‖^{1/k}, so a nilpotent matrix that is not already
 * triangular may give ρ ≈ (n·1e-16)^{1/k}·‖A‖ instead of 0; triangular (including nilpotent
 * triangular) matrices are exact. In the unlikely event the QR iteration does not converge
 * (30·n sweeps), the Gelfand estimate ‖A^(2^j)‖^(1/2^j) after 40 normalised squarings is
 * returned instead ({@link GelfandFormula}: an upper bound, within a factor
 * n^(1/2^40)·(poly)^(1/2^40) ≈ 1 of ρ), with a warning in the log.
 *
 * <p>For ‖A‖₂, which bounds the growth over any number of steps rather than in the limit, see
 * {@link LargestSingularValue}; ρ(A) ≤ σ_max(A), with equality for normal matrices.
 */
public final class SpectralRadius {
    private static final Logger LOG = LoggerFactory.getLogger(SpectralRadius.class);

    /** Normalised squarings of the Gelfand fallback: 2^40 steps, enough for any float matrix. */
    private static final int GELFAND_SQUARINGS = 40;

    private SpectralRadius() {}

    /**
     * ρ(A) of the n × n block A stored row-major at {@code a[off + i·ld + j]} (0 ≤ i, j &lt; n).
     * See the class comment for the method, accuracy and cost.
     *
     * @param a   the array holding the block (not modified)
     * @param off index of A(0, 0)
     * @param ld  leading dimension: distance between the starts of two rows, ≥ n
     * @param n   order of A, ≥ 0
     * @return ρ(A) ≥ 0; 0 for n = 0
     * @throws IllegalArgumentException if n, off or ld is out of range or the block does not fit
     *                                  in {@code a}, or an element is not finite (the message names
     *                                  its row and column)
     */
    public static double of(float[] a, int off, int ld, int n) {
        return radius(DenseBlock.copy(a, off, ld, n, n, "SpectralRadius.of"), n);
    }

    /**
     * As {@link #of(float[], int, int, int)} for a matrix in double.
     *
     * @throws IllegalArgumentException as {@link #of(float[], int, int, int)}
     */
    public static double of(double[] a, int off, int ld, int n) {
        return radius(DenseBlock.copy(a, off, ld, n, n, "SpectralRadius.of"), n);
    }

    /** ρ of the packed n × n matrix {@code h} (destroyed). */
    private static double radius(double[] h, int n) {
        if (n == 0) {
            return 0;
        }
        if (n == 1) {
            return Math.abs(h[0]);
        }
        double[] re = new double[n];
        double[] im = new double[n];
        double[] copy = h.clone();
        HessenbergReduction.reduce(h, n);
        if (!FrancisQr.eigenvalues(h, n, re, im)) {
            LOG.warn("SpectralRadius.of: QR algorithm did not converge for a {}x{} matrix; using the Gelfand estimate",
                    n, n);
            return GelfandFormula.upperBound(copy, n, GELFAND_SQUARINGS);
        }
        double rho = 0;
        for (int i = 0; i < n; i++) {
            rho = Math.max(rho, Math.hypot(re[i], im[i]));
        }
        return rho;
    }
}
