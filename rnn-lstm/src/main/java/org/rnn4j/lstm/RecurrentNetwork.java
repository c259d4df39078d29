package org.rnn4j.lstm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.NonFiniteException;
import org.rnn4j.api.Parameter;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.Window;
import org.rnn4j.simd.Kernels;

/**
 * A stack of {@link RecurrentLayer}s under an {@link OutputLayer}: the layer stack and the passes
 * through it. Per layer, forward is the input projection (one GEMM over all steps) and the
 * {@link RecurrentLoop}; backward is the loop in reverse and the weight-gradient GEMMs. The
 * cells' equations are in {@link RnnCell} and {@link LstmCell}.
 *
 * <p>The model's kernels (given to {@link Models#create}) do all its arithmetic, including the
 * gradient norm and scaling a trainer asks for. Workspaces grow to the largest (T, m) seen and are
 * reused: a pass in steady state allocates nothing.
 */
final class RecurrentNetwork implements RecurrentModel {
    private final ModelSpec spec;
    private final Kernels kernels;
    private final RecurrentLayer[] layers;
    private final OutputLayer output;
    private final RecurrentLoop loop;
    private final List<Parameter> parameters;
    private final int hidden;
    private final boolean cellState;

    // Gradient workspaces, shared by the layers (one layer at a time).
    private float[] dGates = new float[0];   // T·m × work width, ∂L/∂P of one layer
    private float[] dHidden = new float[0];  // T·m × n, ∂L/∂h_t arriving from above
    private float[] dInputs = new float[0];  // T·m × d
    private float[] dh = new float[0];       // m × n
    private float[] dc = new float[0];       // m × n
    private float[] dInitH = new float[0];   // L·m·n
    private float[] dInitC = new float[0];
    private double[] hiddenGradNorms = new double[0];

    private float[] initH;                   // L·m·n set by the user, or null (zeros)
    private float[] initC;
    /** The start state of a window with from > 0, carried from the previous pass. */
    private float[] carryH = new float[0];
    private float[] carryC = new float[0];
    private double hiddenClip;

    private Window whole = Window.all(1);

    // Bidirectional layers (PyTorch's bidirectional=True): per layer l a reverse-direction layer,
    // the layer's output [h_fwd | h_rev] (T·m × 2n) and its input in each sequence's reversed
    // order; gradient scratch of the same shapes.
    private final boolean bidirectional;
    /** State blocks: layers · directions. */
    private final int slots;
    private final RecurrentLayer[] reverse;
    private final float[][] cat;
    private final float[][] reversedInput;
    private float[] dCatA = new float[0];
    private float[] dCatB = new float[0];
    private float[] dHiddenReverse = new float[0];
    private float[] dInputsReverse = new float[0];

    // Dropout between layers (training passes only): per layer l < L − 1, the factor (0 or
    // 1/(1 − p)) of each element of h_1 … h_T, and that layer's output as the layer above reads it.
    private final float[][] dropMask;
    private final float[][] dropped;
    private long trainingPasses;
    /** Whether the pass in progress is a training pass with dropout. */
    private boolean dropping;

    // The last pass whose forward completed: its batch inputs, window and batch size.
    private float[] lastInputs;
    private int lastFrom;
    private int lastSteps;
    private int lastBatch;

    /** The kernels (and threads) this network runs on. */
    Kernels kernels() {
        return kernels;
    }

    RecurrentNetwork(ModelSpec spec, Kernels kernels) {
        this.spec = spec;
        this.kernels = kernels;
        this.hidden = spec.hiddenSize();
        Cell cell = Cell.of(spec);
        if (cell.layout().gates() != spec.gates()) {
            throw new IllegalStateException("cell " + cell + " has " + cell.layout().gates()
                    + " gates, the spec says " + spec.gates());
        }
        this.cellState = cell.hasCellState();
        this.bidirectional = spec.bidirectional();
        this.slots = spec.layers() * spec.directions();
        this.layers = new RecurrentLayer[spec.layers()];
        this.reverse = new RecurrentLayer[bidirectional ? spec.layers() : 0];
        this.cat = new float[reverse.length][0];
        this.reversedInput = new float[reverse.length][0];
        List<Parameter> all = new ArrayList<>();
        for (int l = 0; l < layers.length; l++) {
            int dirs = spec.directions();
            layers[l] = new RecurrentLayer(l, false, dirs * l, cell, spec.layerInputSize(l), hidden, kernels);
            addParameters(all, layers[l]);
            if (bidirectional) {
                reverse[l] = new RecurrentLayer(l, true, 2 * l + 1, cell, spec.layerInputSize(l), hidden, kernels);
                addParameters(all, reverse[l]);
            }
        }
        this.output = new OutputLayer(spec.layerOutputSize(), spec.outputSize(), spec.head());
        all.add(output.wy);
        all.add(output.by);
        this.parameters = List.copyOf(all);
        this.loop = new RecurrentLoop(kernels);
        int between = spec.dropout() > 0 ? layers.length - 1 : 0;
        this.dropMask = new float[between][0];
        this.dropped = new float[between][0];
    }

    private static void addParameters(List<Parameter> all, RecurrentLayer layer) {
        all.add(layer.wx);
        all.add(layer.wh);
        all.add(layer.bias);
        if (layer.candidateBias != null) {
            all.add(layer.candidateBias);
        }
    }

    @Override
    public long trainingPasses() {
        return trainingPasses;
    }

    @Override
    public void setTrainingPasses(long passes) {
        if (passes < 0) {
            throw new IllegalArgumentException("passes must be >= 0, got " + passes);
        }
        trainingPasses = passes;
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public Parameter parameter(String name) {
        for (Parameter p : parameters) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        List<String> names = new ArrayList<>();
        for (Parameter p : parameters) {
            names.add(p.name());
        }
        throw new IllegalArgumentException("no parameter '" + name + "'; the model has " + names);
    }

    // ---------------------------------------------------------------------------------------
    // Passes
    // ---------------------------------------------------------------------------------------

    @Override
    public double forward(SequenceBatch batch, float[] outputs) {
        return pass(batch, whole(batch.steps()), false, outputs);
    }

    @Override
    public double forwardBackward(SequenceBatch batch) {
        return forwardBackward(batch, whole(batch.steps()));
    }

    /** The window of all T steps, kept so that a whole-batch pass allocates nothing. */
    private Window whole(int steps) {
        if (whole.to() != steps) {
            whole = Window.all(steps);
        }
        return whole;
    }

    @Override
    public double forward(SequenceBatch batch, Window window, float[] outputs) {
        return pass(batch, window, false, outputs);
    }

    @Override
    public double forwardBackward(SequenceBatch batch, Window window) {
        if (batch.targets() == null) {
            throw new IllegalArgumentException("forwardBackward needs a batch with targets");
        }
        return pass(batch, window, true, null);
    }

    private double pass(SequenceBatch batch, Window window, boolean backward, float[] outputs) {
        if (window == null) {
            throw new IllegalArgumentException("window is null");
        }
        // the inputs' NaN/±∞ scan on the vector kernels (a plain loop was 1-2 % of a forward, and
        // serial while the other threads wait); validate() again only to name the bad input
        batch.validateExceptInputValues(spec.inputSize(), spec.outputSize());
        if (kernels.firstNonFinite(batch.inputs().length, batch.inputs(), 0) >= 0) {
            batch.validate(spec.inputSize(), spec.outputSize());
        }
        if (batch.targets() != null) {
            output.loss().checkTargets(batch.targets());
        }
        if (window.to() > batch.steps()) {
            throw new IllegalArgumentException("window [" + window.from() + ", " + window.to() + ") does not fit a batch of T = "
                    + batch.steps() + " steps");
        }
        int m = batch.batchSize();
        int steps = window.steps();
        int rows = steps * m;
        if (outputs != null && outputs.length < rows * spec.outputSize()) {
            throw new IllegalArgumentException("outputs has " + outputs.length + " values, needs T·m·o = "
                    + rows * spec.outputSize());
        }
        if (bidirectional && (window.from() != 0 || window.to() != batch.steps())) {
            throw new IllegalArgumentException("a bidirectional model reads every sequence backwards from its end: it"
                    + " runs whole batches only, not the window [" + window.from() + ", " + window.to() + ") of T = "
                    + batch.steps() + " (no truncated BPTT)");
        }
        boolean fromStart = window.from() == 0;
        if (fromStart && initH != null && initH.length != slots * m * hidden) {
            throw new IllegalArgumentException("initial state was set for batch size " + initH.length / (slots * hidden)
                    + ", the batch has " + m + " sequences");
        }
        if (!fromStart) {
            carryState(batch, window);
        }
        float[] h0 = fromStart ? initH : carryH;
        float[] c0 = fromStart ? initC : carryC;
        ensureWorkspace(steps, m);
        lastInputs = null;   // until this forward completes, there is no state to read
        lastBatch = 0;
        dropping = backward && dropMask.length > 0;
        if (backward) {
            trainingPasses++;   // a new pass, new masks (also when it fails: never reuse a mask)
        }
        if (bidirectional) {
            forwardBidirectional(batch, m, steps, h0, c0);
        } else {
            forwardLayers(batch, window, m, h0, c0);
        }
        lastInputs = batch.inputs();
        lastFrom = window.from();
        lastSteps = steps;
        lastBatch = m;
        double loss = bidirectional
                ? output.forward(kernels, cat[layers.length - 1], 0, batch, window)
                : output.forward(kernels, layers[layers.length - 1].h, m * hidden, batch, window);
        if (outputs != null) {
            System.arraycopy(output.out, 0, outputs, 0, rows * spec.outputSize());
        }
        if (backward) {
            if (bidirectional) {
                backwardBidirectional(batch, m, steps);
            } else {
                backwardLayers(batch, window, m);
            }
        }
        return loss;
    }

    /**
     * Copies the state at {@code window.from()} out of the last pass, which must have covered it
     * (see {@link Window}), into the carry buffers the window starts from.
     */
    private void carryState(SequenceBatch batch, Window window) {
        int s = window.from() - lastFrom;
        if (lastInputs != batch.inputs() || lastBatch != batch.batchSize() || s < 0 || s > lastSteps) {
            String last = lastInputs == null ? "there is no completed pass"
                    : (lastInputs != batch.inputs() || lastBatch != batch.batchSize()
                            ? "the last pass was over another batch"
                            : "the last pass covered [" + lastFrom + ", " + (lastFrom + lastSteps) + ")");
            throw new IllegalStateException("window [" + window.from() + ", " + window.to() + ") continues from the state at step "
                    + window.from() + ", but " + last);
        }
        int size = layers.length * lastBatch * hidden;
        if (carryH.length != size) {
            carryH = new float[size];
            carryC = new float[size];
        }
        for (RecurrentLayer layer : layers) {
            layer.copyState(s, lastBatch, carryH, cellState ? carryC : null);
        }
    }

    private void forwardLayers(SequenceBatch batch, Window window, int m, float[] h0, float[] c0) {
        int steps = window.steps();
        for (RecurrentLayer layer : layers) {
            layer.loadState(h0, c0, m);
            loop.forward(layer, input(batch, layer.index), inputOffset(window, m, layer.index), steps, m, window.from(),
                    batch.lengths());
            if (dropping && layer.index < layers.length - 1) {
                drop(layer.index, layer.h, m * hidden, steps * m * hidden);
            }
        }
    }

    /**
     * Draws layer l's dropout mask for this pass and applies it to h_1 … h_T. Element i's fate
     * is a hash of (seed, pass, layer, i) — no generator state, so it is the same whatever the
     * thread count or the order of evaluation.
     */
    private void drop(int l, float[] h, int from, int size) {
        if (dropMask[l].length < size) {
            dropMask[l] = new float[size];
            dropped[l] = new float[size];
        }
        float[] mask = dropMask[l];
        float[] out = dropped[l];
        double p = spec.dropout();
        float keep = (float) (1 / (1 - p));
        long key = mix(spec.seed() ^ 0x5DEECE66DL, trainingPasses, l);
        for (int i = 0; i < size; i++) {
            // the top 53 bits of a SplitMix64 hash as a uniform double in [0, 1)
            double u = (mix64(key + i * 0x9E3779B97F4A7C15L) >>> 11) * 0x1.0p-53;
            float f = u < p ? 0f : keep;
            mask[i] = f;
            out[i] = h[from + i] * f;
        }
    }

    /** The dropout factors of layer l's output in the last training pass (tests). */
    float[] dropoutMask(int l) {
        return dropMask[l];
    }

    private static long mix(long seed, long pass, int layer) {
        return mix64(mix64(seed) + pass * 0xBF58476D1CE4E5B9L + layer);
    }

    /** SplitMix64's finaliser (Steele, Lea and Flood 2014). */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * The input of layer l: the batch's inputs from the window's start, or h_1 … h_T below (after
     * dropout; [h_fwd | h_rev] when bidirectional).
     */
    private float[] input(SequenceBatch batch, int l) {
        if (l == 0) {
            return batch.inputs();
        }
        return dropping ? dropped[l - 1] : bidirectional ? cat[l - 1] : layers[l - 1].h;
    }

    private int inputOffset(Window window, int m, int l) {
        return l == 0 ? window.from() * m * spec.inputSize() : dropping || bidirectional ? 0 : m * hidden;
    }

    // ---------------------------------------------------------------------------------------
    // Bidirectional layers
    // ---------------------------------------------------------------------------------------

    /**
     * Step t of sequence b in its reversed order: length(b) − 1 − t within its length, t past it
     * (frozen steps map to themselves), so the map is its own inverse.
     */
    private static int reversed(SequenceBatch batch, int b, int t) {
        int len = batch.length(b);
        return t < len ? len - 1 - t : t;
    }

    /**
     * Each layer: the forward direction as a unidirectional layer; the reverse direction as the
     * same loop over the input with each sequence's steps reversed (so with lengths it starts at
     * the sequence's own last step and freezes past it); then [h_fwd | h_rev] per step and row,
     * the reverse half put back in time order.
     */
    private void forwardBidirectional(SequenceBatch batch, int m, int steps, float[] h0, float[] c0) {
        int n = hidden;
        int rows = steps * m;
        for (int l = 0; l < layers.length; l++) {
            RecurrentLayer fwd = layers[l];
            RecurrentLayer rev = reverse[l];
            float[] x = input(batch, l);
            int xOff = l == 0 ? 0 : inputOffset(whole, m, l);
            int d = fwd.inputSize;
            fwd.loadState(h0, c0, m);
            loop.forward(fwd, x, xOff, steps, m, 0, batch.lengths());

            float[] xr = reversedInput[l];
            for (int t = 0; t < steps; t++) {
                for (int b = 0; b < m; b++) {
                    System.arraycopy(x, xOff + (t * m + b) * d, xr, (reversed(batch, b, t) * m + b) * d, d);
                }
            }
            rev.loadState(h0, c0, m);
            loop.forward(rev, xr, 0, steps, m, 0, batch.lengths());

            float[] out = cat[l];
            for (int t = 0; t < steps; t++) {
                for (int b = 0; b < m; b++) {
                    int row = (t * m + b) * 2 * n;
                    System.arraycopy(fwd.h, ((t + 1) * m + b) * n, out, row, n);
                    System.arraycopy(rev.h, ((reversed(batch, b, t) + 1) * m + b) * n, out, row + n, n);
                }
            }
            if (dropping && l < layers.length - 1) {
                drop(l, out, 0, rows * 2 * n);
            }
        }
    }

    /**
     * BPTT through both directions of every layer: ∂L/∂[h_fwd | h_rev] is split, the reverse half
     * put in the reversed order its loop ran in; each direction's loop and weight gradients as in
     * a unidirectional layer; the reverse direction's ∂L/∂X put back in time order and added.
     */
    private void backwardBidirectional(SequenceBatch batch, int m, int steps) {
        int n = hidden;
        int rows = steps * m;
        int mn = m * n;
        float[] dOut = dCatA;                          // ∂L/∂ of the current layer's [h_fwd | h_rev]
        float[] dBelow = dCatB;
        output.backward(kernels, cat[layers.length - 1], 0, rows, dOut);
        int firstBadStep = -1;
        for (int l = layers.length - 1; l >= 0; l--) {
            RecurrentLayer fwd = layers[l];
            RecurrentLayer rev = reverse[l];
            int d = fwd.inputSize;
            for (int t = 0; t < steps; t++) {
                for (int b = 0; b < m; b++) {
                    int row = (t * m + b) * 2 * n;
                    System.arraycopy(dOut, row, dHidden, (t * m + b) * n, n);
                    System.arraycopy(dOut, row + n, dHiddenReverse, (reversed(batch, b, t) * m + b) * n, n);
                }
            }
            float[] dx = l > 0 ? dBelow : dInputs;
            float[] x = input(batch, l);
            int xOff = l == 0 ? 0 : inputOffset(whole, m, l);

            fwd.prepareBackward(kernels);
            Arrays.fill(dh, 0, mn, 0f);
            Arrays.fill(dc, 0, mn, 0f);
            int bad = loop.backward(fwd, steps, m, 0, batch.lengths(), dHidden, dh, dc, dGates, hiddenClip);
            if (l == layers.length - 1) {
                for (int t = 0; t < steps; t++) {
                    hiddenGradNorms[t] = loop.hiddenGradientNorm(t);
                }
            }
            System.arraycopy(dh, 0, dInitH, fwd.slot * mn, mn);
            if (cellState) {
                System.arraycopy(dc, 0, dInitC, fwd.slot * mn, mn);
            }
            fwd.weightGradients(kernels, x, xOff, rows, dGates, dx);

            rev.prepareBackward(kernels);
            Arrays.fill(dh, 0, mn, 0f);
            Arrays.fill(dc, 0, mn, 0f);
            int badRev = loop.backward(rev, steps, m, 0, batch.lengths(), dHiddenReverse, dh, dc, dGates, hiddenClip);
            System.arraycopy(dh, 0, dInitH, rev.slot * mn, mn);
            if (cellState) {
                System.arraycopy(dc, 0, dInitC, rev.slot * mn, mn);
            }
            rev.weightGradients(kernels, reversedInput[l], 0, rows, dGates, dInputsReverse);
            for (int t = 0; t < steps; t++) {
                for (int b = 0; b < m; b++) {
                    kernels.axpy(d, 1f, dInputsReverse, (reversed(batch, b, t) * m + b) * d, dx, (t * m + b) * d);
                }
            }
            if (firstBadStep < 0 && Math.max(bad, badRev) >= 0) {
                firstBadStep = Math.max(bad, badRev);
            }
            if (dropping && l > 0) {
                kernels.hadamard(rows * d, dx, 0, dropMask[l - 1], 0, dx, 0);
            }
            float[] swap = dOut;
            dOut = dBelow;
            dBelow = swap;
        }
        checkGradients(firstBadStep);
    }

    private void backwardLayers(SequenceBatch batch, Window window, int m) {
        int steps = window.steps();
        int rows = steps * m;
        int mn = m * hidden;
        RecurrentLayer top = layers[layers.length - 1];
        output.backward(kernels, top.h, mn, rows, dHidden);
        int firstBadStep = -1;
        for (int l = layers.length - 1; l >= 0; l--) {
            RecurrentLayer layer = layers[l];
            layer.prepareBackward(kernels);
            Arrays.fill(dh, 0, mn, 0f);
            Arrays.fill(dc, 0, mn, 0f);
            int bad = loop.backward(layer, steps, m, window.from(), batch.lengths(), dHidden, dh, dc, dGates, hiddenClip);
            if (firstBadStep < 0 && bad >= 0) {
                firstBadStep = window.from() + bad;
            }
            if (l == layers.length - 1) {
                for (int t = 0; t < steps; t++) {
                    hiddenGradNorms[t] = loop.hiddenGradientNorm(t);
                }
            }
            System.arraycopy(dh, 0, dInitH, l * mn, mn);
            if (cellState) {
                System.arraycopy(dc, 0, dInitC, l * mn, mn);
            }
            // ∂L/∂X of this layer: the layer below's ∂L/∂h, or the inputs' gradient.
            layer.weightGradients(kernels, input(batch, l), inputOffset(window, m, l), rows, dGates,
                    l > 0 ? dHidden : dInputs);
            if (dropping && l > 0) {                        // through the dropout: ∂L/∂h = ∂L/∂(h∘mask)∘mask
                kernels.hadamard(rows * hidden, dHidden, 0, dropMask[l - 1], 0, dHidden, 0);
            }
        }
        checkGradients(firstBadStep);
    }

    private void checkGradients(int firstBadStep) {
        for (Parameter param : parameters) {
            int bad = kernels.firstNonFinite(param.size(), param.gradient(), 0);
            if (bad >= 0) {
                throw new NonFiniteException("gradient of " + param.name(), firstBadStep,
                        "element " + bad + " is " + param.gradient()[bad]);
            }
        }
    }

    private void ensureWorkspace(int steps, int m) {
        int rows = steps * m;
        for (RecurrentLayer layer : layers) {
            layer.ensureWorkspace(steps, m);
        }
        output.ensureWorkspace(rows);
        dGates = RecurrentLayer.grow(dGates, rows * layers[0].workWidth);
        dHidden = RecurrentLayer.grow(dHidden, rows * hidden);
        dInputs = RecurrentLayer.grow(dInputs, rows * spec.inputSize());
        dh = RecurrentLayer.grow(dh, m * hidden);
        dc = RecurrentLayer.grow(dc, m * hidden);
        dInitH = RecurrentLayer.grow(dInitH, slots * m * hidden);
        dInitC = RecurrentLayer.grow(dInitC, slots * m * hidden);
        if (bidirectional) {
            for (int l = 0; l < layers.length; l++) {
                reverse[l].ensureWorkspace(steps, m);
                cat[l] = RecurrentLayer.grow(cat[l], rows * 2 * hidden);
                reversedInput[l] = RecurrentLayer.grow(reversedInput[l], rows * spec.layerInputSize(l));
            }
            int widest = Math.max(spec.inputSize(), 2 * hidden);
            dCatA = RecurrentLayer.grow(dCatA, rows * widest);
            dCatB = RecurrentLayer.grow(dCatB, rows * widest);
            dHiddenReverse = RecurrentLayer.grow(dHiddenReverse, rows * hidden);
            dInputsReverse = RecurrentLayer.grow(dInputsReverse, rows * widest);
        }
        if (hiddenGradNorms.length < steps) {
            hiddenGradNorms = new double[steps];
        }
    }

    /**
     * A forward pass over the whole batch (from the initial state set, if any), then a copy of its
     * trajectory and of the weights for the diagnostics. The model keeps the pass as its last one
     * (as {@link #forward} would).
     *
     * @throws NonFiniteException if the trajectory becomes non-finite, naming the step
     */
    Trajectory trajectory(SequenceBatch batch) {
        if (bidirectional) {
            throw new IllegalArgumentException("the gradient diagnostics follow one direction of time; this model is"
                    + " bidirectional");
        }
        int steps = batch.steps();
        int m = batch.batchSize();
        pass(batch, whole(steps), false, null);
        int n = hidden;
        int gn = layers[0].workWidth;
        int states = (steps + 1) * m * n;
        int[] inputSize = new int[layers.length];
        double[][] wh = new double[layers.length][];
        double[][] wx = new double[layers.length][];
        float[][] gates = new float[layers.length][];
        float[][] h = new float[layers.length][];
        float[][] c = new float[layers.length][];
        for (int l = 0; l < layers.length; l++) {
            RecurrentLayer layer = layers[l];
            inputSize[l] = layer.inputSize;
            wh[l] = toDouble(layer.wh.value());
            wx[l] = toDouble(layer.wx.value());
            gates[l] = Arrays.copyOf(layer.gates, steps * m * gn);
            h[l] = Arrays.copyOf(layer.h, states);
            c[l] = cellState ? Arrays.copyOf(layer.c, states) : null;
        }
        float[] inputs = Arrays.copyOf(batch.inputs(), steps * m * spec.inputSize());
        float[] out = Arrays.copyOf(output.out, steps * m * spec.outputSize());
        return new Trajectory(layers[0].cell, layers.length, steps, m, n, spec.outputSize(), inputSize, wh, wx,
                gates, h, c, inputs, toDouble(output.wy.value()), out, batch, output.loss());
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    // ---------------------------------------------------------------------------------------
    // Gradients
    // ---------------------------------------------------------------------------------------

    @Override
    public double gradientNorm() {
        double sumSq = 0;
        for (int i = 0, count = parameters.size(); i < count; i++) {
            Parameter p = parameters.get(i);
            sumSq += kernels.sumOfSquares(p.size(), p.gradient(), 0);
        }
        return Math.sqrt(sumSq);
    }

    @Override
    public void scaleGradients(double factor) {
        float f = (float) factor;
        for (int i = 0, count = parameters.size(); i < count; i++) {
            Parameter p = parameters.get(i);
            kernels.scale(p.size(), f, p.gradient(), 0);
        }
    }

    // ---------------------------------------------------------------------------------------
    // State
    // ---------------------------------------------------------------------------------------

    @Override
    public void setInitialState(float[] h0, float[] c0) {
        if (h0 == null) {
            if (c0 != null) {
                throw new IllegalArgumentException("c0 given without h0");
            }
            initH = null;
            initC = null;
            return;
        }
        int perBatch = slots * hidden;
        if (h0.length % perBatch != 0) {
            throw new IllegalArgumentException("h0 has " + h0.length + " values, expected layers·"
                    + (bidirectional ? "directions·" : "") + "m·n = " + slots + "·m·" + hidden);
        }
        if (c0 != null && c0.length != h0.length) {
            throw new IllegalArgumentException("c0 has " + c0.length + " values, h0 has " + h0.length);
        }
        initH = h0.clone();
        initC = cellState && c0 != null ? c0.clone() : null;
    }

    @Override
    public void copyFinalState(float[] h, float[] c) {
        requirePass();
        int mn = lastBatch * hidden;
        checkLength("h", h, slots * mn);
        if (c != null && cellState) {
            checkLength("c", c, slots * mn);
        }
        for (RecurrentLayer layer : layers) {
            layer.copyState(lastSteps, lastBatch, h, cellState ? c : null);
        }
        for (RecurrentLayer layer : reverse) {
            layer.copyState(lastSteps, lastBatch, h, cellState ? c : null);
        }
    }

    @Override
    public void copyTopHidden(float[] dst) {
        requirePass();
        int len = lastSteps * lastBatch * spec.layerOutputSize();
        checkLength("out", dst, len);
        if (bidirectional) {
            System.arraycopy(cat[layers.length - 1], 0, dst, 0, len);
        } else {
            System.arraycopy(layers[layers.length - 1].h, lastBatch * hidden, dst, 0, len);
        }
    }

    @Override
    public void copyInputGradient(float[] dst) {
        requirePass();
        int len = lastSteps * lastBatch * spec.inputSize();
        checkLength("out", dst, len);
        System.arraycopy(dInputs, 0, dst, 0, len);
    }

    @Override
    public void copyInitialStateGradient(float[] dh0, float[] dc0) {
        requirePass();
        int len = slots * lastBatch * hidden;
        checkLength("dh0", dh0, len);
        System.arraycopy(dInitH, 0, dh0, 0, len);
        if (dc0 != null && cellState) {
            checkLength("dc0", dc0, len);
            System.arraycopy(dInitC, 0, dc0, 0, len);
        }
    }

    @Override
    public void copyHiddenGradientNorms(double[] dst) {
        requirePass();
        if (dst.length < lastSteps) {
            throw new IllegalArgumentException("out has " + dst.length + " entries, needs T = " + lastSteps);
        }
        System.arraycopy(hiddenGradNorms, 0, dst, 0, lastSteps);
    }

    @Override
    public void setHiddenGradientClip(double maxNorm) {
        if (!(maxNorm >= 0) || Double.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("maxNorm must be finite and >= 0 (0 = off), got " + maxNorm);
        }
        this.hiddenClip = maxNorm;
    }

    private void requirePass() {
        if (lastBatch == 0) {
            throw new IllegalStateException("no pass has completed yet");
        }
    }

    private static void checkLength(String name, float[] a, int need) {
        if (a == null || a.length < need) {
            throw new IllegalArgumentException(name + " must hold at least " + need + " values, got "
                    + (a == null ? "null" : a.length));
        }
    }
}
