package org.rnn4j.api.diagnostics;

/**
 * The eigenvalues of a real square matrix, λ_i = re[i] + i·im[i] (complex ones in conjugate
 * pairs), sorted by descending modulus. The derivation's argument: a change along eigenvector
 * v_i is scaled by λ_i per step, so |λ_1| decides whether a product of such steps vanishes or
 * explodes.
 */
public record Spectrum(double[] re, double[] im) {

    public Spectrum {
        if (re.length != im.length) {
            throw new IllegalArgumentException("re has " + re.length + " values, im has " + im.length);
        }
    }

    /** The number of eigenvalues. */
    public int size() {
        return re.length;
    }

    /** |λ_i|. */
    public double modulus(int i) {
        return Math.hypot(re[i], im[i]);
    }

    /** The spectral radius ρ = max |λ_i| (0 for an empty spectrum). */
    public double spectralRadius() {
        return re.length == 0 ? 0 : modulus(0);
    }
}
