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
    public void forward(Kernels k, int rows, int n, PackedMatrix wh, PackedMatrix whn, float[] gates, int gOff,
                        float[] h, float[] c, int prev, int next) {
        k.multPacked(rows, n, 1f, h, prev, n, wh, 0, 1f, gates, gOff, n); // a_t += h_{t−1}·W_h
        activate(k, rows, n, gates, gOff, h, prev, c, prev, c, next, h, next);
    }

    @Override
    public void activate(Kernels k, int rows, int n, float[] gates, int gOff, float[] hPrev, int hPrevOff,
                         float[] cPrev, int cPrevOff, float[] c, int cOff, float[] h, int hOff) {
        k.activate(phi, rows * n, gates, gOff, h, hOff);                   // h_t = φ(a_t)
    }

    @Override
    public void backward(Kernels k, int rows, int n, PackedMatrix whT, PackedMatrix whnT, float[] gates, int gOff,
                         float[] h, float[] c, int prev, int next,
                         float[] dh, float[] dc, int dOff, float[] dGates, int dgOff) {
        int rn = rows * n;
        System.arraycopy(dh, dOff, dGates, dgOff, rn);
        k.multiplyDerivative(phi, rn, h, next, dGates, dgOff);                  // ∂L/∂a_t = ∂L/∂h_t ∘ φ'
        k.multPacked(rows, n, 1f, dGates, dgOff, n, whT, 0, 0f, dh, dOff, n); // ∂L/∂h_{t−1} = ∂L/∂a_t·W_hᵀ
    }

    @Override
    public void tangent(int n, double[] wh, float[] gates, int gOff, float[] h, float[] c, int prev, int next,
                        double[] dhPrev, double[] dcPrev, double[] dh, double[] dc, double[] work) {
        // δh_t = φ'(a_t) ∘ (δh_{t−1}·W_h)
        java.util.Arrays.fill(dh, 0, n, 0);
        RowCombination.accumulate(dhPrev, 0, n, wh, 0, n, n, dh, 0);
        for (int j = 0; j < n; j++) {
            dh[j] *= derivative(h[next + j]);
        }
    }

    @Override
    public void cotangent(int n, double[] whT, float[] gates, int gOff, float[] h, float[] c, int prev, int next,
                          double[] gh, double[] gc, double[] ghPrev, double[] gcPrev, double[] ga) {
        for (int j = 0; j < n; j++) {
            ga[j] = gh[j] * derivative(h[next + j]);          // ∂/∂a_t = ∂/∂h_t ∘ φ'(a_t)
        }
        java.util.Arrays.fill(ghPrev, 0, n, 0);
        RowCombination.accumulate(ga, 0, n, whT, 0, n, n, ghPrev, 0);   // ∂/∂h_{t−1} = ∂/∂a_t · W_hᵀ
    }

    @Override
    public double derivativeBound() {
        return switch (phi) {
            case TANH, RELU -> 1;
            case SIGMOID -> 0.25;
            default -> throw new IllegalStateException("no derivative bound for " + phi);
        };
    }

    @Override
    public double stepDerivativeMax(int n, float[] gates, int gOff, float[] h, int next) {
        double max = 0;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, derivative(h[next + j]));
        }
        return max;
    }

    /** φ'(a) from φ(a) = y, as the backward step takes it: 1 − y² (tanh), y(1 − y) (σ), [y > 0] (ReLU). */
    private double derivative(float y) {
        return switch (phi) {
            case TANH -> 1 - (double) y * y;
            case SIGMOID -> (double) y * (1 - (double) y);
            case RELU -> y > 0 ? 1 : 0;
            default -> throw new IllegalStateException("no derivative for " + phi);
        };
    }
}
