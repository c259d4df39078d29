package org.rnn4j.lstm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.NonFiniteException;
import org.rnn4j.api.OutputHead;
import org.rnn4j.api.Parameter;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.Targets;
import org.rnn4j.simd.Activation;
import org.rnn4j.simd.Kernels;
import org.rnn4j.simd.PackedMatrix;
import org.rnn4j.simd.PartTask;

/**
 * Stacked vanilla-RNN or LSTM layers with an output layer, forward and exact BPTT, laid out the
 * way cuDNN and oneDNN do it:
 * <ul>
 *   <li>all gates of a cell share one weight matrix (d × G·n and n × G·n), so one GEMM gives every
 *       gate's pre-activation;</li>
 *   <li>the input projection of ALL time steps, {@code P = X·W_x + b}, is one (T·m × d)·(d × G·n)
 *       GEMM before the recurrent loop, which then only adds {@code h_{t−1}·W_h};</li>
 *   <li>after the backward loop, each weight gradient is one GEMM over all steps:
 *       {@code dW_x = Xᵀ·dP}, {@code dW_h = H_prevᵀ·dP} (H holds h_0 … h_T contiguously, so
 *       H_prev is just its first T blocks), and {@code dX = dP·W_xᵀ} feeds the layer below;</li>
 *   <li>gate non-linearities and their derivatives are fused epilogues in the kernels.</li>
 * </ul>
 * Workspaces grow to the largest (T, m) seen and are reused: a pass in steady state allocates
 * nothing.
 */
final class RecurrentNetwork implements RecurrentModel {
    private final ModelSpec spec;
    private final Kernels k;
    /** The single-threaded kernels, for work inside one part of a batch split. */
    private final Kernels k1;
    private final int layers;
    private final int n;
    private final int o;
    private final int gn;
    private final boolean lstm;
    private final boolean forgetGate;
    private final Activation activation;

    private final Parameter[] wx;
    private final Parameter[] wh;
    private final Parameter[] bias;
    private final Parameter wy;
    private final Parameter by;
    private final List<Parameter> parameters;
    // W_h packed once per pass: as the B of h_{t-1}·W_h (forward) and of dP_t·W_hᵀ (backward).
    private final PackedMatrix[] whForward;
    private final PackedMatrix[] whBackward;

    // Workspaces (grow-only). Per layer: P = gates (T·m × G·n), H = h_0..h_T ((T+1)·m × n),
    // C = c_0..c_T for LSTM.
    private final float[][] pre;
    private final float[][] hidden;
    private final float[][] cell;
    private float[] dPre = new float[0];     // T·m × G·n, one layer at a time
    private float[] dHidden = new float[0];  // T·m × n, ∂L/∂h_t arriving from above
    private float[] out = new float[0];      // T·m × o: logits, then ŷ
    private float[] logProb = new float[0];  // T·m × o
    private float[] dOut = new float[0];     // T·m × o
    private float[] dInputs = new float[0];  // T·m × d
    private float[] dh = new float[0];       // m × n
    private float[] dc = new float[0];       // m × n
    private double[] hiddenGradNorms = new double[0];

    private float[] initH;                   // L·m·n or null (zeros)
    private float[] initC;
    private float[] dInitH = new float[0];
    private float[] dInitC = new float[0];
    private double hiddenClip;

    // The recurrent loops split the batch rows into parts, one per thread: a sequence's state
    // depends only on its own past, so the parts run the whole loop without meeting. These
    // fields are the current loop's arguments (set before runParts, read by the parts).
    private final PartTask forwardTask = this::forwardPart;
    private final PartTask backwardTask = this::backwardPart;
    private int loopLayer;
    private int loopSteps;
    private int loopBatch;
    private final int[] partBadStep;        // per part: the step of its first non-finite value, or −1
    private final int[] partBadIndex;       // per part: the index in h (forward) of that value
    private double[] partNormSq = new double[0]; // parts × T: Σ (∂L/∂h_t)² of each part's rows

    // Shape of the last pass.
    private int lastSteps;
    private int lastBatch;

    RecurrentNetwork(ModelSpec spec, Kernels kernels) {
        this.spec = spec;
        this.k = kernels;
        this.k1 = kernels.withThreads(1);
        this.layers = spec.layers();
        this.n = spec.hiddenSize();
        this.o = spec.outputSize();
        this.gn = spec.gates() * n;
        this.lstm = spec.cell() == CellKind.LSTM || spec.cell() == CellKind.LSTM_NO_FORGET;
        this.forgetGate = spec.cell() == CellKind.LSTM;
        this.activation = switch (spec.activation()) {
            case TANH -> Activation.TANH;
            case SIGMOID -> Activation.SIGMOID;
            case RELU -> Activation.RELU;
        };
        wx = new Parameter[layers];
        wh = new Parameter[layers];
        bias = new Parameter[layers];
        List<Parameter> all = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            wx[l] = param("layer" + l + ".W_x", spec.layerInputSize(l), gn);
            wh[l] = param("layer" + l + ".W_h", n, gn);
            bias[l] = param("layer" + l + ".b", 1, gn);
            all.add(wx[l]);
            all.add(wh[l]);
            all.add(bias[l]);
        }
        wy = param("W_y", n, o);
        by = param("b_y", 1, o);
        all.add(wy);
        all.add(by);
        parameters = List.copyOf(all);
        whForward = new PackedMatrix[layers];
        whBackward = new PackedMatrix[layers];
        for (int l = 0; l < layers; l++) {
            whForward[l] = k.packB(false, n, gn, wh[l].value(), 0, gn);
            whBackward[l] = k.packB(true, gn, n, wh[l].value(), 0, gn);
        }
        pre = new float[layers][0];
        hidden = new float[layers][0];
        cell = new float[layers][0];
        partBadStep = new int[Math.max(1, kernels.threads())];
        partBadIndex = new int[partBadStep.length];
    }

    /**
     * How many row blocks the recurrent loop over m sequences is cut into: one per thread, each
     * of at least {@link Kernels#MIN_SPLIT_ROWS} rows so that the products are bitwise those of the
     * whole batch. Per-step clipping of ∂L/∂h_t needs the norm over all rows at every step, so
     * its backward loop stays in one part.
     */
    private int parts(int m, boolean backward) {
        if (backward && hiddenClip > 0) {
            return 1;
        }
        return Math.max(1, Math.min(k.threads(), m / Kernels.MIN_SPLIT_ROWS));
    }

    /** First row of part {@code part} of {@code parts} over m rows (balanced, in order). */
    private static int rowStart(int m, int part, int parts) {
        return (int) ((long) m * part / parts);
    }

    private static Parameter param(String name, int rows, int cols) {
        return new Parameter(name, rows, cols, new float[rows * cols], new float[rows * cols]);
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

    Kernels kernels() {
        return k;
    }

    // ---------------------------------------------------------------------------------------
    // Public passes
    // ---------------------------------------------------------------------------------------

    @Override
    public double forward(SequenceBatch batch, float[] outputs) {
        return pass(batch, 0, batch.steps(), 0, false, outputs);
    }

    @Override
    public double forwardBackward(SequenceBatch batch) {
        if (batch.targets() == null) {
            throw new IllegalArgumentException("forwardBackward needs a batch with targets");
        }
        return pass(batch, 0, batch.steps(), 0, true, null);
    }

    /**
     * Runs steps [t0, t1) of the batch from the current initial state. Loss terms count only at
     * steps ≥ lossFrom (truncated BPTT: the first k2 − k1 steps of a window only carry state).
     */
    double pass(SequenceBatch batch, int t0, int t1, int lossFrom, boolean backward, float[] outputs) {
        batch.validate(spec.inputSize(), o);
        if (batch.targets() != null) {
            checkHeadMatches(batch.targets());
        }
        int m = batch.batchSize();
        int steps = t1 - t0;
        if (initH != null && initH.length != layers * m * n) {
            throw new IllegalArgumentException("initial state was set for batch size " + initH.length / (layers * n)
                    + ", the batch has " + m + " sequences");
        }
        if (outputs != null && outputs.length < steps * m * o) {
            throw new IllegalArgumentException("outputs has " + outputs.length + " values, needs T·m·o = "
                    + steps * m * o);
        }
        ensureWorkspace(steps, m);
        lastSteps = steps;
        lastBatch = m;
        forwardLayers(batch, t0, steps, m);
        int rows = steps * m;
        // Output layer: o_t = h_t·W_y + b_y for all steps in one GEMM.
        k.mult(rows, o, n, 1f, hidden[layers - 1], m * n, n, wy.value(), 0, o, 0f, out, 0, o);
        k.addRowVector(rows, o, by.value(), 0, out, 0, o);
        double loss = Double.NaN;
        if (batch.targets() != null) {
            loss = lossAndOutputGradient(batch, t0, steps, m, lossFrom);
        } else if (spec.head() == OutputHead.SOFTMAX) {
            k.softmaxRows(rows, o, out, 0, o, out, 0, o);
        }
        if (outputs != null) {
            System.arraycopy(out, 0, outputs, 0, rows * o);
        }
        if (backward) {
            backwardLayers(batch, t0, steps, m);
        }
        return loss;
    }

    private void checkHeadMatches(Targets targets) {
        boolean classes = targets instanceof Targets.Classes;
        if (classes && spec.head() != OutputHead.SOFTMAX) {
            throw new IllegalArgumentException("class targets need a SOFTMAX head (cross-entropy); this model's head is "
                    + spec.head());
        }
        if (!classes && spec.head() != OutputHead.LINEAR) {
            throw new IllegalArgumentException("real-valued targets need a LINEAR head (squared error); this model's head is "
                    + spec.head());
        }
    }

    // ---------------------------------------------------------------------------------------
    // Forward
    // ---------------------------------------------------------------------------------------

    private void forwardLayers(SequenceBatch batch, int t0, int steps, int m) {
        int mn = m * n;
        for (int l = 0; l < layers; l++) {
            float[] x = l == 0 ? batch.inputs() : hidden[l - 1];
            int xOff = l == 0 ? t0 * m * spec.inputSize() : mn;
            int dIn = spec.layerInputSize(l);
            float[] h = hidden[l];
            float[] p = pre[l];
            loadInitialState(l, m);
            // Input projection of every step at once: P = X·W_x + b.
            k.mult(steps * m, gn, dIn, 1f, x, xOff, dIn, wx[l].value(), 0, gn, 0f, p, 0, gn);
            k.addRowVector(steps * m, gn, bias[l].value(), 0, p, 0, gn);
            k.repackB(whForward[l], false, wh[l].value(), 0, gn);
            loopLayer = l;
            loopSteps = steps;
            loopBatch = m;
            int parts = parts(m, false);
            k.runParts(parts, forwardTask);
            // The earliest step with a non-finite h over all parts (ties: the lowest row).
            int worst = -1;
            for (int q = 0; q < parts; q++) {
                if (partBadStep[q] >= 0 && (worst < 0 || partBadStep[q] < partBadStep[worst])) {
                    worst = q;
                }
            }
            if (worst >= 0) {
                int t = partBadStep[worst];
                int at = (t + 1) * mn + partBadIndex[worst];
                int bad = partBadIndex[worst];
                throw new NonFiniteException("hidden state h of layer " + l, t0 + t,
                        "h[b=" + bad / n + "][j=" + bad % n + "] = " + h[at]);
            }
        }
    }

    /** The forward recurrent loop of layer {@code loopLayer} for one block of batch rows. */
    private void forwardPart(int part, int parts) {
        int l = loopLayer;
        int m = loopBatch;
        int row0 = rowStart(m, part, parts);
        int rows = rowStart(m, part + 1, parts) - row0;
        int mn = m * n;
        float[] h = hidden[l];
        float[] p = pre[l];
        float[] c = cell[l];
        PackedMatrix whPacked = whForward[l];
        partBadStep[part] = -1;
        for (int t = 0; t < loopSteps; t++) {
            int pOff = (t * m + row0) * gn;
            int prev = t * mn + row0 * n;
            int next = prev + mn;
            // P_t += h_{t−1}·W_h
            k1.multPacked(rows, gn, 1f, h, prev, n, whPacked, 0, 1f, p, pOff, gn);
            if (lstm) {
                k1.lstmForward(rows, n, forgetGate, p, pOff, c, prev, c, next, h, next);
            } else {
                k1.activate(activation, rows * n, p, pOff, h, next); // h_t = φ(P_t)
            }
            int bad = k1.firstNonFinite(rows * n, h, next);
            if (bad >= 0) {
                partBadStep[part] = t;
                partBadIndex[part] = row0 * n + bad;
                return;
            }
        }
    }

    private void loadInitialState(int l, int m) {
        int mn = m * n;
        if (initH == null) {
            Arrays.fill(hidden[l], 0, mn, 0f);
        } else {
            System.arraycopy(initH, l * mn, hidden[l], 0, mn);
        }
        if (lstm) {
            if (initC == null) {
                Arrays.fill(cell[l], 0, mn, 0f);
            } else {
                System.arraycopy(initC, l * mn, cell[l], 0, mn);
            }
        }
    }

    /** Fills ŷ into {@code out}, the loss gradient ∂L/∂o into {@code dOut}; returns L. */
    private double lossAndOutputGradient(SequenceBatch batch, int t0, int steps, int m, int lossFrom) {
        int rows = steps * m;
        Targets targets = batch.targets();
        float invM = 1f / m;
        Arrays.fill(dOut, 0, rows * o, 0f);
        double loss = 0;
        if (targets instanceof Targets.Classes c) {
            k.logSoftmaxRows(rows, o, out, 0, o, logProb, 0, o);
            k.softmaxRows(rows, o, out, 0, o, out, 0, o);
            for (int t = 0; t < steps; t++) {
                int abs = t0 + t;
                if (abs < lossFrom) {
                    continue;
                }
                for (int b = 0; b < m; b++) {
                    if (!counts(batch, c.scope(), abs, b)) {
                        continue;
                    }
                    int y = c.scope() == Targets.Scope.EVERY_STEP ? c.classes()[abs * m + b] : c.classes()[b];
                    int row = (t * m + b) * o;
                    loss -= logProb[row + y];
                    // ∂L/∂o = (ŷ − onehot(y)) / m
                    for (int j = 0; j < o; j++) {
                        dOut[row + j] = out[row + j] * invM;
                    }
                    dOut[row + y] -= invM;
                }
            }
        } else {
            Targets.Reals r = (Targets.Reals) targets;
            for (int t = 0; t < steps; t++) {
                int abs = t0 + t;
                if (abs < lossFrom) {
                    continue;
                }
                for (int b = 0; b < m; b++) {
                    if (!counts(batch, r.scope(), abs, b)) {
                        continue;
                    }
                    int target = (r.scope() == Targets.Scope.EVERY_STEP ? abs * m + b : b) * o;
                    int row = (t * m + b) * o;
                    for (int j = 0; j < o; j++) {
                        float diff = out[row + j] - r.values()[target + j];
                        loss += (double) diff * diff;
                        dOut[row + j] = 2f * diff * invM; // ∂/∂o of Σ diff² / m
                    }
                }
            }
        }
        loss /= m;
        if (!Double.isFinite(loss)) {
            throw new NonFiniteException("loss", -1, "the loss is " + loss + " (outputs overflowed)");
        }
        return loss;
    }

    private static boolean counts(SequenceBatch batch, Targets.Scope scope, int t, int b) {
        int len = batch.length(b);
        return scope == Targets.Scope.EVERY_STEP ? t < len : t == len - 1;
    }

    // ---------------------------------------------------------------------------------------
    // Backward (BPTT)
    // ---------------------------------------------------------------------------------------

    private void backwardLayers(SequenceBatch batch, int t0, int steps, int m) {
        int rows = steps * m;
        int mn = m * n;
        // Output layer: dW_y = H_topᵀ·dO, db_y = Σ_rows dO, dH = dO·W_yᵀ.
        k.multTransA(n, o, rows, 1f, hidden[layers - 1], mn, n, dOut, 0, o, 0f, wy.gradient(), 0, o);
        Arrays.fill(by.gradient(), 0f);
        k.sumRows(rows, o, dOut, 0, o, by.gradient(), 0);
        k.multTransB(rows, n, o, 1f, dOut, 0, o, wy.value(), 0, o, 0f, dHidden, 0, n);
        int firstBadStep = -1;
        for (int l = layers - 1; l >= 0; l--) {
            float[] h = hidden[l];
            k.repackB(whBackward[l], true, wh[l].value(), 0, gn);
            Arrays.fill(dh, 0, mn, 0f);
            Arrays.fill(dc, 0, mn, 0f);
            loopLayer = l;
            loopSteps = steps;
            loopBatch = m;
            int parts = parts(m, true);
            if (partNormSq.length < parts * steps) {
                partNormSq = new double[parts * steps];
            }
            k.runParts(parts, backwardTask);
            // The first step met (backward, so the latest) where dP of this layer was non-finite.
            int layerBad = -1;
            for (int q = 0; q < parts; q++) {
                layerBad = Math.max(layerBad, partBadStep[q]);
            }
            if (firstBadStep < 0 && layerBad >= 0) {
                firstBadStep = t0 + layerBad;
            }
            if (l == layers - 1) {
                for (int t = 0; t < steps; t++) {
                    double sq = 0;
                    for (int q = 0; q < parts; q++) {
                        sq += partNormSq[q * steps + t];
                    }
                    hiddenGradNorms[t] = hiddenClip > 0 ? Math.min(Math.sqrt(sq), hiddenClip) : Math.sqrt(sq);
                }
            }
            System.arraycopy(dh, 0, dInitH, l * mn, mn);
            if (lstm) {
                System.arraycopy(dc, 0, dInitC, l * mn, mn);
            }
            float[] x = l == 0 ? batch.inputs() : hidden[l - 1];
            int xOff = l == 0 ? t0 * m * spec.inputSize() : mn;
            int dIn = spec.layerInputSize(l);
            // Weight gradients: one GEMM each over all steps.
            k.multTransA(dIn, gn, rows, 1f, x, xOff, dIn, dPre, 0, gn, 0f, wx[l].gradient(), 0, gn);
            k.multTransA(n, gn, rows, 1f, h, 0, n, dPre, 0, gn, 0f, wh[l].gradient(), 0, gn);
            Arrays.fill(bias[l].gradient(), 0f);
            k.sumRows(rows, gn, dPre, 0, gn, bias[l].gradient(), 0);
            // ∂L/∂X of this layer: the layer below's ∂L/∂h, or the inputs' gradient.
            float[] target = l > 0 ? dHidden : dInputs;
            k.multTransB(rows, dIn, gn, 1f, dPre, 0, gn, wx[l].value(), 0, gn, 0f, target, 0, dIn);
        }
        for (Parameter param : parameters) {
            int bad = k.firstNonFinite(param.size(), param.gradient(), 0);
            if (bad >= 0) {
                throw new NonFiniteException("gradient of " + param.name(), firstBadStep,
                        "element " + bad + " is " + param.gradient()[bad]);
            }
        }
    }

    /** The backward recurrent loop of layer {@code loopLayer} for one block of batch rows. */
    private void backwardPart(int part, int parts) {
        int l = loopLayer;
        int m = loopBatch;
        int steps = loopSteps;
        int row0 = rowStart(m, part, parts);
        int rows = rowStart(m, part + 1, parts) - row0;
        int mn = m * n;
        int rn = rows * n;
        int dhOff = row0 * n;
        float[] p = pre[l];
        float[] h = hidden[l];
        float[] c = cell[l];
        PackedMatrix whT = whBackward[l];
        partBadStep[part] = -1;
        for (int t = steps - 1; t >= 0; t--) {
            int pOff = (t * m + row0) * gn;
            int prev = t * mn + dhOff;
            int next = prev + mn;
            // ∂L/∂h_t = (from the layer above or the output) + (from h_{t+1}, already in dh)
            k1.axpy(rn, 1f, dHidden, prev, dh, dhOff);
            double normSq = k1.sumOfSquares(rn, dh, dhOff);
            partNormSq[part * steps + t] = normSq;
            if (hiddenClip > 0 && Math.sqrt(normSq) > hiddenClip) { // clipping runs in one part: all rows
                k1.scale(rn, (float) (hiddenClip / Math.sqrt(normSq)), dh, dhOff);
            }
            if (lstm) {
                k1.lstmBackward(rows, n, forgetGate, p, pOff, c, prev, c, next, dh, dhOff, dc, dhOff, dPre, pOff);
            } else {
                System.arraycopy(dh, dhOff, dPre, pOff, rn);
                k1.multiplyDerivative(activation, rn, h, next, dPre, pOff); // dP_t = dh_t ∘ φ'(h_t)
            }
            if (partBadStep[part] < 0 && k1.firstNonFinite(rows * gn, dPre, pOff) >= 0) {
                partBadStep[part] = t;
            }
            // ∂L/∂h_{t−1} through the recurrence: dP_t·W_hᵀ
            k1.multPacked(rows, n, 1f, dPre, pOff, gn, whT, 0, 0f, dh, dhOff, n);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Workspaces and state
    // ---------------------------------------------------------------------------------------

    private void ensureWorkspace(int steps, int m) {
        int rows = steps * m;
        int states = (steps + 1) * m * n;
        for (int l = 0; l < layers; l++) {
            pre[l] = grow(pre[l], rows * gn);
            hidden[l] = grow(hidden[l], states);
            if (lstm) {
                cell[l] = grow(cell[l], states);
            }
        }
        dPre = grow(dPre, rows * gn);
        dHidden = grow(dHidden, rows * n);
        out = grow(out, rows * o);
        logProb = grow(logProb, rows * o);
        dOut = grow(dOut, rows * o);
        dInputs = grow(dInputs, rows * spec.inputSize());
        dh = grow(dh, m * n);
        dc = grow(dc, m * n);
        dInitH = grow(dInitH, layers * m * n);
        dInitC = grow(dInitC, layers * m * n);
        if (hiddenGradNorms.length < steps) {
            hiddenGradNorms = new double[steps];
        }
    }

    private static float[] grow(float[] a, int size) {
        return a.length >= size ? a : new float[size];
    }

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
        if (h0.length % (layers * n) != 0) {
            throw new IllegalArgumentException("h0 has " + h0.length + " values, expected layers·m·n = "
                    + layers + "·m·" + n);
        }
        if (c0 != null && c0.length != h0.length) {
            throw new IllegalArgumentException("c0 has " + c0.length + " values, h0 has " + h0.length);
        }
        initH = h0.clone();
        initC = lstm && c0 != null ? c0.clone() : null;
    }

    /** The initial state arrays in use (null = zeros); not copies. */
    float[] initialH() {
        return initH;
    }

    float[] initialC() {
        return initC;
    }

    /** Uses these arrays as the initial state without copying (truncated BPTT's carried state). */
    void useInitialState(float[] h, float[] c) {
        initH = h;
        initC = lstm ? c : null;
    }

    @Override
    public void copyFinalState(float[] h, float[] c) {
        copyState(lastSteps, h, c);
    }

    /** The state after window-relative step {@code s} of the last pass (s = 0: the initial state). */
    void copyState(int s, float[] h, float[] c) {
        requirePass();
        int mn = lastBatch * n;
        checkLength("h", h, layers * mn);
        for (int l = 0; l < layers; l++) {
            System.arraycopy(hidden[l], s * mn, h, l * mn, mn);
        }
        if (c != null && lstm) {
            checkLength("c", c, layers * mn);
            for (int l = 0; l < layers; l++) {
                System.arraycopy(cell[l], s * mn, c, l * mn, mn);
            }
        }
    }

    @Override
    public void copyTopHidden(float[] dst) {
        requirePass();
        int len = lastSteps * lastBatch * n;
        checkLength("out", dst, len);
        System.arraycopy(hidden[layers - 1], lastBatch * n, dst, 0, len);
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
        int len = layers * lastBatch * n;
        checkLength("dh0", dh0, len);
        System.arraycopy(dInitH, 0, dh0, 0, len);
        if (dc0 != null && lstm) {
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
            throw new IllegalStateException("no pass has run yet");
        }
    }

    private static void checkLength(String name, float[] a, int need) {
        if (a == null || a.length < need) {
            throw new IllegalArgumentException(name + " must hold at least " + need + " values, got "
                    + (a == null ? "null" : a.length));
        }
    }
}
