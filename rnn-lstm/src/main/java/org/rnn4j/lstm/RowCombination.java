package org.rnn4j.lstm;

/**
 * {@code out += v·W} in double for one row vector v, formed as a combination of W's rows
 * (Σ_i v_i·W[i, ·]) — a loop over contiguous rows that vectorises, unlike dot products with W's
 * columns — and skipping v_i = 0. The cells' one-step Jacobians (tangent, cotangent) are made of
 * these products with W_h and W_hᵀ.
 */
final class RowCombination {
    private RowCombination() {}

    /**
     * {@code out[outOff + q] += Σ_i v[vOff + i]·w[wOff + i·ld + q]} for q &lt; cols.
     *
     * @param v   <b>in</b> {@code rows} values at vOff
     * @param w   <b>in</b> rows × cols at wOff, leading dimension ld
     * @param out <b>inout</b> cols values at outOff; must not overlap v
     */
    static void accumulate(double[] v, int vOff, int rows, double[] w, int wOff, int ld, int cols,
                           double[] out, int outOff) {
        for (int i = 0; i < rows; i++) {
            double x = v[vOff + i];
            if (x != 0) {
                int row = wOff + i * ld;
                for (int q = 0; q < cols; q++) {
                    out[outOff + q] += x * w[row + q];
                }
            }
        }
    }
}
