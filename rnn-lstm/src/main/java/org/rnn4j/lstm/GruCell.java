package org.rnn4j.lstm;

import java.util.Arrays;
import org.rnn4j.simd.GateLayout;
import org.rnn4j.simd.Kernels;
import org.rnn4j.simd.PackedMatrix;

/**
 * The GRU cell in PyTorch's form (Cho et al. 2014 with the reset gate applied after the
 * recurrent product, as cuDNN and {@code nn.GRU} do), gates [r | z | n] ({@link GateLayout#GRU}):
 * <pre>
 *   r = σ(a_r)   z = σ(a_z)          a_r = x_t·W_xr + h_{t−1}·W_hr + b_r, a_z likewise
 *   ñ = tanh(a_xn + r ∘ a_hn)        a_xn = x_t·W_xn + b_n,  a_hn = h_{t−1}·W_hn + b_hn
 *   h_t = (1 − z) ∘ ñ + z ∘ h_{t−1}
 * </pre>
 * A step's work row is 4n wide, {@code [a_r | a_z | a_hn | a_xn]}: the layer's input projection
 * fills a_r, a_z (with b_r, b_z), a_xn (with b_n) and puts b_hn into the a_hn block; the step adds
 * {@code h_{t−1}·W_h} to the first three blocks in one product, so the candidate's recurrent
 * part stays apart for r to multiply. Backward: the fused epilogue ({@link Kernels#gruBackward})
 * gives {@code [da_r | da_z | da_hn | da_xn]} and the direct path {@code ∂L/∂h_t ∘ z}; then
 * {@code ∂L/∂h_{t−1} += [da_r | da_z | da_hn]·W_hᵀ}. The Jacobian ∂h_t/∂h_{t−1} thus holds
 * {@code diag(z)} — the GRU's counterpart of the LSTM's forget-gate path through C, the
 * derivation's remedy for vanishing gradients.
 */
record GruCell() implements Cell {

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

    @Override
    public void forward(Kernels k, int rows, int n, PackedMatrix wh, PackedMatrix whn, float[] gates, int gOff,
                        float[] h, float[] c, int prev, int next) {
        k.multPacked(rows, 3 * n, 1f, h, prev, n, wh, 0, 1f, gates, gOff, 4 * n); // [a_r|a_z|a_hn] += h_{t−1}·W_h
        activate(k, rows, n, gates, gOff, h, prev, c, prev, c, next, h, next);
    }

    @Override
    public void activate(Kernels k, int rows, int n, float[] gates, int gOff, float[] hPrev, int hPrevOff,
                         float[] cPrev, int cPrevOff, float[] c, int cOff, float[] h, int hOff) {
        k.gruForward(rows, n, gates, gOff, hPrev, hPrevOff, h, hOff);
    }

    @Override
    public void backward(Kernels k, int rows, int n, PackedMatrix whT, PackedMatrix whnT, float[] gates, int gOff,
                         float[] h, float[] c, int prev, int next,
                         float[] dh, float[] dc, int dOff, float[] dGates, int dgOff) {
        k.gruBackward(rows, n, gates, gOff, h, prev, dh, dOff, dGates, dgOff);            // dh ← ∂L/∂h_t ∘ z
        k.multPacked(rows, n, 1f, dGates, dgOff, 4 * n, whT, 0, 1f, dh, dOff, n);     // += [da_r|da_z|da_hn]·W_hᵀ
    }

    // ---------------------------------------------------------------------------------------
    // Derivatives in double along a stored trajectory (one row)
    // ---------------------------------------------------------------------------------------

    @Override
    public void tangent(int n, double[] wh, float[] gates, int gOff, float[] h, float[] c, int prev, int next,
                        double[] dhPrev, double[] dcPrev, double[] dh, double[] dc, double[] work) {
        int gn = 3 * n;
        double[] da = work;                                    // δ[a_r | a_z | a_hn] = δh_{t−1}·W_h
        Arrays.fill(da, 0, gn, 0);
        RowCombination.accumulate(dhPrev, 0, n, wh, 0, gn, gn, da, 0);
        for (int j = 0; j < n; j++) {
            double r = gates[gOff + j];
            double z = gates[gOff + n + j];
            double ahn = gates[gOff + 2 * n + j];
            double cand = gates[gOff + 3 * n + j];
            double dr = r * (1 - r) * da[j];
            double dz = z * (1 - z) * da[n + j];
            double dCand = (1 - cand * cand) * (dr * ahn + r * da[2 * n + j]);
            dh[j] = (1 - z) * dCand + z * dhPrev[j] + dz * (h[prev + j] - cand);
        }
    }

    @Override
    public void cotangent(int n, double[] whT, float[] gates, int gOff, float[] h, float[] c, int prev, int next,
                          double[] gh, double[] gc, double[] ghPrev, double[] gcPrev, double[] ga) {
        // ga: ∂/∂[a_r | a_z | a_hn | a_xn]; the first three blocks meet W_h
        for (int j = 0; j < n; j++) {
            double r = gates[gOff + j];
            double z = gates[gOff + n + j];
            double ahn = gates[gOff + 2 * n + j];
            double cand = gates[gOff + 3 * n + j];
            double dan = gh[j] * (1 - z) * (1 - cand * cand);
            ga[j] = dan * ahn * r * (1 - r);
            ga[n + j] = gh[j] * (h[prev + j] - cand) * z * (1 - z);
            ga[2 * n + j] = dan * r;
            ga[3 * n + j] = dan;
            ghPrev[j] = gh[j] * z;                              // the direct path through z
        }
        RowCombination.accumulate(ga, 0, 3 * n, whT, 0, n, n, ghPrev, 0);   // += ∂/∂a·W_hᵀ
    }

    @Override
    public void inputSide(int n, double[] ga, double[] out) {
        System.arraycopy(ga, 0, out, 0, 2 * n);
        System.arraycopy(ga, 3 * n, out, 2 * n, n);
    }
}
