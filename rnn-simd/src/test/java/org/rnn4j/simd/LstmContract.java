package org.rnn4j.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.simd.KernelsContract.ErrorCase;

/**
 * The contract of the fused LSTM epilogues ({@link Kernels#lstmForward},
 * {@link Kernels#lstmBackward}), mixed into {@link KernelsContract} so that every implementation
 * runs it. Results are compared with a double-precision evaluation of the formulas of the
 * javadoc, and backward additionally with central finite differences of forward.
 *
 * <p>Gate blocks of n columns side by side, [i | f | g | o] with a forget gate (G = 4) and
 * [i | g | o] without (G = 3, f ≡ 1); rows contiguous (gates G·n apart, the rest n apart).
 * Read-only arrays are NaN-padded and as short as their offset and size allow; written arrays are
 * surrounded by {@link TestSupport#SENTINEL}.
 *
 * <p>Tolerances. The vector kernels' tanh and sigmoid have an absolute error of at most
 * E = {@link Activation#VECTOR_MAX_ABS_ERROR} (1e-6; the scalar kernels' are below u = 2^-24),
 * and every gate and τ = tanh(c) enters the formulas as a factor. So each result may be off by
 * E (plus the float roundings, a few u relative) times the magnitude of the terms that factor
 * multiplies; the bounds below add these up term by term and allow twice the sum. A wrong gate
 * block, a missing factor or a swapped sign costs errors of the order of the terms themselves
 * (1e-2 .. 1), four or more orders of magnitude above. Every bound also gets
 * {@link Float#MIN_NORMAL} (1.2e-38) absolute: a result below the smallest normal float has only
 * absolute precision (σ(−100) ≈ 4e-44 is subnormal, and so are the products it enters).
 */
interface LstmContract {

    /** The kernels under test. */
    Kernels kernels();

    /** Offsets of the arrays of one call. */
    record Offsets(int gates, int cPrev, int c, int h, int dh, int dc, int dGates) {
        static final Offsets NONE = new Offsets(0, 0, 0, 0, 0, 0, 0);
        static final Offsets SOME = new Offsets(3, 1, 5, 2, 4, 6, 7);

        @Override
        public String toString() {
            return this == NONE ? "no offsets" : "offsets gates=" + gates + " cPrev=" + cPrev + " c=" + c + " h=" + h
                    + " dh=" + dh + " dc=" + dc + " dGates=" + dGates;
        }
    }

    /** G, the number of gate blocks. */
    static int gateCount(boolean forgetGate) {
        return forgetGate ? 4 : 3;
    }

    /** The name of gate block b, for messages. */
    static String gateName(boolean forgetGate, int block) {
        return (forgetGate ? "ifgo" : "igo").substring(block, block + 1);
    }

    /** Both forgetGate values × the row lengths n (the AVX2 and AVX-512 lane counts and their neighbours). */
    static Stream<Arguments> lstmCases() {
        List<Arguments> cases = new ArrayList<>();
        for (boolean forgetGate : new boolean[] {true, false}) {
            for (int n : new int[] {1, 3, 7, 8, 13, 16, 31, 33, 129}) {
                cases.add(Arguments.of(forgetGate, n));
            }
        }
        return cases.stream();
    }

    // =============================================================================================
    // Double reference
    // =============================================================================================

    /** Activated gates, c and h of the reference forward, in double. */
    record Forward(double[] gates, double[] c, double[] h) {}

    static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    /**
     * {@code i = σ(a_i), f = σ(a_f), g = tanh(a_g), o = σ(a_o); c = f∘c_prev + i∘g; h = o∘tanh(c)}
     * in double, for m rows of dense pre-activations (m × G·n) and c_prev (m × n).
     */
    static Forward referenceForward(int m, int n, boolean forgetGate, double[] pre, double[] cPrev) {
        int gn = gateCount(forgetGate) * n;
        int gOffset = forgetGate ? 2 * n : n;
        int oOffset = gOffset + n;
        double[] gates = new double[m * gn];
        double[] c = new double[m * n];
        double[] h = new double[m * n];
        for (int r = 0; r < m; r++) {
            for (int j = 0; j < n; j++) {
                int q = r * gn + j;
                double i = sigmoid(pre[q]);
                double f = forgetGate ? sigmoid(pre[q + n]) : 1.0;
                double g = Math.tanh(pre[q + gOffset]);
                double o = sigmoid(pre[q + oOffset]);
                gates[q] = i;
                if (forgetGate) {
                    gates[q + n] = f;
                }
                gates[q + gOffset] = g;
                gates[q + oOffset] = o;
                double cc = f * cPrev[r * n + j] + i * g;
                c[r * n + j] = cc;
                h[r * n + j] = o * Math.tanh(cc);
            }
        }
        return new Forward(gates, c, h);
    }

    /** Pre-activations: mostly [-4, 4], plus zeros, saturating and tiny values at fixed places. */
    static float[] preActivations(int len, long seed) {
        float[] x = TestSupport.random(seed, len, -4, 4);
        float[] specials = {0f, -0f, 30f, -30f, 100f, -100f, 1e-7f, 9f, -9f, 0.5f, -17f};
        for (int q = 3; q < len; q += 7) {
            x[q] = specials[(q / 7) % specials.length];
        }
        return x;
    }

    static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int q = 0; q < x.length; q++) {
            d[q] = x[q];
        }
        return d;
    }

    static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int q = 0; q < x.length; q++) {
            f[q] = (float) x[q];
        }
        return f;
    }

    /** {@link KernelsContract#assertClose} with the {@link Float#MIN_NORMAL} floor of the class comment. */
    static void assertNear(String what, double expected, double actual, double tol) {
        KernelsContract.assertClose(what, expected, actual, tol + Float.MIN_NORMAL);
    }

    /** {@code data} at offset {@code off} of a new array, {@code pad} before it and in a tail of {@code tail}. */
    static float[] placed(float[] data, int off, float pad, int tail) {
        float[] x = TestSupport.filled(off + data.length + tail, pad);
        System.arraycopy(data, 0, x, off, data.length);
        return x;
    }

    // =============================================================================================
    // Forward
    // =============================================================================================

    @ParameterizedTest(name = "forgetGate = {0}, n = {1}")
    @MethodSource("org.rnn4j.simd.LstmContract#lstmCases")
    default void lstmForwardMatchesReference(boolean forgetGate, int n) {
        for (int m : new int[] {1, 2, 5}) {
            for (Offsets o : new Offsets[] {Offsets.NONE, Offsets.SOME}) {
                checkForward(m, n, forgetGate, o);
            }
        }
    }

    private void checkForward(int m, int n, boolean forgetGate, Offsets o) {
        int gn = gateCount(forgetGate) * n;
        long seed = 1000L * n + 10L * m + (forgetGate ? 1 : 0);
        float[] pre = preActivations(m * gn, seed);
        float[] cp = TestSupport.random(seed + 1, m * n, -2, 2);
        float[] gates = placed(pre, o.gates(), TestSupport.SENTINEL, 3); // inout
        float[] cPrev = placed(cp, o.cPrev(), Float.NaN, 0);              // in
        float[] c = TestSupport.filled(o.c() + m * n + 3, TestSupport.SENTINEL);
        float[] h = TestSupport.filled(o.h() + m * n + 3, TestSupport.SENTINEL);
        float[] cPrevBefore = cPrev.clone();
        kernels().lstmForward(m, n, forgetGate, gates, o.gates(), cPrev, o.cPrev(), c, o.c(), h, o.h());

        String what = kernels().name() + " lstmForward m=" + m + " n=" + n + " forgetGate=" + forgetGate + " " + o;
        assertArrayEquals(cPrevBefore, cPrev, what + ": cPrev was modified");
        TestSupport.assertOutsideUntouched(what + ": gates", gates, o.gates(), gn, m, gn);
        TestSupport.assertOutsideUntouched(what + ": c", c, o.c(), n, m, n);
        TestSupport.assertOutsideUntouched(what + ": h", h, o.h(), n, m, n);

        Forward ref = referenceForward(m, n, forgetGate, toDouble(pre), toDouble(cp));
        double e = Activation.VECTOR_MAX_ABS_ERROR + 2 * TestSupport.U; // one activation, rounded to float
        int gOffset = forgetGate ? 2 * n : n;
        for (int r = 0; r < m; r++) {
            for (int j = 0; j < n; j++) {
                int q = r * gn + j;
                String at = what + " [" + r + "][" + j + "]";
                for (int b = 0; b < gateCount(forgetGate); b++) {
                    assertNear(at + " gate " + gateName(forgetGate, b) + " (a = " + pre[q + b * n] + ")",
                            ref.gates()[q + b * n], gates[o.gates() + q + b * n], 2 * e);
                }
                double i = ref.gates()[q];
                double f = forgetGate ? ref.gates()[q + n] : 1.0;
                double g = ref.gates()[q + gOffset];
                double og = ref.gates()[q + gOffset + n];
                double cpv = cp[r * n + j];
                double cc = ref.c()[r * n + j];
                double tau = Math.tanh(cc);
                // c = f·c_prev + i·g: f off by e (times |c_prev|), i by e (times |g|), g by e (times |i|),
                // plus up to three roundings of the products and the sum
                double errC = e * (Math.abs(cpv) + Math.abs(g) + Math.abs(i))
                        + 3 * TestSupport.U * (Math.abs(f * cpv) + Math.abs(i * g));
                assertNear(at + " c (c_prev = " + cpv + ")", cc, c[o.c() + r * n + j], 2 * errC);
                // h = o·tanh(c): o off by e (times |τ|), tanh off by e plus (1 − τ²) times the error of c,
                // plus the rounding of the product
                double errH = e * Math.abs(tau) + og * (e + (1 - tau * tau) * errC) + 2 * TestSupport.U * Math.abs(og * tau);
                assertNear(at + " h (c = " + cc + ")", ref.h()[r * n + j], h[o.h() + r * n + j], 2 * errH);
            }
        }
    }

    // =============================================================================================
    // Backward
    // =============================================================================================

    @ParameterizedTest(name = "forgetGate = {0}, n = {1}")
    @MethodSource("org.rnn4j.simd.LstmContract#lstmCases")
    default void lstmBackwardMatchesReference(boolean forgetGate, int n) {
        for (int m : new int[] {1, 2, 5}) {
            for (Offsets o : new Offsets[] {Offsets.NONE, Offsets.SOME}) {
                checkBackward(m, n, forgetGate, o);
            }
        }
    }

    /**
     * Backward from the activated gates and c of the (double, rounded to float) reference
     * forward, with dc updated in place (it is inout: ∂L/∂c_t in, ∂L/∂c_{t−1} out).
     */
    private void checkBackward(int m, int n, boolean forgetGate, Offsets o) {
        int gn = gateCount(forgetGate) * n;
        long seed = 2000L * n + 10L * m + (forgetGate ? 1 : 0);
        float[] cp = TestSupport.random(seed + 1, m * n, -2, 2);
        Forward fw = referenceForward(m, n, forgetGate, toDouble(preActivations(m * gn, seed)), toDouble(cp));
        float[] act = toFloat(fw.gates());
        float[] cNow = toFloat(fw.c());
        float[] dhData = TestSupport.random(seed + 2, m * n, -1.5, 1.5);
        float[] dcData = TestSupport.random(seed + 3, m * n, -1.5, 1.5);

        float[] gates = placed(act, o.gates(), Float.NaN, 0);   // in
        float[] cPrev = placed(cp, o.cPrev(), Float.NaN, 0);    // in
        float[] c = placed(cNow, o.c(), Float.NaN, 0);          // in
        float[] dh = placed(dhData, o.dh(), Float.NaN, 0);      // in
        float[] dc = placed(dcData, o.dc(), TestSupport.SENTINEL, 3); // inout
        float[] dGates = TestSupport.filled(o.dGates() + m * gn + 3, TestSupport.SENTINEL); // out
        float[][] inputs = {gates, cPrev, c, dh};
        float[][] before = {gates.clone(), cPrev.clone(), c.clone(), dh.clone()};
        kernels().lstmBackward(m, n, forgetGate, gates, o.gates(), cPrev, o.cPrev(), c, o.c(),
                dh, o.dh(), dc, o.dc(), dGates, o.dGates());

        String what = kernels().name() + " lstmBackward m=" + m + " n=" + n + " forgetGate=" + forgetGate + " " + o;
        String[] names = {"gates", "cPrev", "c", "dh"};
        for (int a = 0; a < inputs.length; a++) {
            assertArrayEquals(before[a], inputs[a], what + ": " + names[a] + " was modified");
        }
        TestSupport.assertOutsideUntouched(what + ": dc", dc, o.dc(), n, m, n);
        TestSupport.assertOutsideUntouched(what + ": dGates", dGates, o.dGates(), gn, m, gn);

        double e = Activation.VECTOR_MAX_ABS_ERROR + 2 * TestSupport.U; // tanh(c), rounded to float
        double u = TestSupport.U;
        int gOffset = forgetGate ? 2 * n : n;
        int oOffset = gOffset + n;
        for (int r = 0; r < m; r++) {
            for (int j = 0; j < n; j++) {
                int q = r * gn + j;
                int x = r * n + j;
                double i = act[q];
                double f = forgetGate ? act[q + n] : 1.0;
                double g = act[q + gOffset];
                double og = act[q + oOffset];
                double cpv = cp[x];
                double tau = Math.tanh(cNow[x]);
                double dhv = dhData[x];
                double dcv = dcData[x];
                double dct = dcv + dhv * og * (1 - tau * tau);
                // δc: 1 − τ² is off by 2|τ|·e (plus its own rounding, u); four roundings in the sum and products
                double eDct = 2 * (e + 2 * u) * Math.abs(dhv * og) + 4 * u * (Math.abs(dcv) + Math.abs(dhv * og));
                String at = what + " [" + r + "][" + j + "]";
                double pi = g * i * (1 - i);
                assertNear(at + " da_i", dct * pi, dGates[o.dGates() + q],
                        2 * (eDct * Math.abs(pi) + 6 * u * Math.abs(dct * pi)));
                if (forgetGate) {
                    double pf = cpv * f * (1 - f);
                    assertNear(at + " da_f", dct * pf, dGates[o.dGates() + q + n],
                            2 * (eDct * Math.abs(pf) + 6 * u * Math.abs(dct * pf)));
                }
                // 1 − g² cancels when |g| → 1: its rounding is u absolute, not relative
                double pg = i * (1 - g * g);
                assertNear(at + " da_g", dct * pg, dGates[o.dGates() + q + gOffset],
                        2 * (eDct * Math.abs(pg) + 6 * u * Math.abs(dct * i)));
                double po = dhv * og * (1 - og);
                assertNear(at + " da_o", po * tau, dGates[o.dGates() + q + oOffset],
                        2 * ((e + 6 * u) * Math.abs(po)));
                assertNear(at + " dc out", dct * f, dc[o.dc() + x],
                        2 * (eDct * f + 2 * u * Math.abs(dct * f)));
            }
        }
    }

    // =============================================================================================
    // Backward is the derivative of forward
    // =============================================================================================

    /** forgetGate × (m, n): one element, the vector body plus a tail, several rows with tails. */
    static Stream<Arguments> derivativeCases() {
        List<Arguments> cases = new ArrayList<>();
        for (boolean forgetGate : new boolean[] {true, false}) {
            for (int[] mn : new int[][] {{1, 1}, {2, 17}, {5, 13}, {3, 33}}) {
                cases.add(Arguments.of(forgetGate, mn[0], mn[1]));
            }
        }
        return cases.stream();
    }

    /** L = Σ w1∘h + Σ w2∘c through the double reference forward. */
    static double loss(int m, int n, boolean forgetGate, double[] pre, double[] cPrev, float[] w1, float[] w2) {
        Forward f = referenceForward(m, n, forgetGate, pre, cPrev);
        double l = 0;
        for (int x = 0; x < m * n; x++) {
            l += w1[x] * f.h()[x] + w2[x] * f.c()[x];
        }
        return l;
    }

    /**
     * With L = Σ w1∘h + Σ w2∘c (random weights), ∂L/∂h = w1 and the part of ∂L/∂c that does not
     * go through h is w2: lstmBackward(dh = w1, dc = w2) after lstmForward must give ∂L/∂(every
     * pre-activation) in dGates and ∂L/∂c_prev in dc. Checked against central differences
     * (step 1e-4) of L computed in double through the reference forward, whose own error
     * (~1e-8 truncation, ~1e-10 rounding) is negligible. The kernels differ from the exact
     * gradient by their activation error propagated through at most four factors, each bounded by
     * 1 except c_prev: at most ~10·E·(|w1| + |w2|)·(1 + |c_prev|); allowed 16·E·(…) + 1e-7.
     */
    @ParameterizedTest(name = "forgetGate = {0}, m = {1}, n = {2}")
    @MethodSource("org.rnn4j.simd.LstmContract#derivativeCases")
    default void lstmBackwardIsTheDerivativeOfForward(boolean forgetGate, int m, int n) {
        int gn = gateCount(forgetGate) * n;
        long seed = 3000L * n + m + (forgetGate ? 7 : 0);
        float[] pre = TestSupport.random(seed, m * gn, -3, 3);
        float[] cp = TestSupport.random(seed + 1, m * n, -2, 2);
        float[] w1 = TestSupport.random(seed + 2, m * n, -1, 1);
        float[] w2 = TestSupport.random(seed + 3, m * n, -1, 1);

        float[] gates = pre.clone();
        float[] c = new float[m * n];
        float[] h = new float[m * n];
        kernels().lstmForward(m, n, forgetGate, gates, 0, cp, 0, c, 0, h, 0);
        float[] dh = w1.clone();
        float[] dc = w2.clone();
        float[] dGates = new float[m * gn];
        kernels().lstmBackward(m, n, forgetGate, gates, 0, cp, 0, c, 0, dh, 0, dc, 0, dGates, 0);

        String what = kernels().name() + " lstmBackward vs finite differences of lstmForward, m=" + m + " n=" + n
                + " forgetGate=" + forgetGate;
        double eps = 1e-4;
        double[] preD = toDouble(pre);
        double[] cpD = toDouble(cp);
        for (int q = 0; q < m * gn; q++) {
            int r = q / gn, b = (q % gn) / n, j = q % n;
            int x = r * n + j;
            double saved = preD[q];
            preD[q] = saved + eps;
            double plus = loss(m, n, forgetGate, preD, cpD, w1, w2);
            preD[q] = saved - eps;
            double minus = loss(m, n, forgetGate, preD, cpD, w1, w2);
            preD[q] = saved;
            double tol = 16 * Activation.VECTOR_MAX_ABS_ERROR * (Math.abs(w1[x]) + Math.abs(w2[x])) * (1 + Math.abs(cp[x]))
                    + 1e-7;
            KernelsContract.assertClose(what + ": dGates of gate " + gateName(forgetGate, b) + " [" + r + "][" + j
                    + "] (a = " + pre[q] + ")", (plus - minus) / (2 * eps), dGates[q], tol);
        }
        for (int x = 0; x < m * n; x++) {
            double saved = cpD[x];
            cpD[x] = saved + eps;
            double plus = loss(m, n, forgetGate, preD, cpD, w1, w2);
            cpD[x] = saved - eps;
            double minus = loss(m, n, forgetGate, preD, cpD, w1, w2);
            cpD[x] = saved;
            double tol = 16 * Activation.VECTOR_MAX_ABS_ERROR * (Math.abs(w1[x]) + Math.abs(w2[x])) * (1 + Math.abs(cp[x]))
                    + 1e-7;
            KernelsContract.assertClose(what + ": dc out = dL/dc_prev [" + (x / n) + "][" + (x % n) + "]",
                    (plus - minus) / (2 * eps), dc[x], tol);
        }
    }

    // =============================================================================================
    // Shared buffers
    // =============================================================================================

    /**
     * How a model calls the epilogues: c_prev and c in one cell-state array (at the previous and
     * next step's offsets), dh and dc in one gradient array, dc updated in place. The same bits
     * as with every matrix in its own array. n = 37 has a vector body and a tail on AVX2 and AVX-512.
     */
    @ParameterizedTest(name = "forgetGate = {0}")
    @ValueSource(booleans = {true, false})
    default void lstmWithSharedCellAndGradientArraysGivesTheSameBits(boolean forgetGate) {
        int m = 3, n = 37, mn = m * n;
        int gn = gateCount(forgetGate) * n;
        float[] pre = preActivations(m * gn, 4242);
        float[] cp = TestSupport.random(4243, mn, -2, 2);
        float[] dhData = TestSupport.random(4244, mn, -1, 1);
        float[] dcData = TestSupport.random(4245, mn, -1, 1);
        String what = kernels().name() + " lstm m=" + m + " n=" + n + " forgetGate=" + forgetGate;

        // every matrix in its own array
        float[] gatesA = pre.clone();
        float[] cA = new float[mn];
        float[] hA = new float[mn];
        kernels().lstmForward(m, n, forgetGate, gatesA, 0, cp, 0, cA, 0, hA, 0);
        float[] dcA = dcData.clone();
        float[] dGatesA = new float[m * gn];
        kernels().lstmBackward(m, n, forgetGate, gatesA, 0, cp, 0, cA, 0, dhData, 0, dcA, 0, dGatesA, 0);

        // cell = [sentinel | c_prev | c], grad = [dh | dc]
        float[] cell = TestSupport.filled(1 + 2 * mn, TestSupport.SENTINEL);
        System.arraycopy(cp, 0, cell, 1, mn);
        float[] gatesB = pre.clone();
        float[] hB = new float[mn];
        kernels().lstmForward(m, n, forgetGate, gatesB, 0, cell, 1, cell, 1 + mn, hB, 0);
        TestSupport.assertBitwiseEquals(what + " forward, shared cell array: gates", gatesA, gatesB);
        TestSupport.assertBitwiseEquals(what + " forward, shared cell array: c_prev", cp, KernelsContract.slice(cell, 1, mn));
        TestSupport.assertBitwiseEquals(what + " forward, shared cell array: c", cA, KernelsContract.slice(cell, 1 + mn, mn));
        TestSupport.assertBitwiseEquals(what + " forward, shared cell array: h", hA, hB);
        float[] grad = new float[2 * mn];
        System.arraycopy(dhData, 0, grad, 0, mn);
        System.arraycopy(dcData, 0, grad, mn, mn);
        float[] dGatesB = new float[m * gn];
        kernels().lstmBackward(m, n, forgetGate, gatesB, 0, cell, 1, cell, 1 + mn, grad, 0, grad, mn, dGatesB, 0);
        TestSupport.assertBitwiseEquals(what + " backward, shared arrays: dGates", dGatesA, dGatesB);
        TestSupport.assertBitwiseEquals(what + " backward, shared arrays: dc", dcA, KernelsContract.slice(grad, mn, mn));
        TestSupport.assertBitwiseEquals(what + " backward, shared arrays: dh", dhData, KernelsContract.slice(grad, 0, mn));
    }

    // =============================================================================================
    // Argument errors
    // =============================================================================================

    /**
     * Bad arguments of the epilogues (m = 2, n = 3 unless the case says otherwise): each throws
     * naming the array ("gates", "cPrev", "dGates", …) and the offending numbers, and no array is
     * written (in particular the gates are not activated in place before the failure).
     */
    static Stream<ErrorCase> lstmArgumentErrors() {
        Class<IllegalArgumentException> iae = IllegalArgumentException.class;
        Class<IndexOutOfBoundsException> ioobe = IndexOutOfBoundsException.class;
        Class<NullPointerException> npe = NullPointerException.class;
        List<ErrorCase> out = new ArrayList<>();

        // lstmForward(m = 2, n = 3): gates = x[0] (24, or 18 without forget gate), cPrev, c, h = x[1..3] (6)
        Supplier<float[][]> fw = () -> new float[][] {KernelsContract.data(24), KernelsContract.data(6),
                                                      KernelsContract.data(6), KernelsContract.data(6)};
        String p = "lstmForward 2 x 3: ";
        out.add(new ErrorCase(p + "m < 0", iae, List.of("m", "-1"), fw,
                (kk, x) -> kk.lstmForward(-1, 3, true, x[0], 0, x[1], 0, x[2], 0, x[3], 0)));
        out.add(new ErrorCase(p + "n < 0", iae, List.of("n", "-3"), fw,
                (kk, x) -> kk.lstmForward(2, -3, true, x[0], 0, x[1], 0, x[2], 0, x[3], 0)));
        out.add(new ErrorCase(p + "gates one element short", ioobe, List.of("gates", "24", "23"),
                () -> new float[][] {KernelsContract.data(23), KernelsContract.data(6), KernelsContract.data(6),
                                     KernelsContract.data(6)},
                (kk, x) -> kk.lstmForward(2, 3, true, x[0], 0, x[1], 0, x[2], 0, x[3], 0)));
        out.add(new ErrorCase(p + "gates (no forget gate) one element short", ioobe, List.of("gates", "18", "17"),
                () -> new float[][] {KernelsContract.data(17), KernelsContract.data(6), KernelsContract.data(6),
                                     KernelsContract.data(6)},
                (kk, x) -> kk.lstmForward(2, 3, false, x[0], 0, x[1], 0, x[2], 0, x[3], 0)));
        out.add(new ErrorCase(p + "gates offset past the end", ioobe, List.of("gates", "1", "24"), fw,
                (kk, x) -> kk.lstmForward(2, 3, true, x[0], 1, x[1], 0, x[2], 0, x[3], 0)));
        out.add(new ErrorCase(p + "cPrev one element short", ioobe, List.of("cPrev", "6", "5"),
                () -> new float[][] {KernelsContract.data(24), KernelsContract.data(5), KernelsContract.data(6),
                                     KernelsContract.data(6)},
                (kk, x) -> kk.lstmForward(2, 3, true, x[0], 0, x[1], 0, x[2], 0, x[3], 0)));
        out.add(new ErrorCase(p + "c offset past the end", ioobe, List.of("c", "2", "6"), fw,
                (kk, x) -> kk.lstmForward(2, 3, true, x[0], 0, x[1], 0, x[2], 2, x[3], 0)));
        out.add(new ErrorCase(p + "h one element short", ioobe, List.of("h", "6", "5"),
                () -> new float[][] {KernelsContract.data(24), KernelsContract.data(6), KernelsContract.data(6),
                                     KernelsContract.data(5)},
                (kk, x) -> kk.lstmForward(2, 3, true, x[0], 0, x[1], 0, x[2], 0, x[3], 0)));
        out.add(new ErrorCase(p + "negative offset of h", ioobe, List.of("h", "-1"), fw,
                (kk, x) -> kk.lstmForward(2, 3, true, x[0], 0, x[1], 0, x[2], 0, x[3], -1)));
        out.add(new ErrorCase(p + "gates null", npe, List.of("gates"),
                () -> new float[][] {null, KernelsContract.data(6), KernelsContract.data(6), KernelsContract.data(6)},
                (kk, x) -> kk.lstmForward(2, 3, true, x[0], 0, x[1], 0, x[2], 0, x[3], 0)));
        out.add(new ErrorCase(p + "cPrev null", npe, List.of("cPrev"),
                () -> new float[][] {KernelsContract.data(24), null, KernelsContract.data(6), KernelsContract.data(6)},
                (kk, x) -> kk.lstmForward(2, 3, true, x[0], 0, x[1], 0, x[2], 0, x[3], 0)));
        out.add(new ErrorCase(p + "h null", npe, List.of("h"),
                () -> new float[][] {KernelsContract.data(24), KernelsContract.data(6), KernelsContract.data(6), null},
                (kk, x) -> kk.lstmForward(2, 3, true, x[0], 0, x[1], 0, x[2], 0, x[3], 0)));

        // lstmBackward(m = 2, n = 3): gates, cPrev, c, dh, dc, dGates = x[0..5]
        String q = "lstmBackward 2 x 3: ";
        out.add(new ErrorCase(q + "m < 0", iae, List.of("m", "-2"), backwardArrays(24, 6, 6, 6, 6, 24),
                (kk, x) -> backward(kk, -2, 3, true, x)));
        out.add(new ErrorCase(q + "n < 0", iae, List.of("n", "-1"), backwardArrays(24, 6, 6, 6, 6, 24),
                (kk, x) -> backward(kk, 2, -1, true, x)));
        out.add(new ErrorCase(q + "gates one element short", ioobe, List.of("gates", "24", "23"),
                backwardArrays(23, 6, 6, 6, 6, 24), (kk, x) -> backward(kk, 2, 3, true, x)));
        out.add(new ErrorCase(q + "cPrev one element short", ioobe, List.of("cPrev", "6", "5"),
                backwardArrays(24, 5, 6, 6, 6, 24), (kk, x) -> backward(kk, 2, 3, true, x)));
        out.add(new ErrorCase(q + "c one element short", ioobe, List.of("c", "6", "5"),
                backwardArrays(24, 6, 5, 6, 6, 24), (kk, x) -> backward(kk, 2, 3, true, x)));
        out.add(new ErrorCase(q + "dh one element short", ioobe, List.of("dh", "6", "5"),
                backwardArrays(24, 6, 6, 5, 6, 24), (kk, x) -> backward(kk, 2, 3, true, x)));
        out.add(new ErrorCase(q + "dc one element short", ioobe, List.of("dc", "6", "5"),
                backwardArrays(24, 6, 6, 6, 5, 24), (kk, x) -> backward(kk, 2, 3, true, x)));
        out.add(new ErrorCase(q + "dGates one element short", ioobe, List.of("dGates", "24", "23"),
                backwardArrays(24, 6, 6, 6, 6, 23), (kk, x) -> backward(kk, 2, 3, true, x)));
        out.add(new ErrorCase(q + "dGates (no forget gate) one element short", ioobe, List.of("dGates", "18", "17"),
                backwardArrays(18, 6, 6, 6, 6, 17), (kk, x) -> backward(kk, 2, 3, false, x)));
        out.add(new ErrorCase(q + "dGates null", npe, List.of("dGates"),
                () -> {
                    float[][] x = backwardArrays(24, 6, 6, 6, 6, 24).get();
                    x[5] = null;
                    return x;
                }, (kk, x) -> backward(kk, 2, 3, true, x)));
        out.add(new ErrorCase(q + "dh null", npe, List.of("dh"),
                () -> {
                    float[][] x = backwardArrays(24, 6, 6, 6, 6, 24).get();
                    x[3] = null;
                    return x;
                }, (kk, x) -> backward(kk, 2, 3, true, x)));
        out.add(new ErrorCase(q + "dc offset past the end", ioobe, List.of("dc", "1", "6"),
                backwardArrays(24, 6, 6, 6, 6, 24),
                (kk, x) -> kk.lstmBackward(2, 3, true, x[0], 0, x[1], 0, x[2], 0, x[3], 0, x[4], 1, x[5], 0)));
        return out.stream();
    }

    private static Supplier<float[][]> backwardArrays(int gates, int cPrev, int c, int dh, int dc, int dGates) {
        return () -> new float[][] {KernelsContract.data(gates), KernelsContract.data(cPrev), KernelsContract.data(c),
                                    KernelsContract.data(dh), KernelsContract.data(dc), KernelsContract.data(dGates)};
    }

    private static void backward(Kernels kk, int m, int n, boolean forgetGate, float[][] x) {
        kk.lstmBackward(m, n, forgetGate, x[0], 0, x[1], 0, x[2], 0, x[3], 0, x[4], 0, x[5], 0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.rnn4j.simd.LstmContract#lstmArgumentErrors")
    default void lstmArgumentErrorsAreReportedBeforeAnyWrite(ErrorCase e) {
        KernelsContract.assertFailsBeforeAnyWrite(kernels(), e);
    }
}
