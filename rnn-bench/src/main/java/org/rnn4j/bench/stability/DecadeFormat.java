package org.rnn4j.bench.stability;

import java.io.Serial;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.Locale;

/**
 * Tick labels of a log axis: plain numbers between 0.001 and 100,000 ("0.01", "1", "10,000"),
 * powers of ten as "1E-40" outside, so a decade axis reads at a glance (JFreeChart's default
 * prints "3.162E5" for half decades).
 */
final class DecadeFormat extends NumberFormat {
    @Serial
    private static final long serialVersionUID = 1L;

    private static final DecimalFormatSymbols ROOT = DecimalFormatSymbols.getInstance(Locale.ROOT);

    @Override
    public StringBuffer format(double v, StringBuffer to, FieldPosition pos) {
        return to.append(label(v));
    }

    @Override
    public StringBuffer format(long v, StringBuffer to, FieldPosition pos) {
        return to.append(label((double) v));
    }

    @Override
    public Number parse(String source, ParsePosition pos) {
        return new DecimalFormat("0.###E0", ROOT).parse(source, pos);
    }

    /** The label of {@code v}. */
    static String label(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return String.valueOf(v);
        }
        double a = Math.abs(v);
        if (a >= 1e-3 && a <= 1e5) {
            return new DecimalFormat("#,##0.###", ROOT).format(v);
        }
        return new DecimalFormat("0.##E0", ROOT).format(v);
    }
}
