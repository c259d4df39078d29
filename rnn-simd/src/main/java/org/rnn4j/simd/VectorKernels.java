package org.rnn4j.simd;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.rnn4j.simd.internal.Checks;
import org.rnn4j.simd.internal.VectorMath;

/**
 * Kernels on the Vector API ({@code jdk.incubator.vector}), for the preferred species of the CPU
 * (8 floats on AVX2, 16 on AVX-512).
 *
 * <p>GEMM follows the GotoBLAS/BLIS structure: op(B) is packed in KC × NR column panels, op(A)
 * in MC × KC blocks of MR-row strips, and a register-blocked MR × NR micro-kernel
 * (MR = 12 rows × 2 vectors, 24 accumulators, on AVX-512 for products of ≥ 512 columns, with
 * 8-row strips where 12 would leave padding and for narrower products; 4 × 2 where there are
 * only 16 vector registers) does the floating-point work out of L1. Packing absorbs the
 * transposes, so A·B, Aᵀ·B and A·Bᵀ share one micro-kernel. Edge tiles are zero-padded in the
 * packed buffers and written back through a small tile buffer. Packing buffers live in a
 * per-thread workspace allocated once. Products with one or two rows skip packing, and products
 * at most one vector wide pack only B ({@link #narrowGemm}).
 */
final class VectorKernels implements Kernels {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** The packed weights are written in the platform's order (ValueLayout.JAVA_FLOAT). */
    static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    /** Weight rows per chunk of a many-row step (see {@link #stepRows}). */
    static final int STEP_KB = 128;
    /** Ints of the same width: bfloat16 weights are loaded as 32-bit words holding two. */
    static final VectorSpecies<Integer> I = S.withLanes(int.class);
    /**
     * Micro-tile rows: 12 rows × 2 vectors = 24 accumulators where the ISA has 32 vector registers
     * (AVX-512, 16 lanes: {@link #microKernel12}, with {@link #microKernel8} strips at the end of
     * a block and for products narrower than {@link #TALL_MIN_N}, see {@link #stripRows}), 4 rows ×
     * 2 vectors = 8 accumulators where it has 16 (AVX2, NEON: {@link #microKernel}). On a Xeon (AVX-512) the 12-row kernel runs at 95 % of the FMA
     * limit out of L1 against 90 % for the 8-row one: each B vector loaded feeds 12 FMAs, not 8.
     */
    static final int MR = tileRows(Integer.getInteger("rnn4j.gemm.mr", L >= 16 ? 12 : 4));
    /** Micro-tile columns: two vectors. */
    static final int NR = 2 * L;
    /** Depth of a packed block: a KC × NR panel of B (16 KiB at AVX2) stays in L1. */
    static final int KC = 256;
    /** Rows of a packed A block (MC × KC, 96 KiB) sized for L2. */
    static final int MC = 96;
    /** Columns of a packed B block (KC × NC, 2 MiB at AVX2) sized for L3. */
    static final int NC = 128 * NR;
    /**
     * Products with at most this many rows run unpacked (packing would cost as much as the
     * product); they round differently, which is why {@link Kernels#MIN_SPLIT_ROWS} is one more.
     */
    static final int SMALL_M = MIN_SPLIT_ROWS - 1;

    /** The micro-tile height; {@code -Drnn4j.gemm.mr=4|8|12} overrides the choice (tests, tuning). */
    static int tileRows(int requested) {
        if (requested != 4 && requested != 8 && requested != 12) {
            throw new IllegalArgumentException("rnn4j.gemm.mr must be 4, 8 or 12, got " + requested);
        }
        return requested;
    }

    /**
     * Products with fewer columns than this use 8-row tiles even where {@link #MR} is 12: measured
     * on a Xeon (AVX-512), the 12-row tiles are 4–12 % faster at n ≥ 512 (1024³, 64 × 2048 × 512,
     * all three shapes) but 2–6 % slower at n = 256 (256³, the RNN's 32 × 256 × 256 step).
     */
    static final int TALL_MIN_N = 512;

    /** The strip height of a product with n columns: {@link #MR}, or 8 for narrow products (see {@link #TALL_MIN_N}). */
    static int tileRowsFor(int n) {
        return MR == 12 && n < TALL_MIN_N ? 8 : MR;
    }

    /**
     * Rows of the packed-A strip that starts {@code rem} rows before the end of its block, for
     * tiles of {@code tr} rows: tr, but with 12-row tiles the last one or two strips have 8 rows
     * whenever that tiles the block exactly (32 = 12 + 12 + 8, 64 = 4·12 + 2·8) or pads it less.
     * Only a block's last strip is padded, so the strip at row i of a block starts at i·kc in the
     * packed block.
     */
    static int stripRows(int rem, int tr) {
        if (tr != 12) {
            return tr;
        }
        if (rem <= 8) {
            return 8;
        }
        int quads = (rem + 3) / 4;
        int eights = 2 * quads % 3;   // rem rounded up to 4 = 12·a + 8·eights
        return 4 * quads - 8 * eights >= 12 ? 12 : 8;
    }

    static final VectorKernels INSTANCE = new VectorKernels();

    private VectorKernels() {}

    static int preferredBitSize() {
        return S.vectorBitSize();
    }

    /** Per-thread packing buffers; sized for the largest block, so allocated once per thread. */
    private static final class Workspace {
        final float[] packA = new float[MC * KC];
        final float[] packB = new float[KC * NC];
        final float[] tile = new float[MR * NR];   // the largest strip is MR rows
        float[] row = new float[0];
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    @Override public String name() { return "vector"; }
    @Override public int vectorBitSize() { return S.vectorBitSize(); }
    @Override public int threads() { return 1; }

    @Override
    public Kernels withThreads(int threads) {
        return ParallelKernels.of(this, threads);
    }

    // -------------------------------------------------------------------------------------------
    // GEMM
    // -------------------------------------------------------------------------------------------

    @Override
    public void mult(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        Checks.gemm(m, n, k, a, aOff, lda, false, b, bOff, ldb, false, c, cOff, ldc);
        gemm(false, false, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    public void multTransA(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                           float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        Checks.gemm(m, n, k, a, aOff, lda, true, b, bOff, ldb, false, c, cOff, ldc);
        gemm(true, false, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    public void multTransB(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                           float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        Checks.gemm(m, n, k, a, aOff, lda, false, b, bOff, ldb, true, c, cOff, ldc);
        gemm(false, true, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    private static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0f) {
            for (int i = 0; i < m; i++) {
                scaleRow(n, beta, c, cOff + i * ldc);
            }
            return;
        }
        if (m <= SMALL_M) {
            for (int i = 0; i < m; i++) {
                if (transB) {
                    rowTimesTransB(n, k, alpha, a, transA ? aOff + i : aOff + i * lda, transA ? lda : 1,
                            b, bOff, ldb, beta, c, cOff + i * ldc);
                } else {
                    rowTimesB(n, k, alpha, a, transA ? aOff + i : aOff + i * lda, transA ? lda : 1,
                            b, bOff, ldb, beta, c, cOff + i * ldc);
                }
            }
            return;
        }
        Workspace ws = WORKSPACE.get();
        if (n <= L) {
            narrowGemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, ws.packB, ws.tile);
            return;
        }
        float[] packA = ws.packA;
        float[] packB = ws.packB;
        int tr = tileRowsFor(n);
        if (m <= MC) {
            // A fits one packed block: pack it once per k-block, then stream B one L1-sized panel
            // at a time (packed just before use, so B is read once and never written back as a
            // large packed copy: 15-20 % faster at the recurrent shapes m = 32..64).
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                float betaPass = pc == 0 ? beta : 1f;
                if (transA) {
                    packATransposed(m, kc, a, aOff + pc * lda, lda, packA, tr);
                } else {
                    packA(m, kc, a, aOff + pc, lda, packA, tr);
                }
                for (int jr = 0; jr < n; jr += NR) {
                    int nr = Math.min(NR, n - jr);
                    if (transB) {
                        packBTransposed(kc, nr, b, bOff + jr * ldb + pc, ldb, packB);
                    } else {
                        packB(kc, nr, b, bOff + pc * ldb + jr, ldb, packB);
                    }
                    macroKernel(m, nr, kc, alpha, packA, packB, 0, betaPass, c, cOff + jr, ldc, ws.tile, tr);
                }
            }
            return;
        }
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                float betaPass = pc == 0 ? beta : 1f; // beta applies once, later passes accumulate
                if (transB) {
                    packBTransposed(kc, nc, b, bOff + jc * ldb + pc, ldb, packB);
                } else {
                    packB(kc, nc, b, bOff + pc * ldb + jc, ldb, packB);
                }
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    if (transA) {
                        packATransposed(mc, kc, a, aOff + pc * lda + ic, lda, packA, tr);
                    } else {
                        packA(mc, kc, a, aOff + ic * lda + pc, lda, packA, tr);
                    }
                    macroKernel(mc, nc, kc, alpha, packA, packB, 0, betaPass, c, cOff + ic * ldc + jc, ldc, ws.tile, tr);
                }
            }
        }
    }

    /**
     * C = alpha·op(A)·op(B) + beta·C for products at most one vector wide (n ≤ L: an output layer
     * of a few classes, its weight gradient). A is read in place: each of its elements meets a
     * single column of tiles, so packing it would move as many bytes as the product reads (the
     * packed path spent most of its time there and in half-empty 2-vector tiles, about 14 % of
     * the FMA limit at 3200 × 16 × 256). B's k-block is packed into one zero-padded vector column.
     * The k-blocks and the roundings are those of the packed path — per block, a chain of FMAs
     * from zero in k order, then {@code fma(tile, alpha, beta·C)} — so C is bitwise the same.
     */
    private static void narrowGemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                   float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                   float beta, float[] c, int cOff, int ldc, float[] packB, float[] tile) {
        int rowStride = transA ? 1 : lda;      // between rows of op(A)
        int depthStride = transA ? lda : 1;    // along k
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            float betaPass = pc == 0 ? beta : 1f;
            for (int p = 0; p < kc; p++) {
                for (int j = 0; j < L; j++) {
                    packB[p * L + j] = j >= n ? 0f : transB ? b[bOff + j * ldb + pc + p] : b[bOff + (pc + p) * ldb + j];
                }
            }
            int aBlock = aOff + pc * depthStride;
            int i = 0;
            for (; i + 8 <= m; i += 8) {
                narrowKernel8(kc, a, aBlock + i * rowStride, rowStride, depthStride, packB, tile);
                narrowStore(tile, 8, alpha, betaPass, c, cOff + i * ldc, ldc, n);
            }
            for (; i < m; i++) {
                FloatVector acc = FloatVector.zero(S);
                int ai = aBlock + i * rowStride;
                for (int p = 0; p < kc; p++) {
                    acc = FloatVector.broadcast(S, a[ai + p * depthStride]).fma(FloatVector.fromArray(S, packB, p * L), acc);
                }
                acc.intoArray(tile, 0);
                narrowStore(tile, 1, alpha, betaPass, c, cOff + i * ldc, ldc, n);
            }
        }
    }

    /**
     * Eight rows of a narrow product: 8 accumulators (the FMA latency × ports of current cores),
     * each B vector loaded once for the 8 rows, into tile[0 .. 8·L). Row r's element p of op(A) is
     * at {@code a[ai + r·rs + p·ps]}. Like the micro-kernels it ends in a scratch tile and takes
     * no vector or mask argument: with the C stores in its body C2 gave up on it and boxed every
     * vector of the loop, and a store helper taking a vector got its argument boxed whenever it
     * was not inlined (a training step allocated 0.5 MB that way).
     */
    private static void narrowKernel8(int kc, float[] a, int ai, int rs, int ps, float[] pb, float[] tile) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
        FloatVector c4 = FloatVector.zero(S), c5 = FloatVector.zero(S), c6 = FloatVector.zero(S), c7 = FloatVector.zero(S);
        int a0 = ai, a1 = ai + rs, a2 = ai + 2 * rs, a3 = ai + 3 * rs;
        int a4 = ai + 4 * rs, a5 = ai + 5 * rs, a6 = ai + 6 * rs, a7 = ai + 7 * rs;
        for (int p = 0; p < kc; p++) {
            FloatVector bv = FloatVector.fromArray(S, pb, p * L);
            int q = p * ps;
            c0 = FloatVector.broadcast(S, a[a0 + q]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, a[a1 + q]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, a[a2 + q]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, a[a3 + q]).fma(bv, c3);
            c4 = FloatVector.broadcast(S, a[a4 + q]).fma(bv, c4);
            c5 = FloatVector.broadcast(S, a[a5 + q]).fma(bv, c5);
            c6 = FloatVector.broadcast(S, a[a6 + q]).fma(bv, c6);
            c7 = FloatVector.broadcast(S, a[a7 + q]).fma(bv, c7);
        }
        c0.intoArray(tile, 0);
        c1.intoArray(tile, L);
        c2.intoArray(tile, 2 * L);
        c3.intoArray(tile, 3 * L);
        c4.intoArray(tile, 4 * L);
        c5.intoArray(tile, 5 * L);
        c6.intoArray(tile, 6 * L);
        c7.intoArray(tile, 7 * L);
    }

    /** C[0..rows)[0..n) = alpha · tile + beta · C, tile rows L apart, with {@link #storeTile}'s roundings. */
    private static void narrowStore(float[] tile, int rows, float alpha, float beta, float[] c, int ci, int ldc, int n) {
        VectorMask<Float> cols = S.indexInRange(0, n);
        FloatVector av = FloatVector.broadcast(S, alpha);
        FloatVector bv = FloatVector.broadcast(S, beta);
        for (int r = 0; r < rows; r++) {
            FloatVector t = FloatVector.fromArray(S, tile, r * L);
            int at = ci + r * ldc;
            if (beta == 0f) {  // C is not read
                t.mul(av).intoArray(c, at, cols);
            } else {
                t.fma(av, FloatVector.fromArray(S, c, at, cols).mul(bv)).intoArray(c, at, cols);
            }
        }
    }

    // -------------------------------------------------------------------------------------------
    // Pre-packed B
    // -------------------------------------------------------------------------------------------

    @Override
    public PackedMatrix packB(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        return PackedMatrix.of(transB, k, n, b, bOff, ldb, NR, KC);
    }

    @Override
    public void repackB(PackedMatrix packed, boolean transB, float[] b, int bOff, int ldb) {
        packed.fill(transB, b, bOff, ldb);
    }

    @Override
    public void multPacked(int m, int n, float alpha, float[] a, int aOff, int lda, PackedMatrix packed, int col0,
                           float beta, float[] c, int cOff, int ldc) {
        Checks.packed(m, n, a, aOff, lda, packed, col0, c, cOff, ldc);
        int k = packed.k;
        if (m <= SMALL_M || k == 0 || alpha == 0f || packed.panels == null || packed.nr != NR || packed.kc != KC
                || col0 % NR != 0) {
            gemm(false, false, m, n, k, alpha, a, aOff, lda, packed.plain, col0, Math.max(1, packed.n),
                    beta, c, cOff, ldc);
            return;
        }
        Workspace ws = WORKSPACE.get();
        float[] packA = ws.packA;
        int nPad = packed.paddedCols();
        int tr = tileRowsFor(n);
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            float betaPass = pc == 0 ? beta : 1f;
            for (int ic = 0; ic < m; ic += MC) {
                int mc = Math.min(MC, m - ic);
                packA(mc, kc, a, aOff + ic * lda + pc, lda, packA, tr);
                macroKernel(mc, n, kc, alpha, packA, packed.panels, pc * nPad + col0 * kc, betaPass,
                        c, cOff + ic * ldc, ldc, ws.tile, tr);
            }
        }
    }

    // -------------------------------------------------------------------------------------------
    // Steps (StepWeights): every output element is one FMA chain in row order, like the scalar
    // kernels', so the register blocking below changes speed, never a bit of the result.
    // -------------------------------------------------------------------------------------------

    @Override
    public StepWeights packStep(int gates, int width, float[] wx, int wxOff, int d, float[] wh, int whOff, int r,
                                float[] b, int bOff, StepWeights.Storage storage) {
        return StepWeights.pack(L, gates, width, wx, wxOff, d, wh, whOff, r, b, bOff, storage);
    }

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
     * C += A·W[row0 .. row0 + rows). Per strip: blocks of 4 rows × 4 vector columns (16
     * accumulators, each weight vector loaded once for 4 rows), then single rows with all 8
     * vector columns of the strip in registers (one pass over the strip's weights). The last
     * panel's vector columns, when c is not a multiple of the lanes, go through a masked
     * one-accumulator loop.
     */
    private static void stepRows(int m, StepWeights w, int row0, int rows,
                                 float[] a, int aOff, int lda, float[] c, int cOff, int ldc) {
        if (w.lanes != L) {
            ScalarKernels.stepRows(m, w, row0, rows, a, aOff, lda, c, cOff, ldc);
            return;
        }
        if (rows == 0) {
            return;
        }
        boolean bf16 = w.storage == StepWeights.Storage.BFLOAT16;
        int full = w.fullColumns();
        int strips = w.strips();
        // The 4-row blocks read A from a packed copy, each block's four rows interleaved
        // (ap[4·r + i] = A[i][r]): one index walks all four rows, as in the GEMM's packed A.
        float[] ap = m >= 4 ? packStepRows(m - m % 4, rows, a, aOff, lda) : null;
        for (int s = 0; s < strips; s++) {
            int v0 = s * StepWeights.STRIP;
            int stride = (bf16 ? w.stripPairs(s) : w.stripWidth(s)) * L;
            int vEnd = Math.max(v0, Math.min(v0 + w.stripWidth(s), full)); // the partial panel may span strips
            int base = bf16 ? w.pairIndex(row0, v0) : w.index(row0, v0);
            int blocked = m - m % 4;
            // Blocks of 4 rows, the weight rows in chunks of STEP_KB (a 4-column chunk is 32 KiB of
            // floats, so it stays in L1 while every 4-row block of the call passes over it). The
            // accumulators go through C between chunks: the chains continue exactly, in row order.
            for (int kb = 0; kb < rows && blocked > 0; kb += STEP_KB) {
                int kr = Math.min(STEP_KB, rows - kb);
                int chunk = base + kb * stride;
                for (int i = 0; i < blocked; i += 4) {
                    int v = v0;
                    int apOff = i * rows + 4 * kb;   // block i / 4 of the packed rows, from row kb
                    for (; v + 4 <= vEnd; v += 4) {
                        if (bf16) {
                            step4x4Bf16(w, v, chunk + (v - v0) / 2 * L, stride, kr, ap, apOff, c, cOff + i * ldc, ldc);
                        } else {
                            step4x4(w, v, chunk + (v - v0) * L, stride, kr, ap, apOff, c, cOff + i * ldc, ldc);
                        }
                    }
                    for (int ii = i; ii < i + 4; ii++) {
                        stepColumns(w, v, vEnd, row0 + kb, stride, kr, a, aOff + ii * lda + kb, c, cOff + ii * ldc);
                    }
                }
            }
            int i = blocked;
            for (; i < m; i++) {
                int v = v0;
                if (vEnd - v0 == StepWeights.STRIP) {
                    if (bf16) {
                        step1x8Bf16(w, v0, base, rows, a, aOff + i * lda, c, cOff + i * ldc);
                    } else {
                        step1x8(w, v0, base, rows, a, aOff + i * lda, c, cOff + i * ldc);
                    }
                    v = vEnd;
                }
                stepColumns(w, v, vEnd, row0, stride, rows, a, aOff + i * lda, c, cOff + i * ldc);
            }
            for (int v = vEnd; v < v0 + w.stripWidth(s); v++) {       // the last, partial panel
                for (int ii = 0; ii < m; ii++) {
                    int col = cOff + ii * ldc + w.column(v);
                    if (bf16) {
                        chainBf16(w.data, w.pairIndex(row0, v), w.isHigh(v), stride, rows, a, aOff + ii * lda, c, col,
                                w.valid(v));
                    } else {
                        chainF32(w.data, w.index(row0, v), stride, rows, a, aOff + ii * lda, c, col, w.valid(v));
                    }
                }
            }
        }
    }

    /*
     * Weight loads take byte offsets computed in long (base + r·stride as longs): the segment's
     * bounds check is on a long, and C2 hoists it out of the row loop only when the offset is a
     * long linear function of the loop counter. Computed as an int and widened, it is not, and
     * the checks stayed in the loop: an RNN step at n = 128 took 1.62 µs so, 1.16 µs now.
     */

    /** The weight vector at byte offset q of a packing's off-heap data. */
    private static FloatVector wb(MemorySegment p, long q) {
        return FloatVector.fromMemorySegment(S, p, q, NATIVE);
    }

    /** The word vector (two bfloat16 weights per lane) at byte offset q. */
    private static IntVector wib(MemorySegment p, long q) {
        return IntVector.fromMemorySegment(I, p, q, NATIVE);
    }

    /** Per-thread packed rows of the many-row steps (grown, never shrunk). */
    private static final ThreadLocal<float[][]> STEP_ROWS = ThreadLocal.withInitial(() -> new float[1][0]);

    /** Rows [0, m) of A (m a multiple of 4, k columns) in blocks of 4 rows, each block k × 4. */
    private static float[] packStepRows(int m, int k, float[] a, int aOff, int lda) {
        float[][] holder = STEP_ROWS.get();
        if (holder[0].length < m * k) {
            holder[0] = new float[m * k];
        }
        float[] ap = holder[0];
        for (int i = 0; i < m; i += 4) {
            int dst = i * k;
            int r0 = aOff + i * lda;
            for (int r = 0; r < k; r++, dst += 4) {
                ap[dst] = a[r0 + r];
                ap[dst + 1] = a[r0 + lda + r];
                ap[dst + 2] = a[r0 + 2 * lda + r];
                ap[dst + 3] = a[r0 + 3 * lda + r];
            }
        }
        return ap;
    }

    /** One row, full vector columns [v, vEnd) of a strip one at a time. */
    private static void stepColumns(StepWeights w, int v, int vEnd, int row0, int stride, int rows,
                                    float[] a, int ai, float[] c, int ci) {
        for (; v < vEnd; v++) {
            int col = ci + w.column(v);
            if (w.storage == StepWeights.Storage.BFLOAT16) {
                chainBf16(w.data, w.pairIndex(row0, v), w.isHigh(v), stride, rows, a, ai, c, col, L);
            } else {
                chainF32(w.data, w.index(row0, v), stride, rows, a, ai, c, col, L);
            }
        }
    }

    /*
     * One accumulator: C[col ..] += Σ_r a[r]·W[r] in row order, weight rows {@code stride} apart
     * from q, the first {@code valid} lanes of C (masked when fewer than all). Loaded, chained and
     * stored in one method, so that no vector or mask crosses a call C2 might not inline (a
     * returned vector that escapes gets boxed: an allocation per call).
     */

    private static void chainF32(MemorySegment p, int q, int stride, int rows, float[] a, int ai, float[] c, int col, int valid) {
        if (valid == L) {
            FloatVector acc = FloatVector.fromArray(S, c, col);
            for (int r = 0; r < rows; r++) {
                acc = wb(p, 4L * q + r * (4L * stride)).fma(FloatVector.broadcast(S, a[ai + r]), acc);
            }
            acc.intoArray(c, col);
        } else {
            VectorMask<Float> mask = S.indexInRange(0, valid);
            FloatVector acc = FloatVector.fromArray(S, c, col, mask);
            for (int r = 0; r < rows; r++) {
                acc = wb(p, 4L * q + r * (4L * stride)).fma(FloatVector.broadcast(S, a[ai + r]), acc);
            }
            acc.intoArray(c, col, mask);
        }
    }

    /** {@link #chainF32} on bfloat16 weights: the low or high halves of the words at q. */
    private static void chainBf16(MemorySegment p, int q, boolean high, int stride, int rows, float[] a, int ai, float[] c, int col,
                                  int valid) {
        int shift = high ? 0 : 16;
        int keep = high ? 0xFFFF0000 : -1;
        VectorMask<Float> mask = S.indexInRange(0, valid);
        FloatVector acc = FloatVector.fromArray(S, c, col, mask);
        for (int r = 0; r < rows; r++) {
            FloatVector wv = wib(p, 4L * q + r * (4L * stride)).lanewise(VectorOperators.LSHL, shift)
                    .and(keep).viewAsFloatingLanes();
            acc = wv.fma(FloatVector.broadcast(S, a[ai + r]), acc);
        }
        acc.intoArray(c, col, mask);
    }

    /**
     * {@link #step1x8} on bfloat16 weights: four 32-bit-word loads per row give the eight weight
     * vectors (low halves shifted up, high halves masked), half the bytes of float weights.
     */
    private static void step1x8Bf16(StepWeights w, int v0, int base, int rows, float[] a, int ai, float[] c, int ci) {
        MemorySegment p = w.data;
        int o0 = ci + w.column(v0), o1 = ci + w.column(v0 + 1), o2 = ci + w.column(v0 + 2), o3 = ci + w.column(v0 + 3);
        int o4 = ci + w.column(v0 + 4), o5 = ci + w.column(v0 + 5), o6 = ci + w.column(v0 + 6), o7 = ci + w.column(v0 + 7);
        FloatVector c0 = FloatVector.fromArray(S, c, o0), c1 = FloatVector.fromArray(S, c, o1);
        FloatVector c2 = FloatVector.fromArray(S, c, o2), c3 = FloatVector.fromArray(S, c, o3);
        FloatVector c4 = FloatVector.fromArray(S, c, o4), c5 = FloatVector.fromArray(S, c, o5);
        FloatVector c6 = FloatVector.fromArray(S, c, o6), c7 = FloatVector.fromArray(S, c, o7);
        IntVector high = IntVector.broadcast(I, 0xFFFF0000);
        long b0 = 4L * base;
        for (int r = 0; r < rows; r++) {
            long q = b0 + r * (4L * StepWeights.STRIP / 2 * L);
            FloatVector x = FloatVector.broadcast(S, a[ai + r]);
            IntVector p0 = wib(p, q);
            IntVector p1 = wib(p, q + 4 * L);
            IntVector p2 = wib(p, q + 8 * L);
            IntVector p3 = wib(p, q + 12 * L);
            c0 = p0.lanewise(VectorOperators.LSHL, 16).viewAsFloatingLanes().fma(x, c0);
            c1 = p0.and(high).viewAsFloatingLanes().fma(x, c1);
            c2 = p1.lanewise(VectorOperators.LSHL, 16).viewAsFloatingLanes().fma(x, c2);
            c3 = p1.and(high).viewAsFloatingLanes().fma(x, c3);
            c4 = p2.lanewise(VectorOperators.LSHL, 16).viewAsFloatingLanes().fma(x, c4);
            c5 = p2.and(high).viewAsFloatingLanes().fma(x, c5);
            c6 = p3.lanewise(VectorOperators.LSHL, 16).viewAsFloatingLanes().fma(x, c6);
            c7 = p3.and(high).viewAsFloatingLanes().fma(x, c7);
        }
        c0.intoArray(c, o0);
        c1.intoArray(c, o1);
        c2.intoArray(c, o2);
        c3.intoArray(c, o3);
        c4.intoArray(c, o4);
        c5.intoArray(c, o5);
        c6.intoArray(c, o6);
        c7.intoArray(c, o7);
    }

    /** {@link #step4x4} on bfloat16 weights (two word loads give the four weight vectors). */
    private static void step4x4Bf16(StepWeights w, int v0, int base, int stride, int rows,
                                    float[] ap, int apOff, float[] c, int ci, int ldc) {
        MemorySegment p = w.data;
        int k0 = w.column(v0), k1 = w.column(v0 + 1), k2 = w.column(v0 + 2), k3 = w.column(v0 + 3);
        int r0 = ci, r1 = ci + ldc, r2 = ci + 2 * ldc, r3 = ci + 3 * ldc;
        FloatVector c00 = FloatVector.fromArray(S, c, r0 + k0), c01 = FloatVector.fromArray(S, c, r0 + k1);
        FloatVector c02 = FloatVector.fromArray(S, c, r0 + k2), c03 = FloatVector.fromArray(S, c, r0 + k3);
        FloatVector c10 = FloatVector.fromArray(S, c, r1 + k0), c11 = FloatVector.fromArray(S, c, r1 + k1);
        FloatVector c12 = FloatVector.fromArray(S, c, r1 + k2), c13 = FloatVector.fromArray(S, c, r1 + k3);
        FloatVector c20 = FloatVector.fromArray(S, c, r2 + k0), c21 = FloatVector.fromArray(S, c, r2 + k1);
        FloatVector c22 = FloatVector.fromArray(S, c, r2 + k2), c23 = FloatVector.fromArray(S, c, r2 + k3);
        FloatVector c30 = FloatVector.fromArray(S, c, r3 + k0), c31 = FloatVector.fromArray(S, c, r3 + k1);
        FloatVector c32 = FloatVector.fromArray(S, c, r3 + k2), c33 = FloatVector.fromArray(S, c, r3 + k3);
        IntVector high = IntVector.broadcast(I, 0xFFFF0000);
        long b0 = 4L * base;
        long strideBytes = 4L * stride;
        for (int r = 0; r < rows; r++) {
            long q = b0 + r * strideBytes;
            IntVector p0 = wib(p, q);
            IntVector p1 = wib(p, q + 4 * L);
            FloatVector w0 = p0.lanewise(VectorOperators.LSHL, 16).viewAsFloatingLanes();
            FloatVector w1 = p0.and(high).viewAsFloatingLanes();
            FloatVector w2 = p1.lanewise(VectorOperators.LSHL, 16).viewAsFloatingLanes();
            FloatVector w3 = p1.and(high).viewAsFloatingLanes();
            int ar = apOff + 4 * r;
            FloatVector x = FloatVector.broadcast(S, ap[ar]);
            c00 = w0.fma(x, c00);
            c01 = w1.fma(x, c01);
            c02 = w2.fma(x, c02);
            c03 = w3.fma(x, c03);
            x = FloatVector.broadcast(S, ap[ar + 1]);
            c10 = w0.fma(x, c10);
            c11 = w1.fma(x, c11);
            c12 = w2.fma(x, c12);
            c13 = w3.fma(x, c13);
            x = FloatVector.broadcast(S, ap[ar + 2]);
            c20 = w0.fma(x, c20);
            c21 = w1.fma(x, c21);
            c22 = w2.fma(x, c22);
            c23 = w3.fma(x, c23);
            x = FloatVector.broadcast(S, ap[ar + 3]);
            c30 = w0.fma(x, c30);
            c31 = w1.fma(x, c31);
            c32 = w2.fma(x, c32);
            c33 = w3.fma(x, c33);
        }
        c00.intoArray(c, r0 + k0);
        c01.intoArray(c, r0 + k1);
        c02.intoArray(c, r0 + k2);
        c03.intoArray(c, r0 + k3);
        c10.intoArray(c, r1 + k0);
        c11.intoArray(c, r1 + k1);
        c12.intoArray(c, r1 + k2);
        c13.intoArray(c, r1 + k3);
        c20.intoArray(c, r2 + k0);
        c21.intoArray(c, r2 + k1);
        c22.intoArray(c, r2 + k2);
        c23.intoArray(c, r2 + k3);
        c30.intoArray(c, r3 + k0);
        c31.intoArray(c, r3 + k1);
        c32.intoArray(c, r3 + k2);
        c33.intoArray(c, r3 + k3);
    }

    /**
     * One row, a whole strip: 8 accumulators over one front-to-back pass of the strip's weights
     * (8 independent FMA chains cover the FMA latency; the loads stream the strip in order).
     */
    private static void step1x8(StepWeights w, int v0, int base, int rows, float[] a, int ai, float[] c, int ci) {
        MemorySegment p = w.data;
        int o0 = ci + w.column(v0), o1 = ci + w.column(v0 + 1), o2 = ci + w.column(v0 + 2), o3 = ci + w.column(v0 + 3);
        int o4 = ci + w.column(v0 + 4), o5 = ci + w.column(v0 + 5), o6 = ci + w.column(v0 + 6), o7 = ci + w.column(v0 + 7);
        FloatVector c0 = FloatVector.fromArray(S, c, o0), c1 = FloatVector.fromArray(S, c, o1);
        FloatVector c2 = FloatVector.fromArray(S, c, o2), c3 = FloatVector.fromArray(S, c, o3);
        FloatVector c4 = FloatVector.fromArray(S, c, o4), c5 = FloatVector.fromArray(S, c, o5);
        FloatVector c6 = FloatVector.fromArray(S, c, o6), c7 = FloatVector.fromArray(S, c, o7);
        long b0 = 4L * base;
        for (int r = 0; r < rows; r++) {
            long q = b0 + r * (4L * StepWeights.STRIP * L);  // bytes, in long: C2 then hoists the segment's bounds check
            FloatVector x = FloatVector.broadcast(S, a[ai + r]);
            c0 = wb(p, q).fma(x, c0);
            c1 = wb(p, q + 4 * L).fma(x, c1);
            c2 = wb(p, q + 8 * L).fma(x, c2);
            c3 = wb(p, q + 12 * L).fma(x, c3);
            c4 = wb(p, q + 16 * L).fma(x, c4);
            c5 = wb(p, q + 20 * L).fma(x, c5);
            c6 = wb(p, q + 24 * L).fma(x, c6);
            c7 = wb(p, q + 28 * L).fma(x, c7);
        }
        c0.intoArray(c, o0);
        c1.intoArray(c, o1);
        c2.intoArray(c, o2);
        c3.intoArray(c, o3);
        c4.intoArray(c, o4);
        c5.intoArray(c, o5);
        c6.intoArray(c, o6);
        c7.intoArray(c, o7);
    }

    /**
     * Four rows × four vector columns: 16 accumulators; each weight vector loaded once serves
     * four rows (streams stepped together), a quarter of the weight traffic of single rows.
     */
    private static void step4x4(StepWeights w, int v0, int base, int stride, int rows,
                                float[] ap, int apOff, float[] c, int ci, int ldc) {
        MemorySegment p = w.data;
        int k0 = w.column(v0), k1 = w.column(v0 + 1), k2 = w.column(v0 + 2), k3 = w.column(v0 + 3);
        int r0 = ci, r1 = ci + ldc, r2 = ci + 2 * ldc, r3 = ci + 3 * ldc;
        FloatVector c00 = FloatVector.fromArray(S, c, r0 + k0), c01 = FloatVector.fromArray(S, c, r0 + k1);
        FloatVector c02 = FloatVector.fromArray(S, c, r0 + k2), c03 = FloatVector.fromArray(S, c, r0 + k3);
        FloatVector c10 = FloatVector.fromArray(S, c, r1 + k0), c11 = FloatVector.fromArray(S, c, r1 + k1);
        FloatVector c12 = FloatVector.fromArray(S, c, r1 + k2), c13 = FloatVector.fromArray(S, c, r1 + k3);
        FloatVector c20 = FloatVector.fromArray(S, c, r2 + k0), c21 = FloatVector.fromArray(S, c, r2 + k1);
        FloatVector c22 = FloatVector.fromArray(S, c, r2 + k2), c23 = FloatVector.fromArray(S, c, r2 + k3);
        FloatVector c30 = FloatVector.fromArray(S, c, r3 + k0), c31 = FloatVector.fromArray(S, c, r3 + k1);
        FloatVector c32 = FloatVector.fromArray(S, c, r3 + k2), c33 = FloatVector.fromArray(S, c, r3 + k3);
        long b0 = 4L * base;
        long strideBytes = 4L * stride;
        for (int r = 0; r < rows; r++) {
            long q = b0 + r * strideBytes;
            FloatVector w0 = wb(p, q);
            FloatVector w1 = wb(p, q + 4 * L);
            FloatVector w2 = wb(p, q + 8 * L);
            FloatVector w3 = wb(p, q + 12 * L);
            int ar = apOff + 4 * r;
            FloatVector x = FloatVector.broadcast(S, ap[ar]);
            c00 = w0.fma(x, c00);
            c01 = w1.fma(x, c01);
            c02 = w2.fma(x, c02);
            c03 = w3.fma(x, c03);
            x = FloatVector.broadcast(S, ap[ar + 1]);
            c10 = w0.fma(x, c10);
            c11 = w1.fma(x, c11);
            c12 = w2.fma(x, c12);
            c13 = w3.fma(x, c13);
            x = FloatVector.broadcast(S, ap[ar + 2]);
            c20 = w0.fma(x, c20);
            c21 = w1.fma(x, c21);
            c22 = w2.fma(x, c22);
            c23 = w3.fma(x, c23);
            x = FloatVector.broadcast(S, ap[ar + 3]);
            c30 = w0.fma(x, c30);
            c31 = w1.fma(x, c31);
            c32 = w2.fma(x, c32);
            c33 = w3.fma(x, c33);
        }
        c00.intoArray(c, r0 + k0);
        c01.intoArray(c, r0 + k1);
        c02.intoArray(c, r0 + k2);
        c03.intoArray(c, r0 + k3);
        c10.intoArray(c, r1 + k0);
        c11.intoArray(c, r1 + k1);
        c12.intoArray(c, r1 + k2);
        c13.intoArray(c, r1 + k3);
        c20.intoArray(c, r2 + k0);
        c21.intoArray(c, r2 + k1);
        c22.intoArray(c, r2 + k2);
        c23.intoArray(c, r2 + k3);
        c30.intoArray(c, r3 + k0);
        c31.intoArray(c, r3 + k1);
        c32.intoArray(c, r3 + k2);
        c33.intoArray(c, r3 + k3);
    }

    /** All tiles (strip rows × NR) of one packed A block times one packed B block. */
    private static void macroKernel(int mc, int nc, int kc, float alpha, float[] packA, float[] packB, int bBase,
                                    float beta, float[] c, int cOff, int ldc, float[] tile, int tr) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int bIdx = bBase + jr * kc; // panel jr / NR starts at (jr / NR) * kc * NR
            for (int ir = 0; ir < mc; ) {
                int h = stripRows(mc - ir, tr);
                int mr = Math.min(h, mc - ir);
                if (h == 12) {
                    microKernel12(kc, packA, ir * kc, packB, bIdx, tile);
                } else if (h == 8) {
                    microKernel8(kc, packA, ir * kc, packB, bIdx, tile);
                } else {
                    microKernel(kc, packA, ir * kc, packB, bIdx, tile);
                }
                int ci = cOff + ir * ldc + jr;
                ir += h;
                if (mr == h && nr == NR) {
                    storeTile(tile, h, alpha, beta, c, ci, ldc);
                } else {
                    storeEdgeTile(tile, mr, nr, alpha, beta, c, ci, ldc);
                }
            }
        }
    }

    /**
     * tile = Apanel · Bpanel, with Apanel a kc × MR strip (element (p, r) at aIdx + p·MR + r) and
     * Bpanel a kc × NR panel (element (p, j) at bIdx + p·NR + j). Eight accumulators stay in
     * registers for the whole k loop: 8 independent FMA chains cover the FMA latency × ports of
     * current cores (4 × 2). Larger tiles (6 × 2, 5 × 2, 4 × 3) measured 35–45 GFLOP/s against
     * 77–87 for this one on Zen 3: C2 spills their accumulators. The result goes to a scratch
     * tile rather than straight into C so that this method stays small enough for C2 to keep every
     * vector in a register (a larger body hits the inlining node limit and the vectors get boxed).
     */
    private static void microKernel(int kc, float[] pa, int aIdx, float[] pb, int bIdx, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bIdx + p * NR;
            int ai = aIdx + p * 4;
            FloatVector b0 = FloatVector.fromArray(S, pb, bi);
            FloatVector b1 = FloatVector.fromArray(S, pb, bi + L);
            FloatVector a0 = FloatVector.broadcast(S, pa[ai]);
            FloatVector a1 = FloatVector.broadcast(S, pa[ai + 1]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            a0 = FloatVector.broadcast(S, pa[ai + 2]);
            a1 = FloatVector.broadcast(S, pa[ai + 3]);
            c20 = a0.fma(b0, c20);
            c21 = a0.fma(b1, c21);
            c30 = a1.fma(b0, c30);
            c31 = a1.fma(b1, c31);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
    }

    /**
     * The 8 × 2-vector form of {@link #microKernel} for CPUs with 32 vector registers: 16
     * accumulators + 2 B vectors + 2 broadcasts fit without spilling, and each B load feeds 8
     * FMAs instead of 4, which halves the load traffic per FMA.
     */
    private static void microKernel8(int kc, float[] pa, int aIdx, float[] pb, int bIdx, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bIdx + p * NR;
            int ai = aIdx + p * 8;
            FloatVector b0 = FloatVector.fromArray(S, pb, bi);
            FloatVector b1 = FloatVector.fromArray(S, pb, bi + L);
            FloatVector a0 = FloatVector.broadcast(S, pa[ai]);
            FloatVector a1 = FloatVector.broadcast(S, pa[ai + 1]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            a0 = FloatVector.broadcast(S, pa[ai + 2]);
            a1 = FloatVector.broadcast(S, pa[ai + 3]);
            c20 = a0.fma(b0, c20);
            c21 = a0.fma(b1, c21);
            c30 = a1.fma(b0, c30);
            c31 = a1.fma(b1, c31);
            a0 = FloatVector.broadcast(S, pa[ai + 4]);
            a1 = FloatVector.broadcast(S, pa[ai + 5]);
            c40 = a0.fma(b0, c40);
            c41 = a0.fma(b1, c41);
            c50 = a1.fma(b0, c50);
            c51 = a1.fma(b1, c51);
            a0 = FloatVector.broadcast(S, pa[ai + 6]);
            a1 = FloatVector.broadcast(S, pa[ai + 7]);
            c60 = a0.fma(b0, c60);
            c61 = a0.fma(b1, c61);
            c70 = a1.fma(b0, c70);
            c71 = a1.fma(b1, c71);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + L);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + L);
    }

    /**
     * The 12 × 2-vector form of {@link #microKernel8}: 24 accumulators + 2 B vectors + 2
     * broadcasts = 28 of the 32 vector registers, and each B load feeds 12 FMAs. Written out like
     * the others: a loop over an array of accumulators would box them in C2.
     */
    private static void microKernel12(int kc, float[] pa, int aIdx, float[] pb, int bIdx, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        FloatVector c80 = FloatVector.zero(S), c81 = FloatVector.zero(S);
        FloatVector c90 = FloatVector.zero(S), c91 = FloatVector.zero(S);
        FloatVector ca0 = FloatVector.zero(S), ca1 = FloatVector.zero(S);
        FloatVector cb0 = FloatVector.zero(S), cb1 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bIdx + p * NR;
            int ai = aIdx + p * 12;
            FloatVector b0 = FloatVector.fromArray(S, pb, bi);
            FloatVector b1 = FloatVector.fromArray(S, pb, bi + L);
            FloatVector a0 = FloatVector.broadcast(S, pa[ai]);
            FloatVector a1 = FloatVector.broadcast(S, pa[ai + 1]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            a0 = FloatVector.broadcast(S, pa[ai + 2]);
            a1 = FloatVector.broadcast(S, pa[ai + 3]);
            c20 = a0.fma(b0, c20);
            c21 = a0.fma(b1, c21);
            c30 = a1.fma(b0, c30);
            c31 = a1.fma(b1, c31);
            a0 = FloatVector.broadcast(S, pa[ai + 4]);
            a1 = FloatVector.broadcast(S, pa[ai + 5]);
            c40 = a0.fma(b0, c40);
            c41 = a0.fma(b1, c41);
            c50 = a1.fma(b0, c50);
            c51 = a1.fma(b1, c51);
            a0 = FloatVector.broadcast(S, pa[ai + 6]);
            a1 = FloatVector.broadcast(S, pa[ai + 7]);
            c60 = a0.fma(b0, c60);
            c61 = a0.fma(b1, c61);
            c70 = a1.fma(b0, c70);
            c71 = a1.fma(b1, c71);
            a0 = FloatVector.broadcast(S, pa[ai + 8]);
            a1 = FloatVector.broadcast(S, pa[ai + 9]);
            c80 = a0.fma(b0, c80);
            c81 = a0.fma(b1, c81);
            c90 = a1.fma(b0, c90);
            c91 = a1.fma(b1, c91);
            a0 = FloatVector.broadcast(S, pa[ai + 10]);
            a1 = FloatVector.broadcast(S, pa[ai + 11]);
            ca0 = a0.fma(b0, ca0);
            ca1 = a0.fma(b1, ca1);
            cb0 = a1.fma(b0, cb0);
            cb1 = a1.fma(b1, cb1);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + L);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + L);
        c80.intoArray(tile, 8 * NR);
        c81.intoArray(tile, 8 * NR + L);
        c90.intoArray(tile, 9 * NR);
        c91.intoArray(tile, 9 * NR + L);
        ca0.intoArray(tile, 10 * NR);
        ca1.intoArray(tile, 10 * NR + L);
        cb0.intoArray(tile, 11 * NR);
        cb1.intoArray(tile, 11 * NR + L);
    }

    /** C[0..rows)[0..NR) = alpha · tile + beta · C (beta == 0: C is not read). */
    private static void storeTile(float[] tile, int rows, float alpha, float beta, float[] c, int ci, int ldc) {
        FloatVector av = FloatVector.broadcast(S, alpha);
        if (beta == 0f) {
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < NR; j += L) {
                    FloatVector.fromArray(S, tile, r * NR + j).mul(av).intoArray(c, ci + r * ldc + j);
                }
            }
        } else {
            FloatVector bv = FloatVector.broadcast(S, beta);
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < NR; j += L) {
                    int at = ci + r * ldc + j;
                    FloatVector.fromArray(S, tile, r * NR + j).fma(av, FloatVector.fromArray(S, c, at).mul(bv))
                            .intoArray(c, at);
                }
            }
        }
    }

    /** The valid mr × nr corner of a tile at the bottom or right edge of C. */
    private static void storeEdgeTile(float[] tile, int mr, int nr, float alpha, float beta,
                                      float[] c, int ci, int ldc) {
        for (int r = 0; r < mr; r++) {
            int row = ci + r * ldc;
            for (int j = 0; j < nr; j++) {
                float t = tile[r * NR + j];
                // the same roundings as storeTile, so a C element does not depend on its tile
                c[row + j] = beta == 0f ? alpha * t : Math.fma(t, alpha, c[row + j] * beta);
            }
        }
    }

    /**
     * Σ of the lanes in a fixed order. {@code reduceLanes(ADD)} may add in another order once
     * C2 has compiled it than in the interpreter, which would make results depend on JIT timing.
     */
    static float sumLanes(FloatVector v) {
        float s = 0f;
        for (int i = 0; i < L; i++) {
            s += v.lane(i);
        }
        return s;
    }

    /** Packs kc × nc of row-major B (at bOff, ldb) into NR-wide column panels, zero-padded. */
    private static void packB(int kc, int nc, float[] b, int bOff, int ldb, float[] dst) {
        packB(kc, nc, b, bOff, ldb, dst, 0);
    }

    private static void packB(int kc, int nc, float[] b, int bOff, int ldb, float[] dst, int dstOff) {
        for (int j0 = 0; j0 < nc; j0 += NR) {
            int w = Math.min(NR, nc - j0);
            int d = dstOff + j0 * kc;
            if (w == NR) {
                for (int p = 0; p < kc; p++) {
                    int s = bOff + p * ldb + j0;
                    FloatVector.fromArray(S, b, s).intoArray(dst, d + p * NR);
                    FloatVector.fromArray(S, b, s + L).intoArray(dst, d + p * NR + L);
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int s = bOff + p * ldb + j0;
                    int dp = d + p * NR;
                    for (int j = 0; j < w; j++) {
                        dst[dp + j] = b[s + j];
                    }
                    for (int j = w; j < NR; j++) {
                        dst[dp + j] = 0f;
                    }
                }
            }
        }
    }

    /** Packs op(B) = Bᵀ, kc × nc, from B stored nc × kc (at bOff, ldb), into NR-wide panels. */
    private static void packBTransposed(int kc, int nc, float[] b, int bOff, int ldb, float[] dst) {
        for (int j0 = 0; j0 < nc; j0 += NR) {
            int w = Math.min(NR, nc - j0);
            int d = j0 * kc;
            for (int j = 0; j < w; j++) {
                int s = bOff + (j0 + j) * ldb;
                for (int p = 0; p < kc; p++) {
                    dst[d + p * NR + j] = b[s + p];
                }
            }
            for (int j = w; j < NR; j++) {
                for (int p = 0; p < kc; p++) {
                    dst[d + p * NR + j] = 0f;
                }
            }
        }
    }

    /**
     * Packs mc × kc of row-major A (at aOff, lda) into strips of {@link #stripRows} rows,
     * zero-padded. With 16 lanes a full strip is transposed in registers, 16 depths at a time
     * ({@link #transposeStrip8} and its 4- and 12-row forms); the scalar loop, which the rest
     * goes through, writes one float per iteration hs floats from the last and costs about 3
     * cycles a float (6 % of the recurrent step 32 × 1024 × 256, 20 % of dX = dA·W_xᵀ at
     * 3200 × 128 × 1024). Gathers, tried first, took about 25 cycles per vector.
     */
    private static void packA(int mc, int kc, float[] a, int aOff, int lda, float[] dst, int tr) {
        for (int i0 = 0; i0 < mc; ) {
            int hs = stripRows(mc - i0, tr);
            int h = Math.min(hs, mc - i0);
            int d = i0 * kc;
            int s = aOff + i0 * lda;
            int p = 0;
            if (h == hs && L == 16) {
                p = hs == 12 ? transposeStrip12(kc, a, s, lda, dst, d)
                        : hs == 8 ? transposeStrip8(kc, a, s, lda, dst, d)
                        : transposeStrip4(kc, a, s, lda, dst, d);
            }
            for (int r = 0; r < h; r++) {
                int sr = s + r * lda;
                for (int q = p; q < kc; q++) {
                    dst[d + q * hs + r] = a[sr + q];
                }
            }
            for (int r = h; r < hs; r++) {
                for (int q = p; q < kc; q++) {
                    dst[d + q * hs + r] = 0f;
                }
            }
            i0 += hs;
        }
    }

    /**
     * Two-source permutation indices (lanes 0..15 name this vector's lanes, 16..31 the other's)
     * that interleave groups of g lanes from the lower (HI: upper) halves of two 16-lane vectors:
     * g = 1 pairs two rows, g = 2 two row pairs, g = 4 two row quads.
     */
    private static FloatVector interleave(int g, boolean upper) {
        float[] idx = new float[16];
        for (int i = 0; i < 16; i++) {
            int group = i / (2 * g), within = i % (2 * g);
            int lane = (upper ? 8 : 0) + group * g + within % g;
            idx[i] = within < g ? lane : 16 + lane;
        }
        return FloatVector.fromArray(FloatVector.SPECIES_512, idx, 0);
    }

    private static final FloatVector I1L = L == 16 ? interleave(1, false) : null;
    private static final FloatVector I1H = L == 16 ? interleave(1, true) : null;
    private static final FloatVector I2L = L == 16 ? interleave(2, false) : null;
    private static final FloatVector I2H = L == 16 ? interleave(2, true) : null;
    private static final FloatVector I4L = L == 16 ? interleave(4, false) : null;
    private static final FloatVector I4H = L == 16 ? interleave(4, true) : null;

    /**
     * The leading depths (a multiple of 16) of one full 8-row strip (A at s, rows lda apart)
     * packed into dst at d, for 16-lane vectors: an 8 × 16 block is transposed in registers by
     * three rounds of two-source permutations (24 per block, one instruction each), where
     * gathers took about 25 cycles per vector.
     */
    private static int transposeStrip8(int kc, float[] a, int s, int lda, float[] dst, int d) {
        int p = 0;
        for (; p + 16 <= kc; p += 16) {
            int at = s + p;
            FloatVector r0 = FloatVector.fromArray(S, a, at);
            FloatVector r1 = FloatVector.fromArray(S, a, at + lda);
            FloatVector r2 = FloatVector.fromArray(S, a, at + 2 * lda);
            FloatVector r3 = FloatVector.fromArray(S, a, at + 3 * lda);
            FloatVector r4 = FloatVector.fromArray(S, a, at + 4 * lda);
            FloatVector r5 = FloatVector.fromArray(S, a, at + 5 * lda);
            FloatVector r6 = FloatVector.fromArray(S, a, at + 6 * lda);
            FloatVector r7 = FloatVector.fromArray(S, a, at + 7 * lda);
            // rows paired: [a0 b0 a1 b1 …] over depths 0-7 (L) and 8-15 (H)
            FloatVector u01l = I1L.selectFrom(r0, r1), u01h = I1H.selectFrom(r0, r1);
            FloatVector u23l = I1L.selectFrom(r2, r3), u23h = I1H.selectFrom(r2, r3);
            FloatVector u45l = I1L.selectFrom(r4, r5), u45h = I1H.selectFrom(r4, r5);
            FloatVector u67l = I1L.selectFrom(r6, r7), u67h = I1H.selectFrom(r6, r7);
            // row quads: rows 0-3 (v) and 4-7 (w) at depths 0-3, 4-7, 8-11, 12-15
            FloatVector v0 = I2L.selectFrom(u01l, u23l), v1 = I2H.selectFrom(u01l, u23l);
            FloatVector v2 = I2L.selectFrom(u01h, u23h), v3 = I2H.selectFrom(u01h, u23h);
            FloatVector w0 = I2L.selectFrom(u45l, u67l), w1 = I2H.selectFrom(u45l, u67l);
            FloatVector w2 = I2L.selectFrom(u45h, u67h), w3 = I2H.selectFrom(u45h, u67h);
            // all 8 rows at two depths per vector: the packed strip
            int o = d + p * 8;
            I4L.selectFrom(v0, w0).intoArray(dst, o);
            I4H.selectFrom(v0, w0).intoArray(dst, o + 16);
            I4L.selectFrom(v1, w1).intoArray(dst, o + 32);
            I4H.selectFrom(v1, w1).intoArray(dst, o + 48);
            I4L.selectFrom(v2, w2).intoArray(dst, o + 64);
            I4H.selectFrom(v2, w2).intoArray(dst, o + 80);
            I4L.selectFrom(v3, w3).intoArray(dst, o + 96);
            I4H.selectFrom(v3, w3).intoArray(dst, o + 112);
        }
        return p;
    }

    /** {@link #transposeStrip8} for a 4-row strip: two rounds give the packed layout (4 rows × 4 depths per vector). */
    private static int transposeStrip4(int kc, float[] a, int s, int lda, float[] dst, int d) {
        int p = 0;
        for (; p + 16 <= kc; p += 16) {
            int at = s + p;
            FloatVector r0 = FloatVector.fromArray(S, a, at);
            FloatVector r1 = FloatVector.fromArray(S, a, at + lda);
            FloatVector r2 = FloatVector.fromArray(S, a, at + 2 * lda);
            FloatVector r3 = FloatVector.fromArray(S, a, at + 3 * lda);
            FloatVector u01l = I1L.selectFrom(r0, r1), u01h = I1H.selectFrom(r0, r1);
            FloatVector u23l = I1L.selectFrom(r2, r3), u23h = I1H.selectFrom(r2, r3);
            int o = d + p * 4;
            I2L.selectFrom(u01l, u23l).intoArray(dst, o);
            I2H.selectFrom(u01l, u23l).intoArray(dst, o + 16);
            I2L.selectFrom(u01h, u23h).intoArray(dst, o + 32);
            I2H.selectFrom(u01h, u23h).intoArray(dst, o + 48);
        }
        return p;
    }

    /** Lanes 0-7 of the first vector, 0-3 of the second, 8-11 of the first: (d, rows 0-11), (d + 1, rows 0-3). */
    private static final FloatVector M12A = L == 16 ? lanes(0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 8, 9, 10, 11) : null;
    /** Lanes 12-15 of the first vector, 4-7 of the second (then anything): (d + 1, rows 4-11). */
    private static final FloatVector M12B = L == 16 ? lanes(12, 13, 14, 15, 20, 21, 22, 23, 0, 0, 0, 0, 0, 0, 0, 0) : null;
    /** Lanes 0-7 of the first vector, 0-7 of the second: (d + 1, rows 4-11), (d + 2, rows 0-7). */
    private static final FloatVector M12C = L == 16 ? lanes(0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23) : null;
    /** Lanes 8-11 of the first vector, 8-15 of the second, 12-15 of the first: (d + 2, rows 8-11), (d + 3, rows 0-11). */
    private static final FloatVector M12D = L == 16 ? lanes(8, 9, 10, 11, 24, 25, 26, 27, 28, 29, 30, 31, 12, 13, 14, 15) : null;

    private static FloatVector lanes(float... idx) {
        return FloatVector.fromArray(FloatVector.SPECIES_512, idx, 0);
    }

    /**
     * {@link #transposeStrip8} for a 12-row strip: rows 0-7 as there (two depths of 8 rows per
     * vector), rows 8-11 as in {@link #transposeStrip4} (four depths of 4 rows), then every 4
     * depths the two merged into the three vectors of 12-float depths.
     */
    private static int transposeStrip12(int kc, float[] a, int s, int lda, float[] dst, int d) {
        int p = 0;
        for (; p + 16 <= kc; p += 16) {
            int at = s + p;
            // rows 8-11 first: their four quads stay live while rows 0-7 go through (fewer
            // vectors live at once than twelve loaded rows, so no spills)
            FloatVector r8 = FloatVector.fromArray(S, a, at + 8 * lda);
            FloatVector r9 = FloatVector.fromArray(S, a, at + 9 * lda);
            FloatVector r10 = FloatVector.fromArray(S, a, at + 10 * lda);
            FloatVector r11 = FloatVector.fromArray(S, a, at + 11 * lda);
            FloatVector u89l = I1L.selectFrom(r8, r9), u89h = I1H.selectFrom(r8, r9);
            FloatVector uabl = I1L.selectFrom(r10, r11), uabh = I1H.selectFrom(r10, r11);
            FloatVector q0 = I2L.selectFrom(u89l, uabl), q1 = I2H.selectFrom(u89l, uabl);
            FloatVector q2 = I2L.selectFrom(u89h, uabh), q3 = I2H.selectFrom(u89h, uabh);
            FloatVector r0 = FloatVector.fromArray(S, a, at);
            FloatVector r1 = FloatVector.fromArray(S, a, at + lda);
            FloatVector r2 = FloatVector.fromArray(S, a, at + 2 * lda);
            FloatVector r3 = FloatVector.fromArray(S, a, at + 3 * lda);
            FloatVector u01l = I1L.selectFrom(r0, r1), u01h = I1H.selectFrom(r0, r1);
            FloatVector u23l = I1L.selectFrom(r2, r3), u23h = I1H.selectFrom(r2, r3);
            FloatVector r4 = FloatVector.fromArray(S, a, at + 4 * lda);
            FloatVector r5 = FloatVector.fromArray(S, a, at + 5 * lda);
            FloatVector r6 = FloatVector.fromArray(S, a, at + 6 * lda);
            FloatVector r7 = FloatVector.fromArray(S, a, at + 7 * lda);
            FloatVector u45l = I1L.selectFrom(r4, r5), u45h = I1H.selectFrom(r4, r5);
            FloatVector u67l = I1L.selectFrom(r6, r7), u67h = I1H.selectFrom(r6, r7);
            int o = d + p * 12;
            // every 4 depths: rows 0-7 at two depths per vector (x, y) merged with rows 8-11 (q)
            // into three 12-float-depth vectors; written out, as a helper taking vectors would box
            // them whenever C2 did not inline it
            FloatVector v = I2L.selectFrom(u01l, u23l);
            FloatVector w = I2L.selectFrom(u45l, u67l);
            FloatVector x = I4L.selectFrom(v, w);
            FloatVector y = I4H.selectFrom(v, w);
            M12A.selectFrom(x, q0).intoArray(dst, o);
            M12C.selectFrom(M12B.selectFrom(x, q0), y).intoArray(dst, o + 16);
            M12D.selectFrom(q0, y).intoArray(dst, o + 32);
            v = I2H.selectFrom(u01l, u23l);
            w = I2H.selectFrom(u45l, u67l);
            x = I4L.selectFrom(v, w);
            y = I4H.selectFrom(v, w);
            M12A.selectFrom(x, q1).intoArray(dst, o + 48);
            M12C.selectFrom(M12B.selectFrom(x, q1), y).intoArray(dst, o + 48 + 16);
            M12D.selectFrom(q1, y).intoArray(dst, o + 48 + 32);
            v = I2L.selectFrom(u01h, u23h);
            w = I2L.selectFrom(u45h, u67h);
            x = I4L.selectFrom(v, w);
            y = I4H.selectFrom(v, w);
            M12A.selectFrom(x, q2).intoArray(dst, o + 96);
            M12C.selectFrom(M12B.selectFrom(x, q2), y).intoArray(dst, o + 96 + 16);
            M12D.selectFrom(q2, y).intoArray(dst, o + 96 + 32);
            v = I2H.selectFrom(u01h, u23h);
            w = I2H.selectFrom(u45h, u67h);
            x = I4L.selectFrom(v, w);
            y = I4H.selectFrom(v, w);
            M12A.selectFrom(x, q3).intoArray(dst, o + 144);
            M12C.selectFrom(M12B.selectFrom(x, q3), y).intoArray(dst, o + 144 + 16);
            M12D.selectFrom(q3, y).intoArray(dst, o + 144 + 32);
        }
        return p;
    }

    /**
     * Packs op(A) = Aᵀ, mc × kc, from A stored kc × mc (at aOff, lda), into strips of
     * {@link #stripRows} rows. The loop walks the stored rows in order and deals each one out to the
     * strips: going down one strip at a time instead reads a strip's floats from every stored row, kc rows lda apart, and at
     * lda = 1024 those rows fall into the same cache sets and evict each other.
     */
    private static void packATransposed(int mc, int kc, float[] a, int aOff, int lda, float[] dst, int tr) {
        for (int p = 0; p < kc; p++) {
            int s = aOff + p * lda;
            for (int i0 = 0; i0 < mc; ) {
                int hs = stripRows(mc - i0, tr);
                int h = Math.min(hs, mc - i0);
                int d = i0 * kc + p * hs;
                if (hs <= L) {
                    // One masked vector: a strip row is 4-12 floats, for which an arraycopy call
                    // cost more than the copy (9 % of Aᵀ·B at 512 × 2048 × 3200). Lanes h … hs − 1
                    // write the zero padding (masked-off load lanes read as zero).
                    FloatVector.fromArray(S, a, s + i0, S.indexInRange(0, h)).intoArray(dst, d, S.indexInRange(0, hs));
                } else {
                    System.arraycopy(a, s + i0, dst, d, h);
                    for (int r = h; r < hs; r++) {
                        dst[d + r] = 0f;
                    }
                }
                i0 += hs;
            }
        }
    }

    /** One row of C: c = alpha · x · B + beta · c, x a row of op(A) with stride incX, B k × n. */
    private static void rowTimesB(int n, int k, float alpha, float[] a, int xOff, int incX,
                                  float[] b, int bOff, int ldb, float beta, float[] c, int cOff) {
        scaleRow(n, beta, c, cOff);
        for (int p = 0; p < k; p++) {
            float t = alpha * a[xOff + p * incX];
            axpyUnchecked(n, t, b, bOff + p * ldb, c, cOff);
        }
    }

    /** One row of C: c[j] = alpha · (x · B[j, :]) + beta · c[j], B stored n × k. */
    private static void rowTimesTransB(int n, int k, float alpha, float[] a, int xOff, int incX,
                                       float[] b, int bOff, int ldb, float beta, float[] c, int cOff) {
        float[] x = a;
        int xo = xOff;
        if (incX != 1) {
            float[] tmp = WORKSPACE.get().packA;
            if (k <= tmp.length) { // a column of a stored-transposed A: gather it once, then dot
                for (int p = 0; p < k; p++) {
                    tmp[p] = a[xOff + p * incX];
                }
                x = tmp;
                xo = 0;
            } else { // longer than the workspace: strided scalar dot products
                for (int j = 0; j < n; j++) {
                    float s = 0f;
                    for (int p = 0; p < k; p++) {
                        s = Math.fma(a[xOff + p * incX], b[bOff + j * ldb + p], s);
                    }
                    c[cOff + j] = beta == 0f ? alpha * s : beta * c[cOff + j] + alpha * s;
                }
                return;
            }
        }
        for (int j = 0; j < n; j++) {
            float s = dotUnchecked(k, x, xo, b, bOff + j * ldb);
            c[cOff + j] = beta == 0f ? alpha * s : beta * c[cOff + j] + alpha * s;
        }
    }

    private static void scaleRow(int n, float beta, float[] c, int off) {
        if (beta == 0f) {
            java.util.Arrays.fill(c, off, off + n, 0f);
        } else if (beta != 1f) {
            scaleUnchecked(n, beta, c, off);
        }
    }

    // -------------------------------------------------------------------------------------------
    // Rows and columns
    // -------------------------------------------------------------------------------------------

    @Override
    public void addRowVector(int m, int n, float[] v, int vOff, float[] c, int cOff, int ldc) {
        Checks.rowVector(m, n, v, vOff, c, cOff, ldc);
        for (int i = 0; i < m; i++) {
            axpyUnchecked(n, 1f, v, vOff, c, cOff + i * ldc);
        }
    }

    @Override
    public void sumRows(int m, int n, float[] a, int aOff, int lda, float[] out, int outOff) {
        Checks.sumRows(m, n, a, aOff, lda, out, outOff);
        for (int i = 0; i < m; i++) {
            axpyUnchecked(n, 1f, a, aOff + i * lda, out, outOff);
        }
    }

    @Override
    public void softmaxRows(int m, int n, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        Checks.rows(m, n, x, xOff, ldx, y, yOff, ldy);
        for (int i = 0; i < m; i++) {
            int xi = xOff + i * ldx;
            int yi = yOff + i * ldy;
            float max = rowMax(n, x, xi);
            VectorMath.apply(VectorMath.EXP, n, x, xi, max, y, yi);
            scaleUnchecked(n, 1f / sum(n, y, yi), y, yi);
        }
    }

    @Override
    public void logSoftmaxRows(int m, int n, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        Checks.rows(m, n, x, xOff, ldx, y, yOff, ldy);
        float[] terms = scratch(n);
        for (int i = 0; i < m; i++) {
            int xi = xOff + i * ldx;
            int yi = yOff + i * ldy;
            float max = rowMax(n, x, xi);
            VectorMath.apply(VectorMath.EXP, n, x, xi, max, terms, 0);
            // the scalar kernels' last step, lane for lane: (x − max) − lse with lse rounded once to float
            float lse = (float) Math.log(sum(n, terms, 0));
            int j = 0;
            for (int upper = S.loopBound(n); j < upper; j += L) {
                FloatVector.fromArray(S, x, xi + j).sub(max).sub(lse).intoArray(y, yi + j);
            }
            for (; j < n; j++) {
                y[yi + j] = (x[xi + j] - max) - lse;
            }
        }
    }

    /** Σ x[i] in a fixed order (vector partial sums, then lanes, then the tail). */
    private static float sum(int n, float[] x, int off) {
        FloatVector acc = FloatVector.zero(S);
        int j = 0;
        for (int upper = S.loopBound(n); j < upper; j += L) {
            acc = acc.add(FloatVector.fromArray(S, x, off + j));
        }
        float s = sumLanes(acc);
        for (; j < n; j++) {
            s += x[off + j];
        }
        return s;
    }

    /** A per-thread scratch row of at least n floats (grows, never shrinks). */
    private static float[] scratch(int n) {
        Workspace ws = WORKSPACE.get();
        if (ws.row.length < n) {
            ws.row = new float[n];
        }
        return ws.row;
    }

    private static float rowMax(int n, float[] x, int off) {
        int j = 0;
        float max = Float.NEGATIVE_INFINITY;
        if (n >= L) {
            FloatVector mv = FloatVector.fromArray(S, x, off);
            for (j = L; j <= n - L; j += L) {
                mv = mv.max(FloatVector.fromArray(S, x, off + j));
            }
            max = mv.reduceLanes(VectorOperators.MAX);
        }
        for (; j < n; j++) {
            max = Math.max(max, x[off + j]);
        }
        return max;
    }

    // -------------------------------------------------------------------------------------------
    // Activations
    // -------------------------------------------------------------------------------------------

    @Override
    public void activate(Activation f, int n, float[] x, int xOff, float[] y, int yOff) {
        Checks.activation(f, n, x, xOff, y, yOff);
        switch (f) {
            case IDENTITY -> System.arraycopy(x, xOff, y, yOff, n);
            case TANH -> VectorMath.apply(VectorMath.TANH, n, x, xOff, 0f, y, yOff);
            case SIGMOID -> VectorMath.apply(VectorMath.SIGMOID, n, x, xOff, 0f, y, yOff);
            case RELU -> {
                int i = 0;
                for (int upper = S.loopBound(n); i < upper; i += L) {
                    FloatVector v = FloatVector.fromArray(S, x, xOff + i);
                    // max(v, 0) with Java semantics keeps NaN visible
                    v.max(0f).intoArray(y, yOff + i);
                }
                for (; i < n; i++) {
                    y[yOff + i] = Math.max(x[xOff + i], 0f);
                }
            }
        }
    }

    @Override
    public void derivativeFromOutput(Activation f, int n, float[] y, int yOff, float[] d, int dOff) {
        Checks.activation(f, n, "y", y, yOff, "d", d, dOff);
        derivative(f, false, n, y, yOff, d, dOff);
    }

    @Override
    public void multiplyDerivative(Activation f, int n, float[] y, int yOff, float[] g, int gOff) {
        Checks.activation(f, n, "y", y, yOff, "g", g, gOff);
        if (f != Activation.IDENTITY) {
            derivative(f, true, n, y, yOff, g, gOff);
        }
    }

    /**
     * {@code g[i] = f'(y[i])}, or {@code g[i] *= f'(y[i])} when {@code multiply}; one loop per
     * activation with the derivative written inline (no vector-valued helper: see VectorMath).
     */
    private static void derivative(Activation f, boolean multiply, int n, float[] y, int yOff, float[] g, int gOff) {
        int upper = S.loopBound(n);
        int i = 0;
        switch (f) {
            case IDENTITY -> {
                for (; i < upper; i += L) {
                    FloatVector.broadcast(S, 1f).intoArray(g, gOff + i);
                }
            }
            case TANH -> {
                for (; i < upper; i += L) {
                    FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
                    FloatVector d = yv.mul(yv).neg().add(1f);                              // 1 − y²
                    (multiply ? d.mul(FloatVector.fromArray(S, g, gOff + i)) : d).intoArray(g, gOff + i);
                }
            }
            case SIGMOID -> {
                for (; i < upper; i += L) {
                    FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
                    FloatVector d = yv.mul(yv.neg().add(1f));                              // y (1 − y)
                    (multiply ? d.mul(FloatVector.fromArray(S, g, gOff + i)) : d).intoArray(g, gOff + i);
                }
            }
            case RELU -> {
                for (; i < upper; i += L) {
                    FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
                    FloatVector d = FloatVector.zero(S).blend(1f, yv.compare(VectorOperators.GT, 0f)); // y > 0
                    (multiply ? d.mul(FloatVector.fromArray(S, g, gOff + i)) : d).intoArray(g, gOff + i);
                }
            }
        }
        for (; i < n; i++) {
            float d = ScalarKernels.derivative(f, y[yOff + i]);
            g[gOff + i] = multiply ? g[gOff + i] * d : d;
        }
    }

    // -------------------------------------------------------------------------------------------
    // Vector operations
    // -------------------------------------------------------------------------------------------

    @Override
    public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        Checks.vectors(n, "x", x, xOff, "y", y, yOff);
        axpyUnchecked(n, alpha, x, xOff, y, yOff);
    }

    static void axpyUnchecked(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        for (int upper = S.loopBound(n); i < upper; i += L) {
            FloatVector xv = FloatVector.fromArray(S, x, xOff + i);
            xv.fma(FloatVector.broadcast(S, alpha), FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
        }
    }

    static float dotUnchecked(int n, float[] x, int xOff, float[] y, int yOff) {
        FloatVector acc0 = FloatVector.zero(S);
        FloatVector acc1 = FloatVector.zero(S);
        int i = 0;
        for (int upper = n - 2 * L; i <= upper; i += 2 * L) {
            acc0 = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, y, yOff + i), acc0);
            acc1 = FloatVector.fromArray(S, x, xOff + i + L).fma(FloatVector.fromArray(S, y, yOff + i + L), acc1);
        }
        if (i <= n - L) {
            acc0 = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, y, yOff + i), acc0);
            i += L;
        }
        float s = sumLanes(acc0.add(acc1));
        for (; i < n; i++) {
            s = Math.fma(x[xOff + i], y[yOff + i], s);
        }
        return s;
    }

    @Override
    public void scale(int n, float alpha, float[] x, int xOff) {
        Checks.vector(n, "x", x, xOff);
        scaleUnchecked(n, alpha, x, xOff);
    }

    private static void scaleUnchecked(int n, float alpha, float[] x, int xOff) {
        int i = 0;
        for (int upper = S.loopBound(n); i < upper; i += L) {
            FloatVector.fromArray(S, x, xOff + i).mul(alpha).intoArray(x, xOff + i);
        }
        for (; i < n; i++) {
            x[xOff + i] *= alpha;
        }
    }

    @Override
    public void hadamard(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        Checks.vectors(n, "x", x, xOff, "y", y, yOff);
        Checks.vector("z", z, zOff, n);
        hadamardUnchecked(n, x, xOff, y, yOff, z, zOff);
    }

    private static void hadamardUnchecked(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        int i = 0;
        for (int upper = S.loopBound(n); i < upper; i += L) {
            FloatVector.fromArray(S, x, xOff + i).mul(FloatVector.fromArray(S, y, yOff + i)).intoArray(z, zOff + i);
        }
        for (; i < n; i++) {
            z[zOff + i] = x[xOff + i] * y[yOff + i];
        }
    }

    @Override
    public int firstNonFinite(int n, float[] x, int xOff) {
        Checks.vector(n, "x", x, xOff);
        // x·0 is 0 for finite x and NaN for NaN or ±∞; a block's sum of those is NaN iff the
        // block holds one. Scan blocks fast, then locate within the first bad block.
        int block = 16 * L;
        int i = 0;
        for (; i + block <= n; i += block) {
            FloatVector acc = FloatVector.zero(S);
            for (int j = i; j < i + block; j += L) {
                acc = acc.add(FloatVector.fromArray(S, x, xOff + j).mul(0f));
            }
            if (sumLanes(acc) != 0f) {
                return ScalarKernels.firstNonFiniteFrom(i, n, x, xOff);
            }
        }
        return ScalarKernels.firstNonFiniteFrom(i, n, x, xOff);
    }

    /** Float partial sums over blocks this long are folded into a double. */
    private static final int SUM_BLOCK = 1024;

    @Override
    public double sumOfSquares(int n, float[] x, int xOff) {
        Checks.vector(n, "x", x, xOff);
        double total = 0;
        int i = 0;
        while (n - i >= L) {
            int end = i + Math.min(SUM_BLOCK, (n - i) / L * L);
            FloatVector acc = FloatVector.zero(S);
            for (; i < end; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, xOff + i);
                acc = v.fma(v, acc);
            }
            total += sumLanes(acc);
        }
        for (; i < n; i++) {
            double v = x[xOff + i];
            total += v * v;
        }
        return total;
    }

    // -------------------------------------------------------------------------------------------
    // Fused LSTM epilogues
    // -------------------------------------------------------------------------------------------

    @Override
    public void lstmForward(int m, int n, boolean forgetGate, float[] gates, int gOff,
                            float[] cPrev, int cPrevOff, float[] c, int cOff, float[] h, int hOff) {
        Checks.lstmForward(m, n, forgetGate, gates, gOff, cPrev, cPrevOff, c, cOff, h, hOff);
        GateLayout layout = GateLayout.lstm(forgetGate);
        int gn = layout.width(n);
        // i and (when present) f are the first blocks, side by side: one sigmoid pass covers both.
        int fOffset = forgetGate ? layout.offset(GateLayout.Gate.F, n) : -1;
        int gOffset = layout.offset(GateLayout.Gate.G, n);
        int oOffset = layout.offset(GateLayout.Gate.O, n);
        int upper = S.loopBound(n);
        for (int r = 0; r < m; r++) {
            int g0 = gOff + r * gn;
            int cp0 = cPrevOff + r * n;
            int c0 = cOff + r * n;
            int h0 = hOff + r * n;
            // Gate activations in place, one array pass each ([i|f] are adjacent: one sigmoid pass).
            VectorMath.apply(VectorMath.SIGMOID, gOffset, gates, g0, 0f, gates, g0);
            VectorMath.apply(VectorMath.TANH, n, gates, g0 + gOffset, 0f, gates, g0 + gOffset);
            VectorMath.apply(VectorMath.SIGMOID, n, gates, g0 + oOffset, 0f, gates, g0 + oOffset);
            int j = 0;
            for (; j < upper; j += L) {                       // c = f∘c_prev + i∘g
                FloatVector i = FloatVector.fromArray(S, gates, g0 + j);
                FloatVector g = FloatVector.fromArray(S, gates, g0 + gOffset + j);
                FloatVector cp = FloatVector.fromArray(S, cPrev, cp0 + j);
                FloatVector f = forgetGate ? FloatVector.fromArray(S, gates, g0 + fOffset + j) : FloatVector.broadcast(S, 1f);
                i.fma(g, f.mul(cp)).intoArray(c, c0 + j);
            }
            for (; j < n; j++) {
                float f = forgetGate ? gates[g0 + fOffset + j] : 1f;
                c[c0 + j] = Math.fma(gates[g0 + j], gates[g0 + gOffset + j], f * cPrev[cp0 + j]);
            }
            VectorMath.apply(VectorMath.TANH, n, c, c0, 0f, h, h0);    // h = o∘tanh(c)
            hadamardUnchecked(n, gates, g0 + oOffset, h, h0, h, h0);
        }
    }

    @Override
    public void lstmBackward(int m, int n, boolean forgetGate, float[] gates, int gOff,
                             float[] cPrev, int cPrevOff, float[] c, int cOff,
                             float[] dh, int dhOff, float[] dc, int dcOff, float[] dGates, int dgOff) {
        Checks.lstmBackward(m, n, forgetGate, gates, gOff, cPrev, cPrevOff, c, cOff, dh, dhOff, dc, dcOff, dGates, dgOff);
        GateLayout layout = GateLayout.lstm(forgetGate);
        int gn = layout.width(n);
        int fOffset = forgetGate ? layout.offset(GateLayout.Gate.F, n) : -1;
        int gOffset = layout.offset(GateLayout.Gate.G, n);
        int oOffset = layout.offset(GateLayout.Gate.O, n);
        int upper = S.loopBound(n);
        float[] tanhC = scratch(n);
        for (int r = 0; r < m; r++) {
            int g0 = gOff + r * gn;
            int dg0 = dgOff + r * gn;
            int cp0 = cPrevOff + r * n;
            int c0 = cOff + r * n;
            int dh0 = dhOff + r * n;
            int dc0 = dcOff + r * n;
            VectorMath.apply(VectorMath.TANH, n, c, c0, 0f, tanhC, 0);
            int j = 0;
            for (; j < upper; j += L) {
                FloatVector i = FloatVector.fromArray(S, gates, g0 + j);
                FloatVector g = FloatVector.fromArray(S, gates, g0 + gOffset + j);
                FloatVector o = FloatVector.fromArray(S, gates, g0 + oOffset + j);
                FloatVector tc = FloatVector.fromArray(S, tanhC, j);
                FloatVector dhv = FloatVector.fromArray(S, dh, dh0 + j);
                // δc = dc + dh∘o∘(1 − τ²)
                FloatVector dct = dhv.mul(o).mul(tc.mul(tc).neg().add(1f)).add(FloatVector.fromArray(S, dc, dc0 + j));
                dct.mul(g).mul(i.mul(i.neg().add(1f))).intoArray(dGates, dg0 + j);
                dct.mul(i).mul(g.mul(g).neg().add(1f)).intoArray(dGates, dg0 + gOffset + j);
                dhv.mul(tc).mul(o.mul(o.neg().add(1f))).intoArray(dGates, dg0 + oOffset + j);
                if (forgetGate) {
                    FloatVector f = FloatVector.fromArray(S, gates, g0 + fOffset + j);
                    dct.mul(FloatVector.fromArray(S, cPrev, cp0 + j)).mul(f.mul(f.neg().add(1f)))
                            .intoArray(dGates, dg0 + fOffset + j);
                    dct.mul(f).intoArray(dc, dc0 + j);
                } else {
                    dct.intoArray(dc, dc0 + j);
                }
            }
            ScalarKernels.lstmBackwardRow(n, j, n, forgetGate, gates, g0, cPrev, cp0, c, c0,
                    dh, dh0, dc, dc0, dGates, dg0);
        }
    }

    // -------------------------------------------------------------------------------------------
    // Fused GRU epilogues
    // -------------------------------------------------------------------------------------------

    @Override
    public void gruForward(int m, int n, float[] gates, int gOff, float[] hPrev, int hpOff, float[] h, int hOff) {
        Checks.gru(m, n, gates, gOff, hPrev, hpOff, "h (m x n)", h, hOff);
        int upper = S.loopBound(n);
        for (int r = 0; r < m; r++) {
            int g0 = gOff + 4 * r * n;
            int hp0 = hpOff + r * n;
            int h0 = hOff + r * n;
            VectorMath.apply(VectorMath.SIGMOID, 2 * n, gates, g0, 0f, gates, g0);   // [r | z] adjacent: one pass
            int hn = g0 + 2 * n;
            int xn = g0 + 3 * n;
            int j = 0;
            for (; j < upper; j += L) {                                                // a_n = a_xn + r∘a_hn
                FloatVector rv = FloatVector.fromArray(S, gates, g0 + j);
                rv.fma(FloatVector.fromArray(S, gates, hn + j), FloatVector.fromArray(S, gates, xn + j))
                        .intoArray(gates, xn + j);
            }
            for (; j < n; j++) {
                gates[xn + j] = Math.fma(gates[g0 + j], gates[hn + j], gates[xn + j]);
            }
            VectorMath.apply(VectorMath.TANH, n, gates, xn, 0f, gates, xn);           // ñ
            gruUpdate(n, gates, xn, g0 + n, hPrev, hp0, h, h0);
        }
    }

    /**
     * The GRUs' last equation, {@code h = (1 − z)∘ñ + z∘h_prev} computed as
     * {@code ñ + z∘(h_prev − ñ)}, for one row: ñ at {@code cand}, z at {@code zOff} of {@code gates}.
     */
    private static void gruUpdate(int n, float[] gates, int cand, int zOff, float[] hPrev, int hp0, float[] h, int h0) {
        int upper = S.loopBound(n);
        int j = 0;
        for (; j < upper; j += L) {
            FloatVector c = FloatVector.fromArray(S, gates, cand + j);
            FloatVector z = FloatVector.fromArray(S, gates, zOff + j);
            z.fma(FloatVector.fromArray(S, hPrev, hp0 + j).sub(c), c).intoArray(h, h0 + j);
        }
        for (; j < n; j++) {
            float c = gates[cand + j];
            h[h0 + j] = Math.fma(gates[zOff + j], hPrev[hp0 + j] - c, c);
        }
    }

    @Override
    public void gruBackward(int m, int n, float[] gates, int gOff, float[] hPrev, int hpOff,
                            float[] dh, int dhOff, float[] dGates, int dgOff) {
        Checks.gru(m, n, gates, gOff, hPrev, hpOff, "dh (m x n)", dh, dhOff);
        Checks.vector("dGates (m x 4n)", dGates, dgOff, 4 * m * n);
        int upper = S.loopBound(n);
        for (int row = 0; row < m; row++) {
            int g0 = gOff + 4 * row * n;
            int dg0 = dgOff + 4 * row * n;
            int hp0 = hpOff + row * n;
            int dh0 = dhOff + row * n;
            int j = 0;
            for (; j < upper; j += L) {
                FloatVector r = FloatVector.fromArray(S, gates, g0 + j);
                FloatVector z = FloatVector.fromArray(S, gates, g0 + n + j);
                FloatVector ahn = FloatVector.fromArray(S, gates, g0 + 2 * n + j);
                FloatVector cand = FloatVector.fromArray(S, gates, g0 + 3 * n + j);
                FloatVector d = FloatVector.fromArray(S, dh, dh0 + j);
                FloatVector dan = d.mul(z.neg().add(1f)).mul(cand.mul(cand).neg().add(1f));
                dan.mul(ahn).mul(r.mul(r.neg().add(1f))).intoArray(dGates, dg0 + j);
                d.mul(FloatVector.fromArray(S, hPrev, hp0 + j).sub(cand)).mul(z.mul(z.neg().add(1f)))
                        .intoArray(dGates, dg0 + n + j);
                dan.mul(r).intoArray(dGates, dg0 + 2 * n + j);
                dan.intoArray(dGates, dg0 + 3 * n + j);
                d.mul(z).intoArray(dh, dh0 + j);
            }
            ScalarKernels.gruBackwardRow(n, j, n, gates, g0, hPrev, hp0, dh, dh0, dGates, dg0);
        }
    }

    // -------------------------------------------------------------------------------------------
    // Fused epilogues of the 2014 GRU (reset gate before the candidate's recurrent product)
    // -------------------------------------------------------------------------------------------

    @Override
    public void gru2014Reset(int m, int n, float[] gates, int gOff, float[] hPrev, int hpOff) {
        Checks.gru2014Reset(m, n, gates, gOff, hPrev, hpOff);
        for (int r = 0; r < m; r++) {
            int g0 = gOff + 4 * r * n;
            VectorMath.apply(VectorMath.SIGMOID, 2 * n, gates, g0, 0f, gates, g0);   // [r | z] adjacent: one pass
            hadamardUnchecked(n, gates, g0, hPrev, hpOff + r * n, gates, g0 + 3 * n); // r∘h_{t−1}
        }
    }

    @Override
    public void gru2014Forward(int m, int n, float[] gates, int gOff, float[] hPrev, int hpOff, float[] h, int hOff) {
        Checks.gru(m, n, gates, gOff, hPrev, hpOff, "h (m x n)", h, hOff);
        for (int r = 0; r < m; r++) {
            int g0 = gOff + 4 * r * n;
            int hp0 = hpOff + r * n;
            int h0 = hOff + r * n;
            int an = g0 + 2 * n;
            VectorMath.apply(VectorMath.TANH, n, gates, an, 0f, gates, an);            // ñ
            gruUpdate(n, gates, an, g0 + n, hPrev, hp0, h, h0);
        }
    }

    @Override
    public void gru2014Backward(int m, int n, float[] gates, int gOff, float[] hPrev, int hpOff,
                                float[] dh, int dhOff, float[] dGates, int dgOff) {
        Checks.gru2014Backward(m, n, gates, gOff, hPrev, hpOff, dh, dhOff, dGates, dgOff);
        int upper = S.loopBound(n);
        for (int row = 0; row < m; row++) {
            int g0 = gOff + 4 * row * n;
            int dg0 = dgOff + 4 * row * n;
            int hp0 = hpOff + row * n;
            int dh0 = dhOff + row * n;
            int j = 0;
            for (; j < upper; j += L) {
                FloatVector z = FloatVector.fromArray(S, gates, g0 + n + j);
                FloatVector cand = FloatVector.fromArray(S, gates, g0 + 2 * n + j);
                FloatVector d = FloatVector.fromArray(S, dh, dh0 + j);
                d.mul(FloatVector.fromArray(S, hPrev, hp0 + j).sub(cand)).mul(z.mul(z.neg().add(1f)))
                        .intoArray(dGates, dg0 + n + j);                                    // da_z
                d.mul(z.neg().add(1f)).mul(cand.mul(cand).neg().add(1f)).intoArray(dGates, dg0 + 2 * n + j); // da_n
            }
            ScalarKernels.gru2014BackwardRow(n, j, n, gates, g0, hPrev, hp0, dh, dh0, dGates, dg0);
        }
    }

    @Override
    public void gru2014ResetBackward(int m, int n, float[] gates, int gOff, float[] hPrev, int hpOff,
                                     float[] dh, int dhOff, float[] dGates, int dgOff) {
        Checks.gru2014Backward(m, n, gates, gOff, hPrev, hpOff, dh, dhOff, dGates, dgOff);
        int upper = S.loopBound(n);
        for (int row = 0; row < m; row++) {
            int g0 = gOff + 4 * row * n;
            int dg0 = dgOff + 4 * row * n;
            int hp0 = hpOff + row * n;
            int dh0 = dhOff + row * n;
            int j = 0;
            for (; j < upper; j += L) {
                FloatVector r = FloatVector.fromArray(S, gates, g0 + j);
                FloatVector z = FloatVector.fromArray(S, gates, g0 + n + j);
                FloatVector g = FloatVector.fromArray(S, dGates, dg0 + 3 * n + j);          // ∂L/∂(r∘h_{t−1})
                g.mul(FloatVector.fromArray(S, hPrev, hp0 + j)).mul(r.mul(r.neg().add(1f))).intoArray(dGates, dg0 + j);
                g.fma(r, FloatVector.fromArray(S, dh, dh0 + j).mul(z)).intoArray(dh, dh0 + j); // δ∘z + g∘r
            }
            ScalarKernels.gru2014ResetBackwardRow(n, j, n, gates, g0, hPrev, hp0, dh, dh0, dGates, dg0);
        }
    }
}
