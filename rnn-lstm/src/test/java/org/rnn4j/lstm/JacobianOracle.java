package org.rnn4j.lstm;

import org.rnn4j.simd.Activation;
import org.rnn4j.simd.GateLayout;
import org.rnn4j.simd.GateLayout.Gate;

/**
 * The diagnostics' small-n oracle: one-step Jacobians formed densely from the cells' equations
 * written out here (column convention, J[r][c] = ∂s_t[r]/∂s_{t−1}[c]), evaluated at the states
 * and gates of a {@link Trajectory}, and the forward step itself in double for finite
 * differences. Nothing here calls the cells' own derivative code.
 */
final class JacobianOracle {
    private JacobianOracle() {}

    /** ∂h_t/∂h_{t−1} = diag(φ'(a_t))·W_hᵀ of a vanilla cell. */
    static double[][] rnnStep(Trajectory tr, Activation phi, int l, int b, int t) {
        int n = tr.hidden;
        double[][] j = new double[n][n];
        int next = tr.state(t, b);
        for (int r = 0; r < n; r++) {
            double y = tr.h[l][next + r];
            double d = switch (phi) {
                case TANH -> 1 - y * y;
                case SIGMOID -> y * (1 - y);
                case RELU -> y > 0 ? 1 : 0;
                default -> throw new AssertionError(phi);
            };
            for (int c = 0; c < n; c++) {
                j[r][c] = d * tr.wh[l][c * n + r];
            }
        }
        return j;
    }

    /** The 2n × 2n Jacobian of (h_t, c_t) with respect to (h_{t−1}, c_{t−1}) of an LSTM cell. */
    static double[][] lstmStep(Trajectory tr, boolean forget, boolean truncated, int l, int b, int t) {
        int n = tr.hidden;
        int gn = tr.gateWidth;
        GateLayout lay = GateLayout.lstm(forget);
        int g0 = tr.gates(t, b);
        float[] gt = tr.gates[l];
        double[][] j = new double[2 * n][2 * n];
        int prev = tr.state(t - 1, b);
        int next = tr.state(t, b);
        for (int r = 0; r < n; r++) {
            double i = gt[g0 + lay.offset(Gate.I, n) + r];
            double f = forget ? gt[g0 + lay.offset(Gate.F, n) + r] : 1;
            double g = gt[g0 + lay.offset(Gate.G, n) + r];
            double o = gt[g0 + lay.offset(Gate.O, n) + r];
            double cPrev = tr.c[l][prev + r];
            double tc = Math.tanh(tr.c[l][next + r]);
            for (int c = 0; c < n; c++) {
                double dcdh = 0;
                double dodh = 0;
                if (!truncated) {
                    double wi = tr.wh[l][c * gn + lay.offset(Gate.I, n) + r];
                    double wf = forget ? tr.wh[l][c * gn + lay.offset(Gate.F, n) + r] : 0;
                    double wg = tr.wh[l][c * gn + lay.offset(Gate.G, n) + r];
                    double wo = tr.wh[l][c * gn + lay.offset(Gate.O, n) + r];
                    dcdh = cPrev * f * (1 - f) * wf + g * i * (1 - i) * wi + i * (1 - g * g) * wg;
                    dodh = o * (1 - o) * wo;
                }
                double dcdc = r == c ? f : 0;
                j[n + r][c] = dcdh;                                       // ∂c_t/∂h_{t−1}
                j[n + r][n + c] = dcdc;                                   // ∂c_t/∂c_{t−1}
                j[r][c] = dodh * tc + o * (1 - tc * tc) * dcdh;           // ∂h_t/∂h_{t−1}
                j[r][n + c] = o * (1 - tc * tc) * dcdc;                   // ∂h_t/∂c_{t−1}
            }
        }
        return j;
    }

    /** The derivation's D_t = ∂C_t/∂C_{t−1} (h_{t−1} = o_{t−1}∘tanh(C_{t−1}), o_{t−1} held). */
    static double[][] cellStep(Trajectory tr, boolean forget, boolean truncated, int l, int b, int t) {
        int n = tr.hidden;
        int gn = tr.gateWidth;
        GateLayout lay = GateLayout.lstm(forget);
        int g0 = tr.gates(t, b);
        float[] gt = tr.gates[l];
        int prev = tr.state(t - 1, b);
        double[][] d = new double[n][n];
        for (int r = 0; r < n; r++) {
            double i = gt[g0 + lay.offset(Gate.I, n) + r];
            double f = forget ? gt[g0 + lay.offset(Gate.F, n) + r] : 1;
            double g = gt[g0 + lay.offset(Gate.G, n) + r];
            double cPrev = tr.c[l][prev + r];
            d[r][r] = f;
            if (truncated || t == 1) {
                continue;
            }
            for (int c = 0; c < n; c++) {
                double oPrev = gt[tr.gates(t - 1, b) + lay.offset(Gate.O, n) + c];
                double tcp = Math.tanh(tr.c[l][prev + c]);
                double q = oPrev * (1 - tcp * tcp);
                double wi = tr.wh[l][c * gn + lay.offset(Gate.I, n) + r];
                double wf = forget ? tr.wh[l][c * gn + lay.offset(Gate.F, n) + r] : 0;
                double wg = tr.wh[l][c * gn + lay.offset(Gate.G, n) + r];
                d[r][c] += (cPrev * f * (1 - f) * wf + g * i * (1 - i) * wi + i * (1 - g * g) * wg) * q;
            }
        }
        return d;
    }

    /**
     * The LSTM step in double from (h_{t−1}, c_{t−1}), the input part of the pre-activations
     * recomputed from the layer's input and weights (bias b in double).
     *
     * @return (h_t, c_t), 2n values
     */
    static double[] lstmForward(Trajectory tr, float[] bias, boolean forget, int l, int b, int t, double[] hPrev, double[] cPrev) {
        int n = tr.hidden;
        int gn = tr.gateWidth;
        GateLayout lay = GateLayout.lstm(forget);
        double[] a = preActivation(tr, bias, l, b, t, hPrev);
        double[] out = new double[2 * n];
        for (int r = 0; r < n; r++) {
            double i = sigmoid(a[lay.offset(Gate.I, n) + r]);
            double f = forget ? sigmoid(a[lay.offset(Gate.F, n) + r]) : 1;
            double g = Math.tanh(a[lay.offset(Gate.G, n) + r]);
            double o = sigmoid(a[lay.offset(Gate.O, n) + r]);
            double c = f * cPrev[r] + i * g;
            out[n + r] = c;
            out[r] = o * Math.tanh(c);
        }
        assert gn == lay.width(n);
        return out;
    }

    /** The RNN step in double from h_{t−1}. */
    static double[] rnnForward(Trajectory tr, float[] bias, Activation phi, int l, int b, int t, double[] hPrev) {
        double[] a = preActivation(tr, bias, l, b, t, hPrev);
        for (int r = 0; r < a.length; r++) {
            a[r] = switch (phi) {
                case TANH -> Math.tanh(a[r]);
                case SIGMOID -> sigmoid(a[r]);
                case RELU -> Math.max(0, a[r]);
                default -> throw new AssertionError(phi);
            };
        }
        return a;
    }

    private static double[] preActivation(Trajectory tr, float[] bias, int l, int b, int t, double[] hPrev) {
        int n = tr.hidden;
        int gn = tr.gateWidth;
        int d = tr.inputSize[l];
        float[] x = tr.input(l);
        int xOff = tr.input(l, t, b);
        double[] a = new double[gn];
        for (int q = 0; q < gn; q++) {
            double s = bias[q];
            for (int k = 0; k < d; k++) {
                s += x[xOff + k] * tr.wx[l][k * gn + q];
            }
            for (int k = 0; k < n; k++) {
                s += hPrev[k] * tr.wh[l][k * gn + q];
            }
            a[q] = s;
        }
        return a;
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** P = J_t ⋯ J_{k+1}. */
    static double[][] product(double[][][] steps, int k, int t) {
        int dim = steps[t].length;
        double[][] p = identity(dim);
        for (int j = k + 1; j <= t; j++) {
            p = TestMatrices.mul(steps[j], p);
        }
        return p;
    }

    static double[][] identity(int dim) {
        double[][] p = new double[dim][dim];
        for (int i = 0; i < dim; i++) {
            p[i][i] = 1;
        }
        return p;
    }

    /** The top-left n × n block (the h → h part of a state Jacobian). */
    static double[][] block(double[][] a, int r0, int c0, int n) {
        double[][] out = new double[n][n];
        for (int r = 0; r < n; r++) {
            System.arraycopy(a[r0 + r], c0, out[r], 0, n);
        }
        return out;
    }
}
