package org.rnn4j.bench.stability;

/**
 * One JMH result of {@link StabilityThroughputBenchmark}.
 *
 * @param cell       RNN or LSTM
 * @param benchmark  forward, forwardBackward, trainingStep or singleStep
 * @param shape      B x T x D x H it ran at (singleStep: 1x1xDxD)
 * @param nanos      mean time per call, ns
 * @param errorNanos half-width of JMH's 99.9 % confidence interval, ns; NaN when unknown
 * @param samples    measurement samples
 */
public record Timing(String cell, String benchmark, String shape, double nanos, double errorNanos, long samples) {

    /** Time steps of all sequences processed per second: B·T / time. */
    public double sequenceStepsPerSecond() {
        int[] s = ThroughputShape.parse(shape);
        return s[0] * (double) s[1] / (nanos * 1e-9);
    }
}
