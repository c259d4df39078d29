package org.rnn4j.lstm;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.Initializer;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.Parameter;
import org.rnn4j.simd.GateLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Draws the initial weights of a model from its {@link ModelSpec#init() initializer} and
 * {@link ModelSpec#seed() seed}. The linear algebra it needs lives in files named after it:
 * {@link HouseholderQr} for the orthogonal blocks, {@link SpectralRadius} for the rescaling.
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
 * <li>The GRU's second bias b_hn (1 × n): U(−1/√n, 1/√n) for UNIFORM (PyTorch's
 *     {@code nn.GRU} default for its part of {@code bias_hh}), 0 for the other kinds; it takes the
 *     split after the layer's W_x, W_h and b. The 2014 GRU ({@link CellKind#GRU_2014}) has none:
 *     its W_x, W_h and b follow the rules above like any other cell's.</li>
 * <li>The head W_y (n × o) and b_y (1 × o) always use U(−1/√n, 1/√n), PyTorch's {@code nn.Linear}
 *     default for fan_in = n.</li>
 * <li>Then, if {@link Initializer#spectralRadius()} is positive, each gate block of W_h is scaled
 *     so that its spectral radius is that value (see {@link SpectralRadius}); a block whose
 *     spectral radius is 0 (nilpotent, e.g. zero) cannot be rescaled and is left as it is, with a
 *     warning in the log.</li>
 * <li>Finally, for {@link CellKind#LSTM} only (not {@link CellKind#LSTM_NO_FORGET}, which has no
 *     forget gate, nor RNN), the forget-gate block ({@link GateLayout.Gate#F}, block 1 of
 *     {@link GateLayout#LSTM}) of every layer's b is set to
 *     {@link Initializer#forgetBias()} when that is non-zero. A zero forget bias leaves the block as
 *     drawn: U(±1/√n) for UNIFORM (so {@link Initializer#pytorchDefault()} is PyTorch's
 *     initialisation exactly) and 0 for the other kinds.</li>
 * </ul>
 */
public final class Initializers {
    private static final Logger LOG = LoggerFactory.getLogger(Initializers.class);

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
        GateLayout layout = Cell.of(spec).layout();
        int g = layout.gates();
        Initializer init = spec.init();
        Initializer.Kind kind = init.kind();
        double uniformBound = 1.0 / Math.sqrt(n);
        SplittableRandom root = new SplittableRandom(spec.seed());

        int per = perLayer(spec);
        for (int block = 0; block < spec.layers() * spec.directions(); block++) {   // per layer: forward, reverse
            Parameter wx = params.get(per * block);
            Parameter wh = params.get(per * block + 1);
            Parameter b = params.get(per * block + 2);
            SplittableRandom rx = root.split();
            SplittableRandom rh = root.split();
            SplittableRandom rb = root.split();
            if (spec.cell().hasCandidateBias()) {
                // b_hn: PyTorch's U(±1/√n) for the uniform init (drawn after the others, so the
                // LSTM and RNN streams are unchanged), zero otherwise like b
                Parameter bhn = params.get(per * block + 3);
                if (kind == Initializer.Kind.UNIFORM) {
                    fillUniform(bhn.value(), uniformBound, root.split());
                } else {
                    Arrays.fill(bhn.value(), 0f);
                }
            }
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
                        HouseholderQr.randomOrthogonal(n, rh, work);
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
            if (layout.has(GateLayout.Gate.F) && init.forgetBias() != 0f) {
                int f = layout.offset(GateLayout.Gate.F, n);
                Arrays.fill(b.value(), f, f + n, init.forgetBias());
            }
        }
        int head = per * spec.layers() * spec.directions();
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
        double rho = SpectralRadius.of(w, off, ld, n);
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

    /** Parameters per layer: W_x, W_h, b, and the GRU's b_hn. */
    private static int perLayer(ModelSpec spec) {
        return spec.cell().hasCandidateBias() ? 4 : 3;
    }

    private static void checkLayout(ModelSpec spec, List<Parameter> params) {
        int n = spec.hiddenSize();
        int gn = spec.gates() * n;
        int per = perLayer(spec);
        int blocks = spec.layers() * spec.directions();
        int expected = per * blocks + 2;
        if (params.size() != expected) {
            throw new IllegalArgumentException("expected " + expected + " parameters for " + spec.layers()
                    + " layer(s) (per layer" + (spec.bidirectional() ? " and direction" : "") + " W_x, W_h, b"
                    + (per == 4 ? ", b_hn" : "") + ", then W_y, b_y), got " + params.size());
        }
        for (int block = 0; block < blocks; block++) {
            int l = block / spec.directions();
            String prefix = "layer" + l + (block % spec.directions() == 1 ? ".reverse." : ".");
            check(params.get(per * block), prefix + "W_x", spec.layerInputSize(l), gn);
            check(params.get(per * block + 1), prefix + "W_h", n, gn);
            check(params.get(per * block + 2), prefix + "b", 1, gn);
            if (per == 4) {
                check(params.get(per * block + 3), prefix + "b_hn", 1, n);
            }
        }
        check(params.get(per * blocks), "W_y", spec.layerOutputSize(), spec.outputSize());
        check(params.get(per * blocks + 1), "b_y", 1, spec.outputSize());
    }

    private static void check(Parameter p, String name, int rows, int cols) {
        if (!p.name().equals(name) || p.rows() != rows || p.cols() != cols) {
            throw new IllegalArgumentException("expected parameter " + name + " (" + rows + "x" + cols
                    + ") at this position, got " + p.name() + " (" + p.rows() + "x" + p.cols() + ")");
        }
    }
}
