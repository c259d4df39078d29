package org.rnn4j.lstm;

import org.rnn4j.api.SequenceBatch;

/**
 * A copy of everything a forward pass computed that the derivation's Jacobians are evaluated at:
 * every layer's states h_0 … h_T (and c), the gates of every step as the cell's forward left them,
 * the layers' inputs, the weights in double, and the output layer's ŷ with the batch's targets.
 * Taken once by {@link RecurrentNetwork#trajectory}; the model can go on training without
 * changing it.
 *
 * <p>Layout as in {@link RecurrentLayer}, time-major: state k of sequence b of layer l is at
 * {@code h[l][(k·m + b)·n]}; the gates of step t ∈ [1, T] at {@code gates[l][((t − 1)·m + b)·w]} (w = {@link Cell#workWidth});
 * the input x_t of layer 0 at {@code inputs[((t − 1)·m + b)·d]}, of layer l &gt; 0 it is h_t of
 * layer l − 1.
 */
final class Trajectory {
    final Cell cell;
    final int layers;
    final int steps;
    final int batch;
    final int hidden;
    final int gateWidth;
    /** The width of a step's row in {@link #gates} ({@link Cell#workWidth}). */
    final int workWidth;
    final int outputs;
    /** d_l, the input width of each layer. */
    final int[] inputSize;
    /** W_h (n × G·n) and W_x (d_l × G·n) of each layer, in double. */
    final double[][] wh;
    /** W_hᵀ (G·n × n) of each layer, in double, for the cotangents. */
    final double[][] whT;
    final double[][] wx;
    final float[][] gates;
    final float[][] h;
    /** The cell states (null entries for cells without one). */
    final float[][] c;
    /** T·m × d, the batch's inputs. */
    final float[] inputs;
    /** W_y (n × o) in double. */
    final double[] wy;
    /** T·m × o: ŷ (softmax head) or o (linear head) of every step. */
    final float[] out;
    /** The batch (its targets and lengths), or its targets null: no error signal then. */
    final SequenceBatch source;
    final Loss loss;

    Trajectory(Cell cell, int layers, int steps, int batch, int hidden, int outputs, int[] inputSize,
               double[][] wh, double[][] wx, float[][] gates, float[][] h, float[][] c, float[] inputs,
               double[] wy, float[] out, SequenceBatch source, Loss loss) {
        this.cell = cell;
        this.layers = layers;
        this.steps = steps;
        this.batch = batch;
        this.hidden = hidden;
        this.gateWidth = cell.layout().width(hidden);
        this.workWidth = cell.workWidth(hidden);
        this.outputs = outputs;
        this.inputSize = inputSize;
        this.wh = wh;
        this.whT = new double[layers][];
        for (int l = 0; l < layers; l++) {
            whT[l] = transpose(wh[l], hidden, gateWidth);
        }
        this.wx = wx;
        this.gates = gates;
        this.h = h;
        this.c = c;
        this.inputs = inputs;
        this.wy = wy;
        this.out = out;
        this.source = source;
        this.loss = loss;
    }

    private static double[] transpose(double[] a, int rows, int cols) {
        double[] t = new double[a.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = a[r * cols + c];
            }
        }
        return t;
    }

    /** Offset of state k (0 … T) of sequence b in {@code h[l]} and {@code c[l]}. */
    int state(int k, int b) {
        return (k * batch + b) * hidden;
    }

    /** Offset of the gates of step t (1 … T) of sequence b in {@code gates[l]}. */
    int gates(int t, int b) {
        return ((t - 1) * batch + b) * workWidth;
    }

    /** The input array of layer l at step t. */
    float[] input(int l) {
        return l == 0 ? inputs : h[l - 1];
    }

    /** Offset of x_t (t = 1 … T) of sequence b of layer l in {@link #input}. */
    int input(int l, int t, int b) {
        return l == 0 ? ((t - 1) * batch + b) * inputSize[0] : state(t, b);
    }

    /**
     * Whether step t (1 … T) of sequence b lies past its length, where the state is frozen
     * (see {@link RecurrentLoop}) and the step's Jacobian is the identity.
     */
    boolean frozen(int t, int b) {
        return source != null && t > source.length(b);
    }

    /** The step's tangent (see {@link Cell#tangent}) for sequence b of layer l at step t. */
    void tangent(int l, int b, int t, double[] dhPrev, double[] dcPrev, double[] dh, double[] dc, double[] work) {
        if (frozen(t, b)) {
            System.arraycopy(dhPrev, 0, dh, 0, hidden);
            if (c[l] != null) {
                System.arraycopy(dcPrev, 0, dc, 0, hidden);
            }
            return;
        }
        cell.tangent(hidden, wh[l], gates[l], gates(t, b), h[l], c[l], state(t - 1, b), state(t, b),
                dhPrev, dcPrev, dh, dc, work);
    }

    /** The step's cotangent (see {@link Cell#cotangent}) for sequence b of layer l at step t. */
    void cotangent(int l, int b, int t, double[] gh, double[] gc, double[] ghPrev, double[] gcPrev, double[] ga) {
        if (frozen(t, b)) {
            System.arraycopy(gh, 0, ghPrev, 0, hidden);
            if (c[l] != null) {
                System.arraycopy(gc, 0, gcPrev, 0, hidden);
            }
            java.util.Arrays.fill(ga, 0, workWidth, 0);
            return;
        }
        cell.cotangent(hidden, whT[l], gates[l], gates(t, b), h[l], c[l], state(t - 1, b), state(t, b),
                gh, gc, ghPrev, gcPrev, ga);
    }
}
