package org.rnn4j.bench.stability;

import java.util.List;

/**
 * One adding-problem training run of E2 (and E5 when its samples carry spectra).
 *
 * @param model          which model
 * @param length         T
 * @param seed           seed of the weights and of the batches
 * @param learningRate   Adam's learning rate
 * @param budget         step budget
 * @param outcome        how it ended
 * @param stepsToSuccess the step at which the moving-average loss first fell below the threshold; null unless solved
 * @param stepsRun       training steps completed
 * @param finalMeanLoss  the moving-average loss at the end
 * @param nonFinite      the non-finite value's message, null unless {@link Outcome#NON_FINITE}
 * @param seconds        wall time of the run
 * @param samples        the training curve
 */
public record AddingRun(ModelKind model, int length, long seed, double learningRate, int budget, Outcome outcome,
                        Integer stepsToSuccess, long stepsRun, double finalMeanLoss, String nonFinite,
                        double seconds, List<TrainingSample> samples) {}
