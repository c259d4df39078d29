package org.rnn4j.api;

/**
 * How an {@link InferenceModel} stores its recurrent layers' weights. The arithmetic is float
 * either way; the bias and the output layer stay float.
 */
public enum WeightFormat {
    /** 32-bit floats: the trained weights exactly. */
    F32,
    /**
     * bfloat16 (8 significant bits, each weight rounded to nearest even, relative error at most
     * 2<sup>−8</sup>): half the bytes a step streams from cache, for models whose step is bound by
     * that stream (an LSTM at D = H = 128 reads 512 KiB of float weights per step). Each gate sum
     * then differs from the float model's by at most {@code 2^−8·(Σ|x_r·w_r| + Σ|h_r·w'_r|)} plus
     * float rounding; check the outputs you care about against {@link #F32} before deploying.
     */
    BF16
}
