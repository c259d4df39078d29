package org.rnn4j.bench.stability;

/**
 * Eigenvalues of W_hh (complex) of one model, e.g. at initialisation and after training: where
 * they sit against the unit circle says whether the linear part of the recurrence grows or decays.
 *
 * @param label which model and when, e.g. "IRNN after 900 steps"
 * @param re    real parts
 * @param im    imaginary parts, same length
 */
public record EigenPlot(String label, double[] re, double[] im) {
    public EigenPlot {
        if (re == null || im == null || re.length != im.length) {
            throw new IllegalArgumentException("re and im must be non-null and of one length, got "
                    + (re == null ? "null" : re.length) + " and " + (im == null ? "null" : im.length));
        }
    }
}
