package org.rnn4j.bench.stability;

/**
 * The wall time of one part of the report, and what became of it.
 *
 * @param part    e.g. "throughput", "E2+E5"
 * @param seconds wall time
 * @param status  "ok", or why it did not run (e.g. "not run: E2 ran out of memory")
 */
public record PartTime(String part, double seconds, String status) {}
