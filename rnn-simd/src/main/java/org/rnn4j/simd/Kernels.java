package org.rnn4j.simd;

import org.rnn4j.simd.internal.Checks;

/**
 * The CPU kernels every model is built from, BLAS-shaped: matrices are row-major {@code float[]}
 * with an offset and a leading dimension (the distance between two rows, at least the number of
 * columns), vectors are a {@code float[]} with an offset and a length.
 *
 * <p>Obtain an implementation from {@link KernelProvider#get()} (the best one for this JVM),
 * {@link KernelProvider#scalar()} (the plain reference) or {@link KernelProvider#vector()}.
 * Implementations are thread-safe and allocate nothing per call in steady state (GEMM keeps its
 * packing buffers per thread and grows them at most a few times).
 *
 * <p>Argument errors (negative sizes, a leading dimension smaller than the row, an array too short
 * for the shape it is said to hold) throw {@link IllegalArgumentException} or
 * {@link IndexOutOfBoundsException} naming the argument, before any output is written.
 *
 * <p>In the javadoc below, <b>in</b> marks arrays only read, <b>out</b> arrays only written and
 * <b>inout</b> arrays read and written.
 */
public interface Kernels {

    /** {@code "scalar"} or {@code "vector"}; parallel views add {@code "x<threads>"}. */
    String name();

    /** Width in bits of the SIMD vectors used, 0 for the scalar kernels. */
    int vectorBitSize();

    /** Threads a large GEMM may use (1 unless obtained from {@link #withThreads(int)}). */
    int threads();

    /**
     * A view of these kernels whose GEMMs use up to {@code threads} threads (the caller's plus
     * {@code threads - 1} daemon workers, started once) for products of at least
     * {@link KernelProvider#PARALLEL_MIN_FLOPS} floating-point operations; smaller products and
     * all other kernels run on the calling thread. The work is split by rows or columns of C,
     * never along k, so results are bitwise identical to the single-threaded kernels.
     *
     * @param threads at least 1; 1 returns the single-threaded kernels
     */
    Kernels withThreads(int threads);

    /**
     * Row blocks of at least this many rows give bitwise the same products as the whole matrix
     * (the vector kernels take another path, with another rounding, for one or two rows). The
     * parallel GEMM and the models' batch split never cut smaller blocks.
     */
    int MIN_SPLIT_ROWS = 3;

    /**
     * Runs {@code task.run(p, parts)} for every p in [0, parts) and returns when all are done:
     * part 0 on the calling thread and the others on this view's workers, at once, when
     * {@code parts <= threads()} and the workers are free; otherwise one after another on the
     * calling thread. The parts must not depend on each other. If parts throw, the exception of
     * the lowest-numbered one is rethrown after all have ended.
     *
     * @param parts at least 1
     */
    default void runParts(int parts, PartTask task) {
        Checks.parts(parts, task);
        RuntimeException first = null;
        for (int p = 0; p < parts; p++) {
            try {
                task.run(p, parts);
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    // ---------------------------------------------------------------------------------------
    // GEMM: C = alpha * op(A) * op(B) + beta * C, C is m x n.
    // beta == 0 means C is not read (NaN or garbage in C is overwritten).
    // ---------------------------------------------------------------------------------------

    /**
     * {@code C = alpha·A·B + beta·C}.
     *
     * @param a <b>in</b> A, m × k, {@code lda >= k}
     * @param b <b>in</b> B, k × n, {@code ldb >= n}
     * @param c <b>inout</b> C, m × n, {@code ldc >= n}; must not overlap A or B
     */
    void mult(int m, int n, int k, float alpha,
              float[] a, int aOff, int lda,
              float[] b, int bOff, int ldb,
              float beta, float[] c, int cOff, int ldc);

    /**
     * {@code C = alpha·Aᵀ·B + beta·C} (in BPTT: {@code dW = Hᵀ·dP}).
     *
     * @param a <b>in</b> A stored k × m, {@code lda >= m}
     * @param b <b>in</b> B, k × n, {@code ldb >= n}
     * @param c <b>inout</b> C, m × n, {@code ldc >= n}; must not overlap A or B
     */
    void multTransA(int m, int n, int k, float alpha,
                    float[] a, int aOff, int lda,
                    float[] b, int bOff, int ldb,
                    float beta, float[] c, int cOff, int ldc);

    /**
     * {@code C = alpha·A·Bᵀ + beta·C} (in BPTT: {@code dX = dP·Wᵀ}).
     *
     * @param a <b>in</b> A, m × k, {@code lda >= k}
     * @param b <b>in</b> B stored n × k, {@code ldb >= k}
     * @param c <b>inout</b> C, m × n, {@code ldc >= n}; must not overlap A or B
     */
    void multTransB(int m, int n, int k, float alpha,
                    float[] a, int aOff, int lda,
                    float[] b, int bOff, int ldb,
                    float beta, float[] c, int cOff, int ldc);

    /**
     * Packs op(B) for repeated {@link #multPacked} calls (allocates; do it once per weight matrix).
     *
     * @param transB false: B is k × n ({@code ldb >= n}); true: B is stored n × k ({@code ldb >= k})
     */
    PackedMatrix packB(boolean transB, int k, int n, float[] b, int bOff, int ldb);

    /**
     * Refills {@code packed} from B of the same shape, without allocating (after an update of B).
     *
     * @throws IllegalArgumentException if B's shape does not fit the packed matrix
     */
    void repackB(PackedMatrix packed, boolean transB, float[] b, int bOff, int ldb);

    /**
     * {@code C = alpha·A·op(B)[:, col0 .. col0+n) + beta·C} with op(B) pre-packed: the columns
     * {@code col0 .. col0 + n} of the packed k × N matrix ({@code k = packed.rows()}).
     *
     * @param a <b>in</b> A, m × k, {@code lda >= k}
     * @param c <b>inout</b> C, m × n, {@code ldc >= n}
     */
    void multPacked(int m, int n, float alpha, float[] a, int aOff, int lda, PackedMatrix packed, int col0,
                    float beta, float[] c, int cOff, int ldc);

    // ---------------------------------------------------------------------------------------
    // Steps: products of a few rows with a layer's gate weights packed once (StepWeights).
    // Each output element is one FMA chain in row order starting from the bias, so these
    // agree bitwise between implementations, between row counts, and between one call over
    // [x h] and stepInput followed by stepRecurrent.
    // ---------------------------------------------------------------------------------------

    /**
     * Packs a layer's {@code [W_x; W_h]} and b for {@link #stepInput} and {@link #stepRecurrent}
     * (allocates; do it once per layer).
     *
     * @param gates G, gate blocks side by side in the columns
     * @param width c, columns per gate block (n hidden units; o for an output layer)
     * @param wx    <b>in</b> W_x, d × G·c, leading dimension G·c
     * @param wh    <b>in</b> W_h, r × G·c, leading dimension G·c; null when r = 0
     * @param b     <b>in</b> G·c values
     * @param storage float, or bfloat16 (half the bytes; see {@link StepWeights})
     */
    StepWeights packStep(int gates, int width, float[] wx, int wxOff, int d, float[] wh, int whOff, int r,
                         float[] b, int bOff, StepWeights.Storage storage);

    /**
     * The input part of a step for m rows: {@code P = b + X·W_x}.
     *
     * @param x     <b>in</b> X, m × d, {@code ldx >= d}
     * @param gates <b>out</b> P, m × G·c, {@code ldg >= G·c}; must not overlap X
     */
    void stepInput(int m, StepWeights w, float[] x, int xOff, int ldx, float[] gates, int gOff, int ldg);

    /**
     * The recurrent part of a step for m rows: {@code P += H·W_h}.
     *
     * @param h     <b>in</b> H, m × r, {@code ldh >= r}
     * @param gates <b>inout</b> P, m × G·c, {@code ldg >= G·c}; must not overlap H
     */
    void stepRecurrent(int m, StepWeights w, float[] h, int hOff, int ldh, float[] gates, int gOff, int ldg);

    /**
     * The whole product of a step in the derivation's concatenated form, for m rows:
     * {@code P = b + [X H]·[W_x; W_h]} with each row of A holding x_t then h_{t−1} side by side —
     * bitwise what {@link #stepInput} on X then {@link #stepRecurrent} on H give (the same
     * chains), in one pass over the weights.
     *
     * @param a     <b>in</b> [X H], m × (d + r), {@code lda >= d + r}
     * @param gates <b>out</b> P, m × G·c, {@code ldg >= G·c}; must not overlap A
     */
    void stepConcatenated(int m, StepWeights w, float[] a, int aOff, int lda, float[] gates, int gOff, int ldg);

    // ---------------------------------------------------------------------------------------
    // Row and column operations on matrices.
    // ---------------------------------------------------------------------------------------

    /**
     * Row-broadcast add: {@code C[i][j] += v[j]} for every row i (adds a bias to every sample).
     *
     * @param v <b>in</b> n values
     * @param c <b>inout</b> C, m × n, {@code ldc >= n}
     */
    void addRowVector(int m, int n, float[] v, int vOff, float[] c, int cOff, int ldc);

    /**
     * Column sums accumulated: {@code out[j] += Σ_i A[i][j]} (the bias gradient of a batch).
     *
     * @param a <b>in</b> A, m × n, {@code lda >= n}
     * @param out <b>inout</b> n values
     */
    void sumRows(int m, int n, float[] a, int aOff, int lda, float[] out, int outOff);

    /**
     * Row-wise softmax, numerically stable (the row maximum is subtracted first).
     * {@code y} may be {@code x} with the same offset and leading dimension.
     *
     * @param x <b>in</b> m × n logits, {@code ldx >= n}, n ≥ 1
     * @param y <b>out</b> m × n probabilities, {@code ldy >= n}
     */
    void softmaxRows(int m, int n, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy);

    /**
     * Row-wise log-softmax, {@code y = (x - max) - lse} with {@code lse = log Σ exp(x - max)},
     * numerically stable. {@code y} may be {@code x} with the same offset and leading dimension.
     *
     * <p>Rounding: {@code x - max} is a float subtraction (exact when x is within a factor 2
     * of max, Sterbenz), the sum of the exponentials is accumulated (in double by the
     * scalar kernels, in float lanes by the vector kernels), {@code lse} is rounded once to float,
     * and the final subtraction is a float one. Every implementation does these last two steps
     * identically, so they differ only in the sum. The max is never added back (PyTorch's order):
     * {@code max + lse} would round to max for huge logits, giving 0 instead of −log n for n equal
     * logits near ±{@link Float#MAX_VALUE}. With u = 2<sup>−24</sup> and the exact result y*,
     * <pre>  |y − y*| ≤ u·(|x − max| + |lse| + |y|) + ε_Σ,</pre>
     * where ε_Σ, the relative error of the computed sum, is a few ulps of exp, up to (n − 1)·u for the
     * additions and u·Σ_l p_l·|x_l − max| for the rounding of the exponents (p = softmax(x)); the
     * contract tests allow twice the first term and 4·10<sup>−6</sup> + 2(n + 8)·u +
     * 2u·Σ_l p_l·|x_l − max| for ε_Σ. The error does not grow with |max|. Where {@code x - max}
     * overflows (logits of both signs near ±{@link Float#MAX_VALUE}) y is −∞.
     *
     * @param x <b>in</b> m × n logits, {@code ldx >= n}, n ≥ 1
     * @param y <b>out</b> m × n log-probabilities, {@code ldy >= n}
     */
    void logSoftmaxRows(int m, int n, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy);

    // ---------------------------------------------------------------------------------------
    // Element-wise activations (documented error bounds in {@link Activation}).
    // ---------------------------------------------------------------------------------------

    /**
     * {@code y[i] = f(x[i])}. {@code y} may be {@code x} with the same offset.
     *
     * @param x <b>in</b> n values
     * @param y <b>out</b> n values
     */
    void activate(Activation f, int n, float[] x, int xOff, float[] y, int yOff);

    /**
     * The derivative of {@code f} computed from its output {@code y = f(x)}:
     * {@code d[i] = f'(x[i])} = 1 − y² (tanh), y(1 − y) (sigmoid), y &gt; 0 ? 1 : 0 (relu), 1 (identity).
     *
     * @param y <b>in</b> n outputs of f
     * @param d <b>out</b> n derivatives; may be {@code y} with the same offset
     */
    void derivativeFromOutput(Activation f, int n, float[] y, int yOff, float[] d, int dOff);

    /**
     * Backward through {@code f}: {@code g[i] *= f'(x[i])} with the derivative taken from the
     * output {@code y = f(x)} as in {@link #derivativeFromOutput}.
     *
     * @param y <b>in</b> n outputs of f
     * @param g <b>inout</b> n gradients with respect to y, replaced by gradients with respect to x
     */
    void multiplyDerivative(Activation f, int n, float[] y, int yOff, float[] g, int gOff);

    // ---------------------------------------------------------------------------------------
    // Vector operations.
    // ---------------------------------------------------------------------------------------

    /** {@code y += alpha·x}. x <b>in</b>, y <b>inout</b>. */
    void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff);

    /** {@code x *= alpha}. x <b>inout</b>. */
    void scale(int n, float alpha, float[] x, int xOff);

    /** {@code z = x ∘ y} (element-wise product). x, y <b>in</b>; z <b>out</b>, may alias x or y exactly. */
    void hadamard(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff);

    /**
     * Index (from 0) of the first NaN or infinity among {@code x[xOff .. xOff+n)}, or −1 when all
     * are finite. Used on every time step to say where a pass went non-finite.
     */
    int firstNonFinite(int n, float[] x, int xOff);

    /**
     * {@code Σ x[i]²}, accumulated so that the result is accurate to about float precision
     * relative to the sum even for millions of terms (partial sums are carried in double).
     */
    double sumOfSquares(int n, float[] x, int xOff);

    /** The Euclidean norm {@code sqrt(Σ x[i]²)}. */
    default double norm2(int n, float[] x, int xOff) {
        return Math.sqrt(sumOfSquares(n, x, xOff));
    }
    // ---------------------------------------------------------------------------------------
    // Fused LSTM cell epilogues: one pass over a time step's gate pre-activations.
    // Gate blocks of n columns side by side as GateLayout says: LSTM [i | f | g | o] with a
    // forget gate, LSTM_NO_FORGET [i | g | o] without (the original 1997 LSTM, where
    // C_t = C_{t-1} + i∘g). Rows are contiguous: gates have a leading dimension of G·n, every
    // other matrix of n.
    // ---------------------------------------------------------------------------------------

    /**
     * LSTM forward epilogue for one time step of m sequences:
     * {@code i = σ(a_i), f = σ(a_f), g = tanh(a_g), o = σ(a_o); c = f∘c_prev + i∘g; h = o∘tanh(c)}.
     *
     * @param forgetGate true for the modern LSTM (G = 4), false for the original (G = 3, f ≡ 1)
     * @param gates  <b>inout</b> m × G·n: pre-activations in, activated gates out (kept for backward)
     * @param cPrev  <b>in</b> m × n, c_{t−1}
     * @param c      <b>out</b> m × n, c_t
     * @param h      <b>out</b> m × n, h_t
     */
    void lstmForward(int m, int n, boolean forgetGate, float[] gates, int gOff,
                     float[] cPrev, int cPrevOff, float[] c, int cOff, float[] h, int hOff);

    /**
     * LSTM backward epilogue for one time step, from the activated gates of {@link #lstmForward}:
     * with {@code τ = tanh(c)}, {@code δc = dc + dh∘o∘(1 − τ²)}; gate gradients
     * {@code da_i = δc∘g∘i(1−i), da_f = δc∘c_prev∘f(1−f), da_g = δc∘i∘(1−g²), da_o = dh∘τ∘o(1−o)};
     * and {@code dc ← δc∘f} (∂L/∂c_{t−1}; f ≡ 1 without forget gate).
     *
     * @param gates  <b>in</b> m × G·n activated gates of this step
     * @param cPrev  <b>in</b> m × n, c_{t−1}
     * @param c      <b>in</b> m × n, c_t
     * @param dh     <b>in</b> m × n, ∂L/∂h_t
     * @param dc     <b>inout</b> m × n: ∂L/∂c_t through c_{t+1} in, ∂L/∂c_{t−1} out
     * @param dGates <b>out</b> m × G·n, ∂L/∂ of the gate pre-activations
     */
    void lstmBackward(int m, int n, boolean forgetGate, float[] gates, int gOff,
                      float[] cPrev, int cPrevOff, float[] c, int cOff,
                      float[] dh, int dhOff, float[] dc, int dcOff, float[] dGates, int dgOff);
    // ---------------------------------------------------------------------------------------
    // Fused GRU cell epilogues (PyTorch's form: the reset gate applied after the product).
    // A step's work row is 4n wide, [a_r | a_z | a_hn | a_xn]:
    //   a_r = x·W_xr + h·W_hr + b_r,  a_z likewise,
    //   a_hn = h·W_hn + b_hn (the recurrent part of the candidate, kept apart because r multiplies it),
    //   a_xn = x·W_xn + b_n.
    // Rows are contiguous: the work rows have a leading dimension of 4n, every other matrix of n.
    // ---------------------------------------------------------------------------------------

    /**
     * GRU forward epilogue for one time step of m sequences:
     * {@code r = σ(a_r), z = σ(a_z), ñ = tanh(a_xn + r∘a_hn), h = (1 − z)∘ñ + z∘h_prev}
     * (computed as {@code ñ + z∘(h_prev − ñ)}).
     *
     * @param gates <b>inout</b> m × 4n: [a_r | a_z | a_hn | a_xn] in, [r | z | a_hn | ñ] out
     *              (what {@link #gruBackward} needs)
     * @param hPrev <b>in</b> m × n, h_{t−1}
     * @param h     <b>out</b> m × n, h_t
     */
    void gruForward(int m, int n, float[] gates, int gOff, float[] hPrev, int hpOff, float[] h, int hOff);

    /**
     * GRU backward epilogue for one time step, from the rows {@link #gruForward} left: with
     * {@code δ = ∂L/∂h_t}, {@code da_xn = δ∘(1 − z)∘(1 − ñ²)}, {@code da_hn = da_xn∘r},
     * {@code da_r = da_xn∘a_hn∘r(1 − r)}, {@code da_z = δ∘(h_prev − ñ)∘z(1 − z)}; and
     * {@code δ ← δ∘z}, the direct path to h_{t−1} (the caller adds [da_r | da_z | da_hn]·W_hᵀ).
     *
     * @param gates  <b>in</b> m × 4n, [r | z | a_hn | ñ]
     * @param hPrev  <b>in</b> m × n, h_{t−1}
     * @param dh     <b>inout</b> m × n: ∂L/∂h_t in, δ∘z out
     * @param dGates <b>out</b> m × 4n, [da_r | da_z | da_hn | da_xn]
     */
    void gruBackward(int m, int n, float[] gates, int gOff, float[] hPrev, int hpOff,
                     float[] dh, int dhOff, float[] dGates, int dgOff);

    // ---------------------------------------------------------------------------------------
    // Fused epilogues of the GRU in its 2014 form (Cho et al.; Keras reset_after = False, ONNX
    // linear_before_reset = 0): the reset gate applied BEFORE the recurrent product of the
    // candidate. A step's work row is 4n wide, [a_r | a_z | a_n | r∘h_{t−1}]:
    //   a_r = x·W_xr + h·W_hr + b_r,  a_z likewise,
    //   a_n = x·W_xn + b_n + (r∘h_{t−1})·W_hn — its recurrent product needs r first,
    // so a forward step is: product, gru2014Reset, product, gru2014Forward; a backward step is
    // gru2014Backward, product (∂L/∂(r∘h_{t−1}) = da_n·W_hnᵀ into block 3), gru2014ResetBackward.
    // Rows are contiguous: the work rows have a leading dimension of 4n, every other matrix of n.
    // ---------------------------------------------------------------------------------------

    /**
     * 2014 GRU forward, the epilogue between the two products of a step:
     * {@code r = σ(a_r), z = σ(a_z)} and the row the candidate's recurrent product reads,
     * {@code r∘h_prev}.
     *
     * @param gates <b>inout</b> m × 4n: [a_r | a_z | · | ·] in (complete pre-activations), [r | z | · | r∘h_prev]
     *              out; block 2 (a_n, still without its recurrent part) is neither read nor written
     * @param hPrev <b>in</b> m × n, h_{t−1}
     */
    void gru2014Reset(int m, int n, float[] gates, int gOff, float[] hPrev, int hpOff);

    /**
     * 2014 GRU forward, the epilogue after the candidate's product:
     * {@code ñ = tanh(a_n), h = (1 − z)∘ñ + z∘h_prev} (computed as {@code ñ + z∘(h_prev − ñ)}).
     *
     * @param gates <b>inout</b> m × 4n: [r | z | a_n | r∘h_prev] in (a_n complete), [r | z | ñ | r∘h_prev] out
     *              (what {@link #gru2014Backward} and the weight gradients need)
     * @param hPrev <b>in</b> m × n, h_{t−1}
     * @param h     <b>out</b> m × n, h_t
     */
    void gru2014Forward(int m, int n, float[] gates, int gOff, float[] hPrev, int hpOff, float[] h, int hOff);

    /**
     * 2014 GRU backward, the epilogue before the candidate's product: with {@code δ = ∂L/∂h_t},
     * {@code da_n = δ∘(1 − z)∘(1 − ñ²)} and {@code da_z = δ∘(h_prev − ñ)∘z(1 − z)}. The caller
     * then puts {@code ∂L/∂(r∘h_prev) = da_n·W_hnᵀ} into block 3 of dGates.
     *
     * @param gates  <b>in</b> m × 4n, [r | z | ñ | r∘h_prev]
     * @param hPrev  <b>in</b> m × n, h_{t−1}
     * @param dh     <b>in</b> m × n, δ
     * @param dGates <b>out</b> m × 4n, blocks 1 and 2: [· | da_z | da_n | ·]; blocks 0 and 3 are not written
     */
    void gru2014Backward(int m, int n, float[] gates, int gOff, float[] hPrev, int hpOff,
                         float[] dh, int dhOff, float[] dGates, int dgOff);

    /**
     * 2014 GRU backward, the epilogue after the candidate's product: with
     * {@code g = ∂L/∂(r∘h_prev)} from block 3 of dGates, {@code da_r = g∘h_prev∘r(1 − r)} and
     * {@code δ ← δ∘z + g∘r}, the paths to h_{t−1} that do not go through W_h's r and z columns
     * (the caller adds {@code [da_r | da_z]·[W_hr W_hz]ᵀ}).
     *
     * @param gates  <b>in</b> m × 4n, [r | z | ñ | r∘h_prev]
     * @param hPrev  <b>in</b> m × n, h_{t−1}
     * @param dh     <b>inout</b> m × n: δ = ∂L/∂h_t in, δ∘z + g∘r out
     * @param dGates <b>inout</b> m × 4n: block 3 (g) in, block 0 (da_r) out; blocks 1 and 2 are not touched
     */
    void gru2014ResetBackward(int m, int n, float[] gates, int gOff, float[] hPrev, int hpOff,
                              float[] dh, int dhOff, float[] dGates, int dgOff);
}
