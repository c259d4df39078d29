package org.rnn4j.api;

import java.util.List;

/**
 * A recurrent network — stacked RNN or LSTM layers and an output layer — with exact
 * backpropagation through time. Create one with {@code org.rnn4j.lstm.Models.create(spec)}.
 *
 * <p>Loss convention: summed over the time steps that carry a target and averaged over the
 * sequences of the batch (see {@link Targets}); PyTorch's {@code CrossEntropyLoss} averages over
 * steps too, so its loss is this one divided by T for targets at every step.
 *
 * <p>A model keeps workspaces sized for the largest batch shape (T, m) seen; a pass over a batch
 * of that shape or smaller allocates nothing. A model is not thread-safe: use one per thread.
 */
public interface RecurrentModel {

    /** The spec the model was built from. */
    ModelSpec spec();

    /** Every parameter, in a fixed order: per layer W_x, W_h, b (and b_hn for a GRU), then W_y, b_y. */
    List<Parameter> parameters();

    /**
     * The parameter called {@code name}.
     *
     * @throws IllegalArgumentException listing the valid names if there is none
     */
    Parameter parameter(String name);

    /**
     * Forward pass only.
     *
     * @param batch   inputs (targets optional)
     * @param outputs <b>out</b>, null or T·m·o values: ŷ of every step, time-major — softmax
     *                probabilities for a softmax head, o_t for a linear head
     * @return the loss (see {@link Targets}) if the batch has targets, else NaN
     * @throws IllegalArgumentException for a malformed batch (see {@link SequenceBatch#validate})
     * @throws NonFiniteException if a hidden state becomes NaN or infinite, naming the step
     */
    double forward(SequenceBatch batch, float[] outputs);

    /**
     * Forward pass and exact BPTT: every parameter's gradient is overwritten with ∂L/∂θ.
     * The values are not changed (an optimizer does that).
     *
     * @return the loss
     * @throws IllegalArgumentException if the batch has no targets or is malformed
     * @throws NonFiniteException naming the parameter (or state) and the time step where a
     *                            non-finite value first appeared; gradients are then undefined
     */
    double forwardBackward(SequenceBatch batch);

    /**
     * Forward pass over a {@link Window} of the batch only (see there for where its starting
     * state comes from).
     *
     * @param outputs <b>out</b>, null or (to − from)·m·o values: ŷ of the window's steps
     * @return the loss of the window's steps at or after {@code lossFrom}, or NaN without targets
     * @throws IllegalArgumentException if the window does not fit the batch
     * @throws IllegalStateException if {@code from > 0} and the previous pass does not reach it
     */
    double forward(SequenceBatch batch, Window window, float[] outputs);

    /**
     * Forward pass and BPTT over a {@link Window} of the batch: truncated BPTT's unit. Gradients
     * are those of the window's loss with respect to the parameters, the state at {@code from}
     * held constant.
     *
     * @throws IllegalArgumentException if the batch has no targets or the window does not fit it
     * @throws IllegalStateException if {@code from > 0} and the previous pass does not reach it
     */
    double forwardBackward(SequenceBatch batch, Window window);

    /**
     * The global L2 norm of every parameter's gradient, {@code sqrt(Σ_θ Σ g²)}, summed in double
     * (the norm Pascanu et al. clip and PyTorch's {@code clip_grad_norm_} returns). Models of
     * {@code org.rnn4j.lstm} compute it on their own kernels.
     */
    default double gradientNorm() {
        double sumSq = 0;
        for (Parameter p : parameters()) {
            for (float g : p.gradient()) {
                sumSq += (double) g * g;
            }
        }
        return Math.sqrt(sumSq);
    }

    /**
     * Multiplies every parameter's gradient by {@code factor}, rounded to float once (what
     * global-norm clipping does).
     */
    default void scaleGradients(double factor) {
        float f = (float) factor;
        for (Parameter p : parameters()) {
            float[] g = p.gradient();
            for (int i = 0; i < g.length; i++) {
                g[i] *= f;
            }
        }
    }

    /**
     * Training passes ({@code forwardBackward}, whole or windowed) completed or started so far:
     * the count that, with the spec's seed, selects the dropout masks of the next training pass
     * ({@link ModelSpec#dropout()}). A checkpoint saves it so that training with dropout resumes
     * bitwise.
     */
    long trainingPasses();

    /** Sets {@link #trainingPasses()} (restoring a checkpoint), ≥ 0. */
    void setTrainingPasses(long passes);

    /**
     * Initial state for the following passes (copied), or nulls for zeros.
     *
     * @param h0 L·m·n values (layer-major: {@code [(l·m + b)·n + j]}) or null
     * @param c0 the LSTM cell state, same layout, or null (ignored by RNN)
     */
    void setInitialState(float[] h0, float[] c0);

    /**
     * <b>out</b> h (and c for LSTM, may be null) after the last step of the last pass, L·m·n
     * (after a failed pass there is none: {@link IllegalStateException}). With per-sequence
     * lengths, sequence b's state is the one after its own last step, length(b) − 1 (its state
     * is frozen past it, as PyTorch's packed sequences give h_n).
     */
    void copyFinalState(float[] h, float[] c);

    /** <b>out</b> the top layer's hidden states of every step of the last pass, T·m·n. */
    void copyTopHidden(float[] out);

    /** <b>out</b> ∂L/∂inputs of the last backward pass, T·m·d. */
    void copyInputGradient(float[] out);

    /** <b>out</b> ∂L/∂h0 (and ∂L/∂c0, may be null) of the last backward pass, L·m·n. */
    void copyInitialStateGradient(float[] dh0, float[] dc0);

    /**
     * <b>out</b> ‖∂L/∂h_k‖ (Frobenius over the batch) of the top layer for every step k of the
     * last backward pass, T values: how the error signal decays (or grows) going back in time.
     */
    void copyHiddenGradientNorms(double[] out);

    /**
     * Per-step clipping of ∂L/∂h_t inside BPTT: before it is propagated to step t − 1, the
     * gradient of each layer's h_t is rescaled to norm at most {@code maxNorm} (0 turns it off).
     */
    void setHiddenGradientClip(double maxNorm);
}
