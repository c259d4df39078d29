package org.rnn4j.bench.stability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MovingMeanTest {

    @Test
    void successIsTheFirstStepWhoseFullWindowMeanIsBelowTheThreshold() {
        double[] losses = new double[100];
        Arrays.fill(losses, 0, 50, 0.17);
        Arrays.fill(losses, 50, 100, 0.001);
        // The window of 20 ending at step s holds (s - 50) small values and (70 - s) of 0.17:
        // mean = ((70 - s)·0.17 + (s - 50)·0.001)/20 < 0.01  <=>  s > 68.1, so step 69.
        assertEquals(69, MovingMean.firstBelow(losses, 20, 0.01));
    }

    @Test
    void aSingleLowStepOrAPartialWindowIsNoSuccess() {
        double[] losses = new double[60];
        Arrays.fill(losses, 0.17);
        losses[30] = 0.0;
        assertEquals(-1, MovingMean.firstBelow(losses, 20, 0.01));
        // Low from the first step, but the window must be full first.
        double[] low = new double[25];
        Arrays.fill(low, 0.001);
        assertEquals(20, MovingMean.firstBelow(low, 20, 0.01));
        assertEquals(-1, MovingMean.firstBelow(Arrays.copyOf(low, 19), 20, 0.01));
    }

    @Test
    void theMeanSlidesOverTheLastWindowValues() {
        MovingMean m = new MovingMean(3);
        assertTrue(Double.isNaN(m.mean()));
        assertEquals(1, m.add(1), 0);
        assertEquals(1.5, m.add(2), 0);
        assertFalse(m.full());
        assertEquals(2, m.add(3), 0);
        assertTrue(m.full());
        assertEquals(3, m.add(4), 1e-12);
        assertEquals(13.0 / 3, m.add(6), 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MovingMean(0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
    }
}
