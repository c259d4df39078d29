package org.rnn4j.api;

/** The hidden activation φ_h of a vanilla RNN ({@code nonlinearity} in PyTorch's {@code nn.RNN}). */
public enum Nonlinearity {
    /** tanh: γ_h = 1 in the gradient bound (γ_W γ_h)^(t−k). */
    TANH,
    /** The logistic sigmoid: γ_h = 1/4. */
    SIGMOID,
    /** max(0, x); with identity initialisation this is the IRNN of Le et al. 2015. */
    RELU
}
