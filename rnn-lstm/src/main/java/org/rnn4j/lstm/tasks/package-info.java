/**
 * Seeded, deterministic generators of the long-range synthetic tasks used to probe whether a
 * recurrent model's gradient survives long time lags: {@link org.rnn4j.lstm.tasks.AddingProblem},
 * {@link org.rnn4j.lstm.tasks.CopyMemory}, {@link org.rnn4j.lstm.tasks.TemporalOrder} and
 * {@link org.rnn4j.lstm.tasks.LagRecall}.
 *
 * <p>Each task fills a new time-major {@link org.rnn4j.api.SequenceBatch} from a
 * {@link java.util.SplittableRandom} (or a seed): the same generator state gives the same batch.
 * Each also states {@code baselineLoss()}, the loss of the trivial memoryless predictor in rnn4j's
 * loss convention (see {@link org.rnn4j.api.Targets}: summed over the steps that carry a target,
 * averaged over the batch); a model that does not beat it has learned nothing across the lag.
 */
package org.rnn4j.lstm.tasks;
