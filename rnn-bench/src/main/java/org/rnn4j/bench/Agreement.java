package org.rnn4j.bench;

/** The pre-timing check of the benchmarks: two implementations must agree on the data. */
final class Agreement {
    private Agreement() {}

    /**
     * Throws {@link IllegalStateException} naming the first element where
     * {@code |expected − actual| > absTol + relTol·|expected|} (NaN never agrees).
     */
    static void check(String what, float[] expected, float[] actual, double absTol, double relTol) {
        if (expected.length != actual.length) {
            throw new IllegalStateException(what + ": lengths differ, " + expected.length + " vs " + actual.length);
        }
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double diff = Math.abs(e - actual[i]);
            if (!(diff <= absTol + relTol * Math.abs(e))) {
                throw new IllegalStateException(String.format(
                        "%s disagrees with the reference at [%d]: %s vs %s (|diff| %.3g > %.3g + %.3g·|ref|)",
                        what, i, actual[i], expected[i], diff, absTol, relTol));
            }
        }
    }
}
