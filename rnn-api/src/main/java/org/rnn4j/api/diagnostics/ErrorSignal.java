package org.rnn4j.api.diagnostics;

/**
 * The error signal of one loss term going back in time: ‖∂L_t/∂h_k‖ for every k ≤ t, where L_t
 * is the loss of step t alone (with the model's 1/m batch factor). Through every path of the
 * model, layers above included, and with the gradient the model trains with (see
 * {@link org.rnn4j.api.RecurrentGradient}). Arrays are log10, indexed by k = 0 … t.
 *
 * @param layer    the layer whose states the derivative is taken at
 * @param sequence the sequence, or −1 for the batch (Frobenius norm over the sequences' rows)
 * @param t        the step of the loss term, 1 ≤ t ≤ T
 * @param hidden   log10 ‖∂L_t/∂h_k‖
 * @param cell     log10 ‖∂L_t/∂c_k‖ for cells with a cell state (c_k taken as a state variable
 *                 beside h_k), else null
 */
public record ErrorSignal(int layer, int sequence, int t, double[] hidden, double[] cell) {

    /** log10 (‖∂L_t/∂h_k‖ / ‖∂L_t/∂h_t‖) at lag d = t − k: how much of the signal is left. */
    public double ratioAtLag(int d) {
        return hidden[t - d] - hidden[t];
    }
}
