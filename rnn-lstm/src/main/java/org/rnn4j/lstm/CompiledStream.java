package org.rnn4j.lstm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.InferenceModel;
import org.rnn4j.api.StreamState;

/**
 * A stream of a {@link CompiledModel}: the committed state h, c (L·n each, layer after layer), the
 * next state a step computes before it is checked and committed (so a failed step leaves the
 * state as it was), and the step's gate scratch. A prefill's scratch is allocated on first use.
 */
final class CompiledStream implements StreamState {
    /** Steps a prefill runs through the input product together. */
    static final int PREFILL_CHUNK = 32;
    static final int MAGIC = 0x524E5354; // "RNST"
    static final int VERSION = 1;
    /** magic, version, cell, layers, n, d (ints) and the step count (long). */
    static final int HEADER_BYTES = 6 * Integer.BYTES + Long.BYTES;

    final CompiledModel model;
    final float[] h;
    final float[] c;
    final float[] hNext;
    final float[] cNext;
    final float[] gates;
    /** One layer's [x_t h_{t−1}], the row of a step's product. */
    final float[] xh;
    long steps;
    /** The last {@link CompiledBatch} call that listed this stream (duplicates in one call are refused). */
    long mark;

    float[] prefillGates;
    /** Two chains of PREFILL_CHUNK + 1 states, for layers alternately (layer l reads l − 1's). */
    float[][] chainH;
    float[][] chainC;

    CompiledStream(CompiledModel model) {
        this.model = model;
        int states = model.layers.length * model.hidden;
        this.h = new float[states];
        this.hNext = new float[states];
        this.c = new float[model.cellState ? states : 0];
        this.cNext = new float[c.length];
        this.gates = new float[model.gateWidth];
        this.xh = new float[Math.max(model.inputSize, model.hidden) + model.hidden];
    }

    /** The working state (hNext, cNext) starts from the committed one. */
    void startWork() {
        System.arraycopy(h, 0, hNext, 0, h.length);
        System.arraycopy(c, 0, cNext, 0, c.length);
    }

    /** The working state becomes the state, {@code taken} steps later. */
    void commit(int taken) {
        System.arraycopy(hNext, 0, h, 0, h.length);
        System.arraycopy(cNext, 0, c, 0, c.length);
        steps += taken;
    }

    void ensurePrefill(int gateWidth) {
        if (prefillGates == null) {
            int chain = (PREFILL_CHUNK + 1) * model.hidden;
            prefillGates = new float[PREFILL_CHUNK * gateWidth];
            chainH = new float[][] {new float[chain], new float[chain]};
            chainC = model.cellState ? new float[][] {new float[chain], new float[chain]} : new float[][] {null, null};
        }
    }

    @Override
    public InferenceModel model() {
        return model;
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public void reset() {
        Arrays.fill(h, 0f);
        Arrays.fill(c, 0f);
        steps = 0;
    }

    @Override
    public void setState(float[] h0, float[] c0) {
        int states = h.length;
        if (h0 != null && h0.length != states) {
            throw new IllegalArgumentException("h: expected L x n = " + model.layers.length + " x " + model.hidden
                    + " = " + states + " values, got " + h0.length);
        }
        if (c0 != null && !model.cellState) {
            throw new IllegalArgumentException("c: a " + model.spec.cell() + " cell has no cell state; pass null");
        }
        if (c0 != null && c0.length != states) {
            throw new IllegalArgumentException("c: expected L x n = " + model.layers.length + " x " + model.hidden
                    + " = " + states + " values, got " + c0.length);
        }
        finite("h", h0);
        finite("c", c0);
        if (h0 == null) {
            Arrays.fill(h, 0f);
        } else {
            System.arraycopy(h0, 0, h, 0, states);
        }
        if (model.cellState) {
            if (c0 == null) {
                Arrays.fill(c, 0f);
            } else {
                System.arraycopy(c0, 0, c, 0, states);
            }
        }
    }

    private void finite(String name, float[] v) {
        if (v == null) {
            return;
        }
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new IllegalArgumentException(name + " of layer " + i / model.hidden + ", unit " + i % model.hidden
                        + " is " + v[i] + "; a state must be finite");
            }
        }
    }

    @Override
    public void copyHidden(int layer, float[] out, int off) {
        copyLayer(h, layer, out, off, "h");
    }

    @Override
    public void copyCell(int layer, float[] out, int off) {
        if (!model.cellState) {
            throw new IllegalStateException("a " + model.spec.cell() + " cell has no cell state");
        }
        copyLayer(c, layer, out, off, "c");
    }

    private void copyLayer(float[] state, int layer, float[] out, int off, String name) {
        if (layer < 0 || layer >= model.layers.length) {
            throw new IllegalArgumentException("layer must be in [0, " + model.layers.length + "), got " + layer);
        }
        if (out == null || off < 0 || off + model.hidden > out.length) {
            throw new IllegalArgumentException(name + ": " + model.hidden + " values at offset " + off
                    + " do not fit in " + (out == null ? "null" : "an array of length " + out.length));
        }
        System.arraycopy(state, layer * model.hidden, out, off, model.hidden);
    }

    @Override
    public void copyFrom(StreamState other) {
        if (!(other instanceof CompiledStream o)) {
            throw new IllegalArgumentException("cannot copy a " + (other == null ? "null" : other.getClass().getName())
                    + " into a stream of " + model);
        }
        if (!sameShape(o.model)) {
            throw new IllegalArgumentException("cannot copy a stream of " + o.model.shape() + " into a stream of " + model.shape());
        }
        System.arraycopy(o.h, 0, h, 0, h.length);
        System.arraycopy(o.c, 0, c, 0, c.length);
        steps = o.steps;
    }

    private boolean sameShape(CompiledModel other) {
        return other.spec.cell() == model.spec.cell() && other.layers.length == model.layers.length
                && other.hidden == model.hidden && other.inputSize == model.inputSize;
    }

    @Override
    public StreamState copy() {
        CompiledStream s = new CompiledStream(model);
        s.copyFrom(this);
        return s;
    }

    @Override
    public int stateBytes() {
        return HEADER_BYTES + Float.BYTES * (h.length + c.length);
    }

    @Override
    public void saveState(ByteBuffer dst) {
        int bytes = stateBytes();
        if (dst.remaining() < bytes) {
            throw new java.nio.BufferOverflowException();
        }
        ByteBuffer out = dst.slice(dst.position(), bytes).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(MAGIC).putInt(VERSION).putInt(model.spec.cell().ordinal()).putInt(model.layers.length)
                .putInt(model.hidden).putInt(model.inputSize).putLong(steps);
        out.asFloatBuffer().put(h).put(c);
        dst.position(dst.position() + bytes);
    }

    @Override
    public void restoreState(ByteBuffer src) {
        int start = src.position();
        ByteBuffer in = src.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (in.remaining() < HEADER_BYTES) {
            throw new IllegalArgumentException("stream state: " + in.remaining() + " bytes from offset " + start
                    + ", the header alone is " + HEADER_BYTES);
        }
        int magic = in.getInt(0);
        if (magic != MAGIC) {
            throw new IllegalArgumentException(String.format("stream state: magic 0x%08X at byte offset %d,"
                    + " expected 0x%08X (\"RNST\"): not an rnn4j stream state", magic, start, MAGIC));
        }
        int version = in.getInt(4);
        if (version != VERSION) {
            throw new IllegalArgumentException("stream state: format version " + version + " at byte offset " + (start + 4)
                    + ", this library reads version " + VERSION);
        }
        int cell = in.getInt(8);
        int layers = in.getInt(12);
        int hidden = in.getInt(16);
        int inputs = in.getInt(20);
        long savedSteps = in.getLong(24);
        CellKind[] kinds = CellKind.values();
        String saved = (cell >= 0 && cell < kinds.length ? kinds[cell].toString() : "cell #" + cell) + ", " + layers
                + " layer" + (layers == 1 ? "" : "s") + ", n = " + hidden + ", d = " + inputs;
        if (cell != model.spec.cell().ordinal() || layers != model.layers.length || hidden != model.hidden
                || inputs != model.inputSize) {
            throw new IllegalArgumentException("stream state (byte offset " + start + ") is of a model with " + saved
                    + "; this stream's model has " + model.shape());
        }
        if (savedSteps < 0) {
            throw new IllegalArgumentException("stream state: step count " + savedSteps + " at byte offset " + (start + 24)
                    + " is negative");
        }
        int bytes = stateBytes();
        if (in.remaining() < bytes) {
            throw new IllegalArgumentException("stream state: expected " + bytes + " bytes from byte offset " + start
                    + ", only " + in.remaining() + " remain (truncated)");
        }
        int values = h.length + c.length;
        for (int i = 0; i < values; i++) {
            float v = in.getFloat(HEADER_BYTES + 4 * i);
            if (!Float.isFinite(v)) {
                boolean inH = i < h.length;
                int j = inH ? i : i - h.length;
                throw new IllegalArgumentException("stream state: " + (inH ? "h" : "c") + " of layer " + j / hidden
                        + ", unit " + j % hidden + " is " + v + " at byte offset " + (start + HEADER_BYTES + 4 * i));
            }
        }
        in.position(HEADER_BYTES);
        in.asFloatBuffer().get(h).get(c);
        steps = savedSteps;
        src.position(start + bytes);
    }

    @Override
    public String toString() {
        return "StreamState[" + model.shape() + ", " + steps + " steps]";
    }
}
