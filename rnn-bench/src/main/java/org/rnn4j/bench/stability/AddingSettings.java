package org.rnn4j.bench.stability;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The adding-problem training runs of E2 (success against sequence length) and E5 (ρ and σ_max
 * over training). The budget is in training steps, the same for every run, so outcomes compare;
 * {@code timeCapSeconds} only guards the report's wall time (a run cut by it says so).
 *
 * @param lengths        sequence lengths T
 * @param seeds          seeds per (model, T): 0..seeds−1, offset by the report's seed
 * @param models         the models compared
 * @param hidden         hidden units
 * @param batch          sequences per training step (fresh ones every step)
 * @param learningRates  Adam's learning rate per model
 * @param clipNorm       global-norm clipping of the clipped models
 * @param budget         training steps per run at most
 * @param window         success is the mean training loss over this many consecutive steps
 * @param successMse     ... falling below this
 * @param sampleEvery    a {@link TrainingSample} every this many steps
 * @param spectraLength  T of the runs that record ρ and σ_max of W_h (E5), seed offset 0 only
 * @param threads        runs in parallel, one model per thread
 * @param timeCapSeconds wall-time cap of the whole grid (0 = none)
 */
public record AddingSettings(List<Integer> lengths, int seeds, List<ModelKind> models, int hidden, int batch,
                             Map<ModelKind, Double> learningRates, double clipNorm, int budget, int window,
                             double successMse, int sampleEvery, int spectraLength, int threads,
                             long timeCapSeconds) {
    public AddingSettings {
        lengths = List.copyOf(lengths);
        models = List.copyOf(models);
        learningRates = Collections.unmodifiableMap(new EnumMap<>(learningRates)); // model order in the JSON
        for (int t : lengths) {
            if (t < 2) {
                throw new IllegalArgumentException("adding-problem lengths must be >= 2, got " + t);
            }
        }
        for (ModelKind m : models) {
            Double lr = learningRates.get(m);
            if (lr == null || !(lr > 0)) {
                throw new IllegalArgumentException("no positive learning rate for " + m + ": " + lr);
            }
        }
        if (seeds < 1 || hidden < 1 || batch < 1 || budget < 1 || window < 1 || sampleEvery < 1 || threads < 1) {
            throw new IllegalArgumentException("adding settings out of range: seeds " + seeds + ", hidden " + hidden
                    + ", batch " + batch + ", budget " + budget + ", window " + window + ", sampleEvery "
                    + sampleEvery + ", threads " + threads);
        }
    }

    /** Adam's learning rate of {@code model}. */
    public double learningRate(ModelKind model) {
        return learningRates.get(model);
    }
}
