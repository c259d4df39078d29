package org.rnn4j.lstm;

/**
 * A sequence of linear maps M_1 … M_T on vectors of one size — a recurrence's one-step Jacobians
 * along a trajectory — given only as products with vectors, so that a product M_t ⋯ M_{k+1} is
 * never formed ({@link ChainNorm}).
 */
interface StepMaps {

    /** The size of the vectors. */
    int dim();

    /** {@code out = M_j·in} (the Jacobian-vector product of step j). */
    void apply(int j, double[] in, double[] out);

    /** {@code out = inᵀ·M_j} (the vector-Jacobian product of step j, what BPTT does). */
    void applyTransposed(int j, double[] in, double[] out);
}
