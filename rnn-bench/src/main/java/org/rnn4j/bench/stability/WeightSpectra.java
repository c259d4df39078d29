package org.rnn4j.bench.stability;

import org.rnn4j.api.Parameter;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.lstm.LargestSingularValue;
import org.rnn4j.lstm.SpectralRadius;

/**
 * ρ and σ_max of layer 0's W_h, per gate block: W_h is n × G·n, block q is columns q·n..(q+1)·n
 * (LSTM: i, f, g, o), so each block is the n × n recurrence matrix of one gate.
 */
final class WeightSpectra {
    private WeightSpectra() {}

    /** ρ of every gate block of layer 0's W_h. */
    static double[] rho(RecurrentModel model) {
        Parameter w = model.parameter("layer0.W_h");
        int n = w.rows();
        int g = w.cols() / n;
        double[] out = new double[g];
        for (int q = 0; q < g; q++) {
            out[q] = SpectralRadius.of(w.value(), q * n, w.cols(), n);
        }
        return out;
    }

    /** σ_max of every gate block of layer 0's W_h. */
    static double[] sigmaMax(RecurrentModel model) {
        Parameter w = model.parameter("layer0.W_h");
        int n = w.rows();
        int g = w.cols() / n;
        double[] out = new double[g];
        for (int q = 0; q < g; q++) {
            out[q] = LargestSingularValue.exact(w.value(), q * n, w.cols(), n);
        }
        return out;
    }
}
