package org.rnn4j.simd.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorised exp, tanh and sigmoid over arrays, built from FMA and integer bit tricks, because
 * {@code lanewise(EXP/TANH)} calls a stub per vector (see the activation benchmarks).
 *
 * <p>exp(x): x is clamped to [-87.33, 88] (so 2^n stays a normal float), n = round(x·log2 e) by
 * the 1.5·2^23 shift trick, r = x − n·ln 2 in two parts (Cody–Waite), e^r by the degree-6 Taylor
 * polynomial on |r| ≤ ln2/2 (truncation error ≤ 1.3e-7 relative), 2^n built in the exponent
 * bits. tanh(x) = sign(x)·(1 − 2/(e^{2|x|} + 1)), sigmoid(x) = 1/(1 + e^{−x}); both have an
 * absolute error below {@link org.rnn4j.simd.Activation#VECTOR_MAX_ABS_ERROR} (tested). NaN in gives NaN out.
 *
 * <p>Why one array-level method with the exp written out inside its loop, rather than an
 * {@code exp(FloatVector)} helper: a method that takes or returns vectors must be inlined by C2,
 * or every vector is boxed on the heap (measured 100–1000× slower). Inlining depends on call-site
 * profiles and on a per-compilation node budget that a few Vector API expressions exhaust, so it
 * fails in larger callers (seen in the LSTM epilogue and in JMH loops). Arrays cross this method's
 * boundary, never vectors, so it is fast whether or not it is inlined.
 *
 * <p>Public because its callers sit in two packages of this module (the vector kernels, and the
 * benchmark variants in {@code org.rnn4j.simd.bench}); the module does not export this package.
 */
public final class VectorMath {
    // the same species as VectorKernels.S
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** {@code y = exp(x − shift)}. */
    public static final int EXP = 0;
    /** {@code y = tanh(x − shift)}. */
    public static final int TANH = 1;
    /** {@code y = sigmoid(x − shift)}. */
    public static final int SIGMOID = 2;

    private static final float EXP_LO = -87.33654f;
    private static final float EXP_HI = 88.0f;
    private static final float LOG2E = 1.44269504088896341f;
    private static final float SHIFT = 12582912f; // 1.5 * 2^23: adding it rounds to an integer
    private static final int SHIFT_BITS = Float.floatToRawIntBits(SHIFT);
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float P2 = 1f / 2, P3 = 1f / 6, P4 = 1f / 24, P5 = 1f / 120, P6 = 1f / 720;
    private static final int SIGN_BIT = 0x80000000;

    private VectorMath() {}

    /**
     * {@code y[i] = f(x[i] − shift)} for f = {@link #EXP}, {@link #TANH} or {@link #SIGMOID};
     * {@code y} may be {@code x} at the same offset. No argument checks (callers check).
     */
    public static void apply(int f, int n, float[] x, int xOff, float shift, float[] y, int yOff) {
        int whole = S.loopBound(n);
        applyVectors(f, whole, x, xOff, shift, y, yOff);
        int rest = n - whole;
        if (rest > 0) {
            // The last partial vector goes through the same polynomial in a zero-padded buffer, so
            // an element's value does not depend on where it sits in the array: a batch cut into
            // row blocks gives bitwise the results of the whole batch.
            float[] buf = TAIL.get();
            System.arraycopy(x, xOff + whole, buf, 0, rest);
            java.util.Arrays.fill(buf, rest, L, 0f);
            applyVectors(f, L, buf, 0, shift, buf, 0);
            System.arraycopy(buf, 0, y, yOff + whole, rest);
        }
    }

    // Not VectorKernels' workspace: that holds megabytes of GEMM packing buffers, which a thread
    // that only runs activations (a streaming inference thread) should not have to allocate.
    private static final ThreadLocal<float[]> TAIL = ThreadLocal.withInitial(() -> new float[L]);

    /** {@link #apply} for n a multiple of the vector length. */
    private static void applyVectors(int f, int n, float[] x, int xOff, float shift, float[] y, int yOff) {
        FloatVector minusLn2Hi = FloatVector.broadcast(S, -LN2_HI);
        FloatVector minusLn2Lo = FloatVector.broadcast(S, -LN2_LO);
        FloatVector p4 = FloatVector.broadcast(S, P4);
        FloatVector p3 = FloatVector.broadcast(S, P3);
        FloatVector p2 = FloatVector.broadcast(S, P2);
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector lo = FloatVector.broadcast(S, EXP_LO);
        FloatVector hi = FloatVector.broadcast(S, EXP_HI);
        for (int i = 0; i < n; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i).sub(shift);
            // the argument of exp
            FloatVector a = f == TANH ? v.abs().mul(2f) : f == SIGMOID ? v.neg() : v;
            // compare + blend, not max/min: those keep Math.max's NaN and −0 rules, which C2
            // builds from five instructions each; a NaN fails both compares and stays NaN
            a = a.blend(lo, a.compare(VectorOperators.LT, lo)).blend(hi, a.compare(VectorOperators.GT, hi));
            // FMAs throughout: the loop is bound by its operation count (two vector ports), and an
            // FMA both halves the count of a mul + add and rounds once instead of twice
            FloatVector t = a.fma(LOG2E, SHIFT);
            FloatVector k = t.sub(SHIFT);
            FloatVector r = k.fma(minusLn2Lo, k.fma(minusLn2Hi, a)); // r = a − k·ln 2, in two parts
            FloatVector p = r.fma(P6, P5).fma(r, p4).fma(r, p3).fma(r, p2).fma(r, one).fma(r, one);
            FloatVector pow2 = t.reinterpretAsInts().sub(SHIFT_BITS - 127).lanewise(VectorOperators.LSHL, 23)
                    .reinterpretAsFloats();
            FloatVector e = p.mul(pow2);
            FloatVector out;
            if (f == TANH) {
                FloatVector mag = FloatVector.broadcast(S, 2f).div(e.add(1f)).neg().add(1f); // 1 − 2/(e+1) ≥ 0
                out = mag.reinterpretAsInts().or(v.reinterpretAsInts().and(SIGN_BIT)).reinterpretAsFloats();
            } else if (f == SIGMOID) {
                out = FloatVector.broadcast(S, 1f).div(e.add(1f));
            } else {
                out = e;
            }
            out.intoArray(y, yOff + i);
        }
    }
}
