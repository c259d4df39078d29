package org.rnn4j.simd.internal;

import org.rnn4j.simd.Activation;
import org.rnn4j.simd.GateLayout;
import org.rnn4j.simd.PackedMatrix;
import org.rnn4j.simd.PartTask;

/**
 * Argument checks shared by every kernel implementation; each message names the argument.
 *
 * <p>Public because its callers sit in two packages of this module (the kernels in
 * {@code org.rnn4j.simd}, the benchmark variants in {@code org.rnn4j.simd.bench}); the module does
 * not export this package, so it is not API.
 */
public final class Checks {
    private Checks() {}

    public static void parts(int parts, PartTask task) {
        if (parts < 1) {
            throw new IllegalArgumentException("parts must be >= 1, got " + parts);
        }
        if (task == null) {
            throw new NullPointerException("task is null");
        }
    }

    public static void nonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        }
    }

    /** A vector of {@code n} floats at {@code off} fits in {@code array}. */
    public static void vector(String name, float[] array, int off, int n) {
        if (array == null) {
            throw new NullPointerException(name + " is null");
        }
        if (off < 0 || (long) off + n > array.length) {
            throw new IndexOutOfBoundsException(name + ": " + n + " elements at offset " + off
                    + " do not fit in an array of length " + array.length);
        }
    }

    /** A rows × cols row-major matrix with leading dimension ld at off fits in array. */
    public static void matrix(String name, float[] array, int off, int ld, int rows, int cols) {
        if (array == null) {
            throw new NullPointerException(name + " is null");
        }
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException("leading dimension of " + name + " must be >= "
                    + Math.max(1, cols) + " (its column count), got " + ld);
        }
        if (off < 0) {
            throw new IndexOutOfBoundsException(name + ": negative offset " + off);
        }
        if (rows == 0 || cols == 0) {
            return;
        }
        long last = off + (long) (rows - 1) * ld + cols;
        if (last > array.length) {
            throw new IndexOutOfBoundsException(name + ": a " + rows + " x " + cols
                    + " matrix with leading dimension " + ld + " at offset " + off
                    + " needs " + last + " elements, array length is " + array.length);
        }
    }

    /** Validates a GEMM call; {@code transA}/{@code transB} say how A and B are stored. */
    public static void gemm(int m, int n, int k, float[] a, int aOff, int lda, boolean transA,
                            float[] b, int bOff, int ldb, boolean transB, float[] c, int cOff, int ldc) {
        nonNegative("m", m);
        nonNegative("n", n);
        nonNegative("k", k);
        if (transA) {
            matrix("A (k x m, transposed)", a, aOff, lda, k, m);
        } else {
            matrix("A (m x k)", a, aOff, lda, m, k);
        }
        if (transB) {
            matrix("B (n x k, transposed)", b, bOff, ldb, n, k);
        } else {
            matrix("B (k x n)", b, bOff, ldb, k, n);
        }
        matrix("C (m x n)", c, cOff, ldc, m, n);
    }

    public static void rows(int m, int n, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        nonNegative("m", m);
        if (n < 1) {
            throw new IllegalArgumentException("n (row length) must be >= 1, got " + n);
        }
        matrix("x", x, xOff, ldx, m, n);
        matrix("y", y, yOff, ldy, m, n);
    }

    public static void activation(Activation f, int n, float[] x, int xOff, float[] y, int yOff) {
        activation(f, n, "x", x, xOff, "y", y, yOff);
    }

    /** An activation call whose two arrays are called {@code inName} and {@code outName}. */
    public static void activation(Activation f, int n, String inName, float[] in, int inOff,
                                  String outName, float[] out, int outOff) {
        if (f == null) {
            throw new NullPointerException("activation is null");
        }
        nonNegative("n", n);
        vector(inName, in, inOff, n);
        vector(outName, out, outOff, n);
    }

    public static void lstm(int m, int n, boolean forgetGate, float[] gates, int gOff, float[] cPrev, int cPrevOff,
                            float[] c, int cOff) {
        nonNegative("m", m);
        nonNegative("n", n);
        int g = GateLayout.lstm(forgetGate).gates();
        vector("gates (m x G·n)", gates, gOff, m * g * n); // constant names: a check must not allocate
        vector("cPrev (m x n)", cPrev, cPrevOff, m * n);
        vector("c (m x n)", c, cOff, m * n);
    }

    /** The arrays of a GRU epilogue: m × 4n work rows, m × n h_{t−1} and a second m × n matrix. */
    public static void gru(int m, int n, float[] gates, int gOff, float[] hPrev, int hpOff, String name, float[] x,
                           int xOff) {
        nonNegative("m", m);
        nonNegative("n", n);
        vector("gates (m x 4n)", gates, gOff, 4 * m * n);
        vector("hPrev (m x n)", hPrev, hpOff, m * n);
        vector(name, x, xOff, m * n);
    }

    /** The arrays of the 2014 GRU's reset epilogue: m × 4n work rows and m × n h_{t−1}. */
    public static void gru2014Reset(int m, int n, float[] gates, int gOff, float[] hPrev, int hpOff) {
        nonNegative("m", m);
        nonNegative("n", n);
        vector("gates (m x 4n)", gates, gOff, 4 * m * n);
        vector("hPrev (m x n)", hPrev, hpOff, m * n);
    }

    /** The arrays of a 2014 GRU backward epilogue: work rows, h_{t−1}, ∂L/∂h_t and m × 4n dGates. */
    public static void gru2014Backward(int m, int n, float[] gates, int gOff, float[] hPrev, int hpOff,
                                       float[] dh, int dhOff, float[] dGates, int dgOff) {
        gru(m, n, gates, gOff, hPrev, hpOff, "dh (m x n)", dh, dhOff);
        vector("dGates (m x 4n)", dGates, dgOff, 4 * m * n);
    }

    public static void packed(int m, int n, float[] a, int aOff, int lda, PackedMatrix b, int col0,
                              float[] c, int cOff, int ldc) {
        nonNegative("m", m);
        nonNegative("n", n);
        if (b == null) {
            throw new NullPointerException("packed B is null");
        }
        if (col0 < 0 || col0 + n > b.cols()) {
            throw new IndexOutOfBoundsException("col0 = " + col0 + ", n = " + n + ": columns [" + col0 + ", "
                    + (col0 + n) + ") are outside the packed B's " + b.cols() + " columns");
        }
        matrix("A (m x k)", a, aOff, lda, m, b.rows());
        matrix("C (m x n)", c, cOff, ldc, m, n);
    }

    /** n ≥ 0 and one vector of n. */
    public static void vector(int n, String name, float[] x, int xOff) {
        nonNegative("n", n);
        vector(name, x, xOff, n);
    }

    /** n ≥ 0 and two vectors of n. */
    public static void vectors(int n, String xName, float[] x, int xOff, String yName, float[] y, int yOff) {
        vector(n, xName, x, xOff);
        vector(yName, y, yOff, n);
    }

    public static void rowVector(int m, int n, float[] v, int vOff, float[] c, int cOff, int ldc) {
        nonNegative("m", m);
        vector(n, "v", v, vOff);
        matrix("c", c, cOff, ldc, m, n);
    }

    public static void sumRows(int m, int n, float[] a, int aOff, int lda, float[] out, int outOff) {
        nonNegative("m", m);
        nonNegative("n", n);
        matrix("a", a, aOff, lda, m, n);
        vector("out", out, outOff, n);
    }

    public static void lstmForward(int m, int n, boolean forgetGate, float[] gates, int gOff, float[] cPrev, int cPrevOff,
                                   float[] c, int cOff, float[] h, int hOff) {
        lstm(m, n, forgetGate, gates, gOff, cPrev, cPrevOff, c, cOff);
        vector("h (m x n)", h, hOff, m * n);
    }

    public static void lstmBackward(int m, int n, boolean forgetGate, float[] gates, int gOff, float[] cPrev, int cPrevOff,
                                    float[] c, int cOff, float[] dh, int dhOff, float[] dc, int dcOff,
                                    float[] dGates, int dgOff) {
        lstm(m, n, forgetGate, gates, gOff, cPrev, cPrevOff, c, cOff);
        vector("dh (m x n)", dh, dhOff, m * n);
        vector("dc (m x n)", dc, dcOff, m * n);
        vector("dGates (m x G·n)", dGates, dgOff, m * (forgetGate ? 4 : 3) * n);
    }

    /**
     * Validates a step product: A is m × cols at aOff (leading dimension lda), C is m × gw
     * (leading dimension ldc), and they do not overlap when they are one array.
     */
    public static void step(int m, int cols, int gw, float[] a, int aOff, int lda, String aName,
                            float[] c, int cOff, int ldc) {
        nonNegative("m", m);
        matrix(aName, a, aOff, lda, m, cols);
        matrix("gates (m x G*c)", c, cOff, ldc, m, gw);
        if (a == c && m > 0 && cols > 0) {
            long aEnd = aOff + (long) (m - 1) * lda + cols;
            long cEnd = cOff + (long) (m - 1) * ldc + gw;
            if (aOff < cEnd && cOff < aEnd) {
                throw new IllegalArgumentException(aName + " and the gates overlap in one array ("
                        + aOff + ".." + aEnd + " and " + cOff + ".." + cEnd + ")");
            }
        }
    }
}
