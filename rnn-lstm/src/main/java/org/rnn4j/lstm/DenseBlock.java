package org.rnn4j.lstm;

import java.util.Objects;

/**
 * Reads a rows × cols block, stored row-major at {@code a[off + i·ld + j]}, into a packed double
 * array, after checking that the shape fits the array and that every element is finite: the one
 * place where the public matrix measurements ({@link SpectralRadius}, {@link
 * LargestSingularValue}) validate their input, so they all report bad input alike.
 */
final class DenseBlock {
    private DenseBlock() {}

    /**
     * @param what the caller, for the messages (e.g. {@code "SpectralRadius.of"})
     * @return a new rows·cols array, row-major with leading dimension cols
     * @throws IllegalArgumentException if the shape is negative or does not fit {@code a}, or an
     *                                  element is NaN or infinite (the message names its row and column)
     */
    static double[] copy(float[] a, int off, int ld, int rows, int cols, String what) {
        Objects.requireNonNull(a, what + ": the array is null");
        checkShape(a.length, off, ld, rows, cols, what);
        double[] m = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                float x = a[off + i * ld + j];
                if (!Float.isFinite(x)) {
                    throw notFinite(what, i, j, off + i * ld + j, x);
                }
                m[i * cols + j] = x;
            }
        }
        return m;
    }

    /** As {@link #copy(float[], int, int, int, int, String)} for a double array. */
    static double[] copy(double[] a, int off, int ld, int rows, int cols, String what) {
        Objects.requireNonNull(a, what + ": the array is null");
        checkShape(a.length, off, ld, rows, cols, what);
        double[] m = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double x = a[off + i * ld + j];
                if (!Double.isFinite(x)) {
                    throw notFinite(what, i, j, off + i * ld + j, x);
                }
                m[i * cols + j] = x;
            }
        }
        return m;
    }

    private static void checkShape(int length, int off, int ld, int rows, int cols, String what) {
        if (rows < 0 || cols < 0 || off < 0 || ld < cols) {
            throw new IllegalArgumentException(what + ": need rows >= 0, cols >= 0, off >= 0, ld >= cols; got rows="
                    + rows + ", cols=" + cols + ", off=" + off + ", ld=" + ld);
        }
        if (rows > 0 && cols > 0) {
            // long: (rows − 1)·ld may exceed int for a shape that cannot fit anyway
            long needed = off + (long) (rows - 1) * ld + cols;
            if (needed > length) {
                throw new IllegalArgumentException(what + ": a " + rows + "x" + cols + " block at offset " + off
                        + " with ld " + ld + " needs " + needed + " values, the array has " + length);
            }
        }
    }

    private static IllegalArgumentException notFinite(String what, int i, int j, int index, double x) {
        return new IllegalArgumentException(what + ": element (" + i + ", " + j + ") (a[" + index + "]) is " + x
                + "; the matrix must be finite");
    }
}
