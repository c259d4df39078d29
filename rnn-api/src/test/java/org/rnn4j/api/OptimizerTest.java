package org.rnn4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.api.ApiAsserts.rejects;

import java.util.function.DoubleFunction;
import org.junit.jupiter.api.Test;

/** The hyperparameter checks of {@link Optimizer}: rates and ε finite and > 0, decays in [0, 1). */
class OptimizerTest {

    private static final double[] NOT_POSITIVE = {0, -0.0, -1e-3, Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY};
    private static final double[] NOT_UNIT = {-1e-9, 1, 1.5, Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY};

    private static void positive(String name, DoubleFunction<Optimizer> make) {
        for (double v : NOT_POSITIVE) {
            rejects(() -> make.apply(v), name + " must be finite and > 0", "got " + v);
        }
    }

    private static void unit(String name, DoubleFunction<Optimizer> make) {
        for (double v : NOT_UNIT) {
            rejects(() -> make.apply(v), name + " must be in [0, 1)", "got " + v);
        }
    }

    @Test
    void learningRateMustBeFiniteAndPositive() {
        positive("learningRate", Optimizer::sgd);
        positive("learningRate", v -> Optimizer.momentum(v, 0.9));
        positive("learningRate", Optimizer::rmsProp);
        positive("learningRate", Optimizer::adam);
        positive("learningRate", v -> new Optimizer.Momentum(v, 0.9, true));
    }

    @Test
    void decaysMustLieInZeroToOne() {
        unit("momentum", v -> Optimizer.momentum(0.1, v));
        unit("momentum", v -> new Optimizer.Momentum(0.1, v, true));
        unit("decay", v -> new Optimizer.RmsProp(0.1, v, 1e-8));
        unit("beta1", v -> new Optimizer.Adam(0.1, v, 0.999, 1e-8));
        unit("beta2", v -> new Optimizer.Adam(0.1, 0.9, v, 1e-8));
    }

    @Test
    void epsilonMustBeFiniteAndPositive() {
        positive("epsilon", v -> new Optimizer.RmsProp(0.1, 0.99, v));
        positive("epsilon", v -> new Optimizer.Adam(0.1, 0.9, 0.999, v));
    }

    @Test
    void boundaryValuesAreAccepted() {
        assertEquals(Double.MIN_VALUE, Optimizer.sgd(Double.MIN_VALUE).learningRate());
        assertEquals(Double.MAX_VALUE, Optimizer.sgd(Double.MAX_VALUE).learningRate());
        assertEquals(0, ((Optimizer.Momentum) Optimizer.momentum(0.1, 0)).momentum());
        assertEquals(Math.nextDown(1.0), new Optimizer.Adam(0.1, 0, Math.nextDown(1.0), 1e-12).beta2());
        assertEquals(0, new Optimizer.RmsProp(0.1, 0, 1).decay());
    }

    @Test
    void factoriesUsePyTorchDefaults() {
        assertEquals(new Optimizer.Sgd(0.5), Optimizer.sgd(0.5));
        Optimizer.Momentum m = (Optimizer.Momentum) Optimizer.momentum(0.01, 0.9);
        assertEquals(0.01, m.learningRate());
        assertEquals(0.9, m.momentum());
        assertFalse(m.nesterov());
        assertTrue(new Optimizer.Momentum(0.01, 0.9, true).nesterov());
        assertEquals(new Optimizer.RmsProp(0.01, 0.99, 1e-8), Optimizer.rmsProp(0.01));
        assertEquals(new Optimizer.Adam(1e-3, 0.9, 0.999, 1e-8), Optimizer.adam(1e-3));
    }
}
