package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.rnn4j.api.CellKind;
import org.rnn4j.api.Initializer;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.Nonlinearity;
import org.rnn4j.api.RecurrentGradient;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.simd.Activation;
import org.rnn4j.simd.KernelProvider;

/** Models, trajectories and log10 comparisons shared by the Diagnostics* tests. */
final class DiagnosticsModels {
    private DiagnosticsModels() {}

    static RecurrentModel rnn(Nonlinearity phi, Initializer init, int d, int n, int o, int layers, long seed) {
        ModelSpec spec = ModelSpec.builder(d, n, o).cell(CellKind.RNN).activation(phi).init(init).layers(layers)
                .seed(seed).build();
        return Models.create(spec, KernelProvider.get());
    }

    static RecurrentModel lstm(CellKind kind, RecurrentGradient gradient, int d, int n, int o, int layers, long seed) {
        ModelSpec spec = ModelSpec.builder(d, n, o).cell(kind).gradient(gradient).layers(layers).seed(seed).build();
        return Models.create(spec, KernelProvider.get());
    }

    static Activation activation(Nonlinearity phi) {
        return switch (phi) {
            case TANH -> Activation.TANH;
            case SIGMOID -> Activation.SIGMOID;
            case RELU -> Activation.RELU;
        };
    }

    /** The snapshot the diagnostics read (a forward pass is deterministic: the same as theirs). */
    static Trajectory trajectory(RecurrentModel model, SequenceBatch batch) {
        return ((RecurrentNetwork) model).trajectory(batch);
    }

    /** log10 σ_max by EJML's SVD, −∞ for a zero matrix. */
    static double log10Sigma(double[][] a) {
        double s = EjmlOracle.largestSingularValue(a);
        return s == 0 ? Double.NEGATIVE_INFINITY : Math.log10(s);
    }

    /** Two log10 magnitudes agree to {@code tol}; −∞ (an exact zero) must be matched exactly. */
    static void assertLog10(double expected, double actual, double tol, String what) {
        if (expected == Double.NEGATIVE_INFINITY) {
            assertEquals(Double.NEGATIVE_INFINITY, actual, what + ": expected an exact zero (log10 = −∞)");
            return;
        }
        assertTrue(Double.isFinite(actual), what + ": expected log10 " + expected + ", got " + actual);
        assertEquals(expected, actual, tol, what);
    }

    static double maxAbs(double[][] a) {
        double m = 0;
        for (double[] row : a) {
            for (double x : row) {
                m = Math.max(m, Math.abs(x));
            }
        }
        return m;
    }
}
