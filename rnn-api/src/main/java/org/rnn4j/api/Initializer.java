package org.rnn4j.api;

/**
 * How the weights of a new model are drawn. Biases start at zero except the LSTM forget gate,
 * which starts at {@link #forgetBias()}; the output head always uses the PyTorch default.
 *
 * @param kind           the distribution of the recurrent and input weights
 * @param spectralRadius if positive, W_hh (each gate's block) is rescaled afterwards so that its
 *                       spectral radius (largest |eigenvalue|) is this value; 0 keeps it as drawn
 * @param forgetBias     initial bias of the LSTM forget gate (ignored by other cells); 1 is a
 *                       common choice (Jozefowicz et al. 2015), 0 matches PyTorch
 */
public record Initializer(Kind kind, double spectralRadius, float forgetBias) {

    /** The weight distributions. */
    public enum Kind {
        /** U(−1/√n, 1/√n) for every weight and bias, n = hidden size (PyTorch's default). */
        UNIFORM,
        /** Glorot/Xavier uniform: U(±√(6/(fan_in + fan_out))) per gate block. */
        XAVIER,
        /** W_hh orthogonal (per gate block, QR of a Gaussian matrix); W_xh Xavier. */
        ORTHOGONAL,
        /** W_hh = identity (IRNN, Le et al. 2015, with ReLU); W_xh Xavier. */
        IDENTITY
    }

    public Initializer {
        if (kind == null) {
            throw new IllegalArgumentException("initializer kind is null");
        }
        if (!(spectralRadius >= 0) || Double.isInfinite(spectralRadius)) {
            throw new IllegalArgumentException("spectralRadius must be finite and >= 0 (0 = keep), got "
                    + spectralRadius);
        }
        if (!Float.isFinite(forgetBias)) {
            throw new IllegalArgumentException("forgetBias must be finite, got " + forgetBias);
        }
    }

    /** PyTorch's default: uniform ±1/√n, no rescaling, forget bias 0 (as PyTorch). */
    public static Initializer pytorchDefault() {
        return new Initializer(Kind.UNIFORM, 0, 0f);
    }

    /** {@code kind} with no rescaling and forget bias 1. */
    public static Initializer of(Kind kind) {
        return new Initializer(kind, 0, 1f);
    }

    /** The same initializer, then rescaled so that W_hh has spectral radius {@code radius}. */
    public Initializer withSpectralRadius(double radius) {
        return new Initializer(kind, radius, forgetBias);
    }

    /** The same initializer with another LSTM forget-gate bias. */
    public Initializer withForgetBias(float bias) {
        return new Initializer(kind, spectralRadius, bias);
    }
}
