package org.rnn4j.bench.stability;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the stability report runs with: its name, default directory, chart size and the
 * settings of each experiment. {@link #full()} fits the report into about 8 minutes on a 2-core
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

    /** Adam's learning rate of the LSTM in E2. */
    static final double E2_LSTM_LEARNING_RATE = 1e-2;
    /** Adam's learning rate of the RNNs in E2: the calibration. */
    static final double E2_RNN_LEARNING_RATE = 1e-3;

    /**
     * The full report. E2: H = 64, B = 16, Adam 1e-2 for the LSTM and the 1e-3 for the
     * three RNNs, clipping at 1 for all but the plain tanh RNN, budget 4000 steps per run. Chosen
     * from step costs measured on the 2-core Xeon this was tuned on (one thread per run, B = 16):
     * about 1.1 ms (RNN) and 4.1 ms (LSTM) at T = 100; at T = 200 the LSTM's step costs 6.9 ms
     * and the tanh RNN's up to 16 ms, not ~2 ms, because its vanishing ∂L/∂h_t underflows through
     * the subnormal floats (the CPU's slow path). A first full run with 3 seeds took 4 min 22 s
     * for the 36 runs on two threads (runs that succeed stop early) and 5 min 9 s in all; 5 seeds
     * (60 runs) make the "k of n seeds solved" claims firmer: 7 min 7 s for the grid and 7 min
     * 54 s in all, measured; the 10-minute cap on the grid only guards the total.
     * With Adam 1e-2 the LSTM reached the threshold at T = 100 in ~1150 steps and at T = 200 in
     * ~2470 in a trial (1e-3 needs ~3500 at T = 100 by the issue); B = 32
     * learned in slightly fewer steps but cost twice as much per step. The RNNs keep 1e-3: with
     * 1e-2 the IRNN's first Adam steps moved every entry of W_hh = I by ~0.01, ρ rose far above 1
     * and its gradient overflowed within two steps, and the tanh RNN's ρ(W_hh) grew to ~7
     * (saturated tanh), in trials.
     */
    public static StabilityConfig full() {
        return new StabilityConfig("stability", "reports/stability", 0, 900, 560,
                new ThroughputSettings(1, 2, "1s", 3, "1s", "32x100x64x128", 128),
                new AddingSettings(List.of(50, 100, 200), 5, List.of(ModelKind.values()), 64, 16,
                        learningRates(), 1, 4000, 20, 0.01, 25, 100, 2, 600),
                new ExplodingSettings(100, 32, 16, 0.1, List.of(1.5, 2.0, 3.0), 1, 300, 10));
    }

    /** The smoke run: every part at toy sizes, writes {@code reports/stability-quick}. */
    public static StabilityConfig quick() {
        return new StabilityConfig("stability-quick", "reports/stability-quick", 0, 900, 560,
                new ThroughputSettings(1, 1, "200ms", 1, "200ms", "4x10x8x16", 16),
                new AddingSettings(List.of(10, 20), 1, List.of(ModelKind.values()), 8, 8,
                        learningRates(), 1, 60, 10, 0.01, 5, 20, 2, 30),
                new ExplodingSettings(20, 8, 4, 0.5, List.of(3.0), 1, 30, 10));
    }

    /** The same configuration with another seed and directory. */
    public StabilityConfig with(long seed, String out) {
        return new StabilityConfig(name, out, seed, chartWidth, chartHeight, throughput, adding, exploding);
    }

    /** E2's learning rates: {@link #E2_RNN_LEARNING_RATE}, the LSTM's {@link #E2_LSTM_LEARNING_RATE}. */
    static Map<ModelKind, Double> learningRates() {
        Map<ModelKind, Double> m = sameRate(E2_RNN_LEARNING_RATE);
        m.put(ModelKind.LSTM, E2_LSTM_LEARNING_RATE);
        return m;
    }

    static Map<ModelKind, Double> sameRate(double lr) {
        Map<ModelKind, Double> m = new EnumMap<>(ModelKind.class);
        for (ModelKind k : ModelKind.values()) {
            m.put(k, lr);
        }
        return m;
    }
}
