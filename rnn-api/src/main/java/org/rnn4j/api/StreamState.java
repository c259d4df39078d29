package org.rnn4j.api;

import java.nio.ByteBuffer;

/**
 * One sequence's state in an {@link InferenceModel}: h (and the LSTM's c) of every layer, and the
 * scratch its steps use. Not thread-safe: a stream is stepped by one thread at a time (different
 * streams of one model may be stepped by different threads at once).
 *
 * <p>The state can be saved as bytes and restored into a stream of a model of the same shape
 * (fail-over, migration, checkpointing a service). The format, little-endian: the int
 * {@code 0x524E5354} ("RNST"), the format version (1), the cell kind's ordinal, layers L, hidden
 * size n, input size d, the step count (long), then h (L·n floats, layer after layer) and, for an
 * LSTM, c (L·n floats).
 */
public interface StreamState {

    /** The model this stream belongs to. */
    InferenceModel model();

    /** Steps taken since creation or the last {@link #reset} (restored with the state). */
    long steps();

    /** Back to the zero state (h = c = 0), step count 0. */
    void reset();

    /**
     * Sets the state, as {@code RecurrentModel.setInitialState} does for one sequence.
     *
     * @param h L·n values, layer after layer; null for zeros
     * @param c the LSTM's cell state in the same layout, or null for zeros (must be null for an RNN)
     * @throws IllegalArgumentException for a wrong length or a non-finite value (naming layer and unit)
     */
    void setState(float[] h, float[] c);

    /** <b>out</b> h of {@code layer} (n values) at {@code off}. */
    void copyHidden(int layer, float[] out, int off);

    /** <b>out</b> c of {@code layer} (n values) at {@code off}; {@link IllegalStateException} for an RNN. */
    void copyCell(int layer, float[] out, int off);

    /**
     * Becomes a copy of {@code other}'s state and step count.
     *
     * @throws IllegalArgumentException if other's model has another shape
     */
    void copyFrom(StreamState other);

    /** A new stream of the same model with this state. */
    StreamState copy();

    /** Bytes {@link #saveState(ByteBuffer)} writes. */
    int stateBytes();

    /**
     * Writes the state at the buffer's position (advancing it), little-endian whatever the
     * buffer's order.
     *
     * @throws java.nio.BufferOverflowException if fewer than {@link #stateBytes()} remain (nothing written)
     */
    void saveState(ByteBuffer dst);

    /**
     * Reads a state written by {@link #saveState(ByteBuffer)} at the buffer's position (advancing
     * it). Everything is checked before the stream changes.
     *
     * @throws IllegalArgumentException naming the byte offset and the expected and found values
     *                                  for a wrong magic or version, a model of another shape,
     *                                  too few bytes, or a non-finite value
     */
    void restoreState(ByteBuffer src);

    /** The state as a new byte array. */
    default byte[] saveState() {
        byte[] bytes = new byte[stateBytes()];
        saveState(ByteBuffer.wrap(bytes));
        return bytes;
    }

    /**
     * Restores a state from {@link #saveState()}'s bytes (all of them); bytes left after the state
     * are refused like any other error, before the stream changes.
     */
    default void restoreState(byte[] bytes) {
        ByteBuffer src = ByteBuffer.wrap(bytes);
        if (bytes.length > stateBytes()) {
            // Read the state into a copy first (its own errors, such as another shape, come first):
            // the trailing bytes must be refused before this stream changes.
            copy().restoreState(src);
            if (src.hasRemaining()) {
                throw new IllegalArgumentException("stream state: " + src.remaining() + " bytes left after the state at offset "
                        + src.position() + " (expected exactly " + stateBytes() + " bytes)");
            }
            src.rewind();
        }
        restoreState(src);
    }
}
