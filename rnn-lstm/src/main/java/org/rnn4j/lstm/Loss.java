package org.rnn4j.lstm;

import org.rnn4j.api.OutputHead;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.Targets;
import org.rnn4j.api.Window;
import org.rnn4j.simd.Kernels;

/**
 * The loss of an {@link OutputLayer}, and what its head does to the logits o_t. Losses are summed
 * over the steps that count and averaged over the m sequences of the batch,
 * {@code L = (1/m) Σ_b Σ_t L_{t,b}} (see {@link Targets}).
 */
sealed interface Loss permits SoftmaxCrossEntropy, SquaredError {

    /** The loss of a head. */
    static Loss of(OutputHead head) {
        return switch (head) {
            case SOFTMAX -> new SoftmaxCrossEntropy();
            case LINEAR -> new SquaredError();
        };
    }

    /**
     * @throws IllegalArgumentException if the targets are not of the kind this loss needs
     */
    void checkTargets(Targets targets);

    /**
     * The model's output without targets: {@code out} (rows × o logits) replaced by ŷ.
     */
    void predict(Kernels k, int rows, int outputs, float[] out);

    /**
     * The loss of the window's steps at or after {@code window.lossFrom()}, and its gradient.
     *
     * @param out  <b>inout</b> rows × o: the logits in, ŷ out (as {@link #predict})
     * @param dOut <b>out</b> rows × o: ∂L/∂o_t, zero at steps that do not count
     * @return L
     * @throws org.rnn4j.api.NonFiniteException naming the step and sequence of the first term
     *                                          that is not finite
     */
    double lossAndGradient(Kernels k, SequenceBatch batch, Window window, int outputs, float[] out, float[] dOut);

    /**
     * The gradient of one loss term, ∂L_{t,b}/∂o_t in double (with the batch's 1/m), from what
     * {@link #lossAndGradient} left in {@code out} (ŷ or o) — for the diagnostics' error signal.
     *
     * @param t    absolute step of the batch (0-based)
     * @param row  offset of that step's row for sequence b in {@code out}
     * @param dOut <b>out</b> o values
     * @return false (and {@code dOut} untouched) if step t of sequence b carries no target
     */
    boolean termGradient(SequenceBatch batch, int t, int b, float[] out, int row, int outputs, double[] dOut);

    /** Whether step t of sequence b carries a target under {@code scope}. */
    static boolean counts(SequenceBatch batch, Targets.Scope scope, int t, int b) {
        int len = batch.length(b);
        return scope == Targets.Scope.EVERY_STEP ? t < len : t == len - 1;
    }
}
