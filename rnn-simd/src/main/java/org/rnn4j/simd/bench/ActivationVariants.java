package org.rnn4j.simd.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.rnn4j.simd.Activation;
import org.rnn4j.simd.internal.Checks;
import org.rnn4j.simd.internal.VectorMath;

/**
 * The alternative vector formulations of tanh and sigmoid that the kernels do not use, kept so
 * that benchmarks and tests can compare them with the one that {@link org.rnn4j.simd.Kernels#activate} uses
 * (exp-based, see {@code VectorMath}). Requires the vector kernels to be available.
 */
public final class ActivationVariants {
    // the vector kernels' species (VectorKernels.S), so the comparison is at the same width
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private ActivationVariants() {}

    /** {@code y = tanh(x)} with the Vector API's own {@code lanewise(TANH)}. */
    public static void tanhLanewise(int n, float[] x, int xOff, float[] y, int yOff) {
        Checks.activation(Activation.TANH, n, x, xOff, y, yOff);
        int i = 0;
        for (int upper = S.loopBound(n); i < upper; i += L) {
            FloatVector.fromArray(S, x, xOff + i).lanewise(VectorOperators.TANH).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = (float) Math.tanh(x[xOff + i]);
        }
    }

    /** {@code y = 1 / (1 + e^-x)} with the Vector API's own {@code lanewise(EXP)}. */
    public static void sigmoidLanewise(int n, float[] x, int xOff, float[] y, int yOff) {
        Checks.activation(Activation.SIGMOID, n, x, xOff, y, yOff);
        int i = 0;
        for (int upper = S.loopBound(n); i < upper; i += L) {
            FloatVector e = FloatVector.fromArray(S, x, xOff + i).neg().lanewise(VectorOperators.EXP);
            FloatVector.broadcast(S, 1f).div(e.add(1f)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = (float) (1.0 / (1.0 + Math.exp(-(double) x[xOff + i])));
        }
    }

    /** {@code y = exp(x)} with the kernels' own polynomial exp (the building block of both). */
    public static void expPolynomial(int n, float[] x, int xOff, float[] y, int yOff) {
        Checks.activation(Activation.IDENTITY, n, x, xOff, y, yOff);
        VectorMath.apply(VectorMath.EXP, n, x, xOff, 0f, y, yOff);
    }

    /** {@code y = exp(x)} with the Vector API's own {@code lanewise(EXP)}. */
    public static void expLanewise(int n, float[] x, int xOff, float[] y, int yOff) {
        Checks.activation(Activation.IDENTITY, n, x, xOff, y, yOff);
        int i = 0;
        for (int upper = S.loopBound(n); i < upper; i += L) {
            FloatVector.fromArray(S, x, xOff + i).lanewise(VectorOperators.EXP).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = (float) Math.exp(x[xOff + i]);
        }
    }
}
