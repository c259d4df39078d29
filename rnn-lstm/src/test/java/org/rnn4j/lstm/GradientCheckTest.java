package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.Nonlinearity;
import org.rnn4j.api.OutputHead;
import org.rnn4j.api.Parameter;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.Targets;
import org.rnn4j.simd.KernelProvider;

/**
 * BPTT gradients against central finite differences of the loss, for every parameter of every
 * cell kind, activation, loss, mask and layer count, on small odd shapes.
 *
 * <p>The model computes in float (the loss is summed in double), so differences use a step of
 * {@value #EPS} on the scalar (most accurate) kernels and a documented float tolerance:
 * |fd − bptt| ≤ {@value #ATOL} + {@value #RTOL}·|fd|. A wrong term in BPTT (a missing
 * derivative factor, a gate swapped, a mask ignored) is off by far more than that.
 */
class GradientCheckTest {
    private static final float EPS = 2e-3f;
    private static final double ATOL = 2e-3;
    private static final double RTOL = 2e-2;
    private static final int CHECKS_PER_PARAMETER = 12;

    enum Loss { CE_ALL, CE_LAST, MSE_ALL, MSE_LAST }

    static Stream<Arguments> configs() {
        List<Arguments> a = new ArrayList<>();
        for (Nonlinearity act : Nonlinearity.values()) {
            a.add(Arguments.of(CellKind.RNN, act, 1, Loss.CE_ALL, false));
        }
        a.add(Arguments.of(CellKind.RNN, Nonlinearity.TANH, 2, Loss.CE_LAST, true));
        a.add(Arguments.of(CellKind.RNN, Nonlinearity.TANH, 1, Loss.MSE_ALL, true));
        a.add(Arguments.of(CellKind.RNN, Nonlinearity.RELU, 2, Loss.MSE_LAST, false));
        for (CellKind cell : new CellKind[] {CellKind.LSTM, CellKind.LSTM_NO_FORGET, CellKind.GRU, CellKind.GRU_2014}) {
            a.add(Arguments.of(cell, Nonlinearity.TANH, 1, Loss.CE_ALL, false));
            a.add(Arguments.of(cell, Nonlinearity.TANH, 2, Loss.CE_ALL, true));
            a.add(Arguments.of(cell, Nonlinearity.TANH, 1, Loss.CE_LAST, true));
            a.add(Arguments.of(cell, Nonlinearity.TANH, 2, Loss.MSE_ALL, false));
            a.add(Arguments.of(cell, Nonlinearity.TANH, 1, Loss.MSE_LAST, true));
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0} {1} layers={2} {3} masked={4}")
    @MethodSource("configs")
    void bpttMatchesFiniteDifferences(CellKind cell, Nonlinearity act, int layers, Loss loss, boolean masked) {
        int d = 3, n = 5, o = 3, m = 3, steps = 7;
        boolean classes = loss == Loss.CE_ALL || loss == Loss.CE_LAST;
        ModelSpec spec = ModelSpec.builder(d, n, o).cell(cell).activation(act).layers(layers)
                .head(classes ? OutputHead.SOFTMAX : OutputHead.LINEAR).seed(7).build();
        RecurrentModel model = Models.create(spec, KernelProvider.scalar());
        SplittableRandom rnd = new SplittableRandom(11);
        float[] x = new float[steps * m * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        boolean lastStep = loss == Loss.CE_LAST || loss == Loss.MSE_LAST;
        int targetsCount = lastStep ? m : steps * m;
        Targets targets;
        if (classes) {
            int[] y = new int[targetsCount];
            for (int i = 0; i < y.length; i++) {
                y[i] = rnd.nextInt(o);
            }
            targets = lastStep ? Targets.classesAtLastStep(y) : Targets.classesEveryStep(y);
        } else {
            float[] y = new float[targetsCount * o];
            for (int i = 0; i < y.length; i++) {
                y[i] = (float) rnd.nextGaussian();
            }
            targets = lastStep ? Targets.realsAtLastStep(y, o) : Targets.realsEveryStep(y, o);
        }
        SequenceBatch batch = SequenceBatch.of(steps, m, d, x, targets);
        if (masked) {
            batch = batch.withLengths(new int[] {steps, 2, 5});
        }
        // A random initial state, so that ∂L/∂h0 is exercised too.
        float[] h0 = new float[layers * m * n];
        float[] c0 = new float[layers * m * n];
        for (int i = 0; i < h0.length; i++) {
            h0[i] = (float) (0.5 * rnd.nextGaussian());
            c0[i] = (float) (0.5 * rnd.nextGaussian());
        }
        model.setInitialState(h0, c0);

        model.forwardBackward(batch);
        List<String> failures = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            float[] g = p.gradient().clone();
            for (int c = 0; c < Math.min(CHECKS_PER_PARAMETER, p.size()); c++) {
                int i = c == 0 ? 0 : rnd.nextInt(p.size());
                float saved = p.value()[i];
                p.value()[i] = saved + EPS;
                double up = model.forward(batch, null);
                p.value()[i] = saved - EPS;
                double down = model.forward(batch, null);
                p.value()[i] = saved;
                check(failures, p.name() + "[" + i + "]", (up - down) / (2 * EPS), g[i]);
            }
        }
        // ∂L/∂x and ∂L/∂h0 through the same check.
        model.forwardBackward(batch);
        float[] dx = new float[x.length];
        model.copyInputGradient(dx);
        float[] dh0 = new float[h0.length];
        model.copyInitialStateGradient(dh0, null);
        for (int c = 0; c < CHECKS_PER_PARAMETER; c++) {
            int i = rnd.nextInt(x.length);
            float saved = x[i];
            x[i] = saved + EPS;
            double up = model.forward(batch, null);
            x[i] = saved - EPS;
            double down = model.forward(batch, null);
            x[i] = saved;
            check(failures, "input[" + i + "]", (up - down) / (2 * EPS), dx[i]);
        }
        for (int c = 0; c < CHECKS_PER_PARAMETER; c++) {
            int i = rnd.nextInt(h0.length);
            float[] h = h0.clone();
            h[i] += EPS;
            model.setInitialState(h, c0);
            double up = model.forward(batch, null);
            h[i] -= 2 * EPS;
            model.setInitialState(h, c0);
            double down = model.forward(batch, null);
            check(failures, "h0[" + i + "]", (up - down) / (2 * EPS), dh0[i]);
        }
        assertTrue(failures.isEmpty(), () -> failures.size() + " mismatches:\n" + String.join("\n", failures));
    }

    private static void check(List<String> failures, String what, double fd, double bptt) {
        if (!(Math.abs(fd - bptt) <= ATOL + RTOL * Math.abs(fd))) {
            failures.add(what + ": finite difference " + fd + ", BPTT " + bptt);
        }
    }
}
