package org.rnn4j.lstm;

import org.rnn4j.api.InferenceModel;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.NonFiniteException;
import org.rnn4j.api.OutputHead;
import org.rnn4j.api.Parameter;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.StreamBatch;
import org.rnn4j.api.StreamState;
import org.rnn4j.api.WeightFormat;
import org.rnn4j.simd.Kernels;
import org.rnn4j.simd.StepWeights;

/**
 * The {@link InferenceModel} of this module: each layer's {@code [W_x; W_h]} and b packed once as
 * {@link StepWeights}, and the output layer's W_y, b_y likewise. A step of layer l is
 * {@link Kernels#stepInput} (b + x_t·W_x) then {@link Kernels#stepRecurrent} (+ h_{t−1}·W_h) —
 * one FMA chain per gate pre-activation in the derivation's concatenated order — and the cell's
 * {@link Cell#activate}. Every way of stepping (one stream, a batch of streams, a prefill) runs
 * these same chains, which is why they agree bitwise. (The 2014 GRU's step has a second product,
 * after its reset gate: see {@link #gru2014Layer}.)
 *
 * <p>Immutable: every field is final and nothing writes the packed weights after construction,
 * so any number of threads may share it.
 */
final class CompiledModel implements InferenceModel {
    final ModelSpec spec;
    final WeightFormat format;
    final Kernels kernels;
    final StepLayer[] layers;
    final StepWeights head;
    final boolean softmax;
    final int inputSize;
    final int hidden;
    final int outputs;
    final boolean cellState;
    /** The widest G·n of the layers (the gate scratch of one row). */
    final int gateWidth;

    private CompiledModel(ModelSpec spec, Kernels kernels, StepLayer[] layers, StepWeights head, WeightFormat format) {
        this.spec = spec;
        this.format = format;
        this.kernels = kernels;
        this.layers = layers;
        this.head = head;
        this.softmax = spec.head() == OutputHead.SOFTMAX;
        this.inputSize = spec.inputSize();
        this.hidden = spec.hiddenSize();
        this.outputs = spec.outputSize();
        this.cellState = layers[0].cell().hasCellState();
        this.gateWidth = layers[0].gateWidth();
    }

    /**
     * Compiles a snapshot of {@code model}'s current weights.
     *
     * @throws IllegalArgumentException if a parameter has a shape other than the spec's or a
     *                                  non-finite value (naming the parameter and the element)
     */
    static CompiledModel of(RecurrentModel model, Kernels kernels, WeightFormat format) {
        ModelSpec spec = model.spec();
        if (spec.bidirectional()) {
            throw new IllegalArgumentException("cannot compile a bidirectional model for streaming: its reverse direction"
                    + " reads each sequence from its end, which a stream has not seen yet");
        }
        Cell cell = Cell.of(spec);
        int n = spec.hiddenSize();
        int g = cell.layout().gates();
        StepLayer[] layers = new StepLayer[spec.layers()];
        StepWeights.Storage storage = format == WeightFormat.BF16 ? StepWeights.Storage.BFLOAT16 : StepWeights.Storage.FLOAT32;
        for (int l = 0; l < layers.length; l++) {
            int d = spec.layerInputSize(l);
            float[] wx = weights(model, "layer" + l + ".W_x", d, g * n);
            float[] wh = weights(model, "layer" + l + ".W_h", n, g * n);
            float[] b = weights(model, "layer" + l + ".b", 1, g * n);
            if (cell instanceof GruCell) {
                float[] bhn = weights(model, "layer" + l + ".b_hn", 1, n);
                layers[l] = gruLayer(cell, kernels, d, n, wx, wh, b, bhn, storage);
            } else if (cell instanceof Gru2014Cell) {
                layers[l] = gru2014Layer(cell, kernels, d, n, wx, wh, b, storage);
            } else {
                layers[l] = new StepLayer(cell, d, n, g * n, kernels.packStep(g, n, wx, 0, d, wh, 0, n, b, 0, storage));
            }
        }
        int o = spec.outputSize();
        float[] wy = weights(model, "W_y", n, o);
        float[] by = weights(model, "b_y", 1, o);
        // The output layer stays float: it is small (n × o) and its rounding reaches ŷ directly.
        StepWeights head = kernels.packStep(1, o, wy, 0, n, null, 0, 0, by, 0, StepWeights.Storage.FLOAT32);
        return new CompiledModel(spec, kernels, layers, head, format);
    }

    /**
     * A GRU layer's step weights, for the GRU's work row {@code [a_r | a_z | a_hn | a_xn]}
     * ({@link GruCell}) in three products that hold each weight once: {@code [W_xr W_xz; W_hr W_hz]}
     * with {@code [b_r b_z]} over {@code [x_t h_{t−1}]}; W_xn with b_n over x_t; W_hn with b_hn over
     * h_{t−1}. (One product over [x_t h_{t−1}] would need zero blocks where W_xn and W_hn must stay
     * apart: a third more bytes, which at D = H = 256 pushed the weights out of L2.)
     */
    private static StepLayer gruLayer(Cell cell, Kernels kernels, int d, int n, float[] wx, float[] wh, float[] b,
                                      float[] bhn, StepWeights.Storage storage) {
        StepWeights rz = kernels.packStep(2, n, columns(wx, d, 3 * n, 0, 2 * n), 0, d,
                columns(wh, n, 3 * n, 0, 2 * n), 0, n, b, 0, storage);
        StepWeights input = kernels.packStep(1, n, columns(wx, d, 3 * n, 2 * n, n), 0, d, null, 0, 0, b, 2 * n, storage);
        StepWeights recurrent = kernels.packStep(1, n, columns(wh, n, 3 * n, 2 * n, n), 0, n, null, 0, 0, bhn, 0, storage);
        return new StepLayer(cell, d, n, 4 * n, rz, input, recurrent);
    }

    /**
     * A 2014 GRU layer's step weights: a_n needs r, so a step is two products ({@link Gru2014Cell})
     * — {@code [W_xr W_xz; W_hr W_hz]} with {@code [b_r b_z]} gives [a_r | a_z] from
     * {@code [x_t h_{t−1}]}, and {@code [W_xn; W_hn]} with b_n gives a_n from
     * {@code [x_t r∘h_{t−1}]} ({@link StepLayer#resetProduct}). Each pre-activation is still one FMA
     * chain from its bias, and the two hold each weight once (no zero blocks).
     */
    private static StepLayer gru2014Layer(Cell cell, Kernels kernels, int d, int n, float[] wx, float[] wh, float[] b,
                                          StepWeights.Storage storage) {
        StepWeights rz = kernels.packStep(2, n, columns(wx, d, 3 * n, 0, 2 * n), 0, d,
                columns(wh, n, 3 * n, 0, 2 * n), 0, n, b, 0, storage);
        StepWeights candidate = kernels.packStep(1, n, columns(wx, d, 3 * n, 2 * n, n), 0, d,
                columns(wh, n, 3 * n, 2 * n, n), 0, n, b, 2 * n, storage);
        return new StepLayer(cell, d, n, 4 * n, rz, candidate, null);
    }

    /** Columns [from, from + count) of a rows × cols row-major matrix, as a rows × count one. */
    private static float[] columns(float[] a, int rows, int cols, int from, int count) {
        float[] out = new float[rows * count];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(a, i * cols + from, out, i * count, count);
        }
        return out;
    }

    private static float[] weights(RecurrentModel model, String name, int rows, int cols) {
        Parameter p = model.parameter(name);
        if (p.rows() != rows || p.cols() != cols) {
            throw new IllegalArgumentException("cannot compile: " + name + " is " + p.rows() + " x " + p.cols()
                    + ", the spec says " + rows + " x " + cols);
        }
        float[] v = p.value();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new IllegalArgumentException("cannot compile: " + name + "[" + i / cols + "][" + i % cols + "] = " + v[i]);
            }
        }
        return v;
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public WeightFormat weightFormat() {
        return format;
    }

    @Override
    public StreamState newStream() {
        return new CompiledStream(this);
    }

    @Override
    public StreamBatch newBatch(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        return new CompiledBatch(this, capacity);
    }

    @Override
    public long weightBytes() {
        long bytes = head.bytes();
        for (StepLayer layer : layers) {
            bytes += layer.bytes();
        }
        return bytes;
    }

    @Override
    public void step(StreamState stream, float[] x, int xOff, float[] out, int outOff) {
        CompiledStream s = own(stream);
        checkInputs(x, xOff, 1, -1);
        checkOutputs(out, outOff, 1);
        Kernels k = kernels;
        float[] in = x;
        int inOff = xOff;
        for (int l = 0; l < layers.length; l++) {
            StepLayer layer = layers[l];
            int so = l * hidden;
            int d = layer.inputSize();
            // [x_t h_{t−1}] side by side: one pass over [W_x; W_h] (the derivation's concatenated form)
            System.arraycopy(in, inOff, s.xh, 0, d);
            System.arraycopy(s.h, so, s.xh, d, hidden);
            k.stepConcatenated(1, layer.weights(), s.xh, 0, d + hidden, s.gates, 0, layer.gateWidth());
            if (layer.gru()) {
                // a_xn = b_n + x_t·W_xn and a_hn = b_hn + h_{t−1}·W_hn, each a product of its own
                k.stepInput(1, layer.candidate(), in, inOff, d, s.gates, 3 * hidden, layer.gateWidth());
                k.stepInput(1, layer.recurrentCandidate(), s.h, so, hidden, s.gates, 2 * hidden, layer.gateWidth());
            } else if (layer.gru2014()) {
                // the 2014 GRU: once r exists, a_n from [x_t  r∘h_{t−1}] side by side, in one pass too
                k.gru2014Reset(1, hidden, s.gates, 0, s.h, so);
                System.arraycopy(s.gates, 3 * hidden, s.xh, d, hidden);
                k.stepConcatenated(1, layer.candidate(), s.xh, 0, d + hidden, s.gates, 2 * hidden, layer.gateWidth());
            }
            layer.cell().activate(k, 1, hidden, s.gates, 0, s.h, so, s.c, so, s.cNext, so, s.hNext, so);
            in = s.hNext;
            inOff = so;
        }
        checkStates(s.hNext, cellState ? s.cNext : null, 0, 1, s.steps, -1);
        if (out != null) {
            output(1, in, inOff, out, outOff, s.steps);
        }
        s.commit(1);
    }

    @Override
    public void prefill(StreamState stream, int steps, float[] x, int xOff, float[] out, int outOff) {
        CompiledStream s = own(stream);
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
        checkInputs(x, xOff, steps, -1);
        checkOutputs(out, outOff, steps);
        s.startWork();
        Kernels k = kernels;
        int chunk = CompiledStream.PREFILL_CHUNK;
        for (int t0 = 0; t0 < steps; t0 += chunk) {
            int tc = Math.min(chunk, steps - t0);
            s.ensurePrefill(gateWidth);
            float[] in = x;
            int inOff = xOff + t0 * inputSize;
            for (int l = 0; l < layers.length; l++) {
                StepLayer layer = layers[l];
                int so = l * hidden;
                int gw = layer.gateWidth();
                float[] hChain = s.chainH[l & 1];
                float[] cChain = s.chainC[l & 1];
                layer.inputProducts(k, tc, in, inOff, s.prefillGates, 0);  // every step's input part at once
                System.arraycopy(s.hNext, so, hChain, 0, hidden);           // row 0: the state before the chunk
                if (cellState) {
                    System.arraycopy(s.cNext, so, cChain, 0, hidden);
                }
                for (int t = 0; t < tc; t++) {
                    layer.recurrentProducts(k, 1, hChain, t * hidden, s.prefillGates, t * gw, s.xh);
                    layer.cell().activate(k, 1, hidden, s.prefillGates, t * gw, hChain, t * hidden, cChain, t * hidden,
                            cChain, (t + 1) * hidden, hChain, (t + 1) * hidden);
                }
                checkStates(hChain, cellState ? cChain : null, hidden, tc, s.steps + t0, l);
                System.arraycopy(hChain, tc * hidden, s.hNext, so, hidden);
                if (cellState) {
                    System.arraycopy(cChain, tc * hidden, s.cNext, so, hidden);
                }
                in = hChain;
                inOff = hidden;
            }
            if (out != null) {
                output(tc, in, inOff, out, outOff + t0 * outputs, s.steps + t0);
            }
        }
        s.commit(steps);
    }

    /** out = head(h) for m rows (ld n in, ld o out), checked finite before the softmax. */
    void output(int m, float[] h, int hOff, float[] out, int outOff, long step0) {
        output(m, h, hOff, out, outOff, step0, null);
    }

    /**
     * {@link #output(int, float[], int, float[], int, long)} where the rows are steps
     * {@code step0, step0 + 1, …} of one stream, or, when {@code streams} is not null, one step of
     * each of {@code streams[0 .. m)} (a batch: a non-finite output names the stream and its step).
     */
    void output(int m, float[] h, int hOff, float[] out, int outOff, long step0, CompiledStream[] streams) {
        kernels.stepInput(m, head, h, hOff, hidden, out, outOff, outputs);
        int bad = kernels.firstNonFinite(m * outputs, out, outOff);
        if (bad >= 0) {
            int row = bad / outputs;
            String value = "o[" + (bad % outputs) + "] = " + out[outOff + bad];
            if (streams != null) {
                long step = streams[row].steps;
                throw new NonFiniteException("output o = h·W_y + b_y of streams[" + row + "]", stepIndex(step),
                        value + " (stream step " + step + "); no stream of this call changed");
            }
            throw new NonFiniteException("output o = h·W_y + b_y", stepIndex(step0 + row),
                    value + (m > 1 ? " (row " + row + ")" : "") + "; the stream is left as it was");
        }
        if (softmax) {
            kernels.softmaxRows(m, outputs, out, outOff, outputs, out, outOff, outputs);
        }
    }

    /**
     * Throws {@link NonFiniteException} for the first non-finite value of rows × n states at
     * {@code off} (h, and c when not null).
     *
     * @param layer the layer of every row, or −1 when the rows are the L layers of one step
     */
    void checkStates(float[] h, float[] c, int off, int rows, long step0, int layer) {
        int count = layer < 0 ? layers.length * hidden : rows * hidden;
        int badH = kernels.firstNonFinite(count, h, off);
        int badC = c == null ? -1 : kernels.firstNonFinite(count, c, off);
        if (badH < 0 && badC < 0) {
            return;
        }
        boolean inH = badH >= 0 && (badC < 0 || badH <= badC);
        int bad = inH ? badH : badC;
        float value = inH ? h[off + bad] : c[off + bad];
        int l = layer < 0 ? bad / hidden : layer;
        long step = layer < 0 ? step0 : step0 + bad / hidden;
        throw new NonFiniteException("layer " + l + " " + (inH ? "hidden state h_t" : "cell state c_t"),
                stepIndex(step), (inH ? "h" : "c") + "[" + bad % hidden + "] = " + value
                + " (stream step " + step + "); the stream is left as it was");
    }

    static int stepIndex(long step) {
        return (int) Math.min(step, Integer.MAX_VALUE);
    }

    /** rows·d inputs at off: present and finite. */
    void checkInputs(float[] x, int off, int rows, int streamIndexBase) {
        long need = (long) rows * inputSize;
        if (x == null) {
            throw new IllegalArgumentException("x is null");
        }
        if (off < 0 || off + need > x.length) {
            throw new IllegalArgumentException("x: expected " + rows + " x " + inputSize + " = " + need
                    + " inputs at offset " + off + ", the array has length " + x.length);
        }
        int bad = kernels.firstNonFinite((int) need, x, off);
        if (bad >= 0) {
            String row = streamIndexBase >= 0 ? "stream " + bad / inputSize + " (streams[" + bad / inputSize + "])"
                    : "step " + bad / inputSize + " of this call";
            throw new IllegalArgumentException("x: input " + bad % inputSize + " of " + row + " is " + x[off + bad]
                    + " (x[" + (off + bad) + "]); inputs must be finite");
        }
    }

    void checkOutputs(float[] out, int off, int rows) {
        if (out == null) {
            return;
        }
        long need = (long) rows * outputs;
        if (off < 0 || off + need > out.length) {
            throw new IllegalArgumentException("out: expected " + rows + " x " + outputs + " = " + need
                    + " outputs at offset " + off + ", the array has length " + out.length);
        }
    }

    CompiledStream own(StreamState stream) {
        if (stream instanceof CompiledStream s && s.model == this) {
            return s;
        }
        if (stream == null) {
            throw new IllegalArgumentException("stream is null");
        }
        throw new IllegalArgumentException("the stream belongs to another model (" + stream.model().spec()
                + "); create streams with this model's newStream()");
    }

    /** "LSTM, 2 layers, n = 128, d = 64" */
    String shape() {
        return spec.cell() + ", " + spec.layers() + " layer" + (spec.layers() == 1 ? "" : "s")
                + ", n = " + hidden + ", d = " + inputSize;
    }

    @Override
    public String toString() {
        return "InferenceModel[" + shape() + ", o = " + outputs + " " + spec.head() + ", " + format + " weights, " + kernels.name() + "]";
    }
}
