package org.rnn4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rnn4j.api.ApiAsserts.rejects;

import java.util.function.DoubleFunction;
import org.junit.jupiter.api.Test;

/** The limits of {@link Clipping}: each finite and ≥ 0, the rejection naming the limit and the value. */
class ClippingTest {

    private static final double[] BAD = {-1, -1e-300, -Double.MAX_VALUE, Double.NaN,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};

    /** Each limit alone set to a bad value, the others valid (so the message must be about this one). */
    @Test
    void eachLimitRejectsNegativeNaNAndInfinity() {
        check("maxGlobalNorm", v -> new Clipping(v, 1, 1));
        check("maxValue", v -> new Clipping(1, v, 1));
        check("maxHiddenGradNorm", v -> new Clipping(1, 1, v));
        check("maxGlobalNorm", Clipping::globalNorm);
    }

    private static void check(String name, DoubleFunction<Clipping> make) {
        for (double v : BAD) {
            rejects(() -> make.apply(v), name + " must be finite and >= 0", "got " + v);
        }
    }

    @Test
    void zeroAndPositiveFiniteLimitsAreAccepted() {
        Clipping c = new Clipping(0, 2.5, Double.MAX_VALUE);
        assertEquals(0, c.maxGlobalNorm());
        assertEquals(2.5, c.maxValue());
        assertEquals(Double.MAX_VALUE, c.maxHiddenGradNorm());
        assertEquals(Double.MIN_VALUE, new Clipping(Double.MIN_VALUE, 0, 0).maxGlobalNorm());
    }

    @Test
    void noneTurnsEverythingOff() {
        assertEquals(new Clipping(0, 0, 0), Clipping.none());
    }

    @Test
    void globalNormSetsOnlyTheGlobalLimit() {
        Clipping c = Clipping.globalNorm(5);
        assertEquals(5, c.maxGlobalNorm());
        assertEquals(0, c.maxValue());
        assertEquals(0, c.maxHiddenGradNorm());
        assertEquals(Clipping.none(), Clipping.globalNorm(0));
    }
}
