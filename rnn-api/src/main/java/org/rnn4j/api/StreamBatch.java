package org.rnn4j.api;

/**
 * A thread's scratch for stepping several streams of one {@link InferenceModel} together: their
 * rows go through each layer's weights in one pass (a small GEMM instead of m matrix-vector
 * products), which is where many streams gain throughput. Each stream keeps its own state; the
 * results are bitwise those of stepping the streams one by one. Obtain with
 * {@link InferenceModel#newBatch}. Not thread-safe: one per thread.
 */
public interface StreamBatch {

    /** The model whose streams this steps. */
    InferenceModel model();

    /** The most streams one call may step. */
    int capacity();

    /**
     * Advances {@code streams[0 .. count)} by one step each.
     *
     * @param x   <b>in</b> count·d values: row i is the input of {@code streams[i]}
     * @param out <b>out</b> count·o values (row i the output of {@code streams[i]}), or null
     * @throws IllegalArgumentException if count exceeds the capacity, a stream is null, of another
     *                                  model or listed twice, an array is too short, or an input
     *                                  is non-finite (naming the stream index and input)
     * @throws NonFiniteException       if a state or output would be non-finite; no stream changes
     */
    void step(StreamState[] streams, int count, float[] x, int xOff, float[] out, int outOff);
}
