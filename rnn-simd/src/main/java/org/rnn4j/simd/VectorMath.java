package org.rnn4j.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorised exp, tanh and sigmoid built from FMA and integer bit tricks, because
 * {@code lanewise(EXP/TANH)} is a call into a stub per vector (see the activation benchmarks for
 * the measured difference).
 *
 * <p>exp(x): x is clamped to [-87.33, 88] (so 2^n stays a normal float), n = round(x·log2 e) by
 * the 1.5·2^23 shift trick, r = x − n·ln 2 in two parts (Cody–Waite), e^r by the degree-6 Taylor
 * polynomial on |r| ≤ ln2/2 (truncation error ≤ 1.3e-7 relative), 2^n built in the exponent
 * bits. tanh(x) = sign(x)·(1 − 2/(e^{2|x|} + 1)), sigmoid(x) = 1/(1 + e^{−x}); both have an
 * absolute error below {@link Activation#VECTOR_MAX_ABS_ERROR} (tested). NaN in gives NaN out.
 */
final class VectorMath {
    private static final VectorSpecies<Float> S = VectorKernels.S;
    private static final int L = S.length();

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

    private static FloatVector bc(float v) {
        return FloatVector.broadcast(S, v);
    }

    static FloatVector exp(FloatVector x) {
        x = x.max(EXP_LO).min(EXP_HI);
        FloatVector t = x.fma(LOG2E, SHIFT);
        FloatVector n = t.sub(SHIFT);
        FloatVector r = n.fma(bc(-LN2_HI), x);
        r = n.fma(bc(-LN2_LO), r);
        FloatVector p = r.fma(P6, P5);
        p = p.fma(r, bc(P4));
        p = p.fma(r, bc(P3));
        p = p.fma(r, bc(P2));
        p = p.fma(r, bc(1f));
        p = p.fma(r, bc(1f));
        IntVector bits = t.reinterpretAsInts();
        FloatVector pow2 = bits.sub(SHIFT_BITS - 127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(pow2);
    }

    static FloatVector tanh(FloatVector x) {
        FloatVector e = exp(x.abs().mul(2f));
        FloatVector y = FloatVector.broadcast(S, 2f).div(e.add(1f)).neg().add(1f); // 1 - 2/(e+1) >= 0
        IntVector sign = x.reinterpretAsInts().and(SIGN_BIT);
        return (y.reinterpretAsInts()).or(sign).reinterpretAsFloats();
    }

    static FloatVector sigmoid(FloatVector x) {
        return FloatVector.broadcast(S, 1f).div(exp(x.neg()).add(1f));
    }

    static void tanh(int n, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        for (int upper = S.loopBound(n); i < upper; i += L) {
            tanh(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = (float) Math.tanh(x[xOff + i]);
        }
    }

    static void sigmoid(int n, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        for (int upper = S.loopBound(n); i < upper; i += L) {
            sigmoid(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = (float) (1.0 / (1.0 + Math.exp(-(double) x[xOff + i])));
        }
    }
}
