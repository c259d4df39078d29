package org.rnn4j.simd;

/**
 * Element-wise activation functions with derivatives expressible from the output.
 *
 * <p>Accuracy: the scalar kernels compute {@code (float) Math.tanh}, {@code 1 / (1 + Math.exp(-x))}
 * in double and round once. The vector kernels use an exp-based form (Cody–Waite range reduction
 * and a degree-6 polynomial for {@code exp}); their documented and tested bound is an absolute
 * error of at most {@link #VECTOR_MAX_ABS_ERROR} against the exact function for every finite
 * float input (tested densely on [-20, 20] and at the extremes). ReLU and identity are exact.
 */
public enum Activation {
    /** {@code y = x}; {@code f' = 1}. */
    IDENTITY,
    /** {@code y = tanh(x)}; {@code f' = 1 - y²}. */
    TANH,
    /** {@code y = 1 / (1 + e^-x)}; {@code f' = y (1 - y)}. */
    SIGMOID,
    /** {@code y = max(0, x)}; {@code f' = y > 0 ? 1 : 0}. */
    RELU;

    /** Maximum absolute error of the vector kernels' tanh and sigmoid against the exact function. */
    public static final double VECTOR_MAX_ABS_ERROR = 1e-6;
}
