package org.rnn4j.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.simd.GateLayout.Gate;

class GateLayoutTest {

    @Test
    void pytorchGateOrder() {
        // nn.LSTM stacks W_ii | W_if | W_ig | W_io; the original LSTM drops f.
        assertEquals(4, GateLayout.LSTM.gates());
        assertEquals(0, GateLayout.LSTM.block(Gate.I));
        assertEquals(1, GateLayout.LSTM.block(Gate.F));
        assertEquals(2, GateLayout.LSTM.block(Gate.G));
        assertEquals(3, GateLayout.LSTM.block(Gate.O));
        assertEquals(3, GateLayout.LSTM_NO_FORGET.gates());
        assertEquals(0, GateLayout.LSTM_NO_FORGET.block(Gate.I));
        assertEquals(1, GateLayout.LSTM_NO_FORGET.block(Gate.G));
        assertEquals(2, GateLayout.LSTM_NO_FORGET.block(Gate.O));
        assertEquals(1, GateLayout.RNN.gates());
        assertEquals(0, GateLayout.RNN.block(Gate.A));
    }

    @Test
    void offsetsAndWidthScaleWithN() {
        for (int n : new int[] {1, 3, 7, 13, 33, 129}) {
            assertEquals(4 * n, GateLayout.LSTM.width(n));
            assertEquals(2 * n, GateLayout.LSTM.offset(Gate.G, n));
            assertEquals(2 * n, GateLayout.LSTM_NO_FORGET.offset(Gate.O, n));
            assertEquals(n, GateLayout.RNN.width(n));
        }
    }

    @Test
    void blocksAreAPermutationOfTheOrder() {
        for (GateLayout layout : GateLayout.values()) {
            for (int q = 0; q < layout.gates(); q++) {
                assertEquals(q, layout.block(layout.gate(q)), layout + " block " + q);
            }
        }
    }

    @Test
    void vectorEpilogueAssumesIAndFLeadTheRow() {
        // VectorKernels.lstmForward runs one sigmoid pass over the columns before g.
        for (boolean forget : new boolean[] {true, false}) {
            GateLayout l = GateLayout.lstm(forget);
            assertEquals(0, l.block(Gate.I));
            assertEquals(forget ? 2 : 1, l.block(Gate.G));
            assertEquals(l.block(Gate.G) + 1, l.block(Gate.O));
        }
    }

    @Test
    void missingGateIsNamed() {
        assertSame(GateLayout.LSTM, GateLayout.lstm(true));
        assertFalse(GateLayout.LSTM_NO_FORGET.has(Gate.F));
        assertTrue(GateLayout.LSTM.has(Gate.F));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GateLayout.LSTM_NO_FORGET.block(Gate.F));
        assertTrue(e.getMessage().contains("LSTM_NO_FORGET has no gate F"), e.getMessage());
    }
}
