package org.rnn4j.bench.stability;

import java.util.List;

/**
 * E1, the gradient against the lag at initialisation: one {@link LagCurve} per model configuration.
 *
 * @param steps  T, the length of the sequences
 * @param hidden n, hidden units
 * @param curves one per configuration
 */
public record E1Result(int steps, int hidden, List<LagCurve> curves) {}
