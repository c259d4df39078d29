package org.rnn4j.lstm;

import java.util.Arrays;
import org.rnn4j.api.NonFiniteException;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.Targets;
import org.rnn4j.api.Window;
import org.rnn4j.simd.Kernels;

/**
 * Squared error against real-valued targets with a linear head: {@code ŷ_t = o_t},
 * {@code L_{t,b} = Σ_j (o_{t,b,j} − y_{t,b,j})²}, {@code ∂L/∂o_t = 2·(o_t − y_t) / m}. The
 * differences are summed in double.
 */
final class SquaredError implements Loss {

    @Override
    public void checkTargets(Targets targets) {
        if (!(targets instanceof Targets.Reals)) {
            throw new IllegalArgumentException("class targets need a SOFTMAX head (cross-entropy); this model's head is LINEAR");
        }
    }

    @Override
    public void predict(Kernels k, int rows, int outputs, float[] out) {
        // ŷ = o: nothing to do.
    }

    @Override
    public double lossAndGradient(Kernels k, SequenceBatch batch, Window window, int outputs, float[] out, float[] dOut) {
        Targets.Reals targets = (Targets.Reals) batch.targets();
        int m = batch.batchSize();
        int rows = window.steps() * m;
        Arrays.fill(dOut, 0, rows * outputs, 0f);
        float invM = 1f / m;
        Targets.Scope scope = targets.scope();
        float[] values = targets.values();
        double loss = 0;
        for (int t = window.lossFrom(); t < window.to(); t++) { // lossFrom ≥ from (Window)
            int rel = t - window.from();
            for (int b = 0; b < m; b++) {
                if (!Loss.counts(batch, scope, t, b)) {
                    continue;
                }
                int target = (scope == Targets.Scope.EVERY_STEP ? t * m + b : b) * outputs;
                int row = (rel * m + b) * outputs;
                for (int j = 0; j < outputs; j++) {
                    float diff = out[row + j] - values[target + j];
                    if (!Float.isFinite(diff)) {
                        throw new NonFiniteException("loss", t, "sequence b=" + b + ", output j=" + j + ": o − y = "
                                + out[row + j] + " − " + values[target + j] + " overflowed");
                    }
                    loss += (double) diff * diff;
                    dOut[row + j] = 2f * diff * invM; // ∂/∂o of Σ diff² / m
                }
            }
        }
        return loss / m;
    }

    @Override
    public boolean termGradient(SequenceBatch batch, int t, int b, float[] out, int row, int outputs, double[] dOut) {
        Targets.Reals targets = (Targets.Reals) batch.targets();
        if (!Loss.counts(batch, targets.scope(), t, b)) {
            return false;
        }
        int m = batch.batchSize();
        int target = (targets.scope() == Targets.Scope.EVERY_STEP ? t * m + b : b) * outputs;
        for (int j = 0; j < outputs; j++) {
            dOut[j] = 2.0 * ((double) out[row + j] - targets.values()[target + j]) / m;   // ∂/∂o of Σ diff² / m
        }
        return true;
    }
}
