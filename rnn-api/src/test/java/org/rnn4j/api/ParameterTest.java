package org.rnn4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.rnn4j.api.ApiAsserts.rejects;

import org.junit.jupiter.api.Test;

/** The shape checks of {@link Parameter}. */
class ParameterTest {

    @Test
    void arraysMustHoldRowsTimesCols() {
        rejects(() -> new Parameter("layer0.W_x", 2, 3, new float[5], new float[6]), "parameter layer0.W_x", "2x3");
        rejects(() -> new Parameter("b_y", 1, 4, new float[4], new float[3]), "parameter b_y", "1x4");
        rejects(() -> new Parameter("W_y", 3, 7, new float[22], new float[22]), "3x7");
    }

    @Test
    void negativeDimensionsAreRejected() {
        // (−1)·(−1) = 1 and (−2)·3 = −6 must not pass for a matching or empty array
        rejects(() -> new Parameter("p", -1, -1, new float[1], new float[1]), "parameter p", "-1x-1");
        rejects(() -> new Parameter("p", -2, 3, new float[0], new float[0]), "-2x3");
        rejects(() -> new Parameter("p", 3, -1, new float[0], new float[0]), "3x-1");
    }

    @Test
    void rowsTimesColsDoesNotWrapAround() {
        // 65536·65536 is 0 in int arithmetic
        rejects(() -> new Parameter("big", 65536, 65536, new float[0], new float[0]), "parameter big", "65536x65536");
    }

    @Test
    void validParameterKeepsItsArrays() {
        float[] v = new float[21], g = new float[21];
        Parameter p = new Parameter("layer1.W_h", 3, 7, v, g);
        assertSame(v, p.value());
        assertSame(g, p.gradient());
        assertEquals(21, p.size());
        assertEquals(3, p.rows());
        assertEquals(7, p.cols());
        assertEquals("layer1.W_h", p.name());
        assertEquals(0, new Parameter("empty", 1, 0, new float[0], new float[0]).size());
    }
}
