package org.rnn4j.api;

/**
 * Everything that defines a recurrent model before training, like the constructor arguments of
 * PyTorch's {@code nn.RNN}/{@code nn.LSTM} plus an output layer. Build one with
 * {@link #builder(int, int, int)}.
 *
 * @param inputSize  d, features per time step
 * @param hiddenSize n, hidden units per layer
 * @param outputSize o, classes (softmax head) or outputs (linear head)
 * @param cell       the recurrent cell
 * @param activation φ_h of a vanilla RNN (ignored by gated cells, which use σ and tanh)
 * @param layers     stacked layers, ≥ 1; layer l > 0 reads layer l − 1's hidden states
 * @param head       softmax or linear output
 * @param init       weight initialisation
 * @param seed       seed of the initialisation; the same seed gives the same weights
 * @param gradient   the gradient BPTT computes: exact, or (LSTM cells only) the 1997 truncated one
 * @param dropout    p in [0, 1): PyTorch's {@code dropout} between stacked layers — in training
 *                   passes ({@code forwardBackward}) each element of a layer's output h_t that
 *                   feeds the layer above (not the last layer's) is zeroed with probability p and
 *                   the others scaled by 1/(1 − p); inference passes ({@code forward}) use none.
 *                   The masks follow from {@code seed} and the model's training-pass count alone
 *                   (see {@link RecurrentModel#trainingPasses()}): the same on any thread count
 * @param bidirectional PyTorch's {@code bidirectional=True}: each layer runs a second cell
 *                   (parameters {@code layer{l}.reverse.*}) backwards in time — for a sequence
 *                   with a length, from its own last step — and its output at step t is
 *                   [h_t forward, h_t reverse] (2n wide), what the layer above and the head
 *                   read; states come per layer and direction (index 2l + direction)
 */
public record ModelSpec(int inputSize, int hiddenSize, int outputSize, CellKind cell,
                        Nonlinearity activation, int layers, OutputHead head, Initializer init,
                        long seed, RecurrentGradient gradient, double dropout, boolean bidirectional) {

    public ModelSpec {
        positive("inputSize", inputSize);
        positive("hiddenSize", hiddenSize);
        positive("outputSize", outputSize);
        positive("layers", layers);
        if (cell == null || activation == null || head == null || init == null || gradient == null) {
            throw new IllegalArgumentException("cell, activation, head, init and gradient must not be null");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        if (gradient == RecurrentGradient.TRUNCATED_1997 && !cell.hasCellState()) {
            throw new IllegalArgumentException("the 1997 truncated gradient flows back through an LSTM's cell state;"
                    + " a " + cell + " cell has none (use RecurrentGradient.EXACT)");
        }
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + v);
        }
    }

    /** Gates per cell G: weight matrices have G·hiddenSize columns. */
    public int gates() {
        return cell.gates();
    }

    /** Input width of layer {@code l}: d for the first layer, n above it (2n when bidirectional). */
    public int layerInputSize(int l) {
        return l == 0 ? inputSize : directions() * hiddenSize;
    }

    /** Directions per layer: 2 when bidirectional, else 1. */
    public int directions() {
        return bidirectional ? 2 : 1;
    }

    /** The width of a layer's output h_t as the layer above and the head read it: n, or 2n when bidirectional. */
    public int layerOutputSize() {
        return directions() * hiddenSize;
    }

    /** A builder with defaults: LSTM, tanh, 1 layer, softmax head, PyTorch init, seed 42, exact gradient. */
    public static Builder builder(int inputSize, int hiddenSize, int outputSize) {
        return new Builder(inputSize, hiddenSize, outputSize);
    }

    /** Fluent construction of a {@link ModelSpec}. */
    public static final class Builder {
        private final int inputSize;
        private final int hiddenSize;
        private final int outputSize;
        private CellKind cell = CellKind.LSTM;
        private Nonlinearity activation = Nonlinearity.TANH;
        private int layers = 1;
        private OutputHead head = OutputHead.SOFTMAX;
        private Initializer init = Initializer.pytorchDefault();
        private long seed = 42;
        private RecurrentGradient gradient = RecurrentGradient.EXACT;
        private double dropout;
        private boolean bidirectional;

        private Builder(int inputSize, int hiddenSize, int outputSize) {
            this.inputSize = inputSize;
            this.hiddenSize = hiddenSize;
            this.outputSize = outputSize;
        }

        public Builder cell(CellKind v) { this.cell = v; return this; }
        public Builder activation(Nonlinearity v) { this.activation = v; return this; }
        public Builder layers(int v) { this.layers = v; return this; }
        public Builder head(OutputHead v) { this.head = v; return this; }
        public Builder init(Initializer v) { this.init = v; return this; }
        public Builder seed(long v) { this.seed = v; return this; }
        public Builder gradient(RecurrentGradient v) { this.gradient = v; return this; }
        /** PyTorch's {@code dropout} between stacked layers, training passes only (see {@link ModelSpec}). */
        public Builder dropout(double p) { this.dropout = p; return this; }
        /** PyTorch's {@code bidirectional} (see {@link ModelSpec}). */
        public Builder bidirectional(boolean v) { this.bidirectional = v; return this; }

        public ModelSpec build() {
            return new ModelSpec(inputSize, hiddenSize, outputSize, cell, activation, layers, head, init, seed, gradient,
                    dropout, bidirectional);
        }
    }
}
