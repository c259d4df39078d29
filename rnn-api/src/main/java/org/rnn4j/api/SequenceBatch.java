package org.rnn4j.api;

/**
 * A minibatch of sequences, time-major like PyTorch's {@code batch_first=False}: the input of
 * sequence b at step t is {@code inputs[(t·batchSize + b)·inputSize + j]}, so one time step is a
 * contiguous {@code batchSize × inputSize} matrix and all steps together one
 * {@code (steps·batchSize) × inputSize} matrix.
 *
 * <p>The arrays are used as they are (not copied): a training loop may refill them and reuse the
 * batch. The model runs the checks of {@link #validate(int, int)} before every pass (the scan of
 * the inputs for NaN and ±∞ on its own kernels, see {@link #validateExceptInputValues}).
 *
 * @param steps     T ≥ 1
 * @param batchSize m ≥ 1
 * @param inputSize d ≥ 1
 * @param inputs    T·m·d values, time-major
 * @param targets   the targets, or null for inference only
 * @param lengths   per-sequence lengths in [1, T], or null when every sequence has T steps.
 *                  PyTorch's packed-sequence semantics without repacking: at steps t ≥
 *                  length(b) sequence b's state is frozen (h_t = h_{t−1}, likewise c), so its
 *                  final state is the state after step length(b) − 1, those steps contribute
 *                  nothing to the loss and nothing to the gradients, and its outputs there
 *                  merely repeat the last step's (they mean nothing). The cell still runs on
 *                  those rows (the rows are not moved), so a batch costs the same whatever its
 *                  lengths
 */
public record SequenceBatch(int steps, int batchSize, int inputSize, float[] inputs, Targets targets,
                            int[] lengths) {

    public SequenceBatch {
        if (steps < 1 || batchSize < 1 || inputSize < 1) {
            throw new IllegalArgumentException("steps, batchSize and inputSize must be >= 1, got T="
                    + steps + ", m=" + batchSize + ", d=" + inputSize);
        }
        if (inputs == null) {
            throw new IllegalArgumentException("inputs is null");
        }
        long need = (long) steps * batchSize * inputSize;
        if (inputs.length != need) {
            throw new IllegalArgumentException("inputs has " + inputs.length + " values, expected T·m·d = "
                    + steps + "·" + batchSize + "·" + inputSize + " = " + need);
        }
        if (lengths != null && lengths.length != batchSize) {
            throw new IllegalArgumentException("lengths has " + lengths.length + " entries, expected one per sequence ("
                    + batchSize + ")");
        }
    }

    /** A batch whose sequences all have {@code steps} steps. */
    public static SequenceBatch of(int steps, int batchSize, int inputSize, float[] inputs, Targets targets) {
        return new SequenceBatch(steps, batchSize, inputSize, inputs, targets, null);
    }

    /** The same batch with per-sequence lengths. */
    public SequenceBatch withLengths(int[] lengths) {
        return new SequenceBatch(steps, batchSize, inputSize, inputs, targets, lengths);
    }

    /** The same inputs with other targets. */
    public SequenceBatch withTargets(Targets targets) {
        return new SequenceBatch(steps, batchSize, inputSize, inputs, targets, lengths);
    }

    /** Length of sequence {@code b}: {@code lengths[b]}, or T. */
    public int length(int b) {
        return lengths == null ? steps : lengths[b];
    }

    /**
     * Checks the batch against a model: input width, lengths in [1, T], every input finite, and
     * targets of the right count, range and kind.
     *
     * @throws IllegalArgumentException naming the offending value and where it is (step, sequence)
     */
    public void validate(int expectedInputSize, int outputSize) {
        checkShape(expectedInputSize);
        checkInputValues();
        checkTargets(outputSize);
    }

    /**
     * {@link #validate(int, int)} without the scan of every input for NaN and ±∞, for a caller
     * that scans them faster itself (a model, with its vector kernels) and calls
     * {@link #validate(int, int)} for the message when it finds one.
     *
     * @throws IllegalArgumentException as {@link #validate(int, int)}, except for non-finite inputs
     */
    public void validateExceptInputValues(int expectedInputSize, int outputSize) {
        checkShape(expectedInputSize);
        checkTargets(outputSize);
    }

    private void checkShape(int expectedInputSize) {
        if (inputSize != expectedInputSize) {
            throw new IllegalArgumentException("batch inputSize is " + inputSize + ", the model expects "
                    + expectedInputSize);
        }
        if (lengths != null) {
            for (int b = 0; b < batchSize; b++) {
                if (lengths[b] < 1 || lengths[b] > steps) {
                    throw new IllegalArgumentException("lengths[" + b + "] = " + lengths[b] + " is outside [1, T="
                            + steps + "]");
                }
            }
        }
    }

    private void checkInputValues() {
        for (int i = 0; i < inputs.length; i++) {
            if (!Float.isFinite(inputs[i])) {
                int t = i / (batchSize * inputSize);
                int b = (i / inputSize) % batchSize;
                throw new IllegalArgumentException("input at step t=" + t + ", sequence b=" + b + ", feature j="
                        + (i % inputSize) + " is " + inputs[i]);
            }
        }
    }

    private void checkTargets(int outputSize) {
        if (targets == null) {
            return;
        }
        int perScope = targets.scope() == Targets.Scope.EVERY_STEP ? steps * batchSize : batchSize;
        switch (targets) {
            case Targets.Classes c -> {
                if (c.classes().length != perScope) {
                    throw new IllegalArgumentException("targets have " + c.classes().length + " classes, expected "
                            + perScope + " (" + c.scope() + ")");
                }
                for (int i = 0; i < perScope; i++) {
                    int y = c.classes()[i];
                    if (y < 0 || y >= outputSize) {
                        throw new IllegalArgumentException("target class " + y + " at " + where(c.scope(), i)
                                + " is outside [0, " + outputSize + ")");
                    }
                }
            }
            case Targets.Reals r -> {
                if (r.width() != outputSize) {
                    throw new IllegalArgumentException("real targets have width " + r.width() + ", the model outputs "
                            + outputSize);
                }
                if (r.values().length != (long) perScope * r.width()) {
                    throw new IllegalArgumentException("real targets have " + r.values().length + " values, expected "
                            + perScope + "·" + r.width() + " (" + r.scope() + ")");
                }
                for (int i = 0; i < r.values().length; i++) {
                    if (!Float.isFinite(r.values()[i])) {
                        throw new IllegalArgumentException("target value at " + where(r.scope(), i / r.width())
                                + ", component " + (i % r.width()) + " is " + r.values()[i]);
                    }
                }
            }
        }
    }

    private String where(Targets.Scope scope, int i) {
        return scope == Targets.Scope.EVERY_STEP
                ? "step t=" + (i / batchSize) + ", sequence b=" + (i % batchSize)
                : "sequence b=" + i;
    }
}
