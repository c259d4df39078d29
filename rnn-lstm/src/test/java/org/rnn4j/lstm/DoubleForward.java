package org.rnn4j.lstm;

import org.rnn4j.api.CellKind;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.OutputHead;
import org.rnn4j.api.RecurrentModel;

/**
 * The test oracle of streaming inference: a model's forward pass for one sequence written out in
 * double precision from its parameters and the derivation's equations (concatenated form
 * {@code a = x·W_x + h·W_h + b}; GRU {@code ñ = tanh(x·W_xn + b_n + r∘(h·W_hn + b_hn)), h = (1 − z)∘ñ + z∘h}, the 2014 GRU
 * {@code ñ = tanh(x·W_xn + b_n + (r∘h)·W_hn)}; LSTM {@code c = f∘c + i∘g, h = o∘tanh(c)} with gates in PyTorch's
 * order), independent of the kernels.
 */
final class DoubleForward {
    private DoubleForward() {}

    /**
     * ŷ of every step (T·o) of the sequence {@code x} (T·d) from the state h0, c0 (L·n each, or
     * null for zeros); the final h and c (L·n) go to hOut, cOut when not null.
     */
    static double[] run(RecurrentModel model, float[] x, int steps, float[] h0, float[] c0, double[] hOut, double[] cOut) {
        return run(model, false, x, steps, h0, c0, hOut, cOut);
    }

    /**
     * As above; with {@code bf16} every W_x and W_h weight is first rounded to bfloat16 (what a
     * {@code WeightFormat.BF16} model multiplies; b, W_y and b_y stay float).
     */
    static double[] run(RecurrentModel model, boolean bf16, float[] x, int steps, float[] h0, float[] c0,
                        double[] hOut, double[] cOut) {
        ModelSpec spec = model.spec();
        int n = spec.hiddenSize();
        int layers = spec.layers();
        int o = spec.outputSize();
        CellKind kind = spec.cell();
        int g = kind.gates();
        double[] h = new double[layers * n];
        double[] c = new double[layers * n];
        for (int i = 0; i < h.length; i++) {
            h[i] = h0 == null ? 0 : h0[i];
            c[i] = c0 == null ? 0 : c0[i];
        }
        double[] y = new double[steps * o];
        for (int t = 0; t < steps; t++) {
            double[] in = new double[spec.inputSize()];
            for (int j = 0; j < in.length; j++) {
                in[j] = x[t * in.length + j];
            }
            for (int l = 0; l < layers; l++) {
                float[] wx = weights(model.parameter("layer" + l + ".W_x").value(), bf16);
                float[] wh = weights(model.parameter("layer" + l + ".W_h").value(), bf16);
                float[] b = model.parameter("layer" + l + ".b").value();
                double[] a = new double[g * n];
                double[] ah = new double[g * n];                 // the h part alone (the GRU's candidate needs it)
                for (int col = 0; col < g * n; col++) {
                    double s = b[col];
                    for (int r = 0; r < in.length; r++) {
                        s += in[r] * wx[r * g * n + col];
                    }
                    double sh = 0;
                    for (int r = 0; r < n; r++) {
                        sh += h[l * n + r] * wh[r * g * n + col];
                    }
                    ah[col] = sh;
                    a[col] = s + sh;
                }
                float[] bhn = kind == CellKind.GRU ? model.parameter("layer" + l + ".b_hn").value() : null;
                double[] next = new double[n];
                for (int j = 0; j < n; j++) {
                    switch (kind) {
                        case RNN -> next[j] = switch (spec.activation()) {
                            case TANH -> Math.tanh(a[j]);
                            case SIGMOID -> sigmoid(a[j]);
                            case RELU -> Math.max(0, a[j]);
                        };
                        case LSTM -> {
                            double i = sigmoid(a[j]), f = sigmoid(a[n + j]), gg = Math.tanh(a[2 * n + j]), og = sigmoid(a[3 * n + j]);
                            c[l * n + j] = f * c[l * n + j] + i * gg;
                            next[j] = og * Math.tanh(c[l * n + j]);
                        }
                        case GRU -> {
                            double r = sigmoid(a[j]), z = sigmoid(a[n + j]);
                            double cand = Math.tanh(a[2 * n + j] - ah[2 * n + j] + r * (ah[2 * n + j] + bhn[j]));
                            next[j] = (1 - z) * cand + z * h[l * n + j];
                        }
                        case GRU_2014 -> next[j] = gru2014(j, n, a, ah, wh, h, l * n);
                        case LSTM_NO_FORGET -> {
                            double i = sigmoid(a[j]), gg = Math.tanh(a[n + j]), og = sigmoid(a[2 * n + j]);
                            c[l * n + j] = c[l * n + j] + i * gg;
                            next[j] = og * Math.tanh(c[l * n + j]);
                        }
                    }
                }
                System.arraycopy(next, 0, h, l * n, n);
                in = next;
            }
            float[] wy = model.parameter("W_y").value();
            float[] by = model.parameter("b_y").value();
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < o; k++) {
                double s = by[k];
                for (int j = 0; j < n; j++) {
                    s += in[j] * wy[j * o + k];
                }
                y[t * o + k] = s;
                max = Math.max(max, s);
            }
            if (spec.head() == OutputHead.SOFTMAX) {
                double sum = 0;
                for (int k = 0; k < o; k++) {
                    sum += Math.exp(y[t * o + k] - max);
                }
                for (int k = 0; k < o; k++) {
                    y[t * o + k] = Math.exp(y[t * o + k] - max) / sum;
                }
            }
        }
        if (hOut != null) {
            System.arraycopy(h, 0, hOut, 0, h.length);
        }
        if (cOut != null) {
            System.arraycopy(c, 0, cOut, 0, c.length);
        }
        return y;
    }

    /**
     * Unit j of a 2014 GRU step: a_n = (x·W_xn + b_n) + (r∘h)·W_hn, its recurrent part again from
     * W_hn with the reset gate applied to h first (so ah's n block, h·W_hn, is left out).
     */
    private static double gru2014(int j, int n, double[] a, double[] ah, float[] wh, double[] h, int hOff) {
        double z = sigmoid(a[n + j]);
        double an = a[2 * n + j] - ah[2 * n + j];
        for (int i = 0; i < n; i++) {
            an += sigmoid(a[i]) * h[hOff + i] * wh[i * 3 * n + 2 * n + j];
        }
        return (1 - z) * Math.tanh(an) + z * h[hOff + j];
    }

    static float[] weights(float[] w, boolean bf16) {
        if (!bf16) {
            return w;
        }
        float[] r = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            r[i] = org.rnn4j.simd.StepWeights.roundToBfloat16(w[i]);
        }
        return r;
    }

    static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }
}
