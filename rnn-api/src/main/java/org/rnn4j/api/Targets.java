package org.rnn4j.api;

/**
 * What the model should output, and so which loss it is trained with:
 * {@link Classes} → softmax cross-entropy (needs {@link OutputHead#SOFTMAX}),
 * {@link Reals} → squared error (needs {@link OutputHead#LINEAR}).
 *
 * <p>Losses are summed over the time steps that count and averaged over the sequences of the
 * batch: {@code L = (1/m) Σ_b Σ_t L_{t,b}} — the seed's {@code L = Σ_t L_t} per sequence. Steps at or
 * beyond a sequence's length (see {@link SequenceBatch#lengths()}) never count.
 */
public sealed interface Targets permits Targets.Classes, Targets.Reals {

    /** Which time steps carry a target. */
    enum Scope {
        /** A target at every step t (below the sequence's length): time-major, T·m entries. */
        EVERY_STEP,
        /** One target per sequence, at its last step (length − 1): m entries. */
        LAST_STEP
    }

    /** Where the targets sit in time. */
    Scope scope();

    /**
     * Class indices for softmax cross-entropy, {@code L_{t,b} = −log ŷ_{t,b}[y_{t,b}]}.
     *
     * @param classes time-major {@code [t·m + b]} for {@link Scope#EVERY_STEP}, {@code [b]} for
     *                {@link Scope#LAST_STEP}; each in [0, outputSize)
     */
    record Classes(int[] classes, Scope scope) implements Targets {
        public Classes {
            if (classes == null || scope == null) {
                throw new IllegalArgumentException("classes and scope must not be null");
            }
        }
    }

    /**
     * Real-valued targets for squared error, {@code L_{t,b} = Σ_j (o_{t,b,j} − y_{t,b,j})²}.
     *
     * @param values time-major {@code [(t·m + b)·width + j]} ({@link Scope#EVERY_STEP}) or
     *               {@code [b·width + j]} ({@link Scope#LAST_STEP})
     * @param width  values per target, must equal the model's output size
     */
    record Reals(float[] values, int width, Scope scope) implements Targets {
        public Reals {
            if (values == null || scope == null) {
                throw new IllegalArgumentException("values and scope must not be null");
            }
            if (width < 1) {
                throw new IllegalArgumentException("width must be >= 1, got " + width);
            }
        }
    }

    /** A class at every step (time-major {@code [t·m + b]}). */
    static Targets classesEveryStep(int[] classes) {
        return new Classes(classes, Scope.EVERY_STEP);
    }

    /** One class per sequence, at its last step. */
    static Targets classesAtLastStep(int[] classes) {
        return new Classes(classes, Scope.LAST_STEP);
    }

    /** A real vector of {@code width} at every step. */
    static Targets realsEveryStep(float[] values, int width) {
        return new Reals(values, width, Scope.EVERY_STEP);
    }

    /** One real vector of {@code width} per sequence, at its last step. */
    static Targets realsAtLastStep(float[] values, int width) {
        return new Reals(values, width, Scope.LAST_STEP);
    }
}
