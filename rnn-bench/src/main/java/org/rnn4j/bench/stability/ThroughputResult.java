package org.rnn4j.bench.stability;

import java.util.List;

/**
 * The throughput part: every timing, and how JMH ran.
 *
 * @param settings the JMH settings and shapes
 * @param timings  one per cell and benchmark
 */
public record ThroughputResult(ThroughputSettings settings, List<Timing> timings) {

    /** The timing of {@code cell} and {@code benchmark}, or null when it did not run. */
    public Timing find(String cell, String benchmark) {
        for (Timing t : timings) {
            if (t.cell().equals(cell) && t.benchmark().equals(benchmark)) {
                return t;
            }
        }
        return null;
    }
}
