package org.rnn4j.lstm;

import java.util.concurrent.atomic.AtomicLong;
import org.rnn4j.api.InferenceModel;
import org.rnn4j.api.StreamBatch;
import org.rnn4j.api.StreamState;
import org.rnn4j.simd.Kernels;

/**
 * Steps several streams of a {@link CompiledModel} together: their states are gathered into
 * contiguous rows, each layer runs {@link Kernels#stepInput} and {@link Kernels#stepRecurrent} on
 * all rows at once (the kernels' 4-row blocks read each weight once per four streams) and the
 * cell's epilogue, and the new states are scattered back only once every row is finite.
 */
final class CompiledBatch implements StreamBatch {
    /** Tags each call, so that a stream listed twice in one call is recognised. */
    private static final AtomicLong CALLS = new AtomicLong();

    private final CompiledModel model;
    private final int capacity;
    private final float[] gates;
    /** Gathered states, layer after layer, each capacity × n. */
    private final float[] h;
    private final float[] c;
    private final float[] hNext;
    private final float[] cNext;
    private final CompiledStream[] rows;
    /** The 2014 GRU's r∘h_{t−1} of every row, for its candidate's product (empty for other cells). */
    private final float[] resetState;

    CompiledBatch(CompiledModel model, int capacity) {
        this.model = model;
        this.capacity = capacity;
        int states = Math.multiplyExact(model.layers.length * model.hidden, capacity);
        this.gates = new float[Math.multiplyExact(capacity, model.gateWidth)];
        this.h = new float[states];
        this.hNext = new float[states];
        this.c = new float[model.cellState ? states : 0];
        this.cNext = new float[c.length];
        this.rows = new CompiledStream[capacity];
        this.resetState = new float[model.layers[0].gru2014() ? Math.multiplyExact(capacity, model.hidden) : 0];
    }

    @Override
    public InferenceModel model() {
        return model;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public void step(StreamState[] streams, int count, float[] x, int xOff, float[] out, int outOff) {
        if (count < 0 || count > capacity) {
            throw new IllegalArgumentException("count must be in [0, " + capacity + "] (the batch's capacity), got " + count);
        }
        if (streams == null || streams.length < count) {
            throw new IllegalArgumentException("streams: expected at least " + count + " streams, got "
                    + (streams == null ? "null" : streams.length));
        }
        model.checkInputs(x, xOff, count, 0);
        model.checkOutputs(out, outOff, count);
        long call = CALLS.incrementAndGet();
        for (int i = 0; i < count; i++) {
            CompiledStream s;
            try {
                s = model.own(streams[i]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("streams[" + i + "]: " + e.getMessage(), e);
            }
            if (s.mark == call) {
                throw new IllegalArgumentException("streams[" + i + "] is listed twice in one step");
            }
            s.mark = call;
            rows[i] = s;
        }
        if (count == 0) {
            return;
        }
        int n = model.hidden;
        int layerBlock = capacity * n;
        for (int l = 0; l < model.layers.length; l++) {                 // gather
            for (int i = 0; i < count; i++) {
                System.arraycopy(rows[i].h, l * n, h, l * layerBlock + i * n, n);
                if (model.cellState) {
                    System.arraycopy(rows[i].c, l * n, c, l * layerBlock + i * n, n);
                }
            }
        }
        Kernels k = model.kernels;
        float[] in = x;
        int inOff = xOff;
        for (int l = 0; l < model.layers.length; l++) {
            StepLayer layer = model.layers[l];
            int so = l * layerBlock;
            layer.inputProducts(k, count, in, inOff, gates, 0);
            layer.recurrentProducts(k, count, h, so, gates, 0, resetState);
            layer.cell().activate(k, count, n, gates, 0, h, so, c, so, cNext, so, hNext, so);
            checkRows(l, count);
            in = hNext;
            inOff = so;
        }
        if (out != null) {
            try {
                model.output(count, in, inOff, out, outOff, -1, rows);
            } catch (org.rnn4j.api.NonFiniteException e) {
                java.util.Arrays.fill(rows, null);
                throw e;
            }
        }
        for (int i = 0; i < count; i++) {                                 // scatter: commit
            CompiledStream s = rows[i];
            for (int l = 0; l < model.layers.length; l++) {
                System.arraycopy(hNext, l * layerBlock + i * n, s.h, l * n, n);
                if (model.cellState) {
                    System.arraycopy(cNext, l * layerBlock + i * n, s.c, l * n, n);
                }
            }
            s.steps++;
            rows[i] = null;
        }
    }

    private void checkRows(int l, int count) {
        int n = model.hidden;
        int off = l * capacity * n;
        Kernels k = model.kernels;
        int badH = k.firstNonFinite(count * n, hNext, off);
        int badC = model.cellState ? k.firstNonFinite(count * n, cNext, off) : -1;
        if (badH < 0 && badC < 0) {
            return;
        }
        boolean inH = badH >= 0 && (badC < 0 || badH <= badC);
        int bad = inH ? badH : badC;
        CompiledStream s = rows[bad / n];
        java.util.Arrays.fill(rows, null);
        throw new org.rnn4j.api.NonFiniteException("layer " + l + " " + (inH ? "hidden state h_t" : "cell state c_t")
                + " of streams[" + bad / n + "]", CompiledModel.stepIndex(s.steps),
                (inH ? "h" : "c") + "[" + bad % n + "] = " + (inH ? hNext : cNext)[off + bad]
                + " (stream step " + s.steps + "); no stream of this call changed");
    }
}
