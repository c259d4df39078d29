package org.rnn4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rnn4j.api.ApiAsserts.rejects;

import org.junit.jupiter.api.Test;

/** The argument checks and factories of {@link Initializer}. */
class InitializerTest {

    @Test
    void kindMustBeGiven() {
        rejects(() -> new Initializer(null, 0, 0f), "initializer kind is null");
        rejects(() -> Initializer.of(null), "kind is null");
    }

    @Test
    void spectralRadiusMustBeFiniteAndNonNegative() {
        for (double v : new double[] {-1, -1e-300, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            rejects(() -> new Initializer(Initializer.Kind.XAVIER, v, 1f), "spectralRadius must be finite and >= 0",
                    "got " + v);
            rejects(() -> Initializer.pytorchDefault().withSpectralRadius(v), "spectralRadius", "got " + v);
        }
        assertEquals(0, new Initializer(Initializer.Kind.XAVIER, 0, 1f).spectralRadius());
        assertEquals(1.1, Initializer.of(Initializer.Kind.ORTHOGONAL).withSpectralRadius(1.1).spectralRadius());
    }

    @Test
    void forgetBiasMustBeFinite() {
        for (float v : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            rejects(() -> new Initializer(Initializer.Kind.UNIFORM, 0, v), "forgetBias must be finite", "got " + v);
            rejects(() -> Initializer.pytorchDefault().withForgetBias(v), "forgetBias", "got " + v);
        }
        assertEquals(-3.5f, Initializer.pytorchDefault().withForgetBias(-3.5f).forgetBias());
        assertEquals(Float.MAX_VALUE, Initializer.pytorchDefault().withForgetBias(Float.MAX_VALUE).forgetBias());
    }

    @Test
    void factoriesAndWithers() {
        assertEquals(new Initializer(Initializer.Kind.UNIFORM, 0, 0f), Initializer.pytorchDefault());
        for (Initializer.Kind k : Initializer.Kind.values()) {
            assertEquals(new Initializer(k, 0, 1f), Initializer.of(k));
        }
        Initializer i = Initializer.of(Initializer.Kind.IDENTITY).withSpectralRadius(0.9).withForgetBias(2f);
        assertEquals(new Initializer(Initializer.Kind.IDENTITY, 0.9, 2f), i);
    }
}
