package org.rnn4j.bench.stability;

/** How a training run ended. */
public enum Outcome {
    /** The moving-average loss fell below the success threshold. */
    SOLVED,
    /** The step budget ran out first: "not within budget". */
    NOT_WITHIN_BUDGET,
    /** A NaN or infinity stopped it (forward, backward or the loss). */
    NON_FINITE,
    /** The report's wall-time cap stopped it before its budget: no verdict. */
    TIME_CAP
}
