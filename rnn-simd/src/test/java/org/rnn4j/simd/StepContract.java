package org.rnn4j.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.simd.KernelsContract.ErrorCase;

/**
 * The contract of the step kernels ({@link Kernels#packStep}, {@link Kernels#stepInput},
 * {@link Kernels#stepRecurrent}), mixed into {@link KernelsContract} so that every implementation
 * runs it.
 *
 * <p>What {@link StepWeights} promises: every output element is ONE fused-multiply-add chain in row
 * order starting from the bias, {@code b, then x_0·W_x[0], …, x_{d−1}·W_x[d−1], then (stepRecurrent)
 * h_0·W_h[0], …}. The tests check
 * <ul>
 * <li>the result against a double-precision reference with the error bound of such a chain (below),
 *     over awkward sizes (G ∈ {1, 3, 4}, c ∈ {1, 3, 7, 13, 16, 17, 33, 41, 129}, every row count
 *     m ∈ {1, 2, 3, 4, 5, 7, 9}, d and r cycling through {1, 3, 7, 33} and {0, 1, 13, 129}), half of
 *     them with offsets and leading dimensions larger than a row (one parameterized test per
 *     (G, c), running its seven m-cases; see {@link #STEP_WIDTHS} for the widths whose last strip
 *     holds only vector columns of the last, partial panel);</li>
 * <li>the chain itself, bitwise: the test forms it with {@link Math#fma} from the unpacked weights;</li>
 * <li>the consequences the javadoc draws: (a) the same bits as {@link KernelProvider#scalar()};
 *     (b) m rows at once the same bits as each row alone; (c) stepInput then stepRecurrent the same
 *     bits as stepInput with {@code [W_x; W_h]} packed as d + r input rows applied to {@code [x h]},
 *     also when the input part is computed for all rows at once and the recurrent part row by row;
 *     (d) a packing of one implementation (or of any lane count) usable by the other, same bits;</li>
 * <li>the gate layout (a single nonzero weight lands in its own column only), the bias passed
 *     through exactly, m = 0 a no-op, and bad arguments rejected before any write.</li>
 * </ul>
 *
 * <p>Error bound. With u = 2<sup>−24</sup>, a chain s_0 = b, s_k = fl(s_{k−1} + a_k·w_k) (one
 * rounding per FMA: s_k = (s_{k−1} + a_k·w_k)(1 + δ_k), |δ_k| ≤ u) of K = d (+ r) terms gives
 * <pre>  s_K = b·Π_{k=1..K}(1 + δ_k) + Σ_k a_k·w_k·Π_{l=k..K}(1 + δ_l),</pre>
 * and every product of at most K factors (1 + δ) lies within γ_K = K·u/(1 − K·u) of 1 (Higham,
 * Lemma 3.1), so
 * <pre>  |s_K − (b + Σ_k a_k·w_k)| ≤ γ_K·(|b| + Σ_k |a_k·w_k|).</pre>
 * The reference sums the exact products (float × float is exact in double) in double, whose own
 * error (about K·2<sup>−53</sup> relative to the same magnitude) is 2<sup>−29</sup> of the bound; the
 * tests allow exactly the bound plus {@link Float#MIN_NORMAL} (the relative model fails only for
 * results below the normal range, where a rounding is absolute; these data never get there). A
 * missing or doubled term, a wrong weight or a wrong column is off by the size of a term (|x·w| is
 * 0.25 on average here), while the bound stays below γ_162·163 ≈ 1.6·10<sup>−3</sup> (every value
 * within [−1, 1], K ≤ 162) and is typically a quarter of that.
 *
 * <p>Read-only arrays (X, H, W_x, W_h, b) sit at offsets in NaN-padded arrays, NaN between the
 * rows too when the leading dimension is larger than a row: reading one of those shows as NaN in
 * the result. The gates sit in an array full of {@link TestSupport#SENTINEL}, which must survive
 * everywhere outside the m × G·c window (before it, between its rows, after it).
 */
interface StepContract {

    /** The kernels under test. */
    Kernels kernels();

    // =============================================================================================
    // Cases and data
    // =============================================================================================

    /**
     * Offsets of the arrays of one call and the padding of X's, H's and the gates' rows (leading
     * dimension = row length + pad). W_x and W_h have leading dimension G·c by contract.
     */
    record StepLayout(String name, int xOff, int xPad, int hOff, int hPad, int cOff, int cPad,
                      int wxOff, int whOff, int bOff) {
        static final StepLayout TIGHT = new StepLayout("tight", 0, 0, 0, 0, 0, 0, 0, 0, 0);
        static final StepLayout PADDED = new StepLayout("offsets + padded rows", 3, 5, 2, 3, 5, 7, 4, 6, 1);

        @Override
        public String toString() {
            return name;
        }
    }

    /** One step product: G gate blocks of c columns, d input rows, r recurrent rows, m rows of X and H. */
    record StepCase(int gates, int width, int d, int r, int m, StepLayout layout, StepWeights.Storage storage) {
        StepCase(int gates, int width, int d, int r, int m, StepLayout layout) {
            this(gates, width, d, r, m, layout, StepWeights.Storage.FLOAT32);
        }

        int gw() {
            return gates * width;
        }

        @Override
        public String toString() {
            return "G=" + gates + " c=" + width + " d=" + d + " r=" + r + " m=" + m + ", " + layout + ", " + storage;
        }
    }

    /** G: a plain RNN or output layer, the LSTM without and with forget gate. */
    int[] STEP_GATES = {1, 3, 4};
    /**
     * c: around the lane counts 4, 8, 16 and the strip of 8 vector columns. With G = 3 a strip
     * holds nothing but the last, partial panel's vector columns when G·panels = 9, 18 or 33:
     * c = 17 for 8 lanes, 33 for 16, and 41 for 4, 8 and 16 lanes.
     */
    int[] STEP_WIDTHS = {1, 3, 7, 13, 16, 17, 33, 41, 129};
    int[] STEP_INPUTS = {1, 3, 7, 33};
    int[] STEP_RECURRENT = {0, 1, 13, 129};
    /** m: one row, the 4-row blocks of the vector kernels and their remainders. */
    int[] STEP_ROWS = {1, 2, 3, 4, 5, 7, 9};

    /**
     * Every (G, c, m) of the sizes above (189 cases); d and r cycle so that each of their 16
     * pairs appears about ten times, spread over G, c and m; the layout alternates.
     */
    static List<StepCase> stepCaseList() {
        List<StepCase> out = new ArrayList<>();
        int t = 0;
        for (int gi = 0; gi < STEP_GATES.length; gi++) {
            for (int width : STEP_WIDTHS) {
                for (int m : STEP_ROWS) {
                    int d = STEP_INPUTS[t % 4];
                    int r = STEP_RECURRENT[(t / 4 + gi) % 4];
                    StepLayout layout = (t + t / 4) % 2 == 0 ? StepLayout.TIGHT : StepLayout.PADDED;
                    out.add(new StepCase(STEP_GATES[gi], width, d, r, m, layout));
                    t++;
                }
            }
        }
        return out;
    }

    /** The (G, c) pairs of the sweep; each test runs the seven m-cases of its pair. */
    static Stream<Arguments> stepShapes() {
        List<Arguments> out = new ArrayList<>();
        for (StepWeights.Storage storage : StepWeights.Storage.values()) {
            for (int g : STEP_GATES) {
                for (int width : STEP_WIDTHS) {
                    out.add(Arguments.of(g, width, storage));
                }
            }
        }
        return out.stream();
    }

    /** The cases of {@link #stepCaseList()} with G gates of width c (one per m). */
    static List<StepCase> stepCases(int gates, int width, StepWeights.Storage storage) {
        return stepCaseList().stream().filter(s -> s.gates() == gates && s.width() == width)
                .map(s -> new StepCase(s.gates(), s.width(), s.d(), s.r(), s.m(), s.layout(), storage)).toList();
    }

    /** {@code data} (rows × cols, dense) at {@code off} with leading dimension ld, {@code pad} everywhere else. */
    static float[] placeMatrix(float[] data, int rows, int cols, int off, int ld, float pad) {
        float[] a = TestSupport.filled(TestSupport.matrixLength(off, ld, rows, cols) + 2, pad);
        for (int i = 0; i < rows && cols > 0; i++) {
            System.arraycopy(data, i * cols, a, off + i * ld, cols);
        }
        return a;
    }

    /** The m × cols window at off (leading dimension ld) of a, dense. */
    static float[] window(float[] a, int off, int ld, int rows, int cols) {
        float[] w = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(a, off + i * ld, w, i * cols, cols);
        }
        return w;
    }

    /** γ_K = K·u/(1 − K·u). */
    static double gamma(int k) {
        return k * TestSupport.U / (1 - k * TestSupport.U);
    }

    /** The data of one case, dense and as the kernels get them (at offsets, NaN-padded). */
    final class StepData {
        final StepCase s;
        final StepLayout o;
        final int gw;
        final int ldx;
        final int ldh;
        final int ldc;
        /** Dense, row-major: W_x (d × G·c), W_h (r × G·c), b (G·c), X (m × d), H (m × r). */
        final float[] wx;
        final float[] wh;
        final float[] b;
        final float[] x;
        final float[] h;
        /** As given to the kernels. wh is null when r = 0. */
        final float[] wxIn;
        final float[] whIn;
        final float[] bIn;
        final float[] xIn;
        final float[] hIn;
        private final float[][] saved;

        StepData(StepCase s, long seed) {
            this(s, TestSupport.random(seed, s.d() * s.gw(), -1, 1), TestSupport.random(seed + 1, s.r() * s.gw(), -1, 1),
                    TestSupport.random(seed + 2, s.gw(), -1, 1), TestSupport.random(seed + 3, s.m() * s.d(), -1, 1),
                    TestSupport.random(seed + 4, s.m() * s.r(), -1, 1));
        }

        StepData(StepCase s, float[] wx, float[] wh, float[] b, float[] x, float[] h) {
            this.s = s;
            this.o = s.layout();
            this.gw = s.gw();
            this.ldx = Math.max(1, s.d() + o.xPad());
            this.ldh = Math.max(1, s.r() + o.hPad());
            this.ldc = gw + o.cPad();
            // bfloat16: the kernels get the float weights and round them when packing; the
            // reference and the chain multiply the rounded ones, so every bound and bit holds as is
            boolean bf16 = s.storage() == StepWeights.Storage.BFLOAT16;
            this.wx = bf16 ? rounded(wx) : wx;
            this.wh = bf16 ? rounded(wh) : wh;
            this.b = b;
            this.x = x;
            this.h = h;
            this.wxIn = placeMatrix(wx, s.d(), gw, o.wxOff(), gw, Float.NaN);
            this.whIn = s.r() == 0 ? null : placeMatrix(wh, s.r(), gw, o.whOff(), gw, Float.NaN);
            this.bIn = placeMatrix(b, 1, gw, o.bOff(), gw, Float.NaN);
            this.xIn = placeMatrix(x, s.m(), s.d(), o.xOff(), ldx, Float.NaN);
            this.hIn = placeMatrix(h, s.m(), s.r(), o.hOff(), ldh, Float.NaN);
            this.saved = new float[][] {wxIn.clone(), whIn == null ? null : whIn.clone(), bIn.clone(), xIn.clone(),
                                        hIn.clone()};
        }

        static float[] rounded(float[] w) {
            float[] r = new float[w.length];
            for (int i = 0; i < w.length; i++) {
                r[i] = StepWeights.roundToBfloat16(w[i]);
            }
            return r;
        }

        StepWeights pack(Kernels k) {
            return k.packStep(s.gates(), s.width(), wxIn, o.wxOff(), s.d(), whIn, o.whOff(), s.r(), bIn, o.bOff(),
                    s.storage());
        }

        /** The same weights packed for {@code lanes} lanes (any implementation may be handed it). */
        StepWeights pack(int lanes) {
            return StepWeights.pack(lanes, s.gates(), s.width(), wxIn, o.wxOff(), s.d(), whIn, o.whOff(), s.r(),
                    bIn, o.bOff(), s.storage());
        }

        /** A gates array full of the sentinel, the m × G·c window at cOff with leading dimension ldc. */
        float[] newGates() {
            return TestSupport.filled(TestSupport.matrixLength(o.cOff(), ldc, s.m(), gw) + 3, TestSupport.SENTINEL);
        }

        void input(Kernels k, StepWeights w, float[] c) {
            k.stepInput(s.m(), w, xIn, o.xOff(), ldx, c, o.cOff(), ldc);
        }

        void recurrent(Kernels k, StepWeights w, float[] c) {
            k.stepRecurrent(s.m(), w, hIn, o.hOff(), ldh, c, o.cOff(), ldc);
        }

        /** stepInput, then stepRecurrent: the gates array after each (copies). */
        float[][] both(Kernels k, StepWeights w) {
            float[] c = newGates();
            input(k, w, c);
            float[] afterInput = c.clone();
            recurrent(k, w, c);
            return new float[][] {afterInput, c};
        }

        /** The window of a gates array, dense m × G·c. */
        float[] window(float[] c) {
            return StepContract.window(c, o.cOff(), ldc, s.m(), gw);
        }

        /**
         * {b + X·W_x (+ H·W_h)} in double and {|b| + Σ|x·w| (+ Σ|h·w'|)}, dense m × G·c each.
         */
        double[][] reference(boolean recurrent) {
            int m = s.m(), d = s.d(), r = recurrent ? s.r() : 0;
            double[] value = new double[m * gw];
            double[] magnitude = new double[m * gw];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < gw; j++) {
                    double sum = b[j];
                    double abs = Math.abs(b[j]);
                    for (int k = 0; k < d; k++) {
                        double p = (double) x[i * d + k] * wx[k * gw + j];
                        sum += p;
                        abs += Math.abs(p);
                    }
                    for (int k = 0; k < r; k++) {
                        double p = (double) h[i * s.r() + k] * wh[k * gw + j];
                        sum += p;
                        abs += Math.abs(p);
                    }
                    value[i * gw + j] = sum;
                    magnitude[i * gw + j] = abs;
                }
            }
            return new double[][] {value, magnitude};
        }

        /** The promised chain in float, from the unpacked weights: b, then fma(x_k, W_x[k]), then fma(h_k, W_h[k]). */
        float[] chain(boolean recurrent) {
            int m = s.m(), d = s.d(), r = recurrent ? s.r() : 0;
            float[] out = new float[m * gw];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < gw; j++) {
                    float acc = b[j];
                    for (int k = 0; k < d; k++) {
                        acc = Math.fma(x[i * d + k], wx[k * gw + j], acc);
                    }
                    for (int k = 0; k < r; k++) {
                        acc = Math.fma(h[i * s.r() + k], wh[k * gw + j], acc);
                    }
                    out[i * gw + j] = acc;
                }
            }
            return out;
        }

        /** The read-only arrays are as they were. */
        void assertInputsUnchanged(String what) {
            String[] names = {"W_x", "W_h", "b", "X", "H"};
            float[][] now = {wxIn, whIn, bIn, xIn, hIn};
            for (int a = 0; a < names.length; a++) {
                assertArrayEquals(saved[a], now[a], what + ": " + names[a] + " was modified");
            }
        }

        /** Nothing outside the m × G·c window of c was written. */
        void assertOutsideUntouched(String what, float[] c) {
            TestSupport.assertOutsideUntouched(what, c, o.cOff(), ldc, s.m(), gw);
        }
    }

    /** A seed per case. */
    static long seed(StepCase s) {
        return 7919L * s.gates() + 104729L * s.width() + 31L * s.d() + 1009L * s.r() + 3L * s.m()
                + s.layout().xOff();
    }

    // =============================================================================================
    // Against the double reference
    // =============================================================================================

    /**
     * stepInput = b + X·W_x and then stepRecurrent = b + X·W_x + H·W_h, within the bound of a
     * chain of d (then d + r) FMAs (class comment); nothing written outside the window, no input
     * modified.
     */
    @ParameterizedTest(name = "G = {0}, c = {1}")
    @MethodSource("org.rnn4j.simd.StepContract#stepShapes")
    default void stepMatchesDoubleReference(int gates, int width, StepWeights.Storage storage) {
        for (StepCase s : stepCases(gates, width, storage)) {
            StepData data = new StepData(s, seed(s));
            StepWeights w = data.pack(kernels());
            String what = kernels().name() + " step " + s;
            assertEquals(s.gates(), w.gates(), what + ": gates()");
            assertEquals(s.width(), w.width(), what + ": width()");
            assertEquals(s.d(), w.inputRows(), what + ": inputRows()");
            assertEquals(s.r(), w.recurrentRows(), what + ": recurrentRows()");

            float[] c = data.newGates();
            data.input(kernels(), w, c);
            data.assertOutsideUntouched(what + " stepInput", c);
            checkAgainstReference(what + " stepInput", data, data.window(c), data.reference(false), s.d());

            data.recurrent(kernels(), w, c);
            data.assertOutsideUntouched(what + " stepRecurrent", c);
            checkAgainstReference(what + " stepInput + stepRecurrent", data, data.window(c), data.reference(true),
                    s.d() + s.r());
            data.assertInputsUnchanged(what);
        }
    }

    private static void checkAgainstReference(String what, StepData data, float[] got, double[][] ref, int chain) {
        double gamma = gamma(chain);
        int gw = data.gw;
        for (int q = 0; q < got.length; q++) {
            KernelsContract.assertClose(what + " [" + q / gw + "][" + q % gw + "] (K = " + chain + ")",
                    ref[0][q], got[q], gamma * ref[1][q] + Float.MIN_NORMAL);
        }
    }

    // =============================================================================================
    // Bitwise: the promised chain and its consequences (a)–(d)
    // =============================================================================================

    /**
     * Each element is the chain b, fma(x_0, W_x[0], ·), …, fma(h_0, W_h[0], ·), … formed here
     * from the unpacked weights.
     */
    @ParameterizedTest(name = "G = {0}, c = {1}")
    @MethodSource("org.rnn4j.simd.StepContract#stepShapes")
    default void stepIsTheFmaChainInRowOrder(int gates, int width, StepWeights.Storage storage) {
        for (StepCase s : stepCases(gates, width, storage)) {
            StepData data = new StepData(s, seed(s));
            float[][] c = data.both(kernels(), data.pack(kernels()));
            String what = kernels().name() + " step " + s;
            TestSupport.assertBitwiseEquals(what + ": stepInput vs the chain b, x_0·W_x[0], …", data.chain(false),
                    data.window(c[0]));
            TestSupport.assertBitwiseEquals(what + ": stepInput + stepRecurrent vs the chain b, x·W_x, then h·W_h",
                    data.chain(true), data.window(c[1]));
        }
    }

    /** (a) The same bits as the scalar kernels (whole gates arrays, sentinels included). */
    @ParameterizedTest(name = "G = {0}, c = {1}")
    @MethodSource("org.rnn4j.simd.StepContract#stepShapes")
    default void stepGivesTheScalarKernelsBits(int gates, int width, StepWeights.Storage storage) {
        for (StepCase s : stepCases(gates, width, storage)) {
            StepData data = new StepData(s, seed(s));
            Kernels scalar = KernelProvider.scalar();
            float[][] expected = data.both(scalar, data.pack(scalar));
            float[][] got = data.both(kernels(), data.pack(kernels()));
            String what = kernels().name() + " vs scalar, step " + s;
            TestSupport.assertBitwiseEquals(what + ": stepInput", expected[0], got[0]);
            TestSupport.assertBitwiseEquals(what + ": stepInput + stepRecurrent", expected[1], got[1]);
        }
    }

    /** (b) m rows at once give the bits of each row stepped alone (m = 1 at that row's offsets). */
    @ParameterizedTest(name = "G = {0}, c = {1}")
    @MethodSource("org.rnn4j.simd.StepContract#stepShapes")
    default void stepOfManyRowsEqualsEachRowAlone(int gates, int width, StepWeights.Storage storage) {
        for (StepCase s : stepCases(gates, width, storage)) {
            if (s.m() == 1) {
                continue; // nothing to split
            }
            StepData data = new StepData(s, seed(s));
            StepWeights w = data.pack(kernels());
            float[][] together = data.both(kernels(), w);
            StepLayout o = s.layout();
            float[] c = data.newGates();
            for (int i = 0; i < s.m(); i++) {
                kernels().stepInput(1, w, data.xIn, o.xOff() + i * data.ldx, data.ldx, c, o.cOff() + i * data.ldc,
                        data.ldc);
            }
            String what = kernels().name() + " step " + s + ", rows together vs one at a time";
            TestSupport.assertBitwiseEquals(what + ": stepInput", together[0], c);
            for (int i = 0; i < s.m(); i++) {
                kernels().stepRecurrent(1, w, data.hIn, o.hOff() + i * data.ldh, data.ldh, c, o.cOff() + i * data.ldc,
                        data.ldc);
            }
            TestSupport.assertBitwiseEquals(what + ": stepRecurrent", together[1], c);
        }
    }

    /**
     * (c) stepInput then stepRecurrent give the bits of stepInput with {@code [W_x; W_h]} packed
     * as d + r input rows (r = 0, W_h null) over the rows {@code [x h]}; so does the input part
     * of all m rows at once followed by the recurrent part row by row (how a sequence is stepped).
     */
    @ParameterizedTest(name = "G = {0}, c = {1}")
    @MethodSource("org.rnn4j.simd.StepContract#stepShapes")
    default void stepInputThenRecurrentEqualsOneProductOverConcatenatedRows(int gates, int width, StepWeights.Storage storage) {
        for (StepCase s : stepCases(gates, width, storage)) {
            StepData data = new StepData(s, seed(s));
            int m = s.m(), d = s.d(), r = s.r(), k = d + r, gw = data.gw;
            float[] wcat = new float[k * gw];
            System.arraycopy(data.wx, 0, wcat, 0, d * gw);
            System.arraycopy(data.wh, 0, wcat, d * gw, r * gw);
            float[] xh = new float[m * k];
            for (int i = 0; i < m; i++) {
                System.arraycopy(data.x, i * d, xh, i * k, d);
                System.arraycopy(data.h, i * r, xh, i * k + d, r);
            }
            StepData concatenated = new StepData(new StepCase(s.gates(), s.width(), k, 0, m, s.layout(), s.storage()),
                    wcat, new float[0], data.b, xh, new float[0]);
            String what = kernels().name() + " step " + s;
            StepWeights cat = concatenated.pack(kernels());
            assertEquals(k, cat.inputRows(), what + ": concatenated inputRows()");
            assertEquals(0, cat.recurrentRows(), what + ": concatenated recurrentRows()");
            float[] one = concatenated.newGates();
            concatenated.input(kernels(), cat, one);

            StepWeights w = data.pack(kernels());
            float[] two = data.both(kernels(), w)[1];
            TestSupport.assertBitwiseEquals(what + ": stepInput + stepRecurrent vs stepInput of [W_x; W_h] over [x h]",
                    concatenated.window(one), data.window(two));

            float[] stepped = data.newGates();
            data.input(kernels(), w, stepped);
            StepLayout o = s.layout();
            for (int i = 0; i < m; i++) {
                kernels().stepRecurrent(1, w, data.hIn, o.hOff() + i * data.ldh, data.ldh, stepped,
                        o.cOff() + i * data.ldc, data.ldc);
            }
            TestSupport.assertBitwiseEquals(what + ": stepInput of all rows, stepRecurrent row by row, vs [x h]",
                    concatenated.window(one), data.window(stepped));
            data.assertOutsideUntouched(what + " stepped row by row", stepped);

            // stepConcatenated: the layer's own packing (d input rows, r recurrent) over [x h] rows
            // (at an offset, rows padded by 2), the same bits again, nothing written outside
            int lda = k + 2;
            float[] xhIn = placeMatrix(xh, m, k, 3, lda, Float.NaN);
            float[] cat2 = data.newGates();
            kernels().stepConcatenated(m, w, xhIn, 3, lda, cat2, o.cOff(), data.ldc);
            TestSupport.assertBitwiseEquals(what + ": stepConcatenated over [x h] vs stepInput + stepRecurrent",
                    data.window(two), data.window(cat2));
            data.assertOutsideUntouched(what + " stepConcatenated", cat2);
        }
    }

    /**
     * (d) The packing of the kernels under test is for their lane count (16 for the scalar
     * kernels, the species length for the vector kernels); a packing by the scalar kernels works
     * with the kernels under test and vice versa, and so does a packing for any lane count
     * (1, 4, 8, 16, 32: the vector kernels take the scalar path when it is not theirs), all with
     * the same bits.
     */
    @ParameterizedTest(name = "G = {0}, c = {1}")
    @MethodSource("org.rnn4j.simd.StepContract#stepShapes")
    default void stepWeightsPackedByAnyImplementationGiveTheSameBits(int gates, int width, StepWeights.Storage storage) {
        for (StepCase s : stepCases(gates, width, storage)) {
            if (s.m() != 1 && s.m() != 4 && s.m() != 5) {
                continue; // one row, the 4-row block, and both: enough for seven packings each
            }
            StepData data = new StepData(s, seed(s));
            Kernels scalar = KernelProvider.scalar();
            StepWeights fromScalar = data.pack(scalar);
            StepWeights own = data.pack(kernels());
            String what = kernels().name() + " step " + s;
            int lanes = kernels().vectorBitSize() == 0 ? ScalarKernels.STEP_LANES : kernels().vectorBitSize() / 32;
            assertEquals(ScalarKernels.STEP_LANES, fromScalar.lanes(), what + ": the scalar kernels' packing");
            assertEquals(lanes, own.lanes(), what + ": the packing of " + kernels().name());

            float[][] expected = data.both(scalar, fromScalar);
            float[][][] runs = {
                data.both(kernels(), fromScalar),
                data.both(scalar, own),
            };
            String[] names = {"the scalar kernels' packing stepped by " + kernels().name(),
                              kernels().name() + "'s packing stepped by the scalar kernels"};
            for (int i = 0; i < runs.length; i++) {
                TestSupport.assertBitwiseEquals(what + ", " + names[i] + ": stepInput", expected[0], runs[i][0]);
                TestSupport.assertBitwiseEquals(what + ", " + names[i] + ": stepRecurrent", expected[1], runs[i][1]);
            }
            for (int l : new int[] {1, 4, 8, 16, 32}) {
                StepWeights w = data.pack(l);
                assertEquals(l, w.lanes());
                float[][] got = data.both(kernels(), w);
                TestSupport.assertBitwiseEquals(what + ", packed for " + l + " lanes: stepInput", expected[0], got[0]);
                TestSupport.assertBitwiseEquals(what + ", packed for " + l + " lanes: stepRecurrent", expected[1], got[1]);
            }
        }
    }

    // =============================================================================================
    // Gate layout, bias, empty steps
    // =============================================================================================

    /** G × c for the layout tests: one column, a partial vector, one and two vectors plus one, 41. */
    static Stream<Arguments> stepLayoutCases() {
        List<Arguments> out = new ArrayList<>();
        for (int g : STEP_GATES) {
            for (int width : new int[] {1, 7, 17, 33, 41}) {
                out.add(Arguments.of(g, width));
            }
        }
        return out.stream();
    }

    /**
     * For every column j of every gate q: a W_x whose only nonzero weight is at (k, q·c + j)
     * gives stepInput output in column q·c + j only, x[i][k]·w in every row i; a W_h whose only
     * nonzero weight is in another column adds h[i][k']·w' there only. Small exact values, so
     * the expected gates are exact (and zeros are +0: b = +0 and (±0) + (+0) = +0).
     */
    @ParameterizedTest(name = "G = {0}, c = {1}")
    @MethodSource("org.rnn4j.simd.StepContract#stepLayoutCases")
    default void stepPutsEachWeightInItsGateColumn(int gates, int width) {
        int d = 3, r = 2, m = 5, gw = gates * width;
        StepCase s = new StepCase(gates, width, d, r, m, StepLayout.PADDED);
        float[] x = new float[m * d];
        float[] h = new float[m * r];
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < d; k++) {
                x[i * d + k] = (i + 1) + k / 4f;
            }
            for (int k = 0; k < r; k++) {
                h[i * r + k] = -(i + 2) - k / 8f;
            }
        }
        for (int col = 0; col < gw; col++) {
            int kx = col % d, kh = (col + 1) % r, colH = gw - 1 - col;
            float[] wx = new float[d * gw];
            float[] wh = new float[r * gw];
            wx[kx * gw + col] = 0.5f;
            wh[kh * gw + colH] = -0.25f;
            StepData data = new StepData(s, wx, wh, new float[gw], x, h);
            float[][] c = data.both(kernels(), data.pack(kernels()));
            float[] afterInput = new float[m * gw];
            float[] afterBoth = new float[m * gw];
            for (int i = 0; i < m; i++) {
                afterInput[i * gw + col] = x[i * d + kx] * 0.5f;
                afterBoth[i * gw + col] = afterInput[i * gw + col];
                afterBoth[i * gw + colH] += h[i * r + kh] * -0.25f;
            }
            String what = kernels().name() + " step G=" + gates + " c=" + width + ": W_x nonzero only at row " + kx
                    + ", column " + col + " (gate " + col / width + ", unit " + col % width + "), W_h only at row "
                    + kh + ", column " + colH;
            TestSupport.assertBitwiseEquals(what + ": stepInput", afterInput, data.window(c[0]));
            TestSupport.assertBitwiseEquals(what + ": stepRecurrent", afterBoth, data.window(c[1]));
            data.assertOutsideUntouched(what, c[1]);
        }
    }

    /** (G, c, d, r, m) for the bias test, d = 0 included (stepInput is then C = b). */
    static Stream<Arguments> stepBiasCases() {
        return Stream.of(Arguments.of(1, 1, 1, 0, 1), Arguments.of(3, 17, 7, 13, 5), Arguments.of(4, 33, 33, 1, 9),
                Arguments.of(4, 13, 0, 3, 4), Arguments.of(1, 129, 3, 129, 2), Arguments.of(3, 16, 0, 0, 3));
    }

    /**
     * X = 0 and H = 0 with random weights: every chain is b + 0·w + … = b exactly, in every row
     * (b is never −0 here: −0 + (+0) would be +0).
     */
    @ParameterizedTest(name = "G = {0}, c = {1}, d = {2}, r = {3}, m = {4}")
    @MethodSource("org.rnn4j.simd.StepContract#stepBiasCases")
    default void stepWithZeroInputsGivesTheBiasExactly(int gates, int width, int d, int r, int m) {
        for (StepLayout layout : new StepLayout[] {StepLayout.TIGHT, StepLayout.PADDED}) {
            StepCase s = new StepCase(gates, width, d, r, m, layout);
            int gw = s.gw();
            float[] b = TestSupport.random(seed(s) + 5, gw, -2, 2);
            StepData data = new StepData(s, TestSupport.random(seed(s), d * gw, -1, 1),
                    TestSupport.random(seed(s) + 1, r * gw, -1, 1), b, new float[m * d], new float[m * r]);
            float[][] c = data.both(kernels(), data.pack(kernels()));
            float[] expected = new float[m * gw];
            for (int i = 0; i < m; i++) {
                System.arraycopy(b, 0, expected, i * gw, gw);
            }
            String what = kernels().name() + " step " + s + " with X = 0, H = 0";
            TestSupport.assertBitwiseEquals(what + ": stepInput", expected, data.window(c[0]));
            TestSupport.assertBitwiseEquals(what + ": stepRecurrent", expected, data.window(c[1]));
            data.assertOutsideUntouched(what, c[1]);
        }
    }

    /**
     * m = 0 writes nothing (also with minimal, empty arrays), and stepRecurrent of weights
     * without a recurrent part (r = 0) leaves the gates as they are.
     */
    @Test
    default void stepWithNoRowsOrNoRecurrentPartWritesNothing() {
        Kernels k = kernels();
        for (StepLayout layout : new StepLayout[] {StepLayout.TIGHT, StepLayout.PADDED}) {
            StepCase s = new StepCase(3, 17, 7, 13, 4, layout);
            StepData data = new StepData(s, seed(s));
            StepWeights w = data.pack(k);
            float[] c = data.newGates();
            float[] before = c.clone();
            StepLayout o = layout;
            k.stepInput(0, w, data.xIn, o.xOff(), data.ldx, c, o.cOff(), data.ldc);
            k.stepRecurrent(0, w, data.hIn, o.hOff(), data.ldh, c, o.cOff(), data.ldc);
            assertArrayEquals(before, c, k.name() + " step m = 0, " + layout + ": gates changed");
            float[] empty = new float[0];
            k.stepInput(0, w, empty, 0, s.d(), empty, 0, s.gw());
            k.stepRecurrent(0, w, empty, 0, s.r(), empty, 0, s.gw());
            data.assertInputsUnchanged(k.name() + " step m = 0");

            StepCase noH = new StepCase(3, 17, 7, 0, 4, layout);
            StepData outputLayer = new StepData(noH, seed(noH));
            assertNull(outputLayer.whIn);
            StepWeights wo = outputLayer.pack(k);
            float[] g = outputLayer.newGates();
            outputLayer.input(k, wo, g);
            float[] afterInput = g.clone();
            outputLayer.recurrent(k, wo, g);
            assertArrayEquals(afterInput, g, k.name() + " stepRecurrent with r = 0, " + layout + ": gates changed");
        }
    }

    /**
     * X (or H) and the gates in one array without overlapping, touching or not, in either order:
     * the bits of separate arrays (the overlap check does not reject neighbours).
     */
    @Test
    default void stepWithInputsAndGatesInOneArrayGivesTheSameBits() {
        Kernels k = kernels();
        StepCase s = new StepCase(4, 17, 7, 13, 5, StepLayout.TIGHT);
        StepData data = new StepData(s, seed(s));
        StepWeights w = data.pack(k);
        float[] expected = data.window(data.both(k, w)[1]);
        int m = s.m(), d = s.d(), r = s.r(), gw = s.gw();
        int xLen = m * d, hLen = m * r, cLen = m * gw;
        // [X | H | gates], [gates | X | H] and [X | gap | gates | gap | H]
        int[][] placements = {{0, xLen, xLen + hLen}, {cLen, cLen + xLen, 0}, {0, xLen + 3 + cLen + 2, xLen + 3}};
        for (int[] p : placements) {
            int xOff = p[0], hOff = p[1], cOff = p[2];
            float[] a = TestSupport.filled(xLen + hLen + cLen + 5, TestSupport.SENTINEL);
            System.arraycopy(data.x, 0, a, xOff, xLen);
            System.arraycopy(data.h, 0, a, hOff, hLen);
            k.stepInput(m, w, a, xOff, d, a, cOff, gw);
            k.stepRecurrent(m, w, a, hOff, r, a, cOff, gw);
            String what = k.name() + " step " + s + ", one array: X at " + xOff + ", H at " + hOff + ", gates at " + cOff;
            TestSupport.assertBitwiseEquals(what, expected, KernelsContract.slice(a, cOff, cLen));
            TestSupport.assertBitwiseEquals(what + ": X", data.x, KernelsContract.slice(a, xOff, xLen));
            TestSupport.assertBitwiseEquals(what + ": H", data.h, KernelsContract.slice(a, hOff, hLen));
        }
    }

    // =============================================================================================
    // Argument errors
    // =============================================================================================

    /** Weights for the error cases: G = 2, c = 3 (G·c = 6), d = 3, r = 2. */
    private static StepWeights errorWeights(Kernels k) {
        return k.packStep(2, 3, KernelsContract.data(18), 0, 3, KernelsContract.data(12), 0, 2, KernelsContract.data(6), 0,
                StepWeights.Storage.FLOAT32);
    }

    private static Supplier<float[][]> arrays(int... lengths) {
        return () -> {
            float[][] x = new float[lengths.length][];
            for (int i = 0; i < lengths.length; i++) {
                x[i] = lengths[i] < 0 ? null : KernelsContract.data(lengths[i]);
            }
            return x;
        };
    }

    /**
     * Bad arguments (G = 2, c = 3, d = 3, r = 2, m = 2 unless the case says otherwise: X 6
     * elements, H 4, gates 12; W_x 18, W_h 12, b 6): each throws naming the argument and the
     * offending numbers, and no array is written. A length of −1 below stands for null.
     */
    static Stream<ErrorCase> stepArgumentErrors() {
        Class<IllegalArgumentException> iae = IllegalArgumentException.class;
        Class<IndexOutOfBoundsException> ioobe = IndexOutOfBoundsException.class;
        Class<NullPointerException> npe = NullPointerException.class;
        List<ErrorCase> out = new ArrayList<>();
        String xs = "X (m x d)", hs = "H (m x r)", gs = "gates (m x G*c)";

        // stepInput(m = 2): X = x[0], gates = x[1]
        String p = "stepInput 2 x 3 -> 2 x 6: ";
        out.add(new ErrorCase(p + "m < 0", iae, List.of("m", "-1"), arrays(6, 12),
                (k, x) -> k.stepInput(-1, errorWeights(k), x[0], 0, 3, x[1], 0, 6)));
        out.add(new ErrorCase(p + "X null", npe, List.of(xs), arrays(-1, 12),
                (k, x) -> k.stepInput(2, errorWeights(k), x[0], 0, 3, x[1], 0, 6)));
        out.add(new ErrorCase(p + "gates null", npe, List.of(gs), arrays(6, -1),
                (k, x) -> k.stepInput(2, errorWeights(k), x[0], 0, 3, x[1], 0, 6)));
        out.add(new ErrorCase(p + "weights null", npe, List.of(), arrays(6, 12),
                (k, x) -> k.stepInput(2, null, x[0], 0, 3, x[1], 0, 6)));
        out.add(new ErrorCase(p + "X one element short", ioobe, List.of(xs, "6", "5"), arrays(5, 12),
                (k, x) -> k.stepInput(2, errorWeights(k), x[0], 0, 3, x[1], 0, 6)));
        out.add(new ErrorCase(p + "negative offset of X", ioobe, List.of(xs, "-1"), arrays(6, 12),
                (k, x) -> k.stepInput(2, errorWeights(k), x[0], -1, 3, x[1], 0, 6)));
        out.add(new ErrorCase(p + "ldx smaller than d", iae, List.of("leading dimension", xs, "3", "2"), arrays(6, 12),
                (k, x) -> k.stepInput(2, errorWeights(k), x[0], 0, 2, x[1], 0, 6)));
        out.add(new ErrorCase(p + "gates one element short", ioobe, List.of(gs, "12", "11"), arrays(6, 11),
                (k, x) -> k.stepInput(2, errorWeights(k), x[0], 0, 3, x[1], 0, 6)));
        out.add(new ErrorCase(p + "gates offset past the end", ioobe, List.of(gs, "1", "13", "12"), arrays(6, 12),
                (k, x) -> k.stepInput(2, errorWeights(k), x[0], 0, 3, x[1], 1, 6)));
        out.add(new ErrorCase(p + "gates with padded leading dimension too short", ioobe, List.of(gs, "14", "13"),
                arrays(6, 13), (k, x) -> k.stepInput(2, errorWeights(k), x[0], 0, 3, x[1], 0, 8)));
        out.add(new ErrorCase(p + "ldg smaller than G*c", iae, List.of("leading dimension", gs, "6", "5"),
                arrays(6, 12), (k, x) -> k.stepInput(2, errorWeights(k), x[0], 0, 3, x[1], 0, 5)));
        out.add(new ErrorCase(p + "X overlapping the gates in one array (X first)", iae, List.of(xs, "gates"),
                arrays(16), (k, x) -> k.stepInput(2, errorWeights(k), x[0], 0, 3, x[0], 4, 6)));
        out.add(new ErrorCase(p + "X overlapping the gates in one array (gates first)", iae, List.of(xs, "gates"),
                arrays(17), (k, x) -> k.stepInput(2, errorWeights(k), x[0], 11, 3, x[0], 0, 6)));

        // stepRecurrent(m = 2): H = x[0], gates = x[1]
        String q = "stepRecurrent 2 x 2 -> 2 x 6: ";
        out.add(new ErrorCase(q + "m < 0", iae, List.of("m", "-3"), arrays(4, 12),
                (k, x) -> k.stepRecurrent(-3, errorWeights(k), x[0], 0, 2, x[1], 0, 6)));
        out.add(new ErrorCase(q + "H null", npe, List.of(hs), arrays(-1, 12),
                (k, x) -> k.stepRecurrent(2, errorWeights(k), x[0], 0, 2, x[1], 0, 6)));
        out.add(new ErrorCase(q + "gates null", npe, List.of(gs), arrays(4, -1),
                (k, x) -> k.stepRecurrent(2, errorWeights(k), x[0], 0, 2, x[1], 0, 6)));
        out.add(new ErrorCase(q + "H one element short", ioobe, List.of(hs, "4", "3"), arrays(3, 12),
                (k, x) -> k.stepRecurrent(2, errorWeights(k), x[0], 0, 2, x[1], 0, 6)));
        out.add(new ErrorCase(q + "ldh smaller than r", iae, List.of("leading dimension", hs, "2", "1"), arrays(4, 12),
                (k, x) -> k.stepRecurrent(2, errorWeights(k), x[0], 0, 1, x[1], 0, 6)));
        out.add(new ErrorCase(q + "gates one element short", ioobe, List.of(gs, "12", "11"), arrays(4, 11),
                (k, x) -> k.stepRecurrent(2, errorWeights(k), x[0], 0, 2, x[1], 0, 6)));
        out.add(new ErrorCase(q + "H overlapping the gates in one array", iae, List.of(hs, "gates"), arrays(15),
                (k, x) -> k.stepRecurrent(2, errorWeights(k), x[0], 11, 2, x[0], 0, 6)));

        // stepConcatenated(m = 2): [X H] = x[0] (2 x 5), gates = x[1]
        String xhs = "[X H] (m x (d + r))";
        String u = "stepConcatenated 2 x 5 -> 2 x 6: ";
        out.add(new ErrorCase(u + "m < 0", iae, List.of("m", "-2"), arrays(10, 12),
                (k, x) -> k.stepConcatenated(-2, errorWeights(k), x[0], 0, 5, x[1], 0, 6)));
        out.add(new ErrorCase(u + "[X H] null", npe, List.of(xhs), arrays(-1, 12),
                (k, x) -> k.stepConcatenated(2, errorWeights(k), x[0], 0, 5, x[1], 0, 6)));
        out.add(new ErrorCase(u + "[X H] one element short", ioobe, List.of(xhs, "10", "9"), arrays(9, 12),
                (k, x) -> k.stepConcatenated(2, errorWeights(k), x[0], 0, 5, x[1], 0, 6)));
        out.add(new ErrorCase(u + "lda smaller than d + r", iae, List.of("leading dimension", xhs, "5", "4"),
                arrays(10, 12), (k, x) -> k.stepConcatenated(2, errorWeights(k), x[0], 0, 4, x[1], 0, 6)));
        out.add(new ErrorCase(u + "gates one element short", ioobe, List.of(gs, "12", "11"), arrays(10, 11),
                (k, x) -> k.stepConcatenated(2, errorWeights(k), x[0], 0, 5, x[1], 0, 6)));
        out.add(new ErrorCase(u + "[X H] overlapping the gates in one array", iae, List.of(xhs, "gates"), arrays(20),
                (k, x) -> k.stepConcatenated(2, errorWeights(k), x[0], 0, 5, x[0], 8, 6)));

        // packStep(G = 2, c = 3, d = 3, r = 2): W_x = x[0], W_h = x[1], b = x[2]
        String w = "packStep G=2 c=3 d=3 r=2: ";
        out.add(new ErrorCase(w + "gates = 0", iae, List.of("gates", "0"), arrays(18, 12, 6),
                (k, x) -> k.packStep(0, 3, x[0], 0, 3, x[1], 0, 2, x[2], 0, StepWeights.Storage.FLOAT32)));
        out.add(new ErrorCase(w + "gates < 0", iae, List.of("gates", "-2"), arrays(18, 12, 6),
                (k, x) -> k.packStep(-2, 3, x[0], 0, 3, x[1], 0, 2, x[2], 0, StepWeights.Storage.FLOAT32)));
        out.add(new ErrorCase(w + "width = 0", iae, List.of("width", "0"), arrays(18, 12, 6),
                (k, x) -> k.packStep(2, 0, x[0], 0, 3, x[1], 0, 2, x[2], 0, StepWeights.Storage.FLOAT32)));
        out.add(new ErrorCase(w + "d < 0", iae, List.of("d", "-1"), arrays(18, 12, 6),
                (k, x) -> k.packStep(2, 3, x[0], 0, -1, x[1], 0, 2, x[2], 0, StepWeights.Storage.FLOAT32)));
        out.add(new ErrorCase(w + "r < 0", iae, List.of("r", "-2"), arrays(18, 12, 6),
                (k, x) -> k.packStep(2, 3, x[0], 0, 3, x[1], 0, -2, x[2], 0, StepWeights.Storage.FLOAT32)));
        out.add(new ErrorCase(w + "W_x one element short", ioobe, List.of("W_x (d x G*c)", "18", "17"),
                arrays(17, 12, 6), (k, x) -> k.packStep(2, 3, x[0], 0, 3, x[1], 0, 2, x[2], 0, StepWeights.Storage.FLOAT32)));
        out.add(new ErrorCase(w + "W_x offset past the end", ioobe, List.of("W_x (d x G*c)", "19", "18"),
                arrays(18, 12, 6), (k, x) -> k.packStep(2, 3, x[0], 1, 3, x[1], 0, 2, x[2], 0, StepWeights.Storage.FLOAT32)));
        out.add(new ErrorCase(w + "W_x null", npe, List.of("W_x (d x G*c)"), arrays(-1, 12, 6),
                (k, x) -> k.packStep(2, 3, x[0], 0, 3, x[1], 0, 2, x[2], 0, StepWeights.Storage.FLOAT32)));
        out.add(new ErrorCase(w + "W_h one element short", ioobe, List.of("W_h (r x G*c)", "12", "11"),
                arrays(18, 11, 6), (k, x) -> k.packStep(2, 3, x[0], 0, 3, x[1], 0, 2, x[2], 0, StepWeights.Storage.FLOAT32)));
        out.add(new ErrorCase(w + "W_h null with r = 2", npe, List.of("W_h (r x G*c)"), arrays(18, -1, 6),
                (k, x) -> k.packStep(2, 3, x[0], 0, 3, x[1], 0, 2, x[2], 0, StepWeights.Storage.FLOAT32)));
        out.add(new ErrorCase(w + "b one element short", ioobe, List.of("b (G*c)", "6", "5"), arrays(18, 12, 5),
                (k, x) -> k.packStep(2, 3, x[0], 0, 3, x[1], 0, 2, x[2], 0, StepWeights.Storage.FLOAT32)));
        out.add(new ErrorCase(w + "b null", npe, List.of("b (G*c)"), arrays(18, 12, -1),
                (k, x) -> k.packStep(2, 3, x[0], 0, 3, x[1], 0, 2, x[2], 0, StepWeights.Storage.FLOAT32)));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.rnn4j.simd.StepContract#stepArgumentErrors")
    default void stepArgumentErrorsAreReportedBeforeAnyWrite(ErrorCase e) {
        KernelsContract.assertFailsBeforeAnyWrite(kernels(), e);
    }
}
