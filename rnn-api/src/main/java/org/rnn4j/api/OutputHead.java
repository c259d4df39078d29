package org.rnn4j.api;

/** What the model's output layer {@code o_t = h_t·W_yh + b_y} is followed by. */
public enum OutputHead {
    /** ŷ_t = softmax(o_t), trained with cross-entropy against class targets. */
    SOFTMAX,
    /** ŷ_t = o_t, trained with mean squared error against real-valued targets. */
    LINEAR
}
