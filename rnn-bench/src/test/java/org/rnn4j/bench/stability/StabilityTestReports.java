package org.rnn4j.bench.stability;

/** {@link Synthetic}'s report for tests of other packages. */
public final class StabilityTestReports {
    private StabilityTestReports() {}

    /** A synthetic report with every part, the lead's included. */
    public static StabilityReport full() {
        return Synthetic.report(true);
    }
}
