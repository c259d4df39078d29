package org.rnn4j.api;

/**
 * A time range of a pass: steps {@code [from, to)} of a batch, with loss terms counted only at
 * steps {@code ≥ lossFrom}. This is the unit of truncated BPTT (Williams and Peng's BPTT(k2; k1)):
 * a window backpropagates through its own steps only, and its first {@code lossFrom − from} steps
 * only rebuild the state and the gradient path.
 *
 * <p>Where the state at {@code from} comes from: for {@code from = 0}, the model's initial state
 * ({@link RecurrentModel#setInitialState}); otherwise the state after step {@code from − 1} of the
 * previous pass over the same batch, which must have run through it or have started at
 * {@code from} itself (so a window can be repeated, e.g. for finite differences). That state is
 * carried in as a constant: no gradient flows back past {@code from}.
 *
 * @param from     first step, ≥ 0
 * @param to       one past the last step, &gt; from (and ≤ T of the batch, checked by the pass)
 * @param lossFrom first step whose loss counts, in [from, to]
 */
public record Window(int from, int to, int lossFrom) {

    public Window {
        if (from < 0 || to <= from || lossFrom < from || lossFrom > to) {
            throw new IllegalArgumentException("a window needs 0 <= from < to and from <= lossFrom <= to, got from="
                    + from + ", to=" + to + ", lossFrom=" + lossFrom);
        }
    }

    /** All T steps of a batch, every loss term counted: an ordinary pass. */
    public static Window all(int steps) {
        return new Window(0, steps, 0);
    }

    /** Number of steps, {@code to − from}. */
    public int steps() {
        return to - from;
    }
}
