package org.rnn4j.bench.stability;

import java.util.Comparator;
import java.util.List;

/**
 * E2 and E5: every adding-problem run and the settings they ran with.
 *
 * @param settings       what every run shared
 * @param baselineMse    the loss of always predicting the mean (1/6)
 * @param stepCosts      wall time per training step of each model and length, measured before the grid
 * @param runs           every run
 */
public record AddingResult(AddingSettings settings, double baselineMse, List<StepCost> stepCosts,
                           List<AddingRun> runs) {

    /** The runs of {@code model} at length {@code t}, in seed order. */
    public List<AddingRun> runs(ModelKind model, int t) {
        return runs.stream().filter(r -> r.model() == model && r.length() == t)
                .sorted(Comparator.comparingLong(AddingRun::seed)).toList();
    }

    /** The measured seconds per step of {@code model} at length {@code t}, NaN when not measured. */
    public double secondsPerStep(ModelKind model, int t) {
        for (StepCost c : stepCosts) {
            if (c.model() == model && c.length() == t) {
                return c.secondsPerStep();
            }
        }
        return Double.NaN;
    }

    /** The E5 runs: those whose samples carry ρ, in model order. */
    public List<AddingRun> spectraRuns() {
        return runs.stream().filter(r -> !r.samples().isEmpty() && r.samples().getFirst().rho() != null)
                .sorted(Comparator.comparing(AddingRun::model)).toList();
    }
}
