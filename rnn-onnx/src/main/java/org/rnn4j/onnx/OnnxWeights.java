package org.rnn4j.onnx;

import java.util.List;
import org.rnn4j.api.CellKind;
import org.rnn4j.simd.GateLayout;
import org.rnn4j.simd.GateLayout.Gate;

/**
 * rnn4j's recurrent weights in the layout of ONNX's {@code RNN} and {@code LSTM} operators.
 * rnn4j multiplies from the left ({@code x·W_x}, W_x is d × G·n) with gate blocks in PyTorch's
 * order i, f, g, o ({@link GateLayout}); ONNX multiplies by the transpose ({@code X·Wᵀ}, W is
 * G·n × d) with its own gate order: i, o, f, c for the LSTM (c is rnn4j's candidate g), z, r, h
 * for both GRUs (rnn4j's r, z, n). So each matrix is transposed and its blocks are reordered; the
 * RNN has one block.
 */
final class OnnxWeights {
    private OnnxWeights() {}

    /** ONNX's gate order of an LSTM: i, o, f, c. */
    private static final List<Gate> LSTM_ORDER = List.of(Gate.I, Gate.O, Gate.F, Gate.G);
    /** ONNX's gate order of a GRU: z, r, h (h is rnn4j's candidate n). */
    private static final List<Gate> GRU_ORDER = List.of(Gate.Z, Gate.R, Gate.N);
    /** The RNN's one block, its pre-activation. */
    private static final List<Gate> RNN_ORDER = List.of(Gate.A);

    /**
     * The matrix ONNX calls W (from W_x) or R (from W_h), without the leading direction axis.
     *
     * @param w    <b>in</b> rows × G·n, row-major, rnn4j's gate blocks
     * @param rows d_l for W_x, n for W_h
     * @return G·n × rows, row-major, ONNX's gate blocks
     */
    static float[] kernel(CellKind cell, int n, float[] w, int rows) {
        GateLayout layout = layout(cell);
        List<Gate> order = order(cell);
        int gn = layout.width(n);
        float[] out = new float[gn * rows];
        for (int p = 0; p < order.size(); p++) {
            int src = layout.offset(order.get(p), n);   // the block's first column in rnn4j
            for (int k = 0; k < n; k++) {
                int dstRow = (p * n + k) * rows;
                for (int j = 0; j < rows; j++) {
                    out[dstRow + j] = w[j * gn + src + k];
                }
            }
        }
        return out;
    }

    /**
     * ONNX's B, the input bias Wb followed by the recurrent bias Rb. rnn4j has one bias (PyTorch's
     * b_ih + b_hh), which goes to Wb; Rb is zero.
     *
     * @param b <b>in</b> G·n, rnn4j's gate blocks
     * @return 2·G·n values, ONNX's gate blocks
     */
    static float[] bias(CellKind cell, int n, float[] b) {
        return bias(cell, n, b, null);
    }

    /**
     * ONNX's B for a GRU too: Wb from b; Rb zero except, for PyTorch's GRU, its h block, which is
     * b_hn (with {@code linear_before_reset = 1} ONNX computes {@code r ∘ (h·R_hᵀ + Rb_h)}, PyTorch's
     * and rnn4j's {@link CellKind#GRU}). The 2014 GRU has no b_hn: its Rb is all zero, and with
     * {@code linear_before_reset = 0} ONNX adds {@code Wb_h + Rb_h} = b_n outside the product.
     *
     * @param bhn <b>in</b> n values, the GRU's b_hn; null for the other cells (the 2014 GRU too)
     */
    static float[] bias(CellKind cell, int n, float[] b, float[] bhn) {
        GateLayout layout = layout(cell);
        List<Gate> order = order(cell);
        int gn = layout.width(n);
        float[] out = new float[2 * gn];
        for (int p = 0; p < order.size(); p++) {
            System.arraycopy(b, layout.offset(order.get(p), n), out, p * n, n);
        }
        if (bhn != null) {
            System.arraycopy(bhn, 0, out, gn + order.indexOf(Gate.N) * n, n);
        }
        return out;
    }

    private static GateLayout layout(CellKind cell) {
        return switch (cell) {
            case RNN -> GateLayout.RNN;
            case LSTM -> GateLayout.LSTM;
            case GRU, GRU_2014 -> GateLayout.GRU;
            case LSTM_NO_FORGET -> throw new IllegalArgumentException(OnnxExport.NO_FORGET);
        };
    }

    private static List<Gate> order(CellKind cell) {
        return switch (cell) {
            case RNN -> RNN_ORDER;
            case GRU, GRU_2014 -> GRU_ORDER;
            default -> LSTM_ORDER;
        };
    }
}
