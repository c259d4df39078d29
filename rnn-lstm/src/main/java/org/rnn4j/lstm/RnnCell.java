package org.rnn4j.lstm;

import org.rnn4j.simd.Activation;
import org.rnn4j.simd.GateLayout;
import org.rnn4j.simd.Kernels;
import org.rnn4j.simd.PackedMatrix;

/**
 * The vanilla (Elman) RNN cell, {@code h_t = φ(a_t)} with {@code a_t = x_t·W_x + h_{t−1}·W_h + b}.
 * Backward: {@code ∂L/∂a_t = ∂L/∂h_t ∘ φ'(a_t)} and {@code ∂L/∂h_{t−1} = ∂L/∂a_t · W_hᵀ} — one
 * factor {@code diag(φ'(a_t))·W_hᵀ} of the derivation's Jacobian product per step. φ' is taken
 * from the output h_t (1 − h² for tanh, h(1 − h) for the sigmoid, [h &gt; 0] for ReLU).
 *
 * @param phi the hidden activation φ
 */
record RnnCell(Activation phi) implements Cell {

    @Override
    public GateLayout layout() {
        return GateLayout.RNN;
    }

    @Override
    public boolean hasCellState() {
        return false;
    }

    @Override
    public void forward(Kernels k, int rows, int n, PackedMatrix wh, float[] gates, int gOff,
                        float[] h, float[] c, int prev, int next) {
        k.multPacked(rows, n, 1f, h, prev, n, wh, 0, 1f, gates, gOff, n); // a_t += h_{t−1}·W_h
        k.activate(phi, rows * n, gates, gOff, h, next);                   // h_t = φ(a_t)
    }

    @Override
    public void backward(Kernels k, int rows, int n, PackedMatrix whT, float[] gates, int gOff,
                         float[] h, float[] c, int prev, int next,
                         float[] dh, float[] dc, int dOff, float[] dGates, int dgOff) {
        int rn = rows * n;
        System.arraycopy(dh, dOff, dGates, dgOff, rn);
        k.multiplyDerivative(phi, rn, h, next, dGates, dgOff);                  // ∂L/∂a_t = ∂L/∂h_t ∘ φ'
        k.multPacked(rows, n, 1f, dGates, dgOff, n, whT, 0, 0f, dh, dOff, n); // ∂L/∂h_{t−1} = ∂L/∂a_t·W_hᵀ
    }
}
