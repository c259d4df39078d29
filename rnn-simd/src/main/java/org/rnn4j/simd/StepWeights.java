package org.rnn4j.simd;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.rnn4j.simd.internal.Checks;

/**
 * A layer's gate weights and bias packed once for <em>steps</em>: products of a few rows (one
 * stream's x_t and h_{t−1}, or a handful of streams) with the derivation's concatenated weights
 * {@code [W_x; W_h]} ((d + r) × G·c) plus b (G·c). Such products are matrix-vector products: they
 * read every weight once and do two flops per weight, so they run at the speed the weights stream
 * from cache, and the layout is chosen for that stream.
 *
 * <p>Layout. The G·c gate columns are cut into vectors of {@code lanes} columns; vector column
 * {@code v} is panel {@code p = v / G} (hidden units {@code p·lanes ..}) of gate {@code q = v % G}, so
 * the G gates of the same hidden units sit next to each other (the LSTM epilogue needs i, f, g, o
 * of unit j together). Vector columns are grouped in strips of {@value #STRIP}; a strip stores its
 * d + r rows one after another, each row its vector columns side by side, so a step reads every
 * strip front to back, one contiguous stream, with all its {@value #STRIP} accumulators in
 * registers. Columns past c in the last panel are zero.
 *
 * <p>Rounding. Every kernel forms each output element as one fused-multiply-add chain in row order,
 * starting from the bias: {@code b, then x_0·W[0], …, x_{d−1}·W[d−1], then h_0·W[d], …}. So the
 * scalar and vector kernels give bitwise the same sums, any number of rows gives the same sums as
 * one row, and the input part computed for many steps at once ({@link Kernels#stepInput}) followed
 * by the recurrent part of each step ({@link Kernels#stepRecurrent}) gives the same sums as the
 * steps one by one. The order differs from the GEMM of a training pass (which adds the bias last
 * and blocks k), so results agree with training to rounding, not bitwise.
 *
 * <p>Storage. {@link Storage#FLOAT32} keeps the weights as given. {@link Storage#BFLOAT16} keeps
 * each weight rounded to bfloat16 (the top 16 bits of a float, rounded to nearest even: 8
 * significant bits, relative error at most 2<sup>−8</sup>), half the bytes for a step to stream;
 * the arithmetic stays float (a bfloat16 widens to a float exactly, by a 16-bit shift). Two vector
 * columns share one vector of 32-bit words, the even one in the low halves, the odd one in the
 * high halves, so widening is one shift or one mask per vector. The bias is kept in float. A
 * step's sums are then those of the rounded weights, and the error against the float weights is
 * at most {@code 2^−8·Σ_r |a_r·w_r|} per gate sum, plus the chain's own rounding.
 *
 * <p>Immutable once packed; any number of threads may step with it at once. Create with
 * {@link Kernels#packStep}.
 */
public final class StepWeights {
    /** Vector columns per strip: accumulators a one-row step keeps in registers. */
    public static final int STRIP = 8;
    /** Byte alignment of the packed weights: a cache line, the width of an AVX-512 load. */
    static final long ALIGNMENT = 64;

    /** How the weights are stored (the arithmetic is float either way). */
    public enum Storage {
        /** 32-bit floats, as given. */
        FLOAT32,
        /** bfloat16, rounded to nearest even; half the bytes. */
        BFLOAT16
    }

    final int gates;
    final int width;
    final int inputRows;
    final int recurrentRows;
    final int lanes;
    final int panels;
    final int vectorColumns;
    final Storage storage;
    /**
     * The packed weights, off the heap at a 64-byte boundary (read-only; freed with this object).
     * FLOAT32: the strips, (d + r) × V·lanes floats in all. BFLOAT16: the strips with vector
     * columns in pairs, a strip's row being ⌈width/2⌉·lanes 32-bit words (even column in the low
     * 16 bits, odd in the high). Why off the heap: a Java array starts 16 bytes into its object
     * and the collector moves objects by multiples of 8 bytes, so a float[] puts a 64-byte vector
     * load across two cache lines in most runs; an RNN step at n = 128 measured 1.71 µs so and
     * 1.18 µs with the weights 64-byte aligned.
     */
    final MemorySegment data;
    /** Values (floats or words) in {@link #data}. */
    final int length;
    /** The bias as given, G·c values: a step's chains start from it. */
    final float[] bias;

    private StepWeights(int gates, int width, int inputRows, int recurrentRows, int lanes, Storage storage) {
        this.gates = gates;
        this.width = width;
        this.inputRows = inputRows;
        this.recurrentRows = recurrentRows;
        this.lanes = lanes;
        this.panels = (width + lanes - 1) / lanes;
        this.vectorColumns = gates * panels;
        this.storage = storage;
        int k = inputRows + recurrentRows;
        int pairCount = (vectorColumns / STRIP) * (STRIP / 2) + (vectorColumns % STRIP + 1) / 2;
        this.length = Math.multiplyExact(k, (storage == Storage.FLOAT32 ? vectorColumns : pairCount) * lanes);
        this.data = Arena.ofAuto().allocate(4L * Math.max(1, length), ALIGNMENT);
        this.bias = new float[gates * width];
    }

    /**
     * Packs W_x, W_h and b.
     *
     * @param lanes vector width in floats the packing is for (the kernels' SIMD width)
     * @param wx    <b>in</b> W_x, d × G·c row-major (leading dimension G·c)
     * @param wh    <b>in</b> W_h, r × G·c, or null when r = 0 (an output layer has no recurrent part)
     * @param b     <b>in</b> G·c values
     */
    static StepWeights pack(int lanes, int gates, int width, float[] wx, int wxOff, int d,
                            float[] wh, int whOff, int r, float[] b, int bOff, Storage storage) {
        if (storage == null) {
            throw new NullPointerException("storage is null");
        }
        if (gates < 1 || width < 1) {
            throw new IllegalArgumentException("gates and width must be >= 1, got " + gates + " and " + width);
        }
        Checks.nonNegative("d", d);
        Checks.nonNegative("r", r);
        int gw = Math.multiplyExact(gates, width);
        Checks.matrix("W_x (d x G*c)", wx, wxOff, gw, d, gw);
        if (r > 0) {
            Checks.matrix("W_h (r x G*c)", wh, whOff, gw, r, gw);
        }
        Checks.vector("b (G*c)", b, bOff, gw);
        StepWeights w = new StepWeights(gates, width, d, r, lanes, storage);
        System.arraycopy(b, bOff, w.bias, 0, gw);
        float[] packed = storage == Storage.FLOAT32 ? new float[w.length] : null;
        int[] pairs = storage == Storage.BFLOAT16 ? new int[w.length] : null;
        int k = d + r;
        for (int row = 0; row < k; row++) {
            float[] src = row < d ? wx : wh;
            int srcRow = row < d ? wxOff + row * gw : whOff + (row - d) * gw;
            for (int v = 0; v < w.vectorColumns; v++) {
                int col = w.column(v);
                if (storage == Storage.FLOAT32) {
                    int at = w.index(row, v);
                    for (int l = 0; l < w.valid(v); l++) {
                        packed[at + l] = src[srcRow + col + l];
                    }
                } else {
                    int at = w.pairIndex(row, v);
                    int shift = w.isHigh(v) ? 16 : 0;
                    for (int l = 0; l < w.valid(v); l++) {
                        float value = src[srcRow + col + l];
                        int half = bfloat16(value);
                        if ((half & 0x7F80) == 0x7F80) {
                            throw new IllegalArgumentException((row < d ? "W_x[" + row : "W_h[" + (row - d)) + "]["
                                    + (col + l) + "] = " + value + " has no finite bfloat16 (|w| must be below about 3.39e38)");
                        }
                        pairs[at + l] |= half << shift;
                    }
                }
            }
        }
        if (packed != null) {
            MemorySegment.copy(packed, 0, w.data, ValueLayout.JAVA_FLOAT, 0, w.length);
        } else {
            MemorySegment.copy(pairs, 0, w.data, ValueLayout.JAVA_INT, 0, w.length);
        }
        return new StepWeights(w);
    }

    /** The same packing with a read-only view of the data (nothing writes it after packing). */
    private StepWeights(StepWeights w) {
        this.gates = w.gates;
        this.width = w.width;
        this.inputRows = w.inputRows;
        this.recurrentRows = w.recurrentRows;
        this.lanes = w.lanes;
        this.panels = w.panels;
        this.vectorColumns = w.vectorColumns;
        this.storage = w.storage;
        this.length = w.length;
        this.data = w.data.asReadOnly();
        this.bias = w.bias;
    }

    /**
     * The bfloat16 nearest to {@code value} (ties to even), as its 16 bits: the float's top half,
     * rounded. Widening back, {@code intBitsToFloat(bits << 16)}, is exact.
     */
    public static int bfloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        return ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16) & 0xFFFF;
    }

    /** {@code value} rounded to bfloat16 and widened back to float. */
    public static float roundToBfloat16(float value) {
        return Float.intBitsToFloat(bfloat16(value) << 16);
    }

    /** How the weights are stored. */
    public Storage storage() {
        return storage;
    }

    /** G, the gate blocks. */
    public int gates() {
        return gates;
    }

    /** c, the columns of each gate block (n hidden units, or o outputs of an output layer). */
    public int width() {
        return width;
    }

    /** d, the rows of W_x. */
    public int inputRows() {
        return inputRows;
    }

    /** r, the rows of W_h (0 for an output layer). */
    public int recurrentRows() {
        return recurrentRows;
    }

    /** The vector width in floats this packing is for. */
    public int lanes() {
        return lanes;
    }

    /** Bytes of packed weights one row of a step reads (both parts; padding included). */
    public long bytes() {
        return 4L * length;
    }

    /** The first of vector column v's columns in the unpacked G·c layout: gate block, then unit. */
    int column(int v) {
        return (v % gates) * width + (v / gates) * lanes;
    }

    /** Columns of vector column v that exist (lanes, or fewer in the last panel). */
    int valid(int v) {
        return Math.min(lanes, width - (v / gates) * lanes);
    }

    /** Vector columns in strip s. */
    int stripWidth(int s) {
        return Math.min(STRIP, vectorColumns - s * STRIP);
    }

    /** Vector columns whose lanes are all real columns (all but the last panel's when lanes ∤ c). */
    int fullColumns() {
        return width % lanes == 0 ? vectorColumns : vectorColumns - gates;
    }

    /**
     * Starts the chains of m rows: C = b (the chains of {@link Kernels#stepInput} start from the
     * bias, which this copies into every row of C).
     */
    void startFromBias(int m, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            System.arraycopy(bias, 0, c, cOff + i * ldc, bias.length);
        }
    }

    /** Strips. */
    int strips() {
        return (vectorColumns + STRIP - 1) / STRIP;
    }

    /** Pairs of vector columns in strip s (BFLOAT16). */
    int stripPairs(int s) {
        return (stripWidth(s) + 1) / 2;
    }

    /** Whether vector column v is the high half of its pair (BFLOAT16). */
    boolean isHigh(int v) {
        return (v & 1) == 1;  // strips hold an even number of columns, so pairs never cross one
    }

    /** Where row {@code row} of vector column v's pair starts in {@link #data} (in words). */
    int pairIndex(int row, int v) {
        int s = v / STRIP;
        int k = inputRows + recurrentRows;
        return s * k * (STRIP / 2) * lanes + row * stripPairs(s) * lanes + ((v - s * STRIP) / 2) * lanes;
    }

    /** The weight at row {@code row}, vector column v, lane l, as the kernels multiply it. */
    float weight(int row, int v, int l) {
        if (storage == Storage.FLOAT32) {
            return data.getAtIndex(ValueLayout.JAVA_FLOAT, index(row, v) + l);
        }
        int word = data.getAtIndex(ValueLayout.JAVA_INT, pairIndex(row, v) + l);
        return Float.intBitsToFloat(isHigh(v) ? word & 0xFFFF0000 : word << 16);
    }

    /** Where row {@code row}, vector column {@code v} starts in {@link #data} (in floats). */
    int index(int row, int v) {
        int s = v / STRIP;
        int k = inputRows + recurrentRows;
        return s * k * STRIP * lanes + row * stripWidth(s) * lanes + (v - s * STRIP) * lanes;
    }
}
