package org.rnn4j.api;

import java.util.List;

/**
 * A recurrent network — stacked RNN or LSTM layers and an output layer — with exact
 * backpropagation through time. Create one with {@code org.rnn4j.lstm.Models.create(spec)}.
 *
 * <p>A model keeps workspaces sized for the last batch shape (T, m); a pass over a batch of the
 * same shape allocates nothing. A model is not thread-safe: use one per training thread (many
 * inference streams can share weights through {@code org.rnn4j.lstm} streaming instead).
 */
public interface RecurrentModel {

    /** The spec the model was built from. */
    ModelSpec spec();

    /** Every parameter, in a fixed order: per layer W_x, W_h, b, then W_y, b_y. */
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
     * Initial state for the following passes (copied), or nulls for zeros.
     *
     * @param h0 L·m·n values (layer-major: {@code [(l·m + b)·n + j]}) or null
     * @param c0 the LSTM cell state, same layout, or null (ignored by RNN)
     */
    void setInitialState(float[] h0, float[] c0);

    /** <b>out</b> h (and c for LSTM, may be null) after the last step of the last pass, L·m·n. */
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
