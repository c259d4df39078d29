package org.rnn4j.bench.stability;

/**
 * The mean of the last {@code window} values of a series (fewer at its start): E2's success test.
 * The training loss of a step is measured on a fresh batch before the update, so its moving mean
 * is a held-out estimate without the cost of a separate evaluation pass.
 */
public final class MovingMean {
    private final double[] ring;
    private int count;
    private double sum;

    /** @throws IllegalArgumentException when window &lt; 1 */
    public MovingMean(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1, got " + window);
        }
        ring = new double[window];
    }

    /** Adds {@code v} and returns the mean of the last min(count, window) values. */
    public double add(double v) {
        int i = count % ring.length;
        if (count >= ring.length) {
            sum -= ring[i];
        }
        ring[i] = v;
        sum += v;
        count++;
        return mean();
    }

    /** The current mean (NaN before the first value). */
    public double mean() {
        return count == 0 ? Double.NaN : sum / Math.min(count, ring.length);
    }

    /** Whether a full window has been seen. */
    public boolean full() {
        return count >= ring.length;
    }

    /**
     * The 1-based step at which the mean of a full window of {@code losses} first falls below
     * {@code threshold}, or −1 when it never does.
     */
    public static int firstBelow(double[] losses, int window, double threshold) {
        MovingMean m = new MovingMean(window);
        for (int i = 0; i < losses.length; i++) {
            double mean = m.add(losses[i]);
            if (m.full() && mean < threshold) {
                return i + 1;
            }
        }
        return -1;
    }
}
