package org.rnn4j.lstm;

import java.util.Arrays;
import org.rnn4j.api.NonFiniteException;
import org.rnn4j.api.OutputHead;
import org.rnn4j.api.Parameter;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.Window;
import org.rnn4j.simd.Kernels;

/**
 * The output layer on the top layer's hidden states, {@code o_t = h_t·W_y + b_y}, for all steps
 * of a window in one GEMM, followed by its head and {@link Loss} (softmax cross-entropy or
 * squared error). Backward: {@code dW_y = Hᵀ·dO}, {@code db_y = Σ_rows dO},
 * {@code ∂L/∂h_t = dO·W_yᵀ} — the derivation's {@code Σ_t h_tᵀ(ŷ_t − y_t)}.
 */
final class OutputLayer {
    final int hidden;
    final int outputs;
    final Parameter wy;
    final Parameter by;
    private final Loss loss;

    /** rows × o: the logits, then ŷ. */
    float[] out = new float[0];
    /** rows × o: ∂L/∂o. */
    private float[] dOut = new float[0];

    OutputLayer(int hidden, int outputs, OutputHead head) {
        this.hidden = hidden;
        this.outputs = outputs;
        this.wy = RecurrentLayer.parameter("W_y", hidden, outputs);
        this.by = RecurrentLayer.parameter("b_y", 1, outputs);
        this.loss = Loss.of(head);
    }

    Loss loss() {
        return loss;
    }

    void ensureWorkspace(int rows) {
        out = RecurrentLayer.grow(out, rows * outputs);
        dOut = RecurrentLayer.grow(dOut, rows * outputs);
    }

    /**
     * The logits of every step of the window, then either the loss and ∂L/∂o (batch with
     * targets) or ŷ alone.
     *
     * @param h <b>in</b> rows × n at {@code hOff}: the top layer's h of the window's steps
     * @return the loss, or NaN without targets
     * @throws NonFiniteException naming the step, sequence and output of the first logit that is
     *                            not finite, or the first loss term that is not
     */
    double forward(Kernels k, float[] h, int hOff, SequenceBatch batch, Window window) {
        int m = batch.batchSize();
        int rows = window.steps() * m;
        k.mult(rows, outputs, hidden, 1f, h, hOff, hidden, wy.value(), 0, outputs, 0f, out, 0, outputs);
        k.addRowVector(rows, outputs, by.value(), 0, out, 0, outputs);
        int bad = k.firstNonFinite(rows * outputs, out, 0);
        if (bad >= 0) {
            int row = bad / outputs;
            throw new NonFiniteException("output o = h·W_y + b_y", window.from() + row / m,
                    "o[b=" + row % m + "][j=" + bad % outputs + "] = " + out[bad] + " (the logits overflowed)");
        }
        if (batch.targets() == null) {
            loss.predict(k, rows, outputs, out);
            return Double.NaN;
        }
        // Each term is checked where it is formed (naming its step); finite float terms summed
        // in double cannot overflow, so the total needs no check of its own.
        return loss.lossAndGradient(k, batch, window, outputs, out, dOut);
    }

    /**
     * The head's gradients, and ∂L/∂h of every step into {@code dh}.
     *
     * @param h  <b>in</b> as given to {@link #forward}
     * @param dh <b>out</b> rows × n
     */
    void backward(Kernels k, float[] h, int hOff, int rows, float[] dh) {
        k.multTransA(hidden, outputs, rows, 1f, h, hOff, hidden, dOut, 0, outputs, 0f, wy.gradient(), 0, outputs);
        Arrays.fill(by.gradient(), 0f);
        k.sumRows(rows, outputs, dOut, 0, outputs, by.gradient(), 0);
        k.multTransB(rows, hidden, outputs, 1f, dOut, 0, outputs, wy.value(), 0, outputs, 0f, dh, 0, hidden);
    }
}
