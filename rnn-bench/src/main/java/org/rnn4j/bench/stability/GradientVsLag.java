package org.rnn4j.bench.stability;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.Initializer;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.Nonlinearity;
import org.rnn4j.api.OutputHead;
import org.rnn4j.api.RecurrentGradient;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.diagnostics.ErrorSignal;
import org.rnn4j.api.diagnostics.GradientDiagnostics;
import org.rnn4j.api.diagnostics.JacobianProfile;
import org.rnn4j.lstm.Diagnostics;
import org.rnn4j.lstm.Models;
import org.rnn4j.lstm.tasks.AddingProblem;
import org.rnn4j.simd.KernelProvider;

/**
 * E1, the derivation's central claim measured at initialisation: how ‖∂h_T/∂h_k‖₂ and the error
 * signal ‖∂L_T/∂h_k‖ / ‖∂L_T/∂h_T‖ fall (or grow) with the lag T − k, beside the bounds
 * (γ_W γ_h)^(T−k) and ∏ max|φ'_j|·σ_max(W_hh), for the cells the derivation compares: tanh RNNs
 * with W_hh orthogonal scaled to ρ ∈ {0.5, 0.9, 1.0, 1.1, 1.5} (orthogonal, so that σ_max = ρ and
 * the uniform bound is ρ^(T−k)) and with PyTorch's default initialisation, a sigmoid RNN
 * (orthogonal, ρ = 1: γ_h = 1/4), the IRNN (ReLU, W_hh = I), the LSTM with forget-gate bias 0
 * (PyTorch) and 1, and the 1997 LSTM with the exact and with the truncated gradient. Inputs are
 * adding-problem sequences (Le et al. 2015 form), the loss the squared error at the last step.
 *
 * <p>Values are geometric means over the batch's sequences (means of log10). For the truncated
 * 1997 LSTM, whose error reaches the past only through C, the error column is
 * ‖∂L_T/∂C_k‖ / ‖∂L_T/∂h_T‖ (with h_k held, ∂L_T/∂C_T = 0: lag 0 is −∞); for every other cell
 * it is ‖∂L_T/∂h_k‖ / ‖∂L_T/∂h_T‖.
 */
final class GradientVsLag {
    /**
     * Power iteration stops at 1e-4 relative (4e-5 in log10), far below what a chart spanning
     * tens of decades shows; an estimate that stops early is below σ_max, so a bound still holds.
     */
    static final double TOLERANCE = 1e-4;
    static final int MAX_ITERATIONS = 50;

    private GradientVsLag() {}

    /** One configuration: a label and its spec for the adding problem. */
    record Config(String label, ModelSpec spec) {}

    static List<Config> configs(int hidden, long seed) {
        List<Config> out = new ArrayList<>();
        out.add(new Config("tanh RNN, PyTorch init", rnn(hidden, seed, Nonlinearity.TANH, Initializer.pytorchDefault())));
        for (double rho : new double[] {0.5, 0.9, 1.0, 1.1, 1.5}) {
            out.add(new Config("tanh RNN, ρ = " + rho, rnn(hidden, seed, Nonlinearity.TANH,
                    Initializer.of(Initializer.Kind.ORTHOGONAL).withSpectralRadius(rho))));
        }
        out.add(new Config("sigmoid RNN, ρ = 1", rnn(hidden, seed, Nonlinearity.SIGMOID,
                Initializer.of(Initializer.Kind.ORTHOGONAL).withSpectralRadius(1))));
        out.add(new Config("IRNN (ReLU, W_hh = I)", rnn(hidden, seed, Nonlinearity.RELU, Initializer.of(Initializer.Kind.IDENTITY))));
        out.add(new Config("LSTM, forget bias 0", lstm(hidden, seed, CellKind.LSTM, Initializer.pytorchDefault(), RecurrentGradient.EXACT)));
        out.add(new Config("LSTM, forget bias 1", lstm(hidden, seed, CellKind.LSTM,
                Initializer.pytorchDefault().withForgetBias(1), RecurrentGradient.EXACT)));
        out.add(new Config("1997 LSTM", lstm(hidden, seed, CellKind.LSTM_NO_FORGET, Initializer.pytorchDefault(), RecurrentGradient.EXACT)));
        out.add(new Config("1997 LSTM, truncated gradient (error via C)", lstm(hidden, seed, CellKind.LSTM_NO_FORGET,
                Initializer.pytorchDefault(), RecurrentGradient.TRUNCATED_1997)));
        return out;
    }

    private static ModelSpec rnn(int hidden, long seed, Nonlinearity phi, Initializer init) {
        return ModelSpec.builder(2, hidden, 1).head(OutputHead.LINEAR).cell(CellKind.RNN).activation(phi).init(init)
                .seed(seed).build();
    }

    private static ModelSpec lstm(int hidden, long seed, CellKind kind, Initializer init, RecurrentGradient gradient) {
        return ModelSpec.builder(2, hidden, 1).head(OutputHead.LINEAR).cell(kind).init(init).gradient(gradient)
                .seed(seed).build();
    }

    /**
     * E1 for every configuration, on two threads.
     *
     * @param steps     T
     * @param hidden    n
     * @param sequences how many sequences the means are over
     */
    static E1Result run(int steps, int hidden, int sequences, long seed, ProgressSink progress) {
        List<Config> configs = configs(hidden, seed);
        SequenceBatch batch = new AddingProblem(steps).batch(sequences, seed);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<LagCurve>> futures = new ArrayList<>();
            for (Config c : configs) {
                futures.add(pool.submit(() -> {
                    LagCurve curve = curve(c, batch);
                    progress.advance(1, "E1: " + c.label());
                    return curve;
                }));
            }
            List<LagCurve> curves = new ArrayList<>();
            for (Future<LagCurve> f : futures) {
                curves.add(f.get());
            }
            return new E1Result(steps, hidden, List.copyOf(curves));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("E1 interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("E1 failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** The curve of one configuration: every array indexed by lag d = 0 … T − 1 (k = T − d). */
    static LagCurve curve(Config c, SequenceBatch batch) {
        RecurrentModel model = Models.create(c.spec(), KernelProvider.get());
        GradientDiagnostics d = Diagnostics.of(model, batch, TOLERANCE, MAX_ITERATIONS);
        int t = batch.steps();
        JacobianProfile p = d.jacobianNorms(0, t);
        boolean viaCell = c.spec().gradient() == RecurrentGradient.TRUNCATED_1997;
        double[] error = new double[t];
        for (int b = 0; b < batch.batchSize(); b++) {
            ErrorSignal e = d.errorSignal(0, b, t);
            double[] v = viaCell ? e.cell() : e.hidden();
            for (int lag = 0; lag < t; lag++) {
                error[lag] += (v[t - lag] - e.hidden()[t]) / batch.batchSize();
            }
        }
        double[] norm = new double[t];
        double[] uniform = new double[t];
        double[] trajectory = new double[t];
        for (int lag = 0; lag < t; lag++) {
            norm[lag] = p.norm()[t - lag];
            uniform[lag] = p.uniformBound()[t - lag];
            trajectory[lag] = p.trajectoryBound()[t - lag];
        }
        return new LagCurve(c.label(), norm, error, uniform, trajectory);
    }
}
