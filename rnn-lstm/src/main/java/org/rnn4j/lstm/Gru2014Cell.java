package org.rnn4j.lstm;

import java.util.Arrays;
import org.rnn4j.simd.GateLayout;
import org.rnn4j.simd.Kernels;
import org.rnn4j.simd.PackedMatrix;

/**
 * The GRU cell in its 2014 form (Cho et al. 2014: the reset gate applied to h_{t−1} before the
 * candidate's recurrent product; Keras {@code reset_after = False}, ONNX
 * {@code linear_before_reset = 0}), gates [r | z | n] ({@link GateLayout#GRU}), one bias:
 * <pre>
 *   r = σ(a_r)   z = σ(a_z)          a_r = x_t·W_xr + h_{t−1}·W_hr + b_r, a_z likewise
 *   ñ = tanh(a_n)                    a_n = x_t·W_xn + b_n + (r ∘ h_{t−1})·W_hn
 *   h_t = (1 − z) ∘ ñ + z ∘ h_{t−1}
 * </pre>
 * a_n needs r, so a step has two products. Its work row is 4n wide,
 * {@code [a_r | a_z | a_n | r∘h_{t−1}]}: the layer's input projection fills the first three blocks
 * with {@code x_t·W_x + b}; the step adds {@code h_{t−1}·[W_hr W_hz]} to the first two,
 * {@link Kernels#gru2014Reset} activates them and puts {@code r∘h_{t−1}} in the fourth, the step
 * adds {@code (r∘h_{t−1})·W_hn} to the third and {@link Kernels#gru2014Forward} finishes. The
 * fourth block stays for the weight gradient {@code ∂L/∂W_hn = (r∘h_{t−1})ᵀ·da_n}
 * ({@link #resetStateOffset}).
 *
 * <p>Backward, gate gradients {@code [da_r | da_z | da_n | ∂L/∂(r∘h_{t−1})]}: da_z and da_n
 * ({@link Kernels#gru2014Backward}), {@code ∂L/∂(r∘h_{t−1}) = da_n·W_hnᵀ} (a product), da_r and
 * {@code ∂L/∂h_t∘z + ∂L/∂(r∘h_{t−1})∘r} ({@link Kernels#gru2014ResetBackward}), then
 * {@code ∂L/∂h_{t−1} += [da_r | da_z]·[W_hr W_hz]ᵀ}. Like PyTorch's form ({@link GruCell}) the
 * step's Jacobian holds {@code diag(z)}; unlike it, r gates h_{t−1} element by element on its
 * way into W_hn, so the candidate's path back to h_{t−1} is {@code W_hn·diag(r)} plus r's own.
 */
record Gru2014Cell() implements Cell {

    @Override
    public GateLayout layout() {
        return GateLayout.GRU;
    }

    @Override
    public boolean hasCellState() {
        return false;
    }

    @Override
    public int workWidth(int n) {
        return 4 * n;
    }

    /** W_hr and W_hz multiply h_{t−1}; W_hn multiplies r∘h_{t−1}. */
    @Override
    public int recurrentColumns(int n) {
        return 2 * n;
    }

    @Override
    public int resetStateOffset(int n) {
        return 3 * n;
    }

    @Override
    public void forward(Kernels k, int rows, int n, PackedMatrix wh, PackedMatrix whn, float[] gates, int gOff,
                        float[] h, float[] c, int prev, int next) {
        int w = 4 * n;
        k.multPacked(rows, 2 * n, 1f, h, prev, n, wh, 0, 1f, gates, gOff, w);            // [a_r|a_z] += h_{t−1}·[W_hr W_hz]
        k.gru2014Reset(rows, n, gates, gOff, h, prev);                                    // r, z, r∘h_{t−1}
        // A and C are disjoint blocks of the same rows: a_n += (r∘h_{t−1})·W_hn
        k.multPacked(rows, n, 1f, gates, gOff + 3 * n, w, whn, 0, 1f, gates, gOff + 2 * n, w);
        activate(k, rows, n, gates, gOff, h, prev, c, prev, c, next, h, next);
    }

    /** The epilogue after the candidate's product: rows [r | z | a_n | r∘h_{t−1}] (see {@link Cell#activate}). */
    @Override
    public void activate(Kernels k, int rows, int n, float[] gates, int gOff, float[] hPrev, int hPrevOff,
                         float[] cPrev, int cPrevOff, float[] c, int cOff, float[] h, int hOff) {
        k.gru2014Forward(rows, n, gates, gOff, hPrev, hPrevOff, h, hOff);
    }

    @Override
    public void backward(Kernels k, int rows, int n, PackedMatrix whT, PackedMatrix whnT, float[] gates, int gOff,
                         float[] h, float[] c, int prev, int next,
                         float[] dh, float[] dc, int dOff, float[] dGates, int dgOff) {
        int w = 4 * n;
        k.gru2014Backward(rows, n, gates, gOff, h, prev, dh, dOff, dGates, dgOff);              // da_z, da_n
        k.multPacked(rows, n, 1f, dGates, dgOff + 2 * n, w, whnT, 0, 0f, dGates, dgOff + 3 * n, w); // ∂L/∂(r∘h) = da_n·W_hnᵀ
        k.gru2014ResetBackward(rows, n, gates, gOff, h, prev, dh, dOff, dGates, dgOff);         // da_r; dh ← δ∘z + ∂L/∂(r∘h)∘r
        k.multPacked(rows, n, 1f, dGates, dgOff, w, whT, 0, 1f, dh, dOff, n);                   // += [da_r|da_z]·[W_hr W_hz]ᵀ
    }

    // ---------------------------------------------------------------------------------------
    // Derivatives in double along a stored trajectory (one row)
    // ---------------------------------------------------------------------------------------

    @Override
    public void tangent(int n, double[] wh, float[] gates, int gOff, float[] h, float[] c, int prev, int next,
                        double[] dhPrev, double[] dcPrev, double[] dh, double[] dc, double[] work) {
        int gn = 3 * n;
        double[] da = work;                                    // δ[a_r | a_z] = δh_{t−1}·[W_hr W_hz], then δa_n
        Arrays.fill(da, 0, 4 * n, 0);
        RowCombination.accumulate(dhPrev, 0, n, wh, 0, gn, 2 * n, da, 0);
        for (int i = 0; i < n; i++) {                          // δ(r∘h_{t−1}) = δr∘h_{t−1} + r∘δh_{t−1}
            double r = gates[gOff + i];
            da[3 * n + i] = r * (1 - r) * da[i] * h[prev + i] + r * dhPrev[i];
        }
        RowCombination.accumulate(da, 3 * n, n, wh, 2 * n, gn, n, da, 2 * n);   // δa_n = δ(r∘h_{t−1})·W_hn
        for (int j = 0; j < n; j++) {
            double z = gates[gOff + n + j];
            double cand = gates[gOff + 2 * n + j];
            double dz = z * (1 - z) * da[n + j];
            double dCand = (1 - cand * cand) * da[2 * n + j];
            dh[j] = (1 - z) * dCand + z * dhPrev[j] + dz * (h[prev + j] - cand);
        }
    }

    @Override
    public void cotangent(int n, double[] whT, float[] gates, int gOff, float[] h, float[] c, int prev, int next,
                          double[] gh, double[] gc, double[] ghPrev, double[] gcPrev, double[] ga) {
        // ga: ∂/∂[a_r | a_z | a_n | r∘h_{t−1}]; the first three blocks meet W_h (a_n through r∘h_{t−1})
        for (int j = 0; j < n; j++) {
            double z = gates[gOff + n + j];
            double cand = gates[gOff + 2 * n + j];
            ga[n + j] = gh[j] * (h[prev + j] - cand) * z * (1 - z);
            ga[2 * n + j] = gh[j] * (1 - z) * (1 - cand * cand);
            ga[3 * n + j] = 0;
        }
        RowCombination.accumulate(ga, 2 * n, n, whT, 2 * n * n, n, n, ga, 3 * n);   // ∂/∂(r∘h) = da_n·W_hnᵀ
        for (int i = 0; i < n; i++) {
            double r = gates[gOff + i];
            double grh = ga[3 * n + i];
            ga[i] = grh * h[prev + i] * r * (1 - r);
            ghPrev[i] = gh[i] * gates[gOff + n + i] + grh * r;  // the direct path through z, and through r∘h
        }
        RowCombination.accumulate(ga, 0, 2 * n, whT, 0, n, n, ghPrev, 0);   // += [da_r | da_z]·[W_hr W_hz]ᵀ
    }
}
