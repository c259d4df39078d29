package org.rnn4j.bench.stability;

/**
 * The experiments the lead implements: E1 (gradient against lag at initialisation), E4 (the
 * LSTM's ∂C_t/∂C_{t−1}) and the eigenvalues of W_hh. The report calls these and writes "not run"
 * for any that throws {@link UnsupportedOperationException}; their records, charts, Markdown and
 * JSON are already in place ({@link E1Result}, {@link E4Result}, {@link EigenPlot}).
 */
public final class LeadExperiments {
    private LeadExperiments() {}

    /**
     * E1: for each model configuration at initialisation, ‖∂h_T/∂h_k‖₂, ‖∂L_T/∂h_k‖/‖∂L_T/∂h_T‖ and
     * the two bounds, per lag.
     *
     * @param config   the report's configuration (quick or full: size the experiment by it)
     * @param progress for what runs now
     */
    public static E1Result gradientVsLag(StabilityConfig config, ProgressSink progress) {
        throw new UnsupportedOperationException("E1 not wired yet");
    }

    /** E4: the norms of the LSTM's full ∂C_t/∂C_{t−1} and of diag(f_t), before and after training. */
    public static E4Result cellStateJacobian(StabilityConfig config, ProgressSink progress) {
        throw new UnsupportedOperationException("E4 not wired yet");
    }

    /**
     * The eigenvalues of W_hh of the models, e.g. at initialisation and after training.
     *
     * @param e2 the E2 runs, in case the plot wants their settings (null when E2 did not run); the runs keep
     *           no models, so a plot "after training" trains its own
     */
    public static java.util.List<EigenPlot> eigenvalues(StabilityConfig config, AddingResult e2,
                                                        ProgressSink progress) {
        throw new UnsupportedOperationException("eigenvalue plot not wired yet");
    }
}
