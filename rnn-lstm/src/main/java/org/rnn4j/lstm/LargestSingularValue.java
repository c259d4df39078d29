package org.rnn4j.lstm;

/**
 * The largest singular value σ_max(A) = ‖A‖₂ = max ‖A·x‖/‖x‖ of a real rows × cols matrix: the
 * most one multiplication by A can stretch a vector, so (σ_max(W_hh)·γ)^(t−k) bounds how much a
 * gradient can grow over t − k steps of a recurrence through W_hh with activation slope ≤ γ.
 *
 * <p>Method: power iteration on AᵀA in double ({@link PowerIteration}). It starts from a fixed
 * pseudo-random vector (so the result is deterministic) and iterates v ← AᵀA·v / ‖AᵀA·v‖ until
 * the estimate ‖A·v‖² of σ_max² changes by less than 1e-12 relative in one iteration, at most
 * 20 000 iterations. A is first scaled by its largest |a_ij|, so no square overflows or
 * underflows.
 *
 * <p>Cost: two matrix-vector products per iteration, about 4·rows·cols flops; rows·cols doubles
 * of memory (a copy of A; the input is not modified). The number of iterations grows as the top
 * two singular values come together: Gaussian n × n matrices with n of a few hundred take some
 * hundreds to about a thousand iterations, a matrix with a well separated σ_max a few dozen.
 *
 * <p>Accuracy: the estimate is a lower bound that increases monotonically. When σ_2/σ_max = s,
 * the remaining error of σ_max² is about Δ/(1 − s²) for a last change Δ, and never more than
 * about √(Δ/2), so the result is within about 1e-6 relative of σ_max (much closer when the top
 * singular values are separated).
 *
 * <p>ρ(A) ≤ σ_max(A) for square A; for the spectral radius itself see {@link SpectralRadius}.
 */
public final class LargestSingularValue {
    private LargestSingularValue() {}

    /**
     * σ_max(A) of the rows × cols block A stored row-major at {@code a[off + i·ld + j]}
     * (0 ≤ i &lt; rows, 0 ≤ j &lt; cols). See the class comment for the method, accuracy and cost.
     *
     * @param a    the array holding the block (not modified)
     * @param off  index of A(0, 0)
     * @param ld   leading dimension: distance between the starts of two rows, ≥ cols
     * @param rows number of rows, ≥ 0
     * @param cols number of columns, ≥ 0
     * @return σ_max ≥ 0; 0 for an empty or zero matrix
     * @throws IllegalArgumentException if rows, cols, off or ld is out of range or the block does
     *                                  not fit in {@code a}, or an element is not finite (the
     *                                  message names its row and column)
     */
    public static double of(float[] a, int off, int ld, int rows, int cols) {
        return PowerIteration.largestSingularValue(
                DenseBlock.copy(a, off, ld, rows, cols, "LargestSingularValue.of"), rows, cols);
    }

    /**
     * σ_max(A) of the n × n block A at {@code a[off + i·ld + j]}: {@link #of(float[], int, int,
     * int, int) of(a, off, ld, n, n)}.
     *
     * @throws IllegalArgumentException as {@link #of(float[], int, int, int, int)}
     */
    public static double of(float[] a, int off, int ld, int n) {
        return of(a, off, ld, n, n);
    }

    /**
     * As {@link #of(float[], int, int, int, int)} for a matrix in double.
     *
     * @throws IllegalArgumentException as {@link #of(float[], int, int, int, int)}
     */
    public static double of(double[] a, int off, int ld, int rows, int cols) {
        return PowerIteration.largestSingularValue(
                DenseBlock.copy(a, off, ld, rows, cols, "LargestSingularValue.of"), rows, cols);
    }

    /**
     * As {@link #of(float[], int, int, int)} for a matrix in double.
     *
     * @throws IllegalArgumentException as {@link #of(float[], int, int, int, int)}
     */
    public static double of(double[] a, int off, int ld, int n) {
        return of(a, off, ld, n, n);
    }

    /**
     * σ_max of the n × n block at {@code a[off + i·ld + j]} to rounding, not a power-iteration
     * lower bound: the square root of the largest eigenvalue of AᵀA (A scaled by its largest
     * |a_ij| first), by the QR algorithm of {@link Eigenvalues}. AᵀA is symmetric, so that
     * eigenvalue is within about 1e-16·‖A‖² of the exact one. Use it where ρ ≤ σ_max, or a bound
     * built from σ_max, must hold to the last digits: when the top singular values nearly
     * coincide (W_h = r·Q with Q orthogonal: all of them do) {@link #of(double[], int, int, int)}
     * can stop 1e-8 … 1e-6 relative short. Cost about 10·n³ flops.
     *
     * @throws IllegalArgumentException as {@link #of(float[], int, int, int, int)}
     */
    public static double exact(double[] a, int off, int ld, int n) {
        return fromGram(DenseBlock.copy(a, off, ld, n, n, "LargestSingularValue.exact"), n);
    }

    /** As {@link #exact(double[], int, int, int)} for a matrix in float. */
    public static double exact(float[] a, int off, int ld, int n) {
        return fromGram(DenseBlock.copy(a, off, ld, n, n, "LargestSingularValue.exact"), n);
    }

    /** √λ_max(AᵀA) of the packed n × n matrix {@code m}. */
    private static double fromGram(double[] m, int n) {
        double scale = 0;
        for (double v : m) {
            scale = Math.max(scale, Math.abs(v));
        }
        if (scale == 0) {
            return 0;
        }
        double[] g = new double[n * n];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < n; i++) {
                double x = m[r * n + i] / scale;
                if (x != 0) {
                    for (int j = 0; j < n; j++) {
                        g[i * n + j] += x * (m[r * n + j] / scale);
                    }
                }
            }
        }
        return scale * Math.sqrt(Eigenvalues.of(g, 0, n, n).spectralRadius());
    }
}
