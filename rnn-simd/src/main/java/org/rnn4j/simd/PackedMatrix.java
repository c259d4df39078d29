package org.rnn4j.simd;

import java.util.Arrays;

import org.rnn4j.simd.internal.Checks;

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
    private static final int TRANSPOSE_TILE = 32;

    final int k;
    final int n;
    /** op(B), k × n row-major. */
    final float[] plain;
    /** Vector-kernel panels (k-blocks of KC rows, NR-wide column panels), or null. */
    final float[] panels;
    /** Panel width the panels were laid out for (0 if none). */
    final int nr;
    /** Depth of a k-block of the panels (0 if none). */
    final int kc;

    /** A matrix with panels of width nr and k-blocks of depth kc as well (none when nr = 0). */
    private PackedMatrix(int k, int n, int nr, int kc) {
        this.k = k;
        this.n = n;
        this.plain = new float[k * n];
        this.nr = nr;
        this.kc = kc;
        this.panels = nr == 0 ? null : new float[k * ((n + nr - 1) / nr * nr)];
    }

    /** Rows of op(B) (the inner dimension k of a product). */
    public int rows() {
        return k;
    }

    /** Columns of op(B). */
    public int cols() {
        return n;
    }

    /**
     * Refills from B (transposed when {@code transB}): the plain copy and, when present, the
     * panels. Plain loops, no Vector API, so any implementation can refill a matrix that another
     * packed. Nothing is written when B does not fit, nor when an untransposed B is bitwise what
     * the matrix holds; otherwise the rows from the first that differs are copied and the panels
     * rebuilt.
     *
     * @throws IllegalArgumentException naming both shapes when B cannot hold this k × n matrix
     */
    void fill(boolean transB, float[] b, int bOff, int ldb) {
        try {
            checkSource(transB, k, n, b, bOff, ldb);
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new IllegalArgumentException("B does not fit the packed " + k + " x " + n + " matrix: "
                    + e.getMessage(), e);
        }
        if (k == 0 || n == 0) {
            return;
        }
        if (transB) {
            // In 32 × 32 tiles: a whole column at a time writes k floats n apart, which for a
            // recurrent weight (n = 256..1024) keeps hitting the same cache sets.
            for (int p0 = 0; p0 < k; p0 += TRANSPOSE_TILE) {
                int p1 = Math.min(k, p0 + TRANSPOSE_TILE);
                for (int j0 = 0; j0 < n; j0 += TRANSPOSE_TILE) {
                    int j1 = Math.min(n, j0 + TRANSPOSE_TILE);
                    for (int j = j0; j < j1; j++) {
                        int src = bOff + j * ldb;
                        for (int p = p0; p < p1; p++) {
                            plain[p * n + j] = b[src + p];
                        }
                    }
                }
            }
        } else {
            // Weights that did not change since the last fill (every forward pass of a model in
            // inference) are not copied and repacked again: a compare pass costs a fraction of
            // the fill, which was 3 % of a 2-thread LSTM forward on the calling thread alone.
            int p = 0;
            while (p < k && Arrays.mismatch(b, bOff + p * ldb, bOff + p * ldb + n, plain, p * n, p * n + n) < 0) {
                p++;
            }
            if (p == k) {
                return; // bitwise the same (NaNs: any NaN for any NaN), so the panels are too
            }
            for (; p < k; p++) {
                System.arraycopy(b, bOff + p * ldb, plain, p * n, n);
            }
        }
        if (panels != null) {
            fillPanels();
        }
    }

    /** A new matrix packed from B; {@code nr = 0} keeps only the plain copy. */
    static PackedMatrix of(boolean transB, int k, int n, float[] b, int bOff, int ldb, int nr, int kc) {
        checkSource(transB, k, n, b, bOff, ldb);
        PackedMatrix p = new PackedMatrix(k, n, nr, kc);
        p.fill(transB, b, bOff, ldb);
        return p;
    }

    /** B (with ldb) holds a k × n op(B); the usual argument exceptions otherwise. */
    static void checkSource(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        Checks.nonNegative("k", k);
        Checks.nonNegative("n", n);
        if (transB) {
            Checks.matrix("B (n x k, transposed)", b, bOff, ldb, n, k);
        } else {
            Checks.matrix("B (k x n)", b, bOff, ldb, k, n);
        }
    }

    /**
     * The vector kernels' layout: k-blocks of {@code kc} rows; within a block of depth d,
     * nr-wide column panels of d × nr, zero-padded past column n. Element (p, j) of block b is
     * at {@code b·kc·nPad + (j / nr)·nr·d + (p − b·kc)·nr + j % nr}.
     */
    private void fillPanels() {
        int nPad = paddedCols();
        for (int pc = 0; pc < k; pc += kc) {
            int depth = Math.min(kc, k - pc);
            int base = pc * nPad;
            for (int j0 = 0; j0 < nPad; j0 += nr) {
                int panel = base + j0 * depth;
                int w = Math.min(nr, n - j0);
                for (int p = 0; p < depth; p++) {
                    int dst = panel + p * nr;
                    System.arraycopy(plain, (pc + p) * n + j0, panels, dst, w);
                    for (int j = w; j < nr; j++) {
                        panels[dst + j] = 0f;
                    }
                }
            }
        }
    }

    /** n rounded up to whole panels. */
    int paddedCols() {
        return nr == 0 ? n : (n + nr - 1) / nr * nr;
    }
}
