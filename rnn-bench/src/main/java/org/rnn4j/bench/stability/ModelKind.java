package org.rnn4j.bench.stability;

import org.rnn4j.api.CellKind;
import org.rnn4j.api.Clipping;
import org.rnn4j.api.Initializer;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.Nonlinearity;
import org.rnn4j.api.OutputHead;

/**
 * The four models of the adding-problem experiments (E2, E5): what differs between them is the
 * whole point of the comparison — activation, W_hh initialisation, gating and clipping — so each
 * is one constant that builds its spec and its clipping.
 */
public enum ModelKind {
    /** tanh RNN, PyTorch's default uniform initialisation, no clipping. */
    TANH("tanh RNN"),
    /** The same with global-norm clipping at 1 (Pascanu et al. 2013). */
    TANH_CLIPPED("tanh RNN + clip 1"),
    /** ReLU RNN with W_hh = identity (Le et al. 2015), clipping at 1. */
    IRNN("IRNN"),
    /** LSTM, uniform initialisation with forget-gate bias 1, clipping at 1. */
    LSTM("LSTM");

    private final String label;

    ModelKind(String label) {
        this.label = label;
    }

    /** The name used in charts and tables. */
    public String label() {
        return label;
    }

    /** The spec of this model for the adding problem (2 inputs, 1 linear output). */
    public ModelSpec spec(int hidden, long seed) {
        ModelSpec.Builder b = ModelSpec.builder(2, hidden, 1).head(OutputHead.LINEAR).seed(seed);
        return switch (this) {
            case TANH, TANH_CLIPPED -> b.cell(CellKind.RNN).activation(Nonlinearity.TANH)
                    .init(Initializer.pytorchDefault()).build();
            case IRNN -> b.cell(CellKind.RNN).activation(Nonlinearity.RELU)
                    .init(Initializer.of(Initializer.Kind.IDENTITY)).build();
            case LSTM -> b.cell(CellKind.LSTM).init(Initializer.of(Initializer.Kind.UNIFORM)).build();
        };
    }

    /** Global-norm clipping at {@code maxNorm} for every model except the unclipped tanh RNN. */
    public Clipping clipping(double maxNorm) {
        return this == TANH ? Clipping.none() : Clipping.globalNorm(maxNorm);
    }

    /** Gate blocks of W_h: 4 for the LSTM, 1 otherwise. */
    public int gates() {
        return this == LSTM ? 4 : 1;
    }
}
