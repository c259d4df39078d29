package org.rnn4j.bench.stability;

/**
 * One line of the report's summary: a claim from the issue, whether this run's numbers support
 * it, and the numbers.
 *
 * @param experiment e.g. "E2"
 * @param statement  the claim, e.g. "LSTM solves adding T = 100 within the budget and tanh RNN does not"
 * @param verdict    held, did not hold, or not run
 * @param evidence   the numbers behind the verdict
 */
public record Claim(String experiment, String statement, Verdict verdict, String evidence) {}
