package org.rnn4j.lstm;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * ‖M_t ⋯ M_{k+1}‖₂ of a product of {@link StepMaps}, matrix-free: power iteration on
 * {@code P·Pᵀ}, each iteration one sweep of vector-Jacobian products from t down to k + 1 and one
 * of Jacobian-vector products back up. A sweep renormalises its vector after every step and adds
 * the log10 of the factor, so a product of 10⁻⁴⁰⁰ or 10⁴⁰⁰ is carried exactly as a log10 and
 * never under- or overflows.
 *
 * <p>The product may be restricted to a part of the vectors: input supported on
 * {@code [inOff, inOff + len)}, output read from {@code [outOff, outOff + len)} — e.g. ∂h_t/∂h_k of
 * an LSTM whose state is (h, c).
 *
 * <p>Each estimate ‖P·v‖ with ‖v‖ = 1 is a lower bound of σ_max that grows with every iteration;
 * it stops when log10 of it changes by less than the tolerance (or after {@code maxIterations}).
 * The caller's left vector warm-starts the next call: for consecutive k the dominant left singular
 * vectors of the products are close, so few iterations are needed; an equal share of a random
 * vector is mixed in first, so a warm start never hides a new dominant direction. Not thread-safe.
 */
final class ChainNorm {
    private static final long SEED = 0x5EED_C4A1L;

    private final StepMaps maps;
    private final double log10Tolerance;
    private final int maxIterations;
    private final double[] a;
    private final double[] b;
    /** Scratch for {@link #refresh}. */
    private final double[] r;
    private final SplittableRandom random = new SplittableRandom(SEED);

    /**
     * @param relativeTolerance stop when σ changes by less than this, relative (e.g. 1e-7)
     * @param maxIterations     at most this many power iterations per norm
     */
    ChainNorm(StepMaps maps, double relativeTolerance, int maxIterations) {
        this.maps = maps;
        this.log10Tolerance = Math.log10(1 + relativeTolerance);
        this.maxIterations = maxIterations;
        this.a = new double[maps.dim()];
        this.b = new double[maps.dim()];
        this.r = new double[maps.dim()];
    }

    /** A fresh pseudo-random unit start vector of {@code len} values into {@code u}. */
    void randomStart(double[] u, int len) {
        for (int i = 0; i < len; i++) {
            u[i] = random.nextDouble(0.5, 1.5) * (random.nextBoolean() ? 1 : -1);
        }
        normalize(u, len);
    }

    /**
     * log10 ‖P‖₂ of the restricted product P = M_t ⋯ M_{k+1}, k &lt; t.
     *
     * @param u <b>inout</b> {@code len} values: a unit start vector in the output space (a
     *          previous call's, or {@link #randomStart}); on return the estimate of the dominant
     *          left singular vector
     * @return log10 σ_max, −∞ if the product is zero
     */
    double log10Norm(int k, int t, int inOff, int outOff, int len, double[] u) {
        refresh(u, len);
        double best = Double.NEGATIVE_INFINITY;
        boolean restarted = false;
        for (int iter = 0; iter < maxIterations; iter++) {
            // w = uᵀ·P: back from t to k + 1.
            Arrays.fill(a, 0);
            System.arraycopy(u, 0, a, outOff, len);
            double logW = sweep(a, k, t, true);
            double[] w = current;
            double normW = norm(w, inOff, len);
            if (normW == 0 || logW == Double.NEGATIVE_INFINITY) {
                if (restarted) {
                    return best;       // uᵀP = 0 for two unrelated u: P = 0 (to rounding)
                }
                restarted = true;
                randomStart(u, len);
                continue;
            }
            // z = P·v, v = w/‖w‖: up from k + 1 to t.
            double[] v = w == a ? b : a;
            Arrays.fill(v, 0);
            for (int i = 0; i < len; i++) {
                v[inOff + i] = w[inOff + i] / normW;
            }
            double logZ = sweep(v, k, t, false);
            double[] z = current;
            double normZ = norm(z, outOff, len);
            if (normZ == 0) {
                return best;
            }
            double estimate = logZ + Math.log10(normZ);
            for (int i = 0; i < len; i++) {
                u[i] = z[outOff + i] / normZ;
            }
            boolean done = iter > 0 && Math.abs(estimate - best) <= log10Tolerance;
            best = Math.max(best, estimate);
            if (done) {
                break;
            }
        }
        return best;
    }

    /**
     * Mixes an equal share of a fresh random unit vector into the warm start {@code u}. The
     * previous product's dominant left vector can be almost orthogonal to this one's (e.g. for
     * diagonal products, as diag(f_t ∘ ⋯ ∘ f_{k+1}), when the largest entry moves to another
     * unit as k decreases): power iteration from it alone changes its estimate by less than the
     * tolerance and stops at the old direction's value, far below σ_max. After the mix every
     * direction has a share like a random start's, and the old direction still most of it.
     */
    private void refresh(double[] u, int len) {
        double s = norm(u, 0, len);
        if (!(s > 0) || !Double.isFinite(s)) {
            randomStart(u, len);
            return;
        }
        randomStart(r, len);
        for (int i = 0; i < len; i++) {
            u[i] = u[i] / s + r[i];
        }
        if (norm(u, 0, len) == 0) {
            randomStart(u, len);
        } else {
            normalize(u, len);
        }
    }

    /** The array the last sweep left its vector in. */
    private double[] current;

    /**
     * Starting from {@code start} (one of the two work arrays), applies M_tᵀ … M_{k+1}ᵀ
     * ({@code back}) or M_{k+1} … M_t, renormalising after each step; the result is left in
     * {@link #current}.
     *
     * @return the log10 of the factor taken out
     */
    private double sweep(double[] start, int k, int t, boolean back) {
        double[] in = start;
        double[] out = start == a ? b : a;
        double log = 0;
        for (int s = 0; s < t - k; s++) {
            if (back) {
                maps.applyTransposed(t - s, in, out);
            } else {
                maps.apply(k + 1 + s, in, out);
            }
            log += renormalize(out);
            double[] tmp = in;
            in = out;
            out = tmp;
        }
        current = in;
        return log;
    }

    /** Scales v to unit norm and returns log10 of the norm (−∞ and v unchanged for zero). */
    private static double renormalize(double[] v) {
        double s = norm(v, 0, v.length);
        if (s == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= s;
        }
        return Math.log10(s);
    }

    static double norm(double[] v, int off, int len) {
        double scale = 0;
        for (int i = 0; i < len; i++) {
            scale = Math.max(scale, Math.abs(v[off + i]));
        }
        if (scale == 0) {
            return 0;
        }
        double s = 0;
        for (int i = 0; i < len; i++) {
            double x = v[off + i] / scale;
            s += x * x;
        }
        return scale * Math.sqrt(s);
    }

    private static void normalize(double[] v, int len) {
        double s = norm(v, 0, len);
        for (int i = 0; i < len; i++) {
            v[i] /= s;
        }
    }
}
