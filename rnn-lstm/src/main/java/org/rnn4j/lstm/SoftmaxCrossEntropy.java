package org.rnn4j.lstm;

import java.util.Arrays;
import org.rnn4j.api.NonFiniteException;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.Targets;
import org.rnn4j.api.Window;
import org.rnn4j.simd.Kernels;

/**
 * Softmax cross-entropy against class targets: {@code ŷ_t = softmax(o_t)},
 * {@code L_{t,b} = −log ŷ_{t,b}[y_{t,b}]}, and {@code ∂L/∂o_t = (ŷ_t − onehot(y_t)) / m}. The
 * log-probabilities come from the kernels' log-softmax, not from log(ŷ), so a probability that
 * underflows to 0 still gives a finite loss when its logit is finite.
 */
final class SoftmaxCrossEntropy implements Loss {
    /** rows × o log-probabilities (grow-only). */
    private float[] logProb = new float[0];

    @Override
    public void checkTargets(Targets targets) {
        if (!(targets instanceof Targets.Classes)) {
            throw new IllegalArgumentException("real-valued targets need a LINEAR head (squared error); this model's head is SOFTMAX");
        }
    }

    @Override
    public void predict(Kernels k, int rows, int outputs, float[] out) {
        k.softmaxRows(rows, outputs, out, 0, outputs, out, 0, outputs);
    }

    @Override
    public double lossAndGradient(Kernels k, SequenceBatch batch, Window window, int outputs, float[] out, float[] dOut) {
        Targets.Classes targets = (Targets.Classes) batch.targets();
        int m = batch.batchSize();
        int steps = window.steps();
        int rows = steps * m;
        if (logProb.length < rows * outputs) {
            logProb = new float[rows * outputs];
        }
        k.logSoftmaxRows(rows, outputs, out, 0, outputs, logProb, 0, outputs);
        k.softmaxRows(rows, outputs, out, 0, outputs, out, 0, outputs);
        Arrays.fill(dOut, 0, rows * outputs, 0f);
        float invM = 1f / m;
        Targets.Scope scope = targets.scope();
        int[] classes = targets.classes();
        double loss = 0;
        for (int t = window.lossFrom(); t < window.to(); t++) { // lossFrom ≥ from (Window)
            int rel = t - window.from();
            for (int b = 0; b < m; b++) {
                if (!Loss.counts(batch, scope, t, b)) {
                    continue;
                }
                int y = scope == Targets.Scope.EVERY_STEP ? classes[t * m + b] : classes[b];
                int row = (rel * m + b) * outputs;
                float term = -logProb[row + y];
                if (!Float.isFinite(term)) {
                    throw new NonFiniteException("loss", t, "sequence b=" + b + ": −log ŷ[y=" + y + "] = " + term
                            + " (log-softmax of the logits overflowed)");
                }
                loss += term;
                for (int j = 0; j < outputs; j++) {
                    dOut[row + j] = out[row + j] * invM;
                }
                dOut[row + y] -= invM;
            }
        }
        return loss / m;
    }

    @Override
    public boolean termGradient(SequenceBatch batch, int t, int b, float[] out, int row, int outputs, double[] dOut) {
        Targets.Classes targets = (Targets.Classes) batch.targets();
        if (!Loss.counts(batch, targets.scope(), t, b)) {
            return false;
        }
        int m = batch.batchSize();
        int y = targets.scope() == Targets.Scope.EVERY_STEP ? targets.classes()[t * m + b] : targets.classes()[b];
        for (int j = 0; j < outputs; j++) {
            dOut[j] = (double) out[row + j] / m;   // (ŷ − onehot(y)) / m
        }
        dOut[y] -= 1.0 / m;
        return true;
    }
}
