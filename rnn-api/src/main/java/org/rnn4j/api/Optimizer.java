package org.rnn4j.api;

/**
 * The update rule of a training step, as hyperparameters (the state — momentum, second moments —
 * lives in the trainer). Create with the static factories.
 */
public sealed interface Optimizer permits Optimizer.Sgd, Optimizer.Momentum, Optimizer.RmsProp, Optimizer.Adam {

    /** Learning rate. */
    double learningRate();

    /** θ ← θ − lr·g. */
    record Sgd(double learningRate) implements Optimizer {
        public Sgd {
            positive("learningRate", learningRate);
        }
    }

    /** v ← μ·v + g; θ ← θ − lr·v (Nesterov: θ ← θ − lr·(g + μ·v)), as PyTorch's SGD. */
    record Momentum(double learningRate, double momentum, boolean nesterov) implements Optimizer {
        public Momentum {
            positive("learningRate", learningRate);
            unit("momentum", momentum);
        }
    }

    /** s ← ρ·s + (1 − ρ)·g²; θ ← θ − lr·g / (√s + ε), as PyTorch's RMSprop. */
    record RmsProp(double learningRate, double decay, double epsilon) implements Optimizer {
        public RmsProp {
            positive("learningRate", learningRate);
            unit("decay", decay);
            positive("epsilon", epsilon);
        }
    }

    /** Adam (Kingma and Ba 2015) with bias correction, as PyTorch's Adam. */
    record Adam(double learningRate, double beta1, double beta2, double epsilon) implements Optimizer {
        public Adam {
            positive("learningRate", learningRate);
            unit("beta1", beta1);
            unit("beta2", beta2);
            positive("epsilon", epsilon);
        }
    }

    static Optimizer sgd(double learningRate) {
        return new Sgd(learningRate);
    }

    static Optimizer momentum(double learningRate, double momentum) {
        return new Momentum(learningRate, momentum, false);
    }

    static Optimizer rmsProp(double learningRate) {
        return new RmsProp(learningRate, 0.99, 1e-8);
    }

    static Optimizer adam(double learningRate) {
        return new Adam(learningRate, 0.9, 0.999, 1e-8);
    }

    private static void positive(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be finite and > 0, got " + v);
        }
    }

    private static void unit(String name, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + v);
        }
    }
}
