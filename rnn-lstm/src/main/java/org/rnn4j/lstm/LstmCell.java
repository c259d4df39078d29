package org.rnn4j.lstm;

import org.rnn4j.simd.GateLayout;
import org.rnn4j.simd.Kernels;
import org.rnn4j.simd.PackedMatrix;

/**
 * The LSTM cell, with gates [i | f | g | o] ({@link GateLayout#LSTM}) or, for the original 1997
 * cell without forget gate, [i | g | o] ({@link GateLayout#LSTM_NO_FORGET}, f ≡ 1):
 * <pre>
 *   i = σ(a_i)  f = σ(a_f)  g = C̃_t = tanh(a_g)  o = σ(a_o)      a = x_t·W_x + h_{t−1}·W_h + b
 *   C_t = f ∘ C_{t−1} + i ∘ C̃_t
 *   h_t = o ∘ tanh(C_t)
 * </pre>
 * The element-wise part of both directions is one fused kernel pass
 * ({@link Kernels#lstmForward}, {@link Kernels#lstmBackward}); backward carries
 * {@code ∂L/∂C_{t−1} = δC_t ∘ f} — the direct path through the cell state whose factor f_t the
 * derivation contrasts with the vanilla RNN's {@code diag(φ')·W_hᵀ}.
 *
 * @param forgetGate true for the modern cell, false for the 1997 one
 */
record LstmCell(boolean forgetGate) implements Cell {

    @Override
    public GateLayout layout() {
        return GateLayout.lstm(forgetGate);
    }

    @Override
    public boolean hasCellState() {
        return true;
    }

    @Override
    public void forward(Kernels k, int rows, int n, PackedMatrix wh, float[] gates, int gOff,
                        float[] h, float[] c, int prev, int next) {
        int gn = layout().width(n);
        k.multPacked(rows, gn, 1f, h, prev, n, wh, 0, 1f, gates, gOff, gn); // a += h_{t−1}·W_h
        k.lstmForward(rows, n, forgetGate, gates, gOff, c, prev, c, next, h, next);
    }

    @Override
    public void backward(Kernels k, int rows, int n, PackedMatrix whT, float[] gates, int gOff,
                         float[] h, float[] c, int prev, int next,
                         float[] dh, float[] dc, int dOff, float[] dGates, int dgOff) {
        int gn = layout().width(n);
        k.lstmBackward(rows, n, forgetGate, gates, gOff, c, prev, c, next, dh, dOff, dc, dOff, dGates, dgOff);
        k.multPacked(rows, n, 1f, dGates, dgOff, gn, whT, 0, 0f, dh, dOff, n); // ∂L/∂h_{t−1} = dA_t·W_hᵀ
    }
}
