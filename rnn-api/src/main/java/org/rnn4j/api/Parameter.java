package org.rnn4j.api;

/**
 * One named weight matrix or bias vector of a model, with its gradient. Values are row-major
 * {@code rows × cols} (a bias is {@code 1 × cols}); the arrays are the model's own, so reading is
 * free and writing changes the model (an optimizer does exactly that).
 *
 * <p>Names follow the seed's notation per layer l: {@code layer{l}.W_x} (input → gates,
 * d_l × G·n), {@code layer{l}.W_h} (hidden → gates, n × G·n), {@code layer{l}.b} (G·n), and the
 * head {@code W_y} (n × o), {@code b_y} (o). Gate blocks of G·n columns are in PyTorch order
 * (LSTM i, f, g, o).
 *
 * @param name     the parameter's name
 * @param rows     row count
 * @param cols     column count
 * @param value    the values, {@code rows·cols}
 * @param gradient ∂L/∂value of the last backward pass, same layout
 */
public record Parameter(String name, int rows, int cols, float[] value, float[] gradient) {

    public Parameter {
        // long product and sign check: in int, (−1)·(−1) = 1 and 65536·65536 = 0 would match some arrays
        long size = (long) rows * cols;
        if (rows < 0 || cols < 0 || value.length != size || gradient.length != size) {
            throw new IllegalArgumentException("parameter " + name + ": arrays must hold " + rows + "x" + cols);
        }
    }

    /** Number of scalars. */
    public int size() {
        return value.length;
    }
}
