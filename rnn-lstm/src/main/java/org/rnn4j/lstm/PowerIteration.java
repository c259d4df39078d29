package org.rnn4j.lstm;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The largest singular value by power iteration on AᵀA in double: the method of {@link
 * LargestSingularValue}. Only matrix-vector products, so it costs O(rows·cols) memory and per
 * iteration, and needs no decomposition.
 */
final class PowerIteration {
    /** Hard stop of the iteration. */
    static final int MAX_ITERATIONS = 20_000;

    /** Relative change of σ² per iteration below which the iteration stops. */
    static final double TOLERANCE = 1e-12;

    /** Seed of the fixed start vector, so that every call on the same matrix gives the same bits. */
    private static final long START_SEED = 0x5EED_0F_5161L;

    private PowerIteration() {}

    /**
     * σ_max of the rows × cols matrix {@code m} (row-major, <b>in</b>, destroyed: scaled by its
     * largest |m_ij|). Starts from a fixed pseudo-random vector of length cols and iterates v ←
     * AᵀA·v / ‖AᵀA·v‖ until the estimate ‖A·v‖² of σ_max² changes by less than {@link #TOLERANCE}
     * relative in one iteration, or {@link #MAX_ITERATIONS} iterations.
     *
     * @return σ_max ≥ 0; 0 for an empty or zero matrix
     */
    static double largestSingularValue(double[] m, int rows, int cols) {
        if (rows == 0 || cols == 0) {
            return 0;
        }
        if (rows == 1 && cols == 1) {
            return Math.abs(m[0]);
        }
        // Scale A to max |a_ij| = 1 so that squares neither overflow nor underflow.
        double amax = 0;
        for (double x : m) {
            amax = Math.max(amax, Math.abs(x));
        }
        if (amax == 0) {
            return 0;
        }
        for (int i = 0; i < m.length; i++) {
            m[i] /= amax;
        }
        double[] v = new double[cols];
        double[] w = new double[rows];
        SplittableRandom rng = new SplittableRandom(START_SEED);
        for (int j = 0; j < cols; j++) {
            v[j] = rng.nextDouble(0.5, 1.5) * (rng.nextBoolean() ? 1 : -1);
        }
        normalize(v);
        double est = 0;
        for (int iter = 0; iter < MAX_ITERATIONS; iter++) {
            // w = A v
            for (int i = 0; i < rows; i++) {
                double s = 0;
                for (int j = 0; j < cols; j++) {
                    s += m[i * cols + j] * v[j];
                }
                w[i] = s;
            }
            double next = 0;
            for (int i = 0; i < rows; i++) {
                next += w[i] * w[i];
            }
            if (next == 0) {
                // v is in the null space; A ≠ 0, so restart from a unit vector A has a column for.
                int best = 0;
                double bestNorm = -1;
                for (int j = 0; j < cols; j++) {
                    double c = 0;
                    for (int i = 0; i < rows; i++) {
                        c += m[i * cols + j] * m[i * cols + j];
                    }
                    if (c > bestNorm) {
                        bestNorm = c;
                        best = j;
                    }
                }
                Arrays.fill(v, 0);
                v[best] = 1;
                continue;
            }
            // v = Aᵀ w, normalised
            Arrays.fill(v, 0);
            for (int i = 0; i < rows; i++) {
                double wi = w[i];
                for (int j = 0; j < cols; j++) {
                    v[j] += m[i * cols + j] * wi;
                }
            }
            normalize(v);
            boolean done = iter > 0 && Math.abs(next - est) <= TOLERANCE * next;
            est = Math.max(est, next);
            if (done) {
                break;
            }
        }
        return Math.sqrt(est) * amax;
    }

    private static void normalize(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        s = Math.sqrt(s);
        if (s > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] /= s;
            }
        }
    }
}
