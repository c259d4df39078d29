package org.rnn4j.simd;

/**
 * A GEMM right-hand operand op(B) (k × n) packed once for many products — a recurrent weight
 * matrix is the same for every time step of a sequence, so the per-call packing of
 * {@link Kernels#mult} is paid once per pass instead of once per step.
 *
 * <p>Create with {@link Kernels#packB}, refill in place (no allocation) with
 * {@link Kernels#repackB} after the weights change, multiply with {@link Kernels#multPacked}.
 * It always holds op(B) plainly (row-major k × n, what the scalar kernels use) and, when packed by
 * the vector kernels, also in their register-panel layout. Not thread-safe while being repacked.
 */
public final class PackedMatrix {
    final int k;
    final int n;
    /** op(B), k × n row-major. */
    final float[] plain;
    /** Vector-kernel panels (k-blocks of KC rows, NR-wide column panels), or null. */
    final float[] panels;
    /** Panel width the panels were laid out for (0 if none). */
    final int nr;

    PackedMatrix(int k, int n, float[] panels, int nr) {
        this.k = k;
        this.n = n;
        this.plain = new float[k * n];
        this.panels = panels;
        this.nr = nr;
    }

    /** Rows of op(B) (the inner dimension k of a product). */
    public int rows() {
        return k;
    }

    /** Columns of op(B). */
    public int cols() {
        return n;
    }

    /** Copies op(B) from B (transposed when {@code transB}), checking shape. */
    void fillPlain(boolean transB, float[] b, int bOff, int ldb) {
        if (transB) {
            Checks.matrix("B (n x k, transposed)", b, bOff, ldb, n, k);
            for (int j = 0; j < n; j++) {
                for (int p = 0; p < k; p++) {
                    plain[p * n + j] = b[bOff + j * ldb + p];
                }
            }
        } else {
            Checks.matrix("B (k x n)", b, bOff, ldb, k, n);
            for (int p = 0; p < k; p++) {
                System.arraycopy(b, bOff + p * ldb, plain, p * n, n);
            }
        }
    }
}
