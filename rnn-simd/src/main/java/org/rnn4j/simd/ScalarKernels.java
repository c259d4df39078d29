package org.rnn4j.simd;

import java.lang.foreign.ValueLayout;
import org.rnn4j.simd.internal.Checks;

/**
 * The plain-Java reference kernels: simple loops, exact library functions ({@link Math#tanh},
 * {@link Math#exp}) rounded once to float. Every other implementation is tested against these.
 */
final class ScalarKernels implements Kernels {
    static final ScalarKernels INSTANCE = new ScalarKernels();

    private ScalarKernels() {}

    @Override public String name() { return "scalar"; }
    @Override public int vectorBitSize() { return 0; }
    @Override public int threads() { return 1; }

    @Override
    public Kernels withThreads(int threads) {
        return ParallelKernels.of(this, threads);
    }

    @Override
    public void mult(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        Checks.gemm(m, n, k, a, aOff, lda, false, b, bOff, ldb, false, c, cOff, ldc);
        rowsTimesB(m, n, k, alpha, a, aOff, lda, 1, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    public void multTransA(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                           float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        Checks.gemm(m, n, k, a, aOff, lda, true, b, bOff, ldb, false, c, cOff, ldc);
        rowsTimesB(m, n, k, alpha, a, aOff, 1, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    public StepWeights packStep(int gates, int width, float[] wx, int wxOff, int d, float[] wh, int whOff, int r,
                                float[] b, int bOff, StepWeights.Storage storage) {
        return StepWeights.pack(STEP_LANES, gates, width, wx, wxOff, d, wh, whOff, r, b, bOff, storage);
    }

    /** Panel width of the scalar kernels' step packing (any width works; this is AVX-512's). */
    static final int STEP_LANES = 16;

    @Override
    public void stepInput(int m, StepWeights w, float[] x, int xOff, int ldx, float[] gates, int gOff, int ldg) {
        Checks.step(m, w.inputRows, w.gates * w.width, x, xOff, ldx, "X (m x d)", gates, gOff, ldg);
        w.startFromBias(m, gates, gOff, ldg);
        stepRows(m, w, 0, w.inputRows, x, xOff, ldx, gates, gOff, ldg);
    }

    @Override
    public void stepConcatenated(int m, StepWeights w, float[] a, int aOff, int lda, float[] gates, int gOff, int ldg) {
        Checks.step(m, w.inputRows + w.recurrentRows, w.gates * w.width, a, aOff, lda, "[X H] (m x (d + r))",
                gates, gOff, ldg);
        w.startFromBias(m, gates, gOff, ldg);
        stepRows(m, w, 0, w.inputRows + w.recurrentRows, a, aOff, lda, gates, gOff, ldg);
    }

    @Override
    public void stepRecurrent(int m, StepWeights w, float[] h, int hOff, int ldh, float[] gates, int gOff, int ldg) {
        Checks.step(m, w.recurrentRows, w.gates * w.width, h, hOff, ldh, "H (m x r)", gates, gOff, ldg);
        stepRows(m, w, w.inputRows, w.recurrentRows, h, hOff, ldh, gates, gOff, ldg);
    }

    /**
     * C (m × G·c) += A·W[row0 .. row0 + rows): for every element one FMA chain in row order, as
     * {@link StepWeights} promises. Also the vector kernels' path for a packing of another width.
     */
    static void stepRows(int m, StepWeights w, int row0, int rows,
                         float[] a, int aOff, int lda, float[] c, int cOff, int ldc) {
        int lanes = w.lanes;
        if (w.storage != StepWeights.Storage.FLOAT32) {
            for (int i = 0; i < m; i++) {
                for (int v = 0; v < w.vectorColumns; v++) {
                    int col = cOff + i * ldc + w.column(v);
                    for (int l = 0; l < w.valid(v); l++) {
                        float acc = c[col + l];
                        for (int r = 0; r < rows; r++) {
                            acc = Math.fma(a[aOff + i * lda + r], w.weight(row0 + r, v, l), acc);
                        }
                        c[col + l] = acc;
                    }
                }
            }
            return;
        }
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * lda;
            int ci = cOff + i * ldc;
            for (int v = 0; v < w.vectorColumns; v++) {
                int col = ci + w.column(v);
                int valid = w.valid(v);
                int stride = w.stripWidth(v / StepWeights.STRIP) * lanes;
                int base = w.index(row0, v);
                for (int l = 0; l < valid; l++) {
                    float acc = c[col + l];
                    int p = base + l;
                    for (int r = 0; r < rows; r++, p += stride) {
                        acc = Math.fma(a[ai + r], w.data.getAtIndex(ValueLayout.JAVA_FLOAT, p), acc);
                    }
                    c[col + l] = acc;
                }
            }
        }
    }

    /** C = alpha·op(A)·B + beta·C with op(A)[i][p] at {@code aOff + i·rowStride + p·colStride}. */
    private static void rowsTimesB(int m, int n, int k, float alpha, float[] a, int aOff, int rowStride, int colStride,
                                   float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        if (n == 0) {
            return;
        }
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            scaleRow(n, beta, c, ci);
            for (int p = 0; p < k; p++) {
                float t = alpha * a[aOff + i * rowStride + p * colStride];
                int bp = bOff + p * ldb;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += t * b[bp + j];
                }
            }
        }
    }

    @Override
    public void multTransB(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                           float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        Checks.gemm(m, n, k, a, aOff, lda, false, b, bOff, ldb, true, c, cOff, ldc);
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * lda;
            int ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                int bj = bOff + j * ldb;
                float s = 0f;
                for (int p = 0; p < k; p++) {
                    s += a[ai + p] * b[bj + p];
                }
                c[ci + j] = beta == 0f ? alpha * s : beta * c[ci + j] + alpha * s;
            }
        }
    }

    /** {@code row *= beta}, where beta == 0 clears the row without reading it. */
    private static void scaleRow(int n, float beta, float[] c, int off) {
        if (beta == 0f) {
            java.util.Arrays.fill(c, off, off + n, 0f);
        } else if (beta != 1f) {
            for (int j = 0; j < n; j++) {
                c[off + j] *= beta;
            }
        }
    }

    @Override
    public PackedMatrix packB(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        return PackedMatrix.of(transB, k, n, b, bOff, ldb, 0, 0);
    }

    @Override
    public void repackB(PackedMatrix packed, boolean transB, float[] b, int bOff, int ldb) {
        packed.fill(transB, b, bOff, ldb);
    }

    @Override
    public void multPacked(int m, int n, float alpha, float[] a, int aOff, int lda, PackedMatrix packed, int col0,
                           float beta, float[] c, int cOff, int ldc) {
        Checks.packed(m, n, a, aOff, lda, packed, col0, c, cOff, ldc);
        mult(m, n, packed.k, alpha, a, aOff, lda, packed.plain, col0, Math.max(1, packed.n), beta, c, cOff, ldc);
    }

    @Override
    public void addRowVector(int m, int n, float[] v, int vOff, float[] c, int cOff, int ldc) {
        Checks.rowVector(m, n, v, vOff, c, cOff, ldc);
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                c[ci + j] += v[vOff + j];
            }
        }
    }

    @Override
    public void sumRows(int m, int n, float[] a, int aOff, int lda, float[] out, int outOff) {
        Checks.sumRows(m, n, a, aOff, lda, out, outOff);
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * lda;
            for (int j = 0; j < n; j++) {
                out[outOff + j] += a[ai + j];
            }
        }
    }

    @Override
    public void softmaxRows(int m, int n, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        Checks.rows(m, n, x, xOff, ldx, y, yOff, ldy);
        for (int i = 0; i < m; i++) {
            int xi = xOff + i * ldx;
            int yi = yOff + i * ldy;
            float max = rowMax(n, x, xi);
            double sum = 0;
            for (int j = 0; j < n; j++) {
                float e = (float) Math.exp(x[xi + j] - max);
                y[yi + j] = e;
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (int j = 0; j < n; j++) {
                y[yi + j] *= inv;
            }
        }
    }

    @Override
    public void logSoftmaxRows(int m, int n, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        Checks.rows(m, n, x, xOff, ldx, y, yOff, ldy);
        for (int i = 0; i < m; i++) {
            int xi = xOff + i * ldx;
            int yi = yOff + i * ldy;
            float max = rowMax(n, x, xi);
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += Math.exp(x[xi + j] - max);
            }
            // (x − max) − lse, not x − (max + lse): max + lse would round back to max for huge logits
            float lse = (float) Math.log(sum);
            for (int j = 0; j < n; j++) {
                y[yi + j] = (x[xi + j] - max) - lse;
            }
        }
    }

    private static float rowMax(int n, float[] x, int off) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, x[off + j]);
        }
        return max;
    }

    @Override
    public void activate(Activation f, int n, float[] x, int xOff, float[] y, int yOff) {
        Checks.activation(f, n, x, xOff, y, yOff);
        switch (f) {
            case IDENTITY -> System.arraycopy(x, xOff, y, yOff, n);
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    y[yOff + i] = (float) Math.tanh(x[xOff + i]);
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < n; i++) {
                    y[yOff + i] = (float) (1.0 / (1.0 + Math.exp(-(double) x[xOff + i])));
                }
            }
            case RELU -> {
                for (int i = 0; i < n; i++) {
                    float v = x[xOff + i];
                    y[yOff + i] = v > 0f ? v : (v == v ? 0f : v); // keeps NaN visible
                }
            }
        }
    }

    @Override
    public void derivativeFromOutput(Activation f, int n, float[] y, int yOff, float[] d, int dOff) {
        Checks.activation(f, n, "y", y, yOff, "d", d, dOff);
        for (int i = 0; i < n; i++) {
            d[dOff + i] = derivative(f, y[yOff + i]);
        }
    }

    @Override
    public void multiplyDerivative(Activation f, int n, float[] y, int yOff, float[] g, int gOff) {
        Checks.activation(f, n, "y", y, yOff, "g", g, gOff);
        for (int i = 0; i < n; i++) {
            g[gOff + i] *= derivative(f, y[yOff + i]);
        }
    }

    static float derivative(Activation f, float y) {
        return switch (f) {
            case IDENTITY -> 1f;
            case TANH -> 1f - y * y;
            case SIGMOID -> y * (1f - y);
            case RELU -> y > 0f ? 1f : 0f;
        };
    }

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        Checks.vectors(n, "x", x, xOff, "y", y, yOff);
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public void scale(int n, float alpha, float[] x, int xOff) {
        Checks.vector(n, "x", x, xOff);
        for (int i = 0; i < n; i++) {
            x[xOff + i] *= alpha;
        }
    }

    @Override
    public void hadamard(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        Checks.vectors(n, "x", x, xOff, "y", y, yOff);
        Checks.vector("z", z, zOff, n);
        for (int i = 0; i < n; i++) {
            z[zOff + i] = x[xOff + i] * y[yOff + i];
        }
    }

    @Override
    public int firstNonFinite(int n, float[] x, int xOff) {
        Checks.vector(n, "x", x, xOff);
        return firstNonFiniteFrom(0, n, x, xOff);
    }

    /** Scalar scan of [from, n); shared by the vector kernels to locate the element. */
    static int firstNonFiniteFrom(int from, int n, float[] x, int xOff) {
        for (int i = from; i < n; i++) {
            if (!Float.isFinite(x[xOff + i])) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public double sumOfSquares(int n, float[] x, int xOff) {
        Checks.vector(n, "x", x, xOff);
        double s = 0;
        for (int i = 0; i < n; i++) {
            double v = x[xOff + i];
            s += v * v;
        }
        return s;
    }

    @Override
    public void lstmForward(int m, int n, boolean forgetGate, float[] gates, int gOff,
                            float[] cPrev, int cPrevOff, float[] c, int cOff, float[] h, int hOff) {
        Checks.lstmForward(m, n, forgetGate, gates, gOff, cPrev, cPrevOff, c, cOff, h, hOff);
        int gn = GateLayout.lstm(forgetGate).width(n);
        for (int r = 0; r < m; r++) {
            lstmForwardRow(n, 0, n, forgetGate, gates, gOff + r * gn, cPrev, cPrevOff + r * n,
                    c, cOff + r * n, h, hOff + r * n);
        }
    }

    /** Columns [from, to) of one row of {@link #lstmForward}; also the vector kernels' tail. */
    static void lstmForwardRow(int n, int from, int to, boolean forgetGate, float[] gates, int g0,
                               float[] cPrev, int cp0, float[] c, int c0, float[] h, int h0) {
        GateLayout layout = GateLayout.lstm(forgetGate);
        int iOffset = layout.offset(GateLayout.Gate.I, n);
        int fOffset = forgetGate ? layout.offset(GateLayout.Gate.F, n) : -1;
        int gOffset = layout.offset(GateLayout.Gate.G, n);
        int oOffset = layout.offset(GateLayout.Gate.O, n);
        for (int j = from; j < to; j++) {
            float i = sigmoid(gates[g0 + iOffset + j]);
            float f = forgetGate ? sigmoid(gates[g0 + fOffset + j]) : 1f;
            float g = (float) Math.tanh(gates[g0 + gOffset + j]);
            float o = sigmoid(gates[g0 + oOffset + j]);
            gates[g0 + iOffset + j] = i;
            if (forgetGate) {
                gates[g0 + fOffset + j] = f;
            }
            gates[g0 + gOffset + j] = g;
            gates[g0 + oOffset + j] = o;
            float cc = f * cPrev[cp0 + j] + i * g;
            c[c0 + j] = cc;
            h[h0 + j] = o * (float) Math.tanh(cc);
        }
    }

    @Override
    public void lstmBackward(int m, int n, boolean forgetGate, float[] gates, int gOff,
                             float[] cPrev, int cPrevOff, float[] c, int cOff,
                             float[] dh, int dhOff, float[] dc, int dcOff, float[] dGates, int dgOff) {
        Checks.lstmBackward(m, n, forgetGate, gates, gOff, cPrev, cPrevOff, c, cOff, dh, dhOff, dc, dcOff, dGates, dgOff);
        int gn = GateLayout.lstm(forgetGate).width(n);
        for (int r = 0; r < m; r++) {
            lstmBackwardRow(n, 0, n, forgetGate, gates, gOff + r * gn, cPrev, cPrevOff + r * n, c, cOff + r * n,
                    dh, dhOff + r * n, dc, dcOff + r * n, dGates, dgOff + r * gn);
        }
    }

    /** Columns [from, to) of one row of {@link #lstmBackward}; also the vector kernels' tail. */
    static void lstmBackwardRow(int n, int from, int to, boolean forgetGate, float[] gates, int g0,
                                float[] cPrev, int cp0, float[] c, int c0, float[] dh, int dh0,
                                float[] dc, int dc0, float[] dGates, int dg0) {
        GateLayout layout = GateLayout.lstm(forgetGate);
        int iOffset = layout.offset(GateLayout.Gate.I, n);
        int fOffset = forgetGate ? layout.offset(GateLayout.Gate.F, n) : -1;
        int gOffset = layout.offset(GateLayout.Gate.G, n);
        int oOffset = layout.offset(GateLayout.Gate.O, n);
        for (int j = from; j < to; j++) {
            float i = gates[g0 + iOffset + j];
            float f = forgetGate ? gates[g0 + fOffset + j] : 1f;
            float g = gates[g0 + gOffset + j];
            float o = gates[g0 + oOffset + j];
            float tc = (float) Math.tanh(c[c0 + j]);
            float dhj = dh[dh0 + j];
            float dct = dc[dc0 + j] + dhj * o * (1f - tc * tc);
            dGates[dg0 + iOffset + j] = dct * g * i * (1f - i);
            if (forgetGate) {
                dGates[dg0 + fOffset + j] = dct * cPrev[cp0 + j] * f * (1f - f);
            }
            dGates[dg0 + gOffset + j] = dct * i * (1f - g * g);
            dGates[dg0 + oOffset + j] = dhj * tc * o * (1f - o);
            dc[dc0 + j] = dct * f;
        }
    }

    @Override
    public void gruForward(int m, int n, float[] gates, int gOff, float[] hPrev, int hpOff, float[] h, int hOff) {
        Checks.gru(m, n, gates, gOff, hPrev, hpOff, "h (m x n)", h, hOff);
        for (int r = 0; r < m; r++) {
            gruForwardRow(n, 0, n, gates, gOff + 4 * r * n, hPrev, hpOff + r * n, h, hOff + r * n);
        }
    }

    /** Columns [from, to) of one row of {@link #gruForward}; also the vector kernels' tail. */
    static void gruForwardRow(int n, int from, int to, float[] gates, int g0, float[] hPrev, int hp0, float[] h, int h0) {
        for (int j = from; j < to; j++) {
            float r = sigmoid(gates[g0 + j]);
            float z = sigmoid(gates[g0 + n + j]);
            float cand = (float) Math.tanh(Math.fma(r, gates[g0 + 2 * n + j], gates[g0 + 3 * n + j])); // ñ
            gates[g0 + j] = r;
            gates[g0 + n + j] = z;
            gates[g0 + 3 * n + j] = cand;
            h[h0 + j] = Math.fma(z, hPrev[hp0 + j] - cand, cand);            // ñ + z∘(h_prev − ñ)
        }
    }

    @Override
    public void gruBackward(int m, int n, float[] gates, int gOff, float[] hPrev, int hpOff,
                            float[] dh, int dhOff, float[] dGates, int dgOff) {
        Checks.gru(m, n, gates, gOff, hPrev, hpOff, "dh (m x n)", dh, dhOff);
        Checks.vector("dGates (m x 4n)", dGates, dgOff, 4 * m * n);
        for (int r = 0; r < m; r++) {
            gruBackwardRow(n, 0, n, gates, gOff + 4 * r * n, hPrev, hpOff + r * n, dh, dhOff + r * n,
                    dGates, dgOff + 4 * r * n);
        }
    }

    /** Columns [from, to) of one row of {@link #gruBackward}; also the vector kernels' tail. */
    static void gruBackwardRow(int n, int from, int to, float[] gates, int g0, float[] hPrev, int hp0,
                               float[] dh, int dh0, float[] dGates, int dg0) {
        for (int j = from; j < to; j++) {
            float r = gates[g0 + j];
            float z = gates[g0 + n + j];
            float ahn = gates[g0 + 2 * n + j];
            float cand = gates[g0 + 3 * n + j];
            float d = dh[dh0 + j];
            float dan = d * (1f - z) * (1f - cand * cand);
            dGates[dg0 + j] = dan * ahn * (r * (1f - r));
            dGates[dg0 + n + j] = d * (hPrev[hp0 + j] - cand) * (z * (1f - z));
            dGates[dg0 + 2 * n + j] = dan * r;
            dGates[dg0 + 3 * n + j] = dan;
            dh[dh0 + j] = d * z;
        }
    }

    @Override
    public void gru2014Reset(int m, int n, float[] gates, int gOff, float[] hPrev, int hpOff) {
        Checks.gru2014Reset(m, n, gates, gOff, hPrev, hpOff);
        for (int r = 0; r < m; r++) {
            gru2014ResetRow(n, 0, n, gates, gOff + 4 * r * n, hPrev, hpOff + r * n);
        }
    }

    /** Columns [from, to) of one row of {@link #gru2014Reset}; also the vector kernels' tail. */
    static void gru2014ResetRow(int n, int from, int to, float[] gates, int g0, float[] hPrev, int hp0) {
        for (int j = from; j < to; j++) {
            float r = sigmoid(gates[g0 + j]);
            gates[g0 + j] = r;
            gates[g0 + n + j] = sigmoid(gates[g0 + n + j]);
            gates[g0 + 3 * n + j] = r * hPrev[hp0 + j];                      // r∘h_{t−1}
        }
    }

    @Override
    public void gru2014Forward(int m, int n, float[] gates, int gOff, float[] hPrev, int hpOff, float[] h, int hOff) {
        Checks.gru(m, n, gates, gOff, hPrev, hpOff, "h (m x n)", h, hOff);
        for (int r = 0; r < m; r++) {
            gru2014ForwardRow(n, 0, n, gates, gOff + 4 * r * n, hPrev, hpOff + r * n, h, hOff + r * n);
        }
    }

    /** Columns [from, to) of one row of {@link #gru2014Forward}; also the vector kernels' tail. */
    static void gru2014ForwardRow(int n, int from, int to, float[] gates, int g0, float[] hPrev, int hp0,
                                  float[] h, int h0) {
        for (int j = from; j < to; j++) {
            float cand = (float) Math.tanh(gates[g0 + 2 * n + j]);             // ñ
            gates[g0 + 2 * n + j] = cand;
            h[h0 + j] = Math.fma(gates[g0 + n + j], hPrev[hp0 + j] - cand, cand); // ñ + z∘(h_prev − ñ)
        }
    }

    @Override
    public void gru2014Backward(int m, int n, float[] gates, int gOff, float[] hPrev, int hpOff,
                                float[] dh, int dhOff, float[] dGates, int dgOff) {
        Checks.gru2014Backward(m, n, gates, gOff, hPrev, hpOff, dh, dhOff, dGates, dgOff);
        for (int r = 0; r < m; r++) {
            gru2014BackwardRow(n, 0, n, gates, gOff + 4 * r * n, hPrev, hpOff + r * n, dh, dhOff + r * n,
                    dGates, dgOff + 4 * r * n);
        }
    }

    /** Columns [from, to) of one row of {@link #gru2014Backward}; also the vector kernels' tail. */
    static void gru2014BackwardRow(int n, int from, int to, float[] gates, int g0, float[] hPrev, int hp0,
                                   float[] dh, int dh0, float[] dGates, int dg0) {
        for (int j = from; j < to; j++) {
            float z = gates[g0 + n + j];
            float cand = gates[g0 + 2 * n + j];
            float d = dh[dh0 + j];
            dGates[dg0 + n + j] = d * (hPrev[hp0 + j] - cand) * (z * (1f - z));
            dGates[dg0 + 2 * n + j] = d * (1f - z) * (1f - cand * cand);
        }
    }

    @Override
    public void gru2014ResetBackward(int m, int n, float[] gates, int gOff, float[] hPrev, int hpOff,
                                     float[] dh, int dhOff, float[] dGates, int dgOff) {
        Checks.gru2014Backward(m, n, gates, gOff, hPrev, hpOff, dh, dhOff, dGates, dgOff);
        for (int r = 0; r < m; r++) {
            gru2014ResetBackwardRow(n, 0, n, gates, gOff + 4 * r * n, hPrev, hpOff + r * n, dh, dhOff + r * n,
                    dGates, dgOff + 4 * r * n);
        }
    }

    /** Columns [from, to) of one row of {@link #gru2014ResetBackward}; also the vector kernels' tail. */
    static void gru2014ResetBackwardRow(int n, int from, int to, float[] gates, int g0, float[] hPrev, int hp0,
                                        float[] dh, int dh0, float[] dGates, int dg0) {
        for (int j = from; j < to; j++) {
            float r = gates[g0 + j];
            float z = gates[g0 + n + j];
            float g = dGates[dg0 + 3 * n + j];                                // ∂L/∂(r∘h_{t−1})
            dGates[dg0 + j] = g * hPrev[hp0 + j] * (r * (1f - r));
            dh[dh0 + j] = Math.fma(g, r, dh[dh0 + j] * z);
        }
    }

    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-(double) x)));
    }
}
