package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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
import org.rnn4j.api.diagnostics.CellStateProfile;
import org.rnn4j.api.diagnostics.ErrorSignal;
import org.rnn4j.api.diagnostics.GradientDiagnostics;
import org.rnn4j.api.diagnostics.JacobianProfile;
import org.rnn4j.api.diagnostics.LagGradients;
import org.rnn4j.api.diagnostics.Spectrum;
import org.rnn4j.api.diagnostics.WeightSpectrum;
import org.rnn4j.simd.KernelProvider;

/**
 * Every diagnostic against PyTorch autograd in float64 ({@code torch.autograd.functional.jacobian}
 * and {@code torch.linalg.matrix_norm(·, 2)}), from the fixtures that
 * {@code src/test/python/make_jacobian_fixtures.py} writes: one-step and product Jacobian norms,
 * the error signal of every loss term at every lag, the LSTM's ∂C_t/∂C_{t−1} and its products,
 * W_hh's eigenvalues and σ_max, and the per-lag parts of ∂L/∂W_h and ∂L/∂W_x.
 *
 * <p>Tolerance: the model runs in float from the same float weights and inputs as the fixture's
 * float64 run, so its trajectory differs by float rounding (≤ 1e-6 relative per step, tanh and
 * sigmoid of the vector kernels included), amplified along the products; a value must match to
 * {@value #RTOL} relative, or {@value #ATOL} of the largest value of its kind (for values near 0).
 */
class JacobianFixtureTest {
    private static final double RTOL = 2e-4;
    private static final double ATOL = 1e-6;
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> args = new ArrayList<>();
        for (JsonNode name : read("index.json")) {
            args.add(Arguments.of(name.asText()));
        }
        return args.stream();
    }

    private static JsonNode read(String file) throws IOException {
        try (InputStream in = JacobianFixtureTest.class.getResourceAsStream("/fixtures/jacobians/" + file)) {
            if (in == null) {
                throw new IOException("missing test resource fixtures/jacobians/" + file);
            }
            return JSON.readTree(in);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void diagnosticsMatchPyTorchAutograd(String file) throws IOException {
        JsonNode f = read(file);
        String cellName = f.get("cell").asText();
        CellKind kind = CellKind.valueOf(cellName);
        boolean linear = f.get("head").asText().equals("linear");
        Nonlinearity phi = kind == CellKind.RNN ? Nonlinearity.valueOf(f.get("nonlinearity").asText().toUpperCase()) : Nonlinearity.TANH;
        ModelSpec spec = ModelSpec.builder(f.get("input_size").asInt(), f.get("hidden_size").asInt(), f.get("output_size").asInt())
                .cell(kind).activation(phi).layers(f.get("layers").asInt())
                .head(linear ? OutputHead.LINEAR : OutputHead.SOFTMAX).build();
        RecurrentModel model = Models.create(spec, KernelProvider.get());
        for (Iterator<Map.Entry<String, JsonNode>> it = f.get("params").properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            float[] v = PyTorchFixtureTest.floats(e.getValue());
            Parameter p = model.parameter(e.getKey());
            assertEquals(p.size(), v.length, "size of " + e.getKey());
            System.arraycopy(v, 0, p.value(), 0, v.length);
        }
        if (!f.get("h0").isNull()) {
            model.setInitialState(PyTorchFixtureTest.floats(f.get("h0")),
                    f.get("c0").isNull() ? null : PyTorchFixtureTest.floats(f.get("c0")));
        }
        int steps = f.get("steps").asInt();
        int m = f.get("batch").asInt();
        int n = spec.hiddenSize();
        Targets targets = linear
                ? Targets.realsEveryStep(PyTorchFixtureTest.floats(f.get("targets")), spec.outputSize())
                : Targets.classesEveryStep(PyTorchFixtureTest.ints(f.get("targets")));
        SequenceBatch batch = SequenceBatch.of(steps, m, spec.inputSize(), PyTorchFixtureTest.floats(f.get("inputs")), targets);
        GradientDiagnostics d = Diagnostics.of(model, batch, 1e-10, 20_000);

        for (int l = 0; l < spec.layers(); l++) {
            JsonNode ref = f.get("diagnostics").get("layer" + l);
            String where = file + " layer " + l;
            for (int b = 0; b < m; b++) {
                JacobianProfile jp = d.jacobianNorms(l, b, steps);
                check(where + " ‖∂h_T/∂h_k‖ b=" + b, jp.norm(), row(ref.get("jacobian_norm"), b), 0);
                JsonNode stepRef = kind == CellKind.RNN ? ref.get("step_jacobian_norm") : ref.get("step_state_jacobian_norm");
                check(where + " one-step norms b=" + b, jp.stepNorm(), shifted(row(stepRef, b)), 1);
                for (int k = 0; k <= steps; k++) {
                    assertTrue(jp.norm()[k] <= jp.trajectoryBound()[k] + 1e-9, where + " trajectory bound at k=" + k);
                    if (kind == CellKind.RNN) {
                        assertTrue(jp.trajectoryBound()[k] <= jp.uniformBound()[k] + 1e-9, where + " bounds at k=" + k);
                    }
                }
                double[] es = ref.get("error_signal").get("data").isArray() ? doubles(ref.get("error_signal")) : null;
                double[] esc = kind == CellKind.RNN ? null : doubles(ref.get("error_signal_c"));
                for (int t = 1; t <= steps; t++) {
                    ErrorSignal e = d.errorSignal(l, b, t);
                    check(where + " ‖∂L_t/∂h_k‖ b=" + b + " t=" + t, e.hidden(), slice(es, (b * steps + t - 1) * (steps + 1), t + 1), 0);
                    if (esc != null) {
                        check(where + " ‖∂L_t/∂c_k‖ b=" + b + " t=" + t, e.cell(), slice(esc, (b * steps + t - 1) * (steps + 1), t + 1), 0);
                    }
                }
                if (kind != CellKind.RNN) {
                    CellStateProfile cs = d.cellState(l, b, steps);
                    check(where + " ‖D_t‖ b=" + b, cs.stepFull(), shifted(row(ref.get("dc_full_norm"), b)), 1);
                    check(where + " max f_t b=" + b, cs.stepForget(), shifted(row(ref.get("dc_forget_norm"), b)), 1);
                    check(where + " ‖D_T⋯D_{k+1}‖ b=" + b, cs.productFull(), row(ref.get("dc_product_norm"), b), 0);
                }
            }
            LagGradients lag = d.gradientByLag(l);
            check(where + " per-lag ∂L/∂W_h", lag.recurrent(), doubles(ref.get("per_lag_grad_wh_norm")), 0);
            check(where + " per-lag ∂L/∂W_x", lag.input(), doubles(ref.get("per_lag_grad_wx_norm")), 0);
            List<WeightSpectrum> ws = d.recurrentWeights(l);
            if (kind == CellKind.RNN) {
                assertEquals(1, ws.size());
                assertEquals(ref.get("w_hh_sigma_max").asDouble(), ws.get(0).sigmaMax(), 1e-6 * ref.get("w_hh_sigma_max").asDouble(), where);
                assertEquals(ref.get("w_hh_spectral_radius").asDouble(), ws.get(0).spectralRadius(), 1e-6, where);
                sameEigenvalues(where, ws.get(0).eigenvalues(), doubles(ref.get("w_hh_eigenvalues").get("re")),
                        doubles(ref.get("w_hh_eigenvalues").get("im")));
            }
        }
    }

    /** Every eigenvalue of the fixture has one of ours within 1e-5 (orders differ for equal moduli). */
    private static void sameEigenvalues(String where, Spectrum s, double[] re, double[] im) {
        assertEquals(re.length, s.size(), where + " eigenvalue count");
        boolean[] used = new boolean[re.length];
        for (int i = 0; i < re.length; i++) {
            int best = -1;
            double bestDist = Double.POSITIVE_INFINITY;
            for (int j = 0; j < re.length; j++) {
                double dist = Math.hypot(s.re()[j] - re[i], s.im()[j] - im[i]);
                if (!used[j] && dist < bestDist) {
                    bestDist = dist;
                    best = j;
                }
            }
            assertTrue(bestDist < 1e-5, where + " eigenvalue " + re[i] + " + " + im[i] + "i: nearest is " + bestDist + " away");
            used[best] = true;
        }
    }

    /** ours: log10 values from index {@code from}; ref: plain values (same index). */
    private static void check(String what, double[] ours, double[] ref, int from) {
        double scale = 0;
        for (int i = from; i < ref.length; i++) {
            scale = Math.max(scale, Math.abs(ref[i]));
        }
        for (int i = from; i < ref.length; i++) {
            double mine = Math.pow(10, ours[i]);
            double err = Math.abs(mine - ref[i]);
            assertTrue(err <= RTOL * ref[i] + ATOL * scale, what + " at index " + i + ": ours " + mine + " (log10 "
                    + ours[i] + "), PyTorch " + ref[i] + ", all: " + Arrays.toString(ref));
        }
    }

    private static double[] doubles(JsonNode tensor) {
        JsonNode data = tensor.has("data") ? tensor.get("data") : tensor;
        double[] a = new double[data.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = data.get(i).asDouble();
        }
        return a;
    }

    private static double[] row(JsonNode tensor, int b) {
        double[] all = doubles(tensor);
        int cols = tensor.get("shape").get(1).asInt();
        return Arrays.copyOfRange(all, b * cols, (b + 1) * cols);
    }

    private static double[] slice(double[] a, int from, int len) {
        return Arrays.copyOfRange(a, from, from + len);
    }

    /** Per-step values stored at [t − 1], moved to index t (index 0 unused). */
    private static double[] shifted(double[] a) {
        double[] out = new double[a.length + 1];
        System.arraycopy(a, 0, out, 1, a.length);
        return out;
    }
}
