package org.rnn4j.bench.stability;

/**
 * How the throughput part runs JMH: short settings, since the whole report has minutes.
 *
 * @param forks                 JMH forks per benchmark (0 = in this JVM, for tests)
 * @param warmupIterations      warm-up iterations
 * @param warmupTime            one warm-up iteration, JMH syntax (e.g. {@code 1s})
 * @param measurementIterations measurement iterations
 * @param measurementTime       one measurement iteration, JMH syntax
 * @param shape                 B x T x D x H of forward, forward+backward and the training step
 * @param stepSize              D = H of the batch-1 single step
 */
public record ThroughputSettings(int forks, int warmupIterations, String warmupTime, int measurementIterations,
                                 String measurementTime, String shape, int stepSize) {
    public ThroughputSettings {
        ThroughputShape.parse(shape);
        if (forks < 0 || warmupIterations < 0 || measurementIterations < 1 || stepSize < 1) {
            throw new IllegalArgumentException("throughput settings out of range: forks " + forks + ", warm-up "
                    + warmupIterations + ", measurement " + measurementIterations + ", step size " + stepSize);
        }
    }
}
