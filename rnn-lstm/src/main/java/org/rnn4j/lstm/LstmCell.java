package org.rnn4j.lstm;

import java.util.Arrays;
import org.rnn4j.simd.GateLayout;
import org.rnn4j.simd.GateLayout.Gate;
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
 * <p>With {@code truncated} (Hochreiter &amp; Schmidhuber's 1997 gradient,
 * {@link org.rnn4j.api.RecurrentGradient#TRUNCATED_1997}) backward stops at the gates:
 * {@code ∂L/∂a_t} still gives the weight gradients and flows to the layer below, but
 * {@code ∂L/∂a_t·W_hᵀ} is not sent to h_{t−1}, so error goes back in time only through C.
 *
 * @param forgetGate true for the modern cell, false for the 1997 one
 * @param truncated  whether backward uses the 1997 truncated gradient
 */
record LstmCell(boolean forgetGate, boolean truncated) implements Cell {

    /** A cell with the exact gradient. */
    LstmCell(boolean forgetGate) {
        this(forgetGate, false);
    }

    @Override
    public GateLayout layout() {
        return GateLayout.lstm(forgetGate);
    }

    @Override
    public boolean hasCellState() {
        return true;
    }

    @Override
    public void forward(Kernels k, int rows, int n, PackedMatrix wh, PackedMatrix whn, float[] gates, int gOff,
                        float[] h, float[] c, int prev, int next) {
        int gn = layout().width(n);
        k.multPacked(rows, gn, 1f, h, prev, n, wh, 0, 1f, gates, gOff, gn); // a += h_{t−1}·W_h
        activate(k, rows, n, gates, gOff, h, prev, c, prev, c, next, h, next);
    }

    @Override
    public void activate(Kernels k, int rows, int n, float[] gates, int gOff, float[] hPrev, int hPrevOff,
                         float[] cPrev, int cPrevOff, float[] c, int cOff, float[] h, int hOff) {
        k.lstmForward(rows, n, forgetGate, gates, gOff, cPrev, cPrevOff, c, cOff, h, hOff);
    }

    @Override
    public void backward(Kernels k, int rows, int n, PackedMatrix whT, PackedMatrix whnT, float[] gates, int gOff,
                         float[] h, float[] c, int prev, int next,
                         float[] dh, float[] dc, int dOff, float[] dGates, int dgOff) {
        int gn = layout().width(n);
        k.lstmBackward(rows, n, forgetGate, gates, gOff, c, prev, c, next, dh, dOff, dc, dOff, dGates, dgOff);
        if (truncated) {
            Arrays.fill(dh, dOff, dOff + rows * n, 0f);                   // the 1997 gradient: nothing to h_{t−1}
        } else {
            k.multPacked(rows, n, 1f, dGates, dgOff, gn, whT, 0, 0f, dh, dOff, n); // ∂L/∂h_{t−1} = dA_t·W_hᵀ
        }
    }

    // ---------------------------------------------------------------------------------------
    // Derivatives in double along a stored trajectory (one row)
    // ---------------------------------------------------------------------------------------

    @Override
    public void tangent(int n, double[] wh, float[] gates, int gOff, float[] h, float[] c, int prev, int next,
                        double[] dhPrev, double[] dcPrev, double[] dh, double[] dc, double[] work) {
        int gn = layout().width(n);
        double[] da = work;                                        // δa = δh_{t−1}·W_h
        if (truncated) {
            Arrays.fill(da, 0, gn, 0);                             // the 1997 gradient: h_{t−1} does not reach the gates
        } else {
            recurrentProduct(n, gn, wh, dhPrev, 0, da);
        }
        GateLayout l = layout();
        int iO = gOff + l.offset(Gate.I, n);
        int fO = forgetGate ? gOff + l.offset(Gate.F, n) : -1;
        int gO = gOff + l.offset(Gate.G, n);
        int oO = gOff + l.offset(Gate.O, n);
        int ia = l.offset(Gate.I, n);
        int fa = forgetGate ? l.offset(Gate.F, n) : -1;
        int ga = l.offset(Gate.G, n);
        int oa = l.offset(Gate.O, n);
        for (int j = 0; j < n; j++) {
            double i = gates[iO + j];
            double f = forgetGate ? gates[fO + j] : 1;
            double g = gates[gO + j];
            double o = gates[oO + j];
            double di = i * (1 - i) * da[ia + j];
            double df = forgetGate ? f * (1 - f) * da[fa + j] : 0;
            double dg = (1 - g * g) * da[ga + j];
            double dO = o * (1 - o) * da[oa + j];
            double dcj = df * c[prev + j] + f * dcPrev[j] + di * g + i * dg;   // δC_t
            double tc = Math.tanh(c[next + j]);
            dc[j] = dcj;
            dh[j] = dO * tc + o * (1 - tc * tc) * dcj;                        // δh_t
        }
    }

    @Override
    public void cotangent(int n, double[] whT, float[] gates, int gOff, float[] h, float[] c, int prev, int next,
                          double[] gh, double[] gc, double[] ghPrev, double[] gcPrev, double[] gaOut) {
        int gn = layout().width(n);
        GateLayout l = layout();
        int ia = l.offset(Gate.I, n);
        int fa = forgetGate ? l.offset(Gate.F, n) : -1;
        int ga = l.offset(Gate.G, n);
        int oa = l.offset(Gate.O, n);
        for (int j = 0; j < n; j++) {
            double i = gates[gOff + ia + j];
            double f = forgetGate ? gates[gOff + fa + j] : 1;
            double g = gates[gOff + ga + j];
            double o = gates[gOff + oa + j];
            double tc = Math.tanh(c[next + j]);
            double dC = gc[j] + gh[j] * o * (1 - tc * tc);   // ∂/∂C_t, both paths
            gaOut[ia + j] = dC * g * i * (1 - i);
            if (forgetGate) {
                gaOut[fa + j] = dC * c[prev + j] * f * (1 - f);
            }
            gaOut[ga + j] = dC * i * (1 - g * g);
            gaOut[oa + j] = gh[j] * tc * o * (1 - o);
            gcPrev[j] = dC * f;                               // the constant error carousel
        }
        if (truncated) {
            Arrays.fill(ghPrev, 0, n, 0);
        } else {
            transposedProduct(n, gn, whT, gaOut, 0, ghPrev, 0); // ∂/∂h_{t−1} = ∂/∂a_t·W_hᵀ
        }
    }

    /**
     * The derivation's D_t = ∂C_t/∂C_{t−1} times a vector, for one row: h_{t−1} = o_{t−1}∘tanh(C_{t−1})
     * with o_{t−1} held, so
     * {@code δC_t = f∘δC + C_{t−1}∘σ'(a_f)∘(δh·W_hf) + C̃_t∘σ'(a_i)∘(δh·W_hi) + i∘tanh'(a_g)∘(δh·W_hg)},
     * {@code δh = o_{t−1}∘tanh'(C_{t−1})∘δC}. With the truncated gradient only {@code f∘δC} is left.
     *
     * @param prevGates offset of step t − 1's gate row (for o_{t−1}), or −1 at t = 1, where h_0 is
     *                  given and does not depend on C_0
     * @param work      scratch of G·n + n values
     */
    void cellStateTangent(int n, double[] wh, float[] gates, int gOff, int prevGates, float[] c, int prev,
                          double[] in, double[] out, double[] work) {
        GateLayout l = layout();
        int gn = l.width(n);
        int ia = l.offset(Gate.I, n);
        int fa = forgetGate ? l.offset(Gate.F, n) : -1;
        int ga = l.offset(Gate.G, n);
        boolean throughH = !truncated && prevGates >= 0;
        if (throughH) {
            int oa = l.offset(Gate.O, n);
            for (int j = 0; j < n; j++) {
                double tc = Math.tanh(c[prev + j]);
                work[gn + j] = gates[prevGates + oa + j] * (1 - tc * tc) * in[j];
            }
            recurrentProduct(n, gn, wh, work, gn, work);        // δa = δh·W_h into work[0, gn)
        }
        for (int j = 0; j < n; j++) {
            double i = gates[gOff + ia + j];
            double f = forgetGate ? gates[gOff + fa + j] : 1;
            double g = gates[gOff + ga + j];
            double v = f * in[j];
            if (throughH) {
                if (forgetGate) {
                    v += c[prev + j] * f * (1 - f) * work[fa + j];
                }
                v += g * i * (1 - i) * work[ia + j] + i * (1 - g * g) * work[ga + j];
            }
            out[j] = v;
        }
    }

    /**
     * The transposed product {@code u·D_t} for one row (see {@link #cellStateTangent}).
     *
     * @param whT  W_hᵀ in double, G·n × n
     * @param work scratch of G·n + n values
     */
    void cellStateCotangent(int n, double[] whT, float[] gates, int gOff, int prevGates, float[] c, int prev,
                            double[] u, double[] out, double[] work) {
        GateLayout l = layout();
        int gn = l.width(n);
        int ia = l.offset(Gate.I, n);
        int fa = forgetGate ? l.offset(Gate.F, n) : -1;
        int ga = l.offset(Gate.G, n);
        int oa = l.offset(Gate.O, n);
        boolean throughH = !truncated && prevGates >= 0;
        for (int j = 0; j < n; j++) {
            double i = gates[gOff + ia + j];
            double f = forgetGate ? gates[gOff + fa + j] : 1;
            double g = gates[gOff + ga + j];
            out[j] = f * u[j];
            work[ia + j] = u[j] * g * i * (1 - i);
            if (forgetGate) {
                work[fa + j] = u[j] * c[prev + j] * f * (1 - f);
            }
            work[ga + j] = u[j] * i * (1 - g * g);
            work[oa + j] = 0;
        }
        if (throughH) {
            transposedProduct(n, gn, whT, work, 0, work, gn);    // ∂/∂h_{t−1} = ∂/∂a·W_hᵀ
            for (int j = 0; j < n; j++) {
                double tc = Math.tanh(c[prev + j]);
                out[j] += gates[prevGates + oa + j] * (1 - tc * tc) * work[gn + j];
            }
        }
    }

    /** {@code out[0, gn) = v·W_h} (v: n values at vOff; W_h: n × gn). */
    private static void recurrentProduct(int n, int gn, double[] wh, double[] v, int vOff, double[] out) {
        Arrays.fill(out, 0, gn, 0);
        RowCombination.accumulate(v, vOff, n, wh, 0, gn, gn, out, 0);
    }

    /** {@code out[outOff, outOff + n) = u·W_hᵀ} (u: gn values at uOff; W_hᵀ: gn × n). */
    private static void transposedProduct(int n, int gn, double[] whT, double[] u, int uOff, double[] out, int outOff) {
        Arrays.fill(out, outOff, outOff + n, 0);
        RowCombination.accumulate(u, uOff, gn, whT, 0, n, n, out, outOff);
    }
}
