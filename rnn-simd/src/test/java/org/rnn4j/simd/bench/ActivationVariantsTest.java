package org.rnn4j.simd.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.simd.Activation;
import org.rnn4j.simd.KernelsContract;
import org.rnn4j.simd.TestSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alternative vector formulations in {@link ActivationVariants} (they exist only where the
 * vector kernels can run): tanh and sigmoid within {@link Activation#VECTOR_MAX_ABS_ERROR}, exp
 * within 1e-6 relative error on [-80, 80]. The max errors seen are logged.
 */
class ActivationVariantsTest {
    private static final Logger LOG = LoggerFactory.getLogger(ActivationVariantsTest.class);

    /** A variant's entry point. */
    @FunctionalInterface
    interface Variant {
        void apply(int n, float[] x, int xOff, float[] y, int yOff);
    }

    @BeforeEach
    void needsVector() {
        TestSupport.vectorOrSkip();
    }

    static Stream<Arguments> boundedVariants() {
        return Stream.of(
                Arguments.of("tanhLanewise", (Variant) ActivationVariants::tanhLanewise,
                        (DoubleUnaryOperator) Math::tanh),
                Arguments.of("sigmoidLanewise", (Variant) ActivationVariants::sigmoidLanewise,
                        (DoubleUnaryOperator) x -> 1.0 / (1.0 + Math.exp(-x))));
    }

    static Stream<Arguments> expVariants() {
        return Stream.of(
                Arguments.of("expPolynomial", (Variant) ActivationVariants::expPolynomial),
                Arguments.of("expLanewise", (Variant) ActivationVariants::expLanewise));
    }

    /** Dense grid over [-20, 20] (step 1e-4) and the extremes, absolute error ≤ VECTOR_MAX_ABS_ERROR. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("boundedVariants")
    void tanhAndSigmoidVariantsAreAccurate(String name, Variant v, DoubleUnaryOperator exact) {
        int n = 400_001;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (-20 + i * 1e-4);
        }
        float[] y = new float[n];
        v.apply(n, x, 0, y, 0);
        double maxErr = maxAbsError(x, y, exact);
        float[] e = KernelsContract.EXTREMES;
        for (int shift = 0; shift <= 16; shift++) {
            float[] xs = new float[shift + e.length];
            System.arraycopy(e, 0, xs, shift, e.length);
            float[] ys = new float[e.length];
            v.apply(e.length, xs, shift, ys, 0);
            maxErr = Math.max(maxErr, maxAbsError(e, ys, exact));
        }
        String report = name + ": max abs error " + maxErr + " (bound " + Activation.VECTOR_MAX_ABS_ERROR + ")";
        LOG.info("ActivationVariants {}", report);
        assertTrue(maxErr <= Activation.VECTOR_MAX_ABS_ERROR, report);
    }

    private static double maxAbsError(float[] x, float[] y, DoubleUnaryOperator exact) {
        double max = 0;
        for (int i = 0; i < x.length; i++) {
            double err = Math.abs(y[i] - exact.applyAsDouble(x[i]));
            if (Double.isNaN(err)) {
                return Double.POSITIVE_INFINITY;
            }
            max = Math.max(max, err);
        }
        return max;
    }

    /** exp on [-80, 80] (step 1e-3, 160 001 points): relative error ≤ 1e-6. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("expVariants")
    void expVariantsAreAccurate(String name, Variant v) {
        int n = 160_001;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (-80 + i * 1e-3);
        }
        float[] y = new float[n + 3];
        v.apply(n, x, 0, y, 3);
        double maxRel = 0;
        float worst = 0;
        for (int i = 0; i < n; i++) {
            double exact = Math.exp(x[i]);
            double rel = Math.abs(y[i + 3] - exact) / exact;
            if (!(rel <= maxRel)) {
                maxRel = rel;
                worst = x[i];
            }
        }
        String report = name + ": max relative error " + maxRel + " at x = " + worst + " on [-80, 80]";
        LOG.info("ActivationVariants {}", report);
        assertTrue(maxRel <= 1e-6, report);
    }

    /** Awkward lengths and offsets: the scalar tails agree with the vector bodies' accuracy and nothing outside is written. */
    @ParameterizedTest(name = "{0}")
    @MethodSource({"boundedVariants"})
    void awkwardLengthsAndOffsets(String name, Variant v, DoubleUnaryOperator exact) {
        for (int n : KernelsContract.ACTIVATION_LENGTHS) {
            float[] data = KernelsContract.activationInputs(n, 31 + n);
            float[] x = TestSupport.filled(n + 5, TestSupport.SENTINEL);
            System.arraycopy(data, 0, x, 3, n);
            float[] y = TestSupport.filled(n + 3, TestSupport.SENTINEL);
            v.apply(n, x, 3, y, 1);
            TestSupport.assertOutsideUntouched(name + " n=" + n, y, 1, n, 1, n);
            for (int i = 0; i < n; i++) {
                KernelsContract.assertClose(name + " n=" + n + " x=" + data[i], exact.applyAsDouble(data[i]), y[1 + i],
                        Activation.VECTOR_MAX_ABS_ERROR);
            }
            // in place
            v.apply(n, x, 3, x, 3);
            assertTrue(java.util.Arrays.equals(KernelsContract.slice(y, 1, n), KernelsContract.slice(x, 3, n)), name + " in place n=" + n);
        }
    }

    @Test
    void argumentsAreChecked() {
        float[] x = new float[4];
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> ActivationVariants.expPolynomial(5, x, 0, new float[8], 0));
        assertTrue(TestSupport.mentions(e.getMessage(), "x"), e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> ActivationVariants.tanhLanewise(4, x, 0, new float[8], 5));
        assertTrue(TestSupport.mentions(e.getMessage(), "y"), e.getMessage());
        assertThrows(NullPointerException.class, () -> ActivationVariants.sigmoidLanewise(4, null, 0, x, 0));
        assertThrows(IllegalArgumentException.class, () -> ActivationVariants.expLanewise(-1, x, 0, x, 0));
        float[] nan = {Float.NaN, 1f, Float.NaN, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, Float.NaN};
        float[] out = new float[nan.length];
        ActivationVariants.expPolynomial(nan.length, nan, 0, out, 0);
        assertTrue(Float.isNaN(out[0]) && Float.isNaN(out[2]) && Float.isNaN(out[17]), java.util.Arrays.toString(out));
        assertEquals(1f, out[3]);
    }
}
