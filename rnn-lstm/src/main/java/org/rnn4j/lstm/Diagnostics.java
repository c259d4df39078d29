package org.rnn4j.lstm;

import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.diagnostics.GradientDiagnostics;

/**
 * Measures what the BPTT derivation says about vanishing and exploding gradients on a model of
 * this module and a batch: {@code Diagnostics.of(model, batch)} runs a forward pass, keeps a copy
 * of its trajectory and weights, and answers {@link GradientDiagnostics} queries from it.
 *
 * <p>Cost (n hidden units, G gates, T steps, L layers; one sequence; all in double, matrix-free):
 * <ul>
 *   <li>taking the snapshot: one forward pass and a copy of its states and gates;</li>
 *   <li>{@code jacobianNorms(l, b, t)}: power iteration, each iteration two sweeps of t − k
 *       Jacobian-vector products of O(G·n²) for every k — O(I·t²·G·n²) with I the iterations per
 *       k (a few: each k starts from the previous k's singular vector), plus the one-step norms;</li>
 *   <li>{@code errorSignal(l, b, t)}: one BPTT sweep through the stack, O(t·L·G·n²);
 *       {@code gradientByLag}: one sweep per loss term, O(T²·L·G·n²), and T matrices of
 *       (n + d)·G·n doubles;</li>
 *   <li>{@code cellState}: as {@code jacobianNorms} with n × n maps;
 *       {@code stepJacobianSpectrum}: a dense (n or 2n)² Jacobian and its QR eigenvalues.</li>
 * </ul>
 * Nothing is computed, and nothing allocated, until asked: a model that is never given to
 * {@code Diagnostics} trains exactly as before.
 */
public final class Diagnostics {
    /**
     * Power iteration stops when σ changes by less than this relative amount (4e-5 in log10):
     * these values are read on log scales spanning tens of decades, and each halving of the
     * tolerance costs iterations (measured with {@code ./bench jmh StabilityBenchmark}: all lags
     * and one-step norms of one LSTM sequence, n = 128, T = 100, 3.1 s at 1e-4 against 5.3 s at
     * 1e-6; E1's curves came out equal to 1e-3 in log10 at both). Pass a tighter one
     * to {@link #of(RecurrentModel, SequenceBatch, double, int)} for more digits.
     */
    public static final double DEFAULT_TOLERANCE = 1e-4;
    /**
     * ... or after this many iterations per norm. One-step norms, which the trajectory bound
     * multiplies, use a 1000× tighter tolerance and 10× the iterations.
     */
    public static final int DEFAULT_MAX_ITERATIONS = 50;

    private Diagnostics() {}

    /**
     * Runs {@code model} forward on {@code batch} (from its initial state, as
     * {@link RecurrentModel#forward}) and returns the diagnostics of that pass.
     *
     * @throws IllegalArgumentException if the model is not one of this module's, or the batch is
     *                                  malformed for it
     * @throws org.rnn4j.api.NonFiniteException if the trajectory becomes non-finite, naming the step
     *         as the model's own passes do: the batch row, from 0 — so {@code step() = s} means
     *         h_{s+1} (made by step t = s + 1 in the diagnostics' h_0 … h_T indexing) is the first
     *         non-finite state
     */
    public static GradientDiagnostics of(RecurrentModel model, SequenceBatch batch) {
        return of(model, batch, DEFAULT_TOLERANCE, DEFAULT_MAX_ITERATIONS);
    }

    /**
     * As {@link #of(RecurrentModel, SequenceBatch)} with the power iteration's relative tolerance
     * and iteration limit per Jacobian-product norm.
     */
    public static GradientDiagnostics of(RecurrentModel model, SequenceBatch batch, double tolerance, int maxIterations) {
        if (!(model instanceof RecurrentNetwork net)) {
            throw new IllegalArgumentException("Diagnostics needs a model made by org.rnn4j.lstm.Models, got "
                    + (model == null ? "null" : model.getClass().getName()));
        }
        if (batch == null) {
            throw new IllegalArgumentException("batch is null");
        }
        if (!(tolerance > 0 && tolerance < 1)) {
            throw new IllegalArgumentException("tolerance must be in (0, 1), got " + tolerance);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
        }
        return new TrajectoryDiagnostics(net.trajectory(batch), tolerance, maxIterations);
    }
}
