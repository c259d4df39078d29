package org.rnn4j.bench.stability;

/**
 * Where an experiment reports progress, in its own work units (e.g. training steps weighted by
 * their cost), so the terminal can show what runs now and estimate the time left. Experiments
 * call it from their worker threads: implementations must be thread-safe.
 */
@FunctionalInterface
public interface ProgressSink {
    /** Discards everything (tests). */
    ProgressSink NONE = (units, what) -> { };

    /**
     * {@code units} more work units are done; {@code what} says what runs now (null: unchanged).
     */
    void advance(long units, String what);
}
