package org.rnn4j.bench.stability;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the stability report runs with: its name, default directory, chart size and the
 * settings of each experiment. {@link #full()} fits the report into about 10 minutes on a 2-core
 * machine (the budget comes from measured step costs: see {@link #full()}); {@link #quick()} runs
 * the same code at toy sizes in well under a minute, to check the pipeline.
 *
 * @param name        {@code stability} or {@code stability-quick}
 * @param out         the report directory (default {@code reports/NAME})
 * @param seed        base seed of every experiment
 * @param chartWidth  PNG width, pixels
 * @param chartHeight PNG height, pixels
 * @param throughput  the JMH part
 * @param adding      E2 and E5
 * @param exploding   E3
 */
public record StabilityConfig(String name, String out, long seed, int chartWidth, int chartHeight,
                              ThroughputSettings throughput, AddingSettings adding, ExplodingSettings exploding) {

    /** Learning rate of every E2 model (Adam). */
    static final double E2_LEARNING_RATE = 1e-2;

    /**
     * The full report. E2: H = 64, B = 32, Adam 1e-2 for all four models, clipping 1, budget 2500
     * steps per run. Measured on the 2-core Xeon this was tuned on, one thread per run: a step at
     * T = 100 costs about 2.2 ms (RNN) and 6.7 ms (LSTM); at T = 200 the tanh RNN's step costs
     * about 32 ms, not 4.5 ms, because its vanishing ∂L/∂h_t becomes subnormal floats, which the
     * CPU handles slowly. 36 runs at most 2500 steps on two threads is then about 6 minutes in the
     * worst case (runs that succeed stop early); the 8-minute cap only guards the total. At Adam
     * 1e-2 the LSTM solved T = 100 in about 800 steps and T = 200 in about 2250 (1e-3, the
     * issue's calibration, needs about 3500 at T = 100, beyond any affordable budget).
     */
    public static StabilityConfig full() {
        return new StabilityConfig("stability", "reports/stability", 0, 900, 560,
                new ThroughputSettings(1, 2, "1s", 3, "1s", "32x100x64x128", 128),
                new AddingSettings(List.of(50, 100, 200), 3, List.of(ModelKind.values()), 64, 32,
                        sameRate(E2_LEARNING_RATE), 1, 2500, 20, 0.01, 25, 100, 2, 480),
                new ExplodingSettings(100, 32, 16, 0.1, List.of(1.5, 2.0, 3.0), 1, 300, 10));
    }

    /** The smoke run: every part at toy sizes, writes {@code reports/stability-quick}. */
    public static StabilityConfig quick() {
        return new StabilityConfig("stability-quick", "reports/stability-quick", 0, 900, 560,
                new ThroughputSettings(1, 1, "200ms", 1, "200ms", "4x10x8x16", 16),
                new AddingSettings(List.of(10, 20), 1, List.of(ModelKind.values()), 8, 8,
                        sameRate(E2_LEARNING_RATE), 1, 60, 10, 0.01, 5, 20, 2, 30),
                new ExplodingSettings(20, 8, 4, 0.5, List.of(3.0), 1, 30, 10));
    }

    /** The same configuration with another seed and directory. */
    public StabilityConfig with(long seed, String out) {
        return new StabilityConfig(name, out, seed, chartWidth, chartHeight, throughput, adding, exploding);
    }

    static Map<ModelKind, Double> sameRate(double lr) {
        Map<ModelKind, Double> m = new EnumMap<>(ModelKind.class);
        for (ModelKind k : ModelKind.values()) {
            m.put(k, lr);
        }
        return m;
    }
}
