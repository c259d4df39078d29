package org.rnn4j.lstm;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.Initializer;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.Parameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Draws the initial weights of a model from its {@link ModelSpec#init() initializer} and
 * {@link ModelSpec#seed() seed}, and measures matrices (spectral radius, largest singular value).
 *
 * <h2>Determinism</h2>
 * A {@link SplittableRandom} is seeded with {@code spec.seed()}; every parameter, in the fixed
 * order of the list (per layer W_x, W_h, b, then W_y, b_y), takes the next {@link
 * SplittableRandom#split() split} of it and draws its values from that split in row-major order
 * (gate block by gate block for orthogonal W_h). So the same spec gives the same weights on every
 * JVM that implements {@code SplittableRandom} as specified, and changing how one parameter is
 * drawn does not move the streams of the others.
 *
 * <h2>Rules</h2>
 * n is the hidden size, G the gates of the cell, d_l the input width of layer l; a <em>gate
 * block</em> is the column block {@code q·n .. (q+1)·n} of W_x, W_h or b.
 * <ul>
 * <li>{@link Initializer.Kind#UNIFORM UNIFORM} (PyTorch's {@code nn.RNN}/{@code nn.LSTM}
 *     default): every value of W_x, W_h and b of every layer ~ U(−1/√n, 1/√n). PyTorch keeps two
 *     biases b_ih and b_hh, each U(±1/√n), whose sum is therefore triangular on ±2/√n; rnn4j has a
 *     single bias and draws it once from U(±1/√n).</li>
 * <li>{@link Initializer.Kind#XAVIER XAVIER}: each gate block of W_x and W_h ~ Glorot uniform
 *     U(±√(6/(fan_in + fan_out))) with fan_in = rows (d_l or n) and fan_out = n (one gate, not the
 *     G·n columns of the whole matrix as Keras's {@code glorot_uniform} on a fused kernel would
 *     use); biases 0.</li>
 * <li>{@link Initializer.Kind#ORTHOGONAL ORTHOGONAL}: each n × n gate block of W_h is an
 *     orthogonal matrix Q from the Householder QR of an n × n standard Gaussian matrix (in double),
 *     with the columns of Q multiplied by the signs of R's diagonal so that Q is Haar-distributed
 *     (Mezzadri 2007); W_x Xavier as above; biases 0.</li>
 * <li>{@link Initializer.Kind#IDENTITY IDENTITY} (IRNN, Le et al. 2015): each gate block of W_h is
 *     the identity; W_x Xavier as above (Le et al. drew the input weights from N(0, 0.001); rnn4j
 *     keeps Xavier so that all kinds share one input rule — for inputs of unit scale the difference
 *     is only the size of the input drive); biases 0.</li>
 * <li>The head W_y (n × o) and b_y (1 × o) always use U(−1/√n, 1/√n), PyTorch's {@code nn.Linear}
 *     default for fan_in = n.</li>
 * <li>Then, if {@link Initializer#spectralRadius()} is positive, each gate block of W_h is scaled
 *     so that its spectral radius is that value (see {@link #spectralRadius}); a block whose
 *     spectral radius is 0 (nilpotent, e.g. zero) cannot be rescaled and is left as it is, with a
 *     warning in the log.</li>
 * <li>Finally, for {@link CellKind#LSTM} only (not {@link CellKind#LSTM_NO_FORGET}, which has no
 *     forget gate, nor RNN), the forget-gate block (gate 1) of every layer's b is set to
 *     {@link Initializer#forgetBias()} when that is non-zero. A zero forget bias leaves the block as
 *     drawn: U(±1/√n) for UNIFORM (so {@link Initializer#pytorchDefault()} is PyTorch's
 *     initialisation exactly) and 0 for the other kinds.</li>
 * </ul>
 */
public final class Initializers {
    private static final Logger LOG = LoggerFactory.getLogger(Initializers.class);

    /** Unit roundoff of double. */
    private static final double EPS = 0x1p-52;

    /** Hard stop for the power iteration of {@link #largestSingularValue}. */
    static final int MAX_POWER_ITERATIONS = 20_000;

    /** Relative change of σ² per iteration below which the power iteration stops. */
    static final double POWER_TOLERANCE = 1e-12;

    private Initializers() {}

    /**
     * Overwrites every value of {@code params} with the initialisation of {@code spec} (see the
     * class comment); gradients are not touched.
     *
     * @param params the model's parameters, exactly the list {@link
     *               org.rnn4j.api.RecurrentModel#parameters()} returns: per layer {@code
     *               layer{l}.W_x}, {@code layer{l}.W_h}, {@code layer{l}.b}, then {@code W_y},
     *               {@code b_y}, with the shapes of {@code spec}
     * @throws IllegalArgumentException if {@code params} does not match {@code spec}
     */
    public static void initialize(ModelSpec spec, List<Parameter> params) {
        checkLayout(spec, params);
        int n = spec.hiddenSize();
        int g = spec.gates();
        Initializer init = spec.init();
        Initializer.Kind kind = init.kind();
        double uniformBound = 1.0 / Math.sqrt(n);
        SplittableRandom root = new SplittableRandom(spec.seed());

        for (int l = 0; l < spec.layers(); l++) {
            Parameter wx = params.get(3 * l);
            Parameter wh = params.get(3 * l + 1);
            Parameter b = params.get(3 * l + 2);
            SplittableRandom rx = root.split();
            SplittableRandom rh = root.split();
            SplittableRandom rb = root.split();
            switch (kind) {
                case UNIFORM -> {
                    fillUniform(wx.value(), uniformBound, rx);
                    fillUniform(wh.value(), uniformBound, rh);
                    fillUniform(b.value(), uniformBound, rb);
                }
                case XAVIER -> {
                    fillUniform(wx.value(), xavierBound(wx.rows(), n), rx);
                    fillUniform(wh.value(), xavierBound(n, n), rh);
                    Arrays.fill(b.value(), 0f);
                }
                case ORTHOGONAL -> {
                    fillUniform(wx.value(), xavierBound(wx.rows(), n), rx);
                    double[] work = new double[n * n];
                    for (int q = 0; q < g; q++) {
                        randomOrthogonal(n, rh, work);
                        for (int i = 0; i < n; i++) {
                            for (int j = 0; j < n; j++) {
                                wh.value()[i * g * n + q * n + j] = (float) work[i * n + j];
                            }
                        }
                    }
                    Arrays.fill(b.value(), 0f);
                }
                case IDENTITY -> {
                    fillUniform(wx.value(), xavierBound(wx.rows(), n), rx);
                    float[] w = wh.value();
                    Arrays.fill(w, 0f);
                    for (int q = 0; q < g; q++) {
                        for (int i = 0; i < n; i++) {
                            w[i * g * n + q * n + i] = 1f;
                        }
                    }
                    Arrays.fill(b.value(), 0f);
                }
            }
            if (init.spectralRadius() > 0) {
                for (int q = 0; q < g; q++) {
                    rescaleBlock(wh, q, n, g * n, init.spectralRadius());
                }
            }
            if (spec.cell() == CellKind.LSTM && init.forgetBias() != 0f) {
                Arrays.fill(b.value(), n, 2 * n, init.forgetBias());
            }
        }
        int head = 3 * spec.layers();
        fillUniform(params.get(head).value(), uniformBound, root.split());
        fillUniform(params.get(head + 1).value(), uniformBound, root.split());
    }

    /** √(6/(fanIn + fanOut)). */
    static double xavierBound(int fanIn, int fanOut) {
        return Math.sqrt(6.0 / (fanIn + fanOut));
    }

    private static void fillUniform(float[] a, double bound, SplittableRandom rng) {
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rng.nextDouble(-bound, bound);
        }
    }

    /**
     * Scales gate block {@code q} (columns {@code q·n .. (q+1)·n}) of {@code wh} so that its
     * spectral radius becomes {@code radius}. Leaves it unchanged, with a warning, if its spectral
     * radius is 0 (or the factor would not be finite).
     *
     * @return the spectral radius the block had before
     */
    static double rescaleBlock(Parameter wh, int q, int n, int ld, double radius) {
        float[] w = wh.value();
        int off = q * n;
        double rho = spectralRadius(w, off, ld, n);
        double factor = radius / rho;
        if (!(rho > 0) || !Double.isFinite(factor)) {
            LOG.warn("{} gate block {}: spectral radius is {}, cannot rescale it to {}; left unchanged",
                    wh.name(), q, rho, radius);
            return rho;
        }
        // A plain float multiply, bitwise what every kernel's scale gives: initialisers choose no kernels.
        float f = (float) factor;
        for (int i = 0; i < n; i++) {
            int row = off + i * ld;
            for (int j = 0; j < n; j++) {
                w[row + j] *= f;
            }
        }
        return rho;
    }

    private static void checkLayout(ModelSpec spec, List<Parameter> params) {
        int n = spec.hiddenSize();
        int gn = spec.gates() * n;
        int expected = 3 * spec.layers() + 2;
        if (params.size() != expected) {
            throw new IllegalArgumentException("expected " + expected + " parameters for " + spec.layers()
                    + " layer(s) (per layer W_x, W_h, b, then W_y, b_y), got " + params.size());
        }
        for (int l = 0; l < spec.layers(); l++) {
            check(params.get(3 * l), "layer" + l + ".W_x", spec.layerInputSize(l), gn);
            check(params.get(3 * l + 1), "layer" + l + ".W_h", n, gn);
            check(params.get(3 * l + 2), "layer" + l + ".b", 1, gn);
        }
        check(params.get(3 * spec.layers()), "W_y", n, spec.outputSize());
        check(params.get(3 * spec.layers() + 1), "b_y", 1, spec.outputSize());
    }

    private static void check(Parameter p, String name, int rows, int cols) {
        if (!p.name().equals(name) || p.rows() != rows || p.cols() != cols) {
            throw new IllegalArgumentException("expected parameter " + name + " (" + rows + "x" + cols
                    + ") at this position, got " + p.name() + " (" + p.rows() + "x" + p.cols() + ")");
        }
    }

    // -------------------------------------------------------------------------------------------
    // Orthogonal matrices
    // -------------------------------------------------------------------------------------------

    /**
     * <b>out</b> {@code q} (n·n, row-major): a Haar-distributed random orthogonal matrix — the Q of
     * the Householder QR of an n × n standard Gaussian matrix, sign-corrected so that R has a
     * positive diagonal. Draws n·n Gaussians from {@code rng} in row-major order.
     */
    static void randomOrthogonal(int n, SplittableRandom rng, double[] q) {
        double[] a = new double[n * n];
        for (int i = 0; i < n * n; i++) {
            a[i] = rng.nextGaussian();
        }
        orthogonalFactor(a, n, q);
    }

    /**
     * <b>out</b> {@code q}: the orthogonal factor of {@code a = Q·R} (n × n, row-major; {@code a}
     * is destroyed), with the signs chosen so that R has a non-negative diagonal.
     */
    static void orthogonalFactor(double[] a, int n, double[] q) {
        double[] houseNorm2 = new double[n];
        double[] rdiagSign = new double[n];
        // Householder vectors v_k (entries k..n-1) and their squared norms; R is left in a.
        double[][] house = new double[n][];
        for (int k = 0; k < n; k++) {
            double norm = 0;
            for (int i = k; i < n; i++) {
                norm = Math.hypot(norm, a[i * n + k]);
            }
            double akk = a[k * n + k];
            if (norm == 0) {
                house[k] = null;
                rdiagSign[k] = 1;
                continue;
            }
            // Reflect column k onto alpha·e_k with alpha = -sign(akk)·norm (no cancellation).
            double alpha = akk >= 0 ? -norm : norm;
            double[] hv = new double[n - k];
            hv[0] = akk - alpha;
            for (int i = k + 1; i < n; i++) {
                hv[i - k] = a[i * n + k];
            }
            double hn = 0;
            for (double x : hv) {
                hn += x * x;
            }
            if (hn == 0) {
                house[k] = null;
                rdiagSign[k] = alpha >= 0 ? 1 : -1;
                continue;
            }
            // Apply H = I - 2 v vᵀ / (vᵀv) to the remaining columns.
            for (int j = k; j < n; j++) {
                double s = 0;
                for (int i = k; i < n; i++) {
                    s += hv[i - k] * a[i * n + j];
                }
                s = 2 * s / hn;
                for (int i = k; i < n; i++) {
                    a[i * n + j] -= s * hv[i - k];
                }
            }
            house[k] = hv;
            houseNorm2[k] = hn;
            rdiagSign[k] = alpha >= 0 ? 1 : -1;
        }
        // Q = H_0 H_1 ... H_{n-1}: apply the reflections to the identity from the right, last first.
        Arrays.fill(q, 0, n * n, 0.0);
        for (int i = 0; i < n; i++) {
            q[i * n + i] = 1;
        }
        for (int k = n - 1; k >= 0; k--) {
            double[] hv = house[k];
            if (hv == null) {
                continue;
            }
            double hn = houseNorm2[k];
            // Q ← H_k·Q (rows k..n-1 change).
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int i = k; i < n; i++) {
                    s += hv[i - k] * q[i * n + j];
                }
                s = 2 * s / hn;
                for (int i = k; i < n; i++) {
                    q[i * n + j] -= s * hv[i - k];
                }
            }
        }
        // A = Q·R with R's diagonal r_kk; Q·diag(sign r) has R' = diag(sign r)·R ≥ 0 on the diagonal.
        for (int j = 0; j < n; j++) {
            if (rdiagSign[j] < 0) {
                for (int i = 0; i < n; i++) {
                    q[i * n + j] = -q[i * n + j];
                }
            }
        }
    }

    // -------------------------------------------------------------------------------------------
    // Spectral radius
    // -------------------------------------------------------------------------------------------

    /**
     * The spectral radius ρ(A) = max |λ_i| of a general real n × n matrix A (row-major at
     * {@code a[off + i·ld + j]}).
     *
     * <p>Method: all eigenvalues, in double precision, by reduction to upper Hessenberg form with
     * Householder similarity transformations followed by the Francis implicit double-shift QR
     * algorithm (EISPACK {@code orthes} + {@code hqr}, as in JAMA), which handles complex conjugate
     * pairs — the case where power iteration fails. Cost about 10·n³ flops, n² doubles of memory.
     *
     * <p>Accuracy: the algorithm is backward stable, so the computed eigenvalues are the exact ones
     * of A + E with ‖E‖ ≈ n·2⁻⁵²·‖A‖. For a simple dominant eigenvalue the error of ρ is about
     * κ(λ)·‖E‖ (κ its condition number, 1 for normal matrices such as orthogonal or symmetric ones:
     * then ρ is correct to ~1e-14 relative). Defective eigenvalues are sensitive for every method:
     * a k × k Jordan block moves by up to ‖E‖^{1/k}, so a nilpotent matrix that is not already
     * triangular may give ρ ≈ (n·1e-16)^{1/k}·‖A‖ instead of 0; triangular (including nilpotent
     * triangular) matrices are exact. In the unlikely event the QR iteration does not converge
     * (30·n sweeps), the Gelfand estimate ‖A^(2^j)‖^(1/2^j) after 40 normalised squarings is
     * returned instead (an upper bound, within a factor n^(1/2^40)·(poly)^(1/2^40) ≈ 1 of ρ).
     *
     * @return ρ(A) ≥ 0; 0 for n = 0
     * @throws IllegalArgumentException if the shape does not fit the array, or A is not finite
     */
    public static double spectralRadius(float[] a, int off, int ld, int n) {
        double[] h = toDouble(a, off, ld, n, "spectralRadius");
        if (n == 0) {
            return 0;
        }
        if (n == 1) {
            return Math.abs(h[0]);
        }
        double[] re = new double[n];
        double[] im = new double[n];
        double[] copy = h.clone();
        hessenberg(h, n);
        if (!hqr(h, n, re, im)) {
            LOG.warn("spectralRadius: QR algorithm did not converge for a {}x{} matrix; using the Gelfand estimate", n, n);
            return gelfand(copy, n, 40);
        }
        double rho = 0;
        for (int i = 0; i < n; i++) {
            rho = Math.max(rho, Math.hypot(re[i], im[i]));
        }
        return rho;
    }

    /**
     * The largest singular value σ_max(A) = ‖A‖₂ of a real n × n matrix (row-major at
     * {@code a[off + i·ld + j]}), by power iteration on AᵀA in double.
     *
     * <p>Starts from a fixed pseudo-random vector (so the result is deterministic) and iterates
     * v ← AᵀA·v / ‖AᵀA·v‖ until the estimate ‖A·v‖² of σ_max² changes by less than 1e-12
     * relative in one iteration (at most {@value #MAX_POWER_ITERATIONS} iterations, 2n² flops
     * each). The estimate is a lower bound that increases monotonically. When σ_2/σ_max = s, the
     * remaining error of σ_max² is about Δ/(1 − s²) for a last change Δ, and never more than about
     * √(Δ/2), so the result is within about 1e-6 relative of σ_max (much closer when the top
     * singular values are separated; Gaussian n × n matrices with n of a few hundred take some
     * hundreds to about a thousand iterations).
     *
     * @return σ_max ≥ 0; 0 for n = 0 or A = 0
     * @throws IllegalArgumentException if the shape does not fit the array, or A is not finite
     */
    public static double largestSingularValue(float[] a, int off, int ld, int n) {
        double[] m = toDouble(a, off, ld, n, "largestSingularValue");
        if (n == 0) {
            return 0;
        }
        if (n == 1) {
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
        double[] v = new double[n];
        double[] w = new double[n];
        SplittableRandom rng = new SplittableRandom(0x5EED_0F_5161L);
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextDouble(0.5, 1.5) * (rng.nextBoolean() ? 1 : -1);
        }
        normalize(v);
        double est = 0;
        for (int iter = 0; iter < MAX_POWER_ITERATIONS; iter++) {
            // w = A v
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += m[i * n + j] * v[j];
                }
                w[i] = s;
            }
            double next = 0;
            for (int i = 0; i < n; i++) {
                next += w[i] * w[i];
            }
            if (next == 0) {
                // v is in the null space; A ≠ 0, so restart from a unit vector A has a column for.
                int best = 0;
                double bestNorm = -1;
                for (int j = 0; j < n; j++) {
                    double c = 0;
                    for (int i = 0; i < n; i++) {
                        c += m[i * n + j] * m[i * n + j];
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
            for (int i = 0; i < n; i++) {
                double wi = w[i];
                for (int j = 0; j < n; j++) {
                    v[j] += m[i * n + j] * wi;
                }
            }
            normalize(v);
            boolean done = iter > 0 && Math.abs(next - est) <= POWER_TOLERANCE * next;
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

    private static double[] toDouble(float[] a, int off, int ld, int n, String what) {
        if (n < 0 || off < 0 || ld < n) {
            throw new IllegalArgumentException(what + ": need n >= 0, off >= 0, ld >= n; got n=" + n + ", off=" + off
                    + ", ld=" + ld);
        }
        if (n > 0 && (long) off + (long) (n - 1) * ld + n > a.length) {
            throw new IllegalArgumentException(what + ": a " + n + "x" + n + " matrix at offset " + off + " with ld "
                    + ld + " does not fit in " + a.length + " values");
        }
        double[] h = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                float x = a[off + i * ld + j];
                if (!Float.isFinite(x)) {
                    throw new IllegalArgumentException(what + ": element (" + i + ", " + j + ") is " + x);
                }
                h[i * n + j] = x;
            }
        }
        return h;
    }

    /**
     * ‖A^(2^j)‖_F^(1/2^j) after {@code squarings} normalised squarings of {@code a} (n × n,
     * destroyed): an upper bound of ρ(A) that converges to it (Gelfand's formula).
     */
    static double gelfand(double[] a, int n, int squarings) {
        double[] b = a;
        double[] t = new double[n * n];
        double logRho = 0;
        double weight = 1;
        for (int s = 0; s <= squarings; s++) {
            double f = 0;
            for (double x : b) {
                f = Math.hypot(f, x);
            }
            if (f == 0) {
                return 0;
            }
            logRho += weight * Math.log(f);
            if (s == squarings) {
                break;
            }
            for (int i = 0; i < b.length; i++) {
                b[i] /= f;
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int k = 0; k < n; k++) {
                        sum += b[i * n + k] * b[k * n + j];
                    }
                    t[i * n + j] = sum;
                }
            }
            double[] swap = b;
            b = t;
            t = swap;
            weight /= 2;
        }
        return Math.exp(logRho);
    }

    /**
     * Reduces {@code h} (n × n, row-major) to upper Hessenberg form in place by Householder
     * similarity transformations (EISPACK {@code orthes}); entries below the subdiagonal are set
     * to 0.
     */
    static void hessenberg(double[] h, int n) {
        double[] ort = new double[n];
        double[] f = new double[n];
        int high = n - 1;
        for (int m = 1; m <= high - 1; m++) {
            double scale = 0;
            for (int i = m; i <= high; i++) {
                scale += Math.abs(h[i * n + m - 1]);
            }
            if (scale == 0) {
                continue;
            }
            double hh = 0;
            for (int i = high; i >= m; i--) {
                ort[i] = h[i * n + m - 1] / scale;
                hh += ort[i] * ort[i];
            }
            double g = Math.sqrt(hh);
            if (ort[m] > 0) {
                g = -g;
            }
            hh -= ort[m] * g;
            ort[m] -= g;
            // H = (I − u·uᵀ/hh)·H·(I − u·uᵀ/hh); the left product row by row: f = uᵀH/hh.
            Arrays.fill(f, m, n, 0.0);
            for (int i = m; i <= high; i++) {
                double oi = ort[i];
                int row = i * n;
                for (int j = m; j < n; j++) {
                    f[j] += oi * h[row + j];
                }
            }
            for (int j = m; j < n; j++) {
                f[j] /= hh;
            }
            for (int i = m; i <= high; i++) {
                double oi = ort[i];
                int row = i * n;
                for (int j = m; j < n; j++) {
                    h[row + j] -= f[j] * oi;
                }
            }
            for (int i = 0; i <= high; i++) {
                int row = i * n;
                double s = 0;
                for (int j = m; j <= high; j++) {
                    s += ort[j] * h[row + j];
                }
                s /= hh;
                for (int j = m; j <= high; j++) {
                    h[row + j] -= s * ort[j];
                }
            }
            h[m * n + m - 1] = scale * g;
            for (int i = m + 1; i <= high; i++) {
                h[i * n + m - 1] = 0;
            }
        }
    }

    /**
     * Eigenvalues of the upper Hessenberg matrix {@code h} (n × n, destroyed) by the Francis
     * implicit double-shift QR algorithm (EISPACK {@code hqr}, eigenvalues only).
     *
     * @param re <b>out</b> real parts
     * @param im <b>out</b> imaginary parts
     * @return false if it did not converge within 30·n iterations in total
     */
    static boolean hqr(double[] h, int nn, double[] re, double[] im) {
        int n = nn - 1;
        int low = 0;
        double exshift = 0;
        double p = 0;
        double q = 0;
        double r = 0;
        double s;
        double z;
        double w;
        double x;
        double y;

        double norm = 0;
        for (int i = 0; i < nn; i++) {
            for (int j = Math.max(i - 1, 0); j < nn; j++) {
                norm += Math.abs(h[i * nn + j]);
            }
        }
        if (norm == 0) {
            Arrays.fill(re, 0, nn, 0);
            Arrays.fill(im, 0, nn, 0);
            return true;
        }

        int iter = 0;
        int totalIter = 0;
        int maxTotal = 30 * nn;
        while (n >= low) {
            // Look for a single small subdiagonal element.
            int l = n;
            while (l > low) {
                s = Math.abs(h[(l - 1) * nn + l - 1]) + Math.abs(h[l * nn + l]);
                if (s == 0) {
                    s = norm;
                }
                if (Math.abs(h[l * nn + l - 1]) < EPS * s) {
                    break;
                }
                l--;
            }

            if (l == n) {
                // One root found.
                re[n] = h[n * nn + n] + exshift;
                im[n] = 0;
                n--;
                iter = 0;
            } else if (l == n - 1) {
                // Two roots found.
                w = h[n * nn + n - 1] * h[(n - 1) * nn + n];
                p = (h[(n - 1) * nn + n - 1] - h[n * nn + n]) / 2.0;
                q = p * p + w;
                z = Math.sqrt(Math.abs(q));
                x = h[n * nn + n] + exshift;
                if (q >= 0) {
                    // Real pair.
                    z = p >= 0 ? p + z : p - z;
                    re[n - 1] = x + z;
                    re[n] = re[n - 1];
                    if (z != 0) {
                        re[n] = x - w / z;
                    }
                    im[n - 1] = 0;
                    im[n] = 0;
                } else {
                    // Complex pair.
                    re[n - 1] = x + p;
                    re[n] = x + p;
                    im[n - 1] = z;
                    im[n] = -z;
                }
                n -= 2;
                iter = 0;
            } else {
                if (totalIter++ >= maxTotal) {
                    return false;
                }
                // Form the shift.
                x = h[n * nn + n];
                y = 0;
                w = 0;
                if (l < n) {
                    y = h[(n - 1) * nn + n - 1];
                    w = h[n * nn + n - 1] * h[(n - 1) * nn + n];
                }
                // Wilkinson's original ad hoc shift.
                if (iter == 10) {
                    exshift += x;
                    for (int i = low; i <= n; i++) {
                        h[i * nn + i] -= x;
                    }
                    s = Math.abs(h[n * nn + n - 1]) + Math.abs(h[(n - 1) * nn + n - 2]);
                    x = 0.75 * s;
                    y = x;
                    w = -0.4375 * s * s;
                }
                // MATLAB's ad hoc shift.
                if (iter == 30) {
                    s = (y - x) / 2.0;
                    s = s * s + w;
                    if (s > 0) {
                        s = Math.sqrt(s);
                        if (y < x) {
                            s = -s;
                        }
                        s = x - w / ((y - x) / 2.0 + s);
                        for (int i = low; i <= n; i++) {
                            h[i * nn + i] -= s;
                        }
                        exshift += s;
                        x = 0.964;
                        y = x;
                        w = x;
                    }
                }
                iter++;

                // Look for two consecutive small subdiagonal elements.
                int m = n - 2;
                while (m >= l) {
                    z = h[m * nn + m];
                    r = x - z;
                    s = y - z;
                    p = (r * s - w) / h[(m + 1) * nn + m] + h[m * nn + m + 1];
                    q = h[(m + 1) * nn + m + 1] - z - r - s;
                    r = h[(m + 2) * nn + m + 1];
                    s = Math.abs(p) + Math.abs(q) + Math.abs(r);
                    p /= s;
                    q /= s;
                    r /= s;
                    if (m == l) {
                        break;
                    }
                    if (Math.abs(h[m * nn + m - 1]) * (Math.abs(q) + Math.abs(r))
                            < EPS * (Math.abs(p) * (Math.abs(h[(m - 1) * nn + m - 1]) + Math.abs(z)
                            + Math.abs(h[(m + 1) * nn + m + 1])))) {
                        break;
                    }
                    m--;
                }
                for (int i = m + 2; i <= n; i++) {
                    h[i * nn + i - 2] = 0;
                    if (i > m + 2) {
                        h[i * nn + i - 3] = 0;
                    }
                }

                // Double QR step on rows l..n and columns m..n.
                for (int k = m; k <= n - 1; k++) {
                    boolean notlast = k != n - 1;
                    if (k != m) {
                        p = h[k * nn + k - 1];
                        q = h[(k + 1) * nn + k - 1];
                        r = notlast ? h[(k + 2) * nn + k - 1] : 0;
                        x = Math.abs(p) + Math.abs(q) + Math.abs(r);
                        if (x == 0) {
                            continue;
                        }
                        p /= x;
                        q /= x;
                        r /= x;
                    }
                    s = Math.sqrt(p * p + q * q + r * r);
                    if (p < 0) {
                        s = -s;
                    }
                    if (s != 0) {
                        if (k != m) {
                            h[k * nn + k - 1] = -s * x;
                        } else if (l != m) {
                            h[k * nn + k - 1] = -h[k * nn + k - 1];
                        }
                        p += s;
                        x = p / s;
                        y = q / s;
                        z = r / s;
                        q /= p;
                        r /= p;
                        // Row modification (columns k..n of the active block suffice for eigenvalues).
                        for (int j = k; j <= n; j++) {
                            p = h[k * nn + j] + q * h[(k + 1) * nn + j];
                            if (notlast) {
                                p += r * h[(k + 2) * nn + j];
                                h[(k + 2) * nn + j] -= p * z;
                            }
                            h[k * nn + j] -= p * x;
                            h[(k + 1) * nn + j] -= p * y;
                        }
                        // Column modification (rows l..min(n, k+3)).
                        int iMax = Math.min(n, k + 3);
                        for (int i = l; i <= iMax; i++) {
                            p = x * h[i * nn + k] + y * h[i * nn + k + 1];
                            if (notlast) {
                                p += z * h[i * nn + k + 2];
                                h[i * nn + k + 2] -= p * r;
                            }
                            h[i * nn + k] -= p;
                            h[i * nn + k + 1] -= p * q;
                        }
                    }
                }
            }
        }
        return true;
    }
}
