package org.rnn4j.api.diagnostics;

import java.util.List;

/**
 * The gradient-stability measurements of one model on one batch: a snapshot of the trajectory
 * (every state and gate of the forward pass) and the weights, taken when it was created, so later
 * training does not change its answers. Everything is computed on demand, in double precision,
 * along that trajectory; products of Jacobians are matrix-free (power iteration on
 * Jacobian-vector and vector-Jacobian products), so large n costs O(n²) memory, not O(n³) time
 * per product. Indices and log10 conventions: see the package comment.
 *
 * <p>The Jacobians are those of the gradient the model trains with: for a model with the 1997
 * truncated gradient ({@link org.rnn4j.api.RecurrentGradient#TRUNCATED_1997}) the paths from the
 * gates back into h_{t−1} are cut, as in its BPTT.
 *
 * <p>Arguments are checked: a layer, sequence, step or lag outside the snapshot gives an
 * {@link IllegalArgumentException} naming the value and the valid range; a cell-state query on a
 * cell without one an {@link UnsupportedOperationException}. Not thread-safe.
 */
public interface GradientDiagnostics {

    /** T, the steps of the pass. */
    int steps();

    /** m, the sequences of the batch. */
    int batchSize();

    /** The layers of the model. */
    int layers();

    /** n, the hidden units per layer. */
    int hiddenSize();

    /** Whether the layers' cells carry a cell state (LSTM). */
    boolean hasCellState();

    /** ‖∂h_t/∂h_k‖₂ of one sequence for every k ≤ t, with the one-step norms and both bounds. */
    JacobianProfile jacobianNorms(int layer, int sequence, int t);

    /** {@link #jacobianNorms(int, int, int)} for every sequence, as a geometric mean (sequence −1). */
    JacobianProfile jacobianNorms(int layer, int t);

    /** ‖∂L_t/∂h_k‖ (and ‖∂L_t/∂c_k‖) of one sequence for every k ≤ t. */
    ErrorSignal errorSignal(int layer, int sequence, int t);

    /** {@link #errorSignal(int, int, int)} over the whole batch (Frobenius over its rows). */
    ErrorSignal errorSignal(int layer, int t);

    /** The parts of one sequence's ∂L/∂W_h and ∂L/∂W_x that come from each lag. */
    LagGradients gradientByLag(int layer, int sequence);

    /** The parts of the batch's ∂L/∂W_h and ∂L/∂W_x (the model's gradient) from each lag. */
    LagGradients gradientByLag(int layer);

    /**
     * The eigenvalues, ρ and σ_max of the layer's square recurrent blocks: W_h for an RNN, each
     * gate's n × n block for an LSTM (in the cell's gate order).
     */
    List<WeightSpectrum> recurrentWeights(int layer);

    /**
     * The eigenvalues of the one-step Jacobian ∂h_t/∂h_{t−1} = diag(φ'(a_t))·W_hᵀ of one sequence
     * (for an LSTM, of the 2n × 2n Jacobian of (h_t, c_t) with respect to (h_{t−1}, c_{t−1})).
     */
    Spectrum stepJacobianSpectrum(int layer, int sequence, int t);

    /**
     * The LSTM's ∂C_j/∂C_{j−1} (all four terms) beside diag(f_j), per step j ≤ t and as products
     * over every lag back from t.
     *
     * @throws UnsupportedOperationException for a cell without cell state
     */
    CellStateProfile cellState(int layer, int sequence, int t);
}
