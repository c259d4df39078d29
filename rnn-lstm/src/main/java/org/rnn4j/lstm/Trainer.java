package org.rnn4j.lstm;

import java.util.List;
import java.util.function.Consumer;
import org.rnn4j.api.Clipping;
import org.rnn4j.api.NonFiniteException;
import org.rnn4j.api.Optimizer;
import org.rnn4j.api.Parameter;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.StepReport;
import org.rnn4j.api.Window;
import org.rnn4j.api.diagnostics.StabilitySample;

/**
 * Gradient-descent training of a {@link RecurrentModel}: each {@link #step(SequenceBatch)} runs
 * forward and backward, checks the gradients, clips them and applies the optimizer.
 *
 * <p>A step, in order:
 * <ol>
 * <li>{@code model.forwardBackward(batch)}; a {@link NonFiniteException} it throws propagates and
 *     nothing is updated;</li>
 * <li>if the returned loss is not finite, a {@link NonFiniteException} for {@code "loss"};</li>
 * <li>the global L2 norm of all gradients ({@link RecurrentModel#gradientNorm()}, on the model's
 *     kernels); if it is not finite, a
 *     {@link NonFiniteException} naming the first parameter (in list order) whose gradient holds a
 *     NaN or infinity, thrown before any value is changed;</li>
 * <li>global-norm clipping: if {@link Clipping#maxGlobalNorm()} &gt; 0 and the norm exceeds it,
 *     every gradient is scaled by maxGlobalNorm / norm ({@link RecurrentModel#scaleGradients};
 *     Pascanu et al. 2013; PyTorch's
 *     {@code clip_grad_norm_});</li>
 * <li>value clipping: if {@link Clipping#maxValue()} &gt; 0, every gradient value is clamped to
 *     [−maxValue, maxValue] (after the global-norm clipping when both are on);</li>
 * <li>the optimizer update ({@link OptimizerState}).</li>
 * </ol>
 * Per-step clipping of ∂L/∂h_t is the model's: the constructor passes
 * {@link Clipping#maxHiddenGradNorm()} to {@link RecurrentModel#setHiddenGradientClip(double)}.
 *
 * <p>The parameter list is taken from the model once, in the constructor. A step allocates
 * nothing itself (the model's pass allocates nothing for a batch of the last shape); the
 * measurements of the last step are kept in primitive fields and {@link #lastReport()} builds a
 * record from them on demand. Not thread-safe.
 */
public final class Trainer {
    private final RecurrentModel model;
    private final Clipping clipping;
    private final List<Parameter> params;
    private final OptimizerState state;

    private double lastLoss = Double.NaN;
    private double lastGradientNorm = Double.NaN;
    private boolean lastClipped;

    /** Every how many steps the stability monitor is called (0: no monitor, nothing computed). */
    private int monitorEvery;
    private Consumer<StabilitySample> monitor;

    /**
     * A trainer for {@code model}; sets the model's per-step hidden-gradient clip to
     * {@code clipping.maxHiddenGradNorm()}.
     */
    public Trainer(RecurrentModel model, Optimizer optimizer, Clipping clipping) {
        this(model, model == null || optimizer == null ? null : new OptimizerState(optimizer, model.parameters()), clipping);
    }

    /**
     * A trainer that continues from {@code state} (e.g. restored from a checkpoint): its step
     * count is the state's. Sets the model's per-step hidden-gradient clip as the other
     * constructor does.
     *
     * @param state an optimizer state created for {@code model.parameters()} (checked by the
     *              first update)
     */
    public Trainer(RecurrentModel model, OptimizerState state, Clipping clipping) {
        if (model == null || state == null || clipping == null) {
            throw new IllegalArgumentException("model, optimizer and clipping must not be null");
        }
        this.model = model;
        this.clipping = clipping;
        this.params = List.copyOf(model.parameters());
        this.state = state;
        if (model instanceof RecurrentNetwork network) {
            state.runOn(network.kernels());      // the optimizer's pass on the model's threads
        }
        model.setHiddenGradientClip(clipping.maxHiddenGradNorm());
    }

    /**
     * The optimizer's state (moments, step count), live: what a checkpoint saves and restores.
     */
    public OptimizerState optimizerState() {
        return state;
    }

    /** The model being trained. */
    public RecurrentModel model() {
        return model;
    }

    /** The optimizer's rule and hyperparameters. */
    public Optimizer optimizer() {
        return state.optimizer();
    }

    /** The clipping limits. */
    public Clipping clipping() {
        return clipping;
    }

    /**
     * Steps completed (a step that threw does not count): the optimizer state's update count, so
     * a trainer restored from a checkpoint continues the count.
     */
    public long steps() {
        return state.steps();
    }

    /**
     * One training step on {@code batch} (see the class comment).
     *
     * @return the loss of the batch before the update
     * @throws NonFiniteException if the pass, the loss or a gradient is not finite; parameter
     *                            values are then unchanged
     * @throws IllegalArgumentException if the batch is malformed or has no targets
     */
    public double step(SequenceBatch batch) {
        return applyGradients(model.forwardBackward(batch));
    }

    /**
     * Truncated BPTT (Williams and Peng's BPTT(k2; k1), as in Sutskever's thesis): the batch is
     * walked forward k1 steps at a time; after each k1 steps the model backpropagates through the
     * last k2 steps only (k2 ≥ k1), from the state carried over from the earlier steps, and takes
     * one optimizer step. Loss terms of a step count exactly once, in the window that ends with
     * it; the first k2 − k1 steps of a window only rebuild the state and the gradient path. With
     * k1 = k2 = T this is exactly {@link #step}.
     *
     * <p>The model's initial state (see {@link RecurrentModel#setInitialState}) starts the first
     * window and is left as it was; {@link RecurrentModel#copyFinalState} then holds the state
     * after the last window, i.e. after step T − 1. Each window is one
     * {@link RecurrentModel#forwardBackward(SequenceBatch, Window)}; the only allocation of the
     * call is those ⌈T/k1⌉ small {@link Window} records.
     *
     * @param k1 steps between updates, ≥ 1
     * @param k2 steps backpropagated through, ≥ k1
     * @return the sum of the windows' losses (each step counted once, as in {@link #step})
     */
    public double stepTruncated(SequenceBatch batch, int k1, int k2) {
        if (k1 < 1 || k2 < k1) {
            throw new IllegalArgumentException("truncated BPTT needs 1 <= k1 <= k2, got k1=" + k1 + ", k2=" + k2);
        }
        int steps = batch.steps();
        double total = 0;
        int start = 0;
        int lossFrom = 0;
        for (int end = Math.min(k1, steps); ; end = Math.min(end + k1, steps)) {
            // A window after the first starts inside the one before (k2 >= k1), so the model
            // carries its start state over from that pass (see Window).
            total += applyGradients(model.forwardBackward(batch, new Window(start, end, lossFrom)));
            if (end == steps) {
                return total;
            }
            start = Math.max(0, Math.min(end + k1, steps) - k2);
            lossFrom = end;
        }
    }

    /** Checks, clips and applies the gradients of the pass that returned {@code loss}. */
    private double applyGradients(double loss) {
        if (!Double.isFinite(loss)) {
            throw new NonFiniteException("loss", -1, "forwardBackward returned " + loss);
        }
        // The model's own kernels compute the norm and scale (one owner of the kernels).
        double norm = model.gradientNorm();
        if (!Double.isFinite(norm)) {
            throw nonFiniteGradient(norm);
        }

        boolean clipped = false;
        double maxNorm = clipping.maxGlobalNorm();
        if (maxNorm > 0 && norm > maxNorm) {
            model.scaleGradients(maxNorm / norm);
            clipped = true;
        }
        int count = params.size();
        double maxValue = clipping.maxValue();
        if (maxValue > 0) {
            float hi = (float) maxValue;
            float lo = -hi;
            for (int i = 0; i < count; i++) {
                float[] g = params.get(i).gradient();
                for (int j = 0; j < g.length; j++) {
                    float x = g[j];
                    if (x > hi) {
                        g[j] = hi;
                        clipped = true;
                    } else if (x < lo) {
                        g[j] = lo;
                        clipped = true;
                    }
                }
            }
        }

        state.update(params);

        long steps = state.steps();
        lastLoss = loss;
        lastGradientNorm = norm;
        lastClipped = clipped;
        if (monitorEvery > 0 && steps % monitorEvery == 0) {
            monitor.accept(sample());
        }
        return loss;
    }

    /**
     * Calls {@code listener} after every {@code every}-th completed step with a
     * {@link StabilitySample}: the step's loss and gradient norm (before clipping), and ρ and
     * σ_max of each layer's recurrent weights after the update (for a gated cell, the largest over
     * its n × n gate blocks) — how training moves W_hh towards or away from the vanishing and
     * exploding regimes. Each sample costs an eigenvalue and a singular-value computation per
     * block (O(n³)); steps in between, and a trainer with no monitor, compute nothing.
     *
     * @param every    ≥ 1
     * @param listener called on the training thread; null removes the monitor
     */
    public void monitorStability(int every, Consumer<StabilitySample> listener) {
        if (listener == null) {
            monitorEvery = 0;
            monitor = null;
            return;
        }
        if (every < 1) {
            throw new IllegalArgumentException("every must be >= 1, got " + every);
        }
        monitorEvery = every;
        monitor = listener;
    }

    /** The stability sample of the last completed step (see {@link #monitorStability}). */
    public StabilitySample stabilitySample() {
        if (state.steps() == 0 || Double.isNaN(lastLoss)) {
            throw new IllegalStateException("no training step has completed on this trainer yet");
        }
        return sample();
    }

    private StabilitySample sample() {
        int layers = model.spec().layers();
        int n = model.spec().hiddenSize();
        double[] rho = new double[layers];
        double[] sigma = new double[layers];
        for (int l = 0; l < layers; l++) {
            float[] wh = model.parameter("layer" + l + ".W_h").value();
            int gates = model.spec().gates();
            int ld = gates * n;
            for (int q = 0; q < gates; q++) {
                rho[l] = Math.max(rho[l], SpectralRadius.of(wh, q * n, ld, n));
                sigma[l] = Math.max(sigma[l], LargestSingularValue.exact(wh, q * n, ld, n));
            }
        }
        return new StabilitySample(state.steps(), lastLoss, lastGradientNorm, lastClipped, rho, sigma);
    }

    private NonFiniteException nonFiniteGradient(double norm) {
        for (Parameter p : params) {
            float[] g = p.gradient();
            for (int j = 0; j < g.length; j++) {
                if (!Float.isFinite(g[j])) {
                    return new NonFiniteException(p.name(), -1, "gradient at row " + (j / p.cols()) + ", column "
                            + (j % p.cols()) + " is " + g[j] + " (global gradient norm " + norm + "); no update applied");
                }
            }
        }
        return new NonFiniteException("gradients", -1, "global gradient norm is " + norm + "; no update applied");
    }

    /**
     * What the last completed step measured: its 1-based number, loss, gradient norm before
     * clipping and whether clipping changed the gradients.
     *
     * @throws IllegalStateException before the first completed step
     */
    public StepReport lastReport() {
        if (state.steps() == 0 || Double.isNaN(lastLoss)) {
            throw new IllegalStateException("no training step has completed on this trainer yet");
        }
        return new StepReport(state.steps(), lastLoss, lastGradientNorm, lastClipped);
    }
}
