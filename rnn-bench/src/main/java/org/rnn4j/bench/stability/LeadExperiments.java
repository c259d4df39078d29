package org.rnn4j.bench.stability;

import java.util.ArrayList;
import java.util.List;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.diagnostics.CellStateProfile;
import org.rnn4j.api.diagnostics.GradientDiagnostics;
import org.rnn4j.api.diagnostics.Spectrum;
import org.rnn4j.lstm.Diagnostics;
import org.rnn4j.lstm.Models;
import org.rnn4j.lstm.tasks.AddingProblem;
import org.rnn4j.simd.KernelProvider;

/**
 * The experiments built on the gradient diagnostics ({@code org.rnn4j.lstm.Diagnostics}): E1
 * (gradient against lag at initialisation, {@link GradientVsLag}), E4 (the LSTM's ∂C_t/∂C_{t−1}
 * before and after training) and the eigenvalues of W_hh before and after training.
 */
public final class LeadExperiments {
    private LeadExperiments() {}

    /** Sizes of E1 and E4: the T = 100, n = 128 for the full report, toy sizes for the quick one. */
    record Sizes(int e1Steps, int e1Hidden, int e1Sequences, int e4Sequences, int eigenBudget) {
        static Sizes of(StabilityConfig c) {
            return c.name().endsWith("quick") ? new Sizes(20, 16, 2, 2, 60) : new Sizes(100, 128, 4, 8, 1000);
        }
    }

    /** Progress units of E1: one per configuration. */
    static long e1Units(StabilityConfig c) {
        return GradientVsLag.configs(1, 0).size();
    }

    /** Progress units of E4: one per sequence, before and after training. */
    static long e4Units(StabilityConfig c) {
        return 2L * Sizes.of(c).e4Sequences();
    }

    /** Progress units of the eigenvalue plot: one per model. */
    static final long EIGEN_UNITS = 2;

    /**
     * E1: for each model configuration at initialisation, ‖∂h_T/∂h_k‖₂, ‖∂L_T/∂h_k‖/‖∂L_T/∂h_T‖ and
     * the two bounds, per lag (see {@link GradientVsLag}).
     */
    public static E1Result gradientVsLag(StabilityConfig config, ProgressSink progress) {
        Sizes s = Sizes.of(config);
        return GradientVsLag.run(s.e1Steps(), s.e1Hidden(), s.e1Sequences(), config.seed(), progress);
    }

    /**
     * E4: the norms of the LSTM's full ∂C_t/∂C_{t−1} (the derivation's four terms) and of diag(f_t)
     * at every step of {@code e4Sequences} adding-problem sequences of E5's length, at
     * initialisation and after training the LSTM of E2 on that task (until E2's success threshold
     * or its budget).
     */
    public static E4Result cellStateJacobian(StabilityConfig config, ProgressSink progress) {
        Sizes sizes = Sizes.of(config);
        AddingSettings s = config.adding();
        int t = s.spectraLength();
        SequenceBatch probe = new AddingProblem(t).batch(sizes.e4Sequences(), config.seed() + 99);
        RecurrentModel fresh = Models.create(ModelKind.LSTM.spec(s.hidden(), config.seed()), KernelProvider.get());
        double[][] before = stepNorms(fresh, probe, progress, "E4: ∂C_t/∂C_{t−1} at initialisation");
        AddingTrainer trained = AddingTrainer.train(ModelKind.LSTM, t, config.seed(), s, s.budget(), progress);
        double[][] after = stepNorms(trained.model(), probe, progress, "E4: ∂C_t/∂C_{t−1} after training");
        return new E4Result("adding T = " + t + " (final moving-mean MSE " + String.format("%.4f", trained.meanLoss()) + ")",
                trained.steps(), before[0], before[1], after[0], after[1]);
    }

    /** [0]: log10 ‖D_j‖ and [1]: log10 ‖diag(f_j)‖ for every step j and sequence of the batch. */
    private static double[][] stepNorms(RecurrentModel model, SequenceBatch batch, ProgressSink progress, String what) {
        GradientDiagnostics d = Diagnostics.of(model, batch);
        int t = batch.steps();
        int m = batch.batchSize();
        double[] full = new double[t * m];
        double[] forget = new double[t * m];
        for (int b = 0; b < m; b++) {
            CellStateProfile p = d.cellState(0, b, t);
            for (int j = 1; j <= t; j++) {
                full[b * t + j - 1] = p.stepFull()[j];
                forget[b * t + j - 1] = p.stepForget()[j];
            }
            progress.advance(1, what);
        }
        return new double[][] {full, forget};
    }

    /**
     * The eigenvalues of W_hh of the tanh RNN and the IRNN of E2 at initialisation and after
     * training them on the adding problem of E5's length (up to {@code eigenBudget} steps).
     *
     * @param e2 unused: E2 does not keep its models; these are trained again with E2's settings
     */
    public static List<EigenPlot> eigenvalues(StabilityConfig config, AddingResult e2, ProgressSink progress) {
        Sizes sizes = Sizes.of(config);
        AddingSettings s = config.adding();
        int t = s.spectraLength();
        List<EigenPlot> out = new ArrayList<>();
        for (ModelKind kind : new ModelKind[] {ModelKind.TANH, ModelKind.IRNN}) {
            RecurrentModel fresh = Models.create(kind.spec(s.hidden(), config.seed()), KernelProvider.get());
            out.add(plot(kind.label() + " at initialisation", fresh, s.hidden()));
            AddingTrainer trained = AddingTrainer.train(kind, t, config.seed(), s, Math.min(s.budget(), sizes.eigenBudget()), progress);
            out.add(plot(kind.label() + " after " + trained.steps() + " steps on adding T = " + t, trained.model(), s.hidden()));
            progress.advance(1, "eigenvalues of " + kind.label());
        }
        return List.copyOf(out);
    }

    private static EigenPlot plot(String label, RecurrentModel model, int n) {
        Spectrum s = org.rnn4j.lstm.Eigenvalues.of(model.parameter("layer0.W_h").value(), 0, n, n);
        return new EigenPlot(label, s.re(), s.im());
    }
}
