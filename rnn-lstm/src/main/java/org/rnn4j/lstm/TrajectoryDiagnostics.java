package org.rnn4j.lstm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rnn4j.api.diagnostics.CellStateProfile;
import org.rnn4j.api.diagnostics.ErrorSignal;
import org.rnn4j.api.diagnostics.GradientDiagnostics;
import org.rnn4j.api.diagnostics.JacobianProfile;
import org.rnn4j.api.diagnostics.LagGradients;
import org.rnn4j.api.diagnostics.Spectrum;
import org.rnn4j.api.diagnostics.WeightSpectrum;
import org.rnn4j.simd.GateLayout;

/**
 * {@link GradientDiagnostics} of a {@link Trajectory}: every quantity is computed on demand, in
 * double, from the cells' own step derivatives ({@link Cell#tangent}, {@link Cell#cotangent}).
 * See {@link Diagnostics} for the cost of each query.
 */
final class TrajectoryDiagnostics implements GradientDiagnostics {
    private static final double LOG10_OF_ZERO = Double.NEGATIVE_INFINITY;

    private final Trajectory tr;
    private final double tolerance;
    private final int maxIterations;
    /** σ_max of each layer's W_h (RNN), computed once when first asked. */
    private final double[] sigmaMax;

    TrajectoryDiagnostics(Trajectory tr, double tolerance, int maxIterations) {
        this.tr = tr;
        this.tolerance = tolerance;
        this.maxIterations = maxIterations;
        this.sigmaMax = new double[tr.layers];
        Arrays.fill(sigmaMax, Double.NaN);
    }

    @Override
    public int steps() {
        return tr.steps;
    }

    @Override
    public int batchSize() {
        return tr.batch;
    }

    @Override
    public int layers() {
        return tr.layers;
    }

    @Override
    public int hiddenSize() {
        return tr.hidden;
    }

    @Override
    public boolean hasCellState() {
        return tr.cell.hasCellState();
    }

    // ---------------------------------------------------------------------------------------
    // ∂h_t/∂h_k and the bounds
    // ---------------------------------------------------------------------------------------

    @Override
    public JacobianProfile jacobianNorms(int layer, int sequence, int t) {
        checkLayer(layer);
        checkSequence(sequence);
        checkStep("t", t);
        StateMaps maps = new StateMaps(tr, layer, sequence);
        int n = tr.hidden;
        double[] stepNorm = new double[t + 1];
        stepNorm[0] = Double.NaN;
        ChainNorm steps = new ChainNorm(maps, tolerance * 1e-3, maxIterations * 10);
        double[] u = new double[maps.dim()];
        steps.randomStart(u, maps.dim());
        for (int j = 1; j <= t; j++) {   // warm start: W_h is shared, so J_j's singular vectors are close to J_{j−1}'s
            stepNorm[j] = steps.log10Norm(j - 1, j, 0, 0, maps.dim(), u);
        }
        double[] norm = new double[t + 1];
        ChainNorm products = new ChainNorm(maps, tolerance, maxIterations);
        double[] left = new double[n];
        products.randomStart(left, n);
        norm[t] = 0;
        for (int k = t - 1; k >= 0; k--) {
            norm[k] = products.log10Norm(k, t, 0, 0, n, left); // warm start: the left vector of k + 1
        }
        double[] uniform = new double[t + 1];
        double[] trajectory = new double[t + 1];
        double gammaW = Double.NaN;
        double gammaH = tr.cell.derivativeBound();
        if (Double.isNaN(gammaH)) {              // a gated cell: no (γ_W γ_h)^(t−k) bound
            Arrays.fill(uniform, Double.NaN);
            for (int k = t - 1; k >= 0; k--) {
                trajectory[k] = trajectory[k + 1] + stepNorm[k + 1];
            }
        } else {
            gammaW = sigmaMax(layer);
            double logW = Math.log10(gammaW);
            double perStep = Math.log10(gammaW * gammaH);
            for (int k = t - 1; k >= 0; k--) {
                uniform[k] = (t - k) * perStep;
                int next = tr.state(k + 1, sequence);
                double phiMax = tr.cell.stepDerivativeMax(n, tr.gates[layer], tr.gates(k + 1, sequence), tr.h[layer], next);
                trajectory[k] = trajectory[k + 1] + Math.log10(phiMax) + logW;
            }
        }
        return new JacobianProfile(layer, sequence, t, norm, stepNorm, uniform, trajectory, gammaW, gammaH);
    }

    @Override
    public JacobianProfile jacobianNorms(int layer, int t) {
        checkLayer(layer);
        checkStep("t", t);
        JacobianProfile[] all = new JacobianProfile[tr.batch];
        for (int b = 0; b < tr.batch; b++) {
            all[b] = jacobianNorms(layer, b, t);
        }
        return new JacobianProfile(layer, -1, t,
                mean(all, JacobianProfile::norm), mean(all, JacobianProfile::stepNorm),
                mean(all, JacobianProfile::uniformBound), mean(all, JacobianProfile::trajectoryBound),
                all[0].gammaW(), all[0].gammaH());
    }

    private double sigmaMax(int layer) {
        if (Double.isNaN(sigmaMax[layer])) {
            sigmaMax[layer] = LargestSingularValue.exact(tr.wh[layer], 0, tr.gateWidth, tr.hidden);
        }
        return sigmaMax[layer];
    }

    // ---------------------------------------------------------------------------------------
    // ∂L_t/∂h_k and the gradient by lag
    // ---------------------------------------------------------------------------------------

    @Override
    public ErrorSignal errorSignal(int layer, int sequence, int t) {
        checkLayer(layer);
        checkSequence(sequence);
        checkStep("t", t);
        requireTargets();
        double[] hidden = new double[t + 1];
        double[] cell = tr.cell.hasCellState() ? new double[t + 1] : null;
        new Backward(layer).run(sequence, t, hidden, cell);
        return new ErrorSignal(layer, sequence, t, hidden, cell);
    }

    @Override
    public ErrorSignal errorSignal(int layer, int t) {
        checkLayer(layer);
        checkStep("t", t);
        requireTargets();
        double[] hidden = new double[t + 1];
        double[] cell = tr.cell.hasCellState() ? new double[t + 1] : null;
        Arrays.fill(hidden, LOG10_OF_ZERO);
        if (cell != null) {
            Arrays.fill(cell, LOG10_OF_ZERO);
        }
        double[] h1 = new double[t + 1];
        double[] c1 = cell == null ? null : new double[t + 1];
        Backward backward = new Backward(layer);
        for (int b = 0; b < tr.batch; b++) {
            backward.run(b, t, h1, c1);
            for (int k = 0; k <= t; k++) {
                hidden[k] = addSquares(hidden[k], h1[k]);
                if (cell != null) {
                    cell[k] = addSquares(cell[k], c1[k]);
                }
            }
        }
        return new ErrorSignal(layer, -1, t, hidden, cell);
    }

    @Override
    public LagGradients gradientByLag(int layer, int sequence) {
        checkLayer(layer);
        checkSequence(sequence);
        requireTargets();
        return byLag(layer, sequence, sequence);
    }

    @Override
    public LagGradients gradientByLag(int layer) {
        checkLayer(layer);
        requireTargets();
        return byLag(layer, 0, tr.batch - 1);
    }

    private LagGradients byLag(int layer, int firstSequence, int lastSequence) {
        LagSums[] sums = lagSums(layer, firstSequence, lastSequence);
        return new LagGradients(layer, firstSequence == lastSequence ? firstSequence : -1,
                sums[0].log10Norms(), sums[1].log10Norms());
    }

    /** The per-lag parts of ∂L/∂W_h and ∂L/∂W_x of sequences first … last (the model's gradient, summed over d). */
    LagSums[] lagSums(int layer, int firstSequence, int lastSequence) {
        LagSums recurrent = new LagSums(tr.steps, tr.hidden * tr.gateWidth);
        LagSums input = new LagSums(tr.steps, tr.inputSize[layer] * tr.gateWidth);
        Backward backward = new Backward(layer);
        backward.recurrent = recurrent;
        backward.input = input;
        double[] hidden = new double[tr.steps + 1];
        double[] cell = tr.cell.hasCellState() ? new double[tr.steps + 1] : null;
        for (int b = firstSequence; b <= lastSequence; b++) {
            for (int t = 1; t <= tr.steps; t++) {
                backward.run(b, t, hidden, cell);
            }
        }
        return new LagSums[] {recurrent, input};
    }

    /**
     * Sums of matrices, one per lag, each kept as a log10 scale and a matrix of moderate values
     * (adding a term of another scale rescales the smaller one), so terms from 10⁻³⁰⁰ to 10³⁰⁰ add
     * without under- or overflow.
     */
    static final class LagSums {
        final double[][] sums;
        final double[] scale;
        final int size;

        LagSums(int lags, int size) {
            this.sums = new double[lags][];
            this.scale = new double[lags];
            this.size = size;
        }

        /**
         * Columns [from, to) of sums[d] += 10^log · outer(x, g): x of xLen values at xOff, g's
         * values from..to − 1, the sum's rows {@code ld} apart.
         */
        void addOuter(int d, double log, float[] x, int xOff, int xLen, double[] g, int from, int to, int ld) {
            if (log == LOG10_OF_ZERO) {
                return;
            }
            double[] s = sums[d];
            double factor;
            if (s == null) {
                s = sums[d] = new double[size];
                scale[d] = log;
                factor = 1;
            } else if (log > scale[d]) {
                double shrink = Math.pow(10, scale[d] - log);
                for (int i = 0; i < size; i++) {
                    s[i] *= shrink;
                }
                scale[d] = log;
                factor = 1;
            } else {
                factor = Math.pow(10, log - scale[d]);
                if (factor == 0) {
                    return;     // below 10⁻³⁰⁸ of what is there: cannot change a double
                }
            }
            for (int r = 0; r < xLen; r++) {
                double xr = x[xOff + r] * factor;
                if (xr != 0) {
                    int row = r * ld;
                    for (int q = from; q < to; q++) {
                        s[row + q] += xr * g[q];
                    }
                }
            }
        }

        /** The value of the sum of lag d, element i (may under- or overflow: for tests). */
        double value(int d, int i) {
            return sums[d] == null ? 0 : sums[d][i] * Math.pow(10, scale[d]);
        }

        double[] log10Norms() {
            double[] out = new double[sums.length];
            for (int d = 0; d < sums.length; d++) {
                double norm = sums[d] == null ? 0 : ChainNorm.norm(sums[d], 0, size);
                out[d] = norm == 0 ? LOG10_OF_ZERO : scale[d] + Math.log10(norm);
            }
            return out;
        }
    }

    /**
     * BPTT of one loss term L_t of one sequence through the whole stack, in double: at each step
     * s = t … 1 the layers from the top down (so a layer's ∂/∂h_s has what the layer above sent
     * before it is used), ∂/∂a_s of each layer sent to h_{s−1} of the same layer and, through
     * W_xᵀ, to h_s of the layer below. All vectors share one log10 scale, renormalised when they
     * leave [10⁻¹⁰⁰, 10¹⁰⁰].
     */
    private final class Backward {
        final int layer;
        final double[][] gh;
        final double[][] gc;
        final double[] ghPrev;
        final double[] gcPrev;
        final double[] ga;
        /** ∂/∂ of the input side's pre-activations (what meets W_x); {@link #ga} itself but for the GRU. */
        final double[] gaInput;
        final double[] dOut;
        LagSums recurrent;
        LagSums input;

        Backward(int layer) {
            this.layer = layer;
            int n = tr.hidden;
            gh = new double[tr.layers][n];
            gc = new double[tr.layers][n];
            ghPrev = new double[n];
            gcPrev = new double[n];
            ga = new double[tr.workWidth];
            gaInput = tr.workWidth == tr.gateWidth ? ga : new double[tr.gateWidth];
            dOut = new double[tr.outputs];
        }

        /**
         * @param hidden <b>out</b> log10 ‖∂L_t/∂h_k‖ of the layer, k = 0 … t
         * @param cell   <b>out</b> log10 ‖∂L_t/∂c_k‖, or null
         */
        void run(int b, int t, double[] hidden, double[] cell) {
            int n = tr.hidden;
            int top = tr.layers - 1;
            for (int l = 0; l < tr.layers; l++) {
                Arrays.fill(gh[l], 0);
                Arrays.fill(gc[l], 0);
            }
            int row = ((t - 1) * tr.batch + b) * tr.outputs;
            if (!tr.loss.termGradient(tr.source, t - 1, b, tr.out, row, tr.outputs, dOut)) {
                Arrays.fill(hidden, 0, t + 1, LOG10_OF_ZERO);
                if (cell != null) {
                    Arrays.fill(cell, 0, t + 1, LOG10_OF_ZERO);
                }
                return;
            }
            for (int r = 0; r < n; r++) {        // ∂L_t/∂h_t = ∂L_t/∂o_t · W_yᵀ
                double s = 0;
                for (int j = 0; j < tr.outputs; j++) {
                    s += tr.wy[r * tr.outputs + j] * dOut[j];
                }
                gh[top][r] = s;
            }
            double scale = 0;   // true value = 10^scale · stored
            for (int s = t; s >= 1; s--) {
                for (int l = top; l >= 0; l--) {
                    if (l == layer) {
                        hidden[s] = log10Norm(gh[l], scale);
                        if (cell != null) {
                            cell[s] = log10Norm(gc[l], scale);
                        }
                    }
                    tr.cotangent(l, b, s, gh[l], gc[l], ghPrev, gcPrev, ga);
                    if (gaInput != ga) {
                        tr.cell.inputSide(n, ga, gaInput);
                    }
                    if (l == layer && recurrent != null) {
                        int gw = tr.gateWidth;
                        int rc = tr.cell.recurrentColumns(n);
                        recurrent.addOuter(t - s, scale, tr.h[l], tr.state(s - 1, b), n, ga, 0, rc, gw);
                        if (rc < gw) {           // the 2014 GRU: W_hn met r∘h_{s−1}, kept in the step's work row
                            recurrent.addOuter(t - s, scale, tr.gates[l], tr.gates(s, b) + tr.cell.resetStateOffset(n), n,
                                    ga, rc, gw, gw);
                        }
                        input.addOuter(t - s, scale, tr.input(l), tr.input(l, s, b), tr.inputSize[l], gaInput, 0, gw, gw);
                    }
                    if (l > 0) {                 // to h_s of the layer below: ∂/∂a_s · W_xᵀ
                        double[] below = gh[l - 1];
                        double[] wx = tr.wx[l];
                        int gw = tr.gateWidth;
                        for (int r = 0; r < n; r++) {
                            double sum = 0;
                            for (int q = 0; q < gw; q++) {
                                sum += wx[r * gw + q] * gaInput[q];
                            }
                            below[r] += sum;
                        }
                    }
                    System.arraycopy(ghPrev, 0, gh[l], 0, n);
                    System.arraycopy(gcPrev, 0, gc[l], 0, n);
                }
                scale += rescale();
            }
            hidden[0] = log10Norm(gh[layer], scale);
            if (cell != null) {
                cell[0] = log10Norm(gc[layer], scale);
            }
        }

        /** Renormalises every vector by one factor when the largest leaves [1e-100, 1e100]; returns log10 of it. */
        private double rescale() {
            double max = 0;
            for (int l = 0; l < tr.layers; l++) {
                max = Math.max(max, ChainNorm.norm(gh[l], 0, tr.hidden));
                max = Math.max(max, ChainNorm.norm(gc[l], 0, tr.hidden));
            }
            if (max == 0 || (max > 1e-100 && max < 1e100)) {
                return 0;
            }
            for (int l = 0; l < tr.layers; l++) {
                for (int r = 0; r < tr.hidden; r++) {
                    gh[l][r] /= max;
                    gc[l][r] /= max;
                }
            }
            return Math.log10(max);
        }
    }

    private static double log10Norm(double[] v, double scale) {
        double norm = ChainNorm.norm(v, 0, v.length);
        return norm == 0 ? LOG10_OF_ZERO : scale + Math.log10(norm);
    }

    /** log10 sqrt(10^(2a) + 10^(2b)) without leaving log space. */
    private static double addSquares(double a, double b) {
        if (a == LOG10_OF_ZERO) {
            return b;
        }
        if (b == LOG10_OF_ZERO) {
            return a;
        }
        double hi = Math.max(a, b);
        double lo = Math.min(a, b);
        return hi + 0.5 * Math.log10(1 + Math.pow(10, 2 * (lo - hi)));
    }

    // ---------------------------------------------------------------------------------------
    // Spectra
    // ---------------------------------------------------------------------------------------

    @Override
    public List<WeightSpectrum> recurrentWeights(int layer) {
        checkLayer(layer);
        GateLayout layout = tr.cell.layout();
        int n = tr.hidden;
        List<WeightSpectrum> out = new ArrayList<>();
        for (int q = 0; q < layout.gates(); q++) {
            GateLayout.Gate gate = layout.gate(q);
            String name = layout.gates() == 1 ? "W_h" : "W_h" + gate.name().toLowerCase(java.util.Locale.ROOT);
            int off = layout.offset(gate, n);
            Spectrum spectrum = Eigenvalues.of(tr.wh[layer], off, tr.gateWidth, n);
            double sigma = LargestSingularValue.exact(tr.wh[layer], off, tr.gateWidth, n);
            out.add(new WeightSpectrum(name, spectrum, spectrum.spectralRadius(), sigma));
        }
        return List.copyOf(out);
    }

    @Override
    public Spectrum stepJacobianSpectrum(int layer, int sequence, int t) {
        checkLayer(layer);
        checkSequence(sequence);
        checkStep("t", t);
        StateMaps maps = new StateMaps(tr, layer, sequence);
        int dim = maps.dim();
        double[] dense = new double[dim * dim];
        double[] e = new double[dim];
        double[] col = new double[dim];
        for (int i = 0; i < dim; i++) {
            Arrays.fill(e, 0);
            e[i] = 1;
            maps.apply(t, e, col);
            for (int r = 0; r < dim; r++) {
                dense[r * dim + i] = col[r];
            }
        }
        return Eigenvalues.of(dense, 0, dim, dim);
    }

    // ---------------------------------------------------------------------------------------
    // The LSTM's ∂C_t/∂C_{t−1}
    // ---------------------------------------------------------------------------------------

    @Override
    public CellStateProfile cellState(int layer, int sequence, int t) {
        checkLayer(layer);
        checkSequence(sequence);
        checkStep("t", t);
        if (!(tr.cell instanceof LstmCell lstm)) {
            throw new UnsupportedOperationException("∂C_t/∂C_{t−1} needs a cell state; this model's cell is " + tr.cell);
        }
        int n = tr.hidden;
        CellStateMaps maps = new CellStateMaps(tr, layer, sequence);
        double[] stepFull = new double[t + 1];
        double[] stepForget = new double[t + 1];
        stepFull[0] = Double.NaN;
        stepForget[0] = Double.NaN;
        ChainNorm steps = new ChainNorm(maps, tolerance * 1e-3, maxIterations * 10);
        double[] u = new double[n];
        int fOff = lstm.forgetGate() ? tr.cell.layout().offset(GateLayout.Gate.F, n) : -1;
        double[] logForget = new double[n];     // Σ_j log10 f_j[i] from t back to k + 1
        double[] productForget = new double[t + 1];
        steps.randomStart(u, n);
        for (int j = 1; j <= t; j++) {
            stepFull[j] = steps.log10Norm(j - 1, j, 0, 0, n, u);
            double maxF = 1;
            if (fOff >= 0) {
                maxF = 0;
                int g = tr.gates(j, sequence) + fOff;
                for (int i = 0; i < n; i++) {
                    maxF = Math.max(maxF, tr.gates[layer][g + i]);
                }
            }
            stepForget[j] = Math.log10(maxF);
        }
        for (int k = t - 1; k >= 0; k--) {
            double max = LOG10_OF_ZERO;
            int g = fOff >= 0 ? tr.gates(k + 1, sequence) + fOff : -1;
            for (int i = 0; i < n; i++) {
                if (g >= 0) {
                    logForget[i] += Math.log10(tr.gates[layer][g + i]);
                }
                max = Math.max(max, logForget[i]);
            }
            productForget[k] = max;
        }
        double[] productFull = new double[t + 1];
        ChainNorm products = new ChainNorm(maps, tolerance, maxIterations);
        double[] left = new double[n];
        products.randomStart(left, n);
        for (int k = t - 1; k >= 0; k--) {
            productFull[k] = products.log10Norm(k, t, 0, 0, n, left);
        }
        return new CellStateProfile(layer, sequence, t, stepFull, stepForget, productFull, productForget);
    }

    // ---------------------------------------------------------------------------------------
    // Arguments
    // ---------------------------------------------------------------------------------------

    private void checkLayer(int layer) {
        if (layer < 0 || layer >= tr.layers) {
            throw new IllegalArgumentException("layer " + layer + " is outside the model's layers [0, " + tr.layers + ")");
        }
    }

    private void checkSequence(int sequence) {
        if (sequence < 0 || sequence >= tr.batch) {
            throw new IllegalArgumentException("sequence " + sequence + " is outside the batch's sequences [0, " + tr.batch
                    + ")");
        }
    }

    private void checkStep(String name, int t) {
        if (t < 1 || t > tr.steps) {
            throw new IllegalArgumentException("step " + name + " = " + t + " is outside the pass's steps [1, T = "
                    + tr.steps + "] (states are h_0 … h_T; step t makes h_t)");
        }
    }

    private void requireTargets() {
        if (tr.source.targets() == null) {
            throw new IllegalStateException("the batch has no targets, so there is no loss whose error signal to measure");
        }
    }

    private interface Field {
        double[] of(JacobianProfile p);
    }

    /** Element-wise mean of one array field over profiles (mean of log10 = geometric mean). */
    private static double[] mean(JacobianProfile[] all, Field field) {
        double[] out = new double[field.of(all[0]).length];
        for (JacobianProfile p : all) {
            double[] v = field.of(p);
            for (int i = 0; i < out.length; i++) {
                out[i] += v[i] / all.length;
            }
        }
        return out;
    }
}
