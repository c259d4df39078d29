package org.rnn4j.api;

/**
 * A trained model compiled for inference one time step at a time, for services that advance a
 * stream's state by one step per event. Obtain one with {@code org.rnn4j.lstm.Models.compile(model)}.
 *
 * <p>The model is an immutable snapshot of the weights it was compiled from (later training does
 * not change it), packed once in the layout a step reads fastest. It holds no per-stream state:
 * each sequence has its own {@link StreamState}, and any number of threads may step their own
 * streams over one model at once. A step allocates nothing.
 *
 * <p>Every step computes, per layer l, {@code a = x_t·W_x + h_{t−1}·W_h + b} as one pass of
 * {@code [x_t h_{t−1}]} over {@code [W_x; W_h]} (the derivation's concatenated form), applies the
 * cell's equations, and, when an output array is given, the output layer
 * {@code ŷ_t = softmax(h_t·W_y + b_y)} (or {@code o_t} for a linear head). Results agree with the
 * training model's {@code forward} to float rounding (the sums are formed in another order); every
 * way of stepping a model here (one stream, many streams together, a prefill of T inputs) gives
 * bitwise the same states and outputs. Models compiled on the scalar and on the SIMD kernels form
 * bitwise the same gate sums but not the same tanh and sigmoid (they differ by up to about 1e-6),
 * so they agree to rounding, not bitwise. With {@link WeightFormat#BF16} weights the sums are those
 * of the rounded weights.
 *
 * <p>Errors leave the stream as it was: a wrong length, a non-finite input, a stream of another
 * model throw {@link IllegalArgumentException} before anything is computed; a state or output that
 * turns non-finite throws {@link NonFiniteException} and the step is not committed.
 */
public interface InferenceModel {

    /** The spec of the model this was compiled from. */
    ModelSpec spec();

    /** How the recurrent layers' weights are stored ({@link WeightFormat#F32} unless compiled otherwise). */
    WeightFormat weightFormat();

    /** A new stream in the zero state (h = c = 0, as at the start of a sequence). */
    StreamState newStream();

    /**
     * Advances {@code stream} by one step.
     *
     * @param x   <b>in</b> d input values at {@code xOff}
     * @param out <b>out</b> o values at {@code outOff}: softmax probabilities or linear outputs; null
     *            to skip the output layer (read the state with {@link StreamState#copyHidden})
     * @throws IllegalArgumentException if x or out is too short, x has a NaN or infinity (naming its
     *                                  index), or the stream belongs to another model
     * @throws NonFiniteException       if a hidden state or output would be non-finite (the stream is
     *                                  left at its previous state)
     */
    void step(StreamState stream, float[] x, int xOff, float[] out, int outOff);

    /**
     * Advances {@code stream} by {@code steps} steps: bitwise the state (and outputs) that
     * {@code steps} calls of {@link #step} give, with the input products of all steps formed
     * together. Allocates a scratch buffer on a stream's first prefill (and when a longer one
     * follows), never afterwards.
     *
     * @param x   <b>in</b> steps·d values, step after step
     * @param out <b>out</b> steps·o values (the output of every step) or null
     * @throws IllegalArgumentException as {@link #step}, naming the step of a bad input
     * @throws NonFiniteException       naming the step; the stream is left as it was before the call
     */
    void prefill(StreamState stream, int steps, float[] x, int xOff, float[] out, int outOff);

    /**
     * A scratch for stepping up to {@code capacity} streams together ({@link StreamBatch#step}).
     * Not thread-safe: one per thread.
     */
    StreamBatch newBatch(int capacity);

    /** Bytes of packed weights one step reads (all layers and the output layer). */
    long weightBytes();
}
