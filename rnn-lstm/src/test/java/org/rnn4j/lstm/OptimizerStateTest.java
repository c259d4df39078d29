package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.api.Optimizer;
import org.rnn4j.api.Parameter;

/**
 * {@link OptimizerState} against an independent double-precision re-implementation of PyTorch's
 * formulas, and against trajectories recorded from {@code torch.optim} (fixture
 * {@code fixtures/optimizers.txt}, written by {@code src/test/python/make_optimizer_fixtures.py}).
 */
class OptimizerStateTest {
    private static final int[] SIZES = {1, 3, 7, 13, 33};

    static Stream<Optimizer> optimizers() {
        return Stream.of(
                new Optimizer.Sgd(0.1),
                new Optimizer.Sgd(1.7),
                new Optimizer.Momentum(0.05, 0.9, false),
                new Optimizer.Momentum(0.05, 0.9, true),
                new Optimizer.Momentum(0.2, 0.0, true),
                new Optimizer.Momentum(0.01, 0.99, false),
                new Optimizer.RmsProp(0.01, 0.99, 1e-8),
                new Optimizer.RmsProp(0.003, 0.5, 1e-3),
                new Optimizer.Adam(0.001, 0.9, 0.999, 1e-8),
                new Optimizer.Adam(0.05, 0.0, 0.9, 1e-6),
                new Optimizer.Adam(0.01, 0.5, 0.0, 1e-4));
    }

    // ---------------------------------------------------------------------------------------
    // Independent reference: everything in double, one object per parameter element.
    // ---------------------------------------------------------------------------------------

    /** PyTorch's rules written out again, in double, without any shared code. */
    private static final class Reference {
        final Optimizer opt;
        final double[][] w;
        final double[][] a;
        final double[][] b;
        int t;

        Reference(Optimizer opt, List<Parameter> params) {
            this.opt = opt;
            w = new double[params.size()][];
            a = new double[params.size()][];
            b = new double[params.size()][];
            for (int i = 0; i < params.size(); i++) {
                float[] v = params.get(i).value();
                w[i] = new double[v.length];
                for (int j = 0; j < v.length; j++) {
                    w[i][j] = v[j];
                }
                a[i] = new double[v.length];
                b[i] = new double[v.length];
            }
        }

        void step(List<Parameter> params) {
            t++;
            for (int i = 0; i < w.length; i++) {
                float[] g = params.get(i).gradient();
                for (int j = 0; j < g.length; j++) {
                    double gj = g[j];
                    if (opt instanceof Optimizer.Sgd s) {
                        w[i][j] -= s.learningRate() * gj;
                    } else if (opt instanceof Optimizer.Momentum m) {
                        // torch: buf = clone(g) at the first step, else buf = mu*buf + g
                        a[i][j] = t == 1 ? gj : m.momentum() * a[i][j] + gj;
                        double d = m.nesterov() ? gj + m.momentum() * a[i][j] : a[i][j];
                        w[i][j] -= m.learningRate() * d;
                    } else if (opt instanceof Optimizer.RmsProp r) {
                        a[i][j] = r.decay() * a[i][j] + (1 - r.decay()) * gj * gj;
                        w[i][j] -= r.learningRate() * gj / (Math.sqrt(a[i][j]) + r.epsilon());
                    } else if (opt instanceof Optimizer.Adam ad) {
                        a[i][j] = ad.beta1() * a[i][j] + (1 - ad.beta1()) * gj;
                        b[i][j] = ad.beta2() * b[i][j] + (1 - ad.beta2()) * gj * gj;
                        double mHat = a[i][j] / (1 - Math.pow(ad.beta1(), t));
                        double vHat = b[i][j] / (1 - Math.pow(ad.beta2(), t));
                        // PyTorch adds eps to sqrt(v)/sqrt(bc2), i.e. to sqrt(vHat)
                        w[i][j] -= ad.learningRate() * mHat / (Math.sqrt(vHat) + ad.epsilon());
                    } else {
                        fail("unknown optimizer " + opt);
                    }
                }
            }
        }
    }

    private static List<Parameter> randomParams(SplittableRandom rng) {
        List<Parameter> ps = new ArrayList<>();
        for (int i = 0; i < SIZES.length; i++) {
            int n = SIZES[i];
            float[] v = new float[n];
            for (int j = 0; j < n; j++) {
                v[j] = (float) rng.nextDouble(-2, 2);
            }
            ps.add(new Parameter("p" + i, 1, n, v, new float[n]));
        }
        return ps;
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void matchesDoubleReferenceOverSeveralSteps(Optimizer opt) {
        SplittableRandom rng = new SplittableRandom(12345);
        List<Parameter> params = randomParams(rng);
        Reference ref = new Reference(opt, params);
        OptimizerState state = new OptimizerState(opt, params);
        double[] scales = {1, 0.01, 10, 1e-3, 1, 3, 0.1, 1};
        for (int s = 0; s < scales.length; s++) {
            for (Parameter p : params) {
                float[] g = p.gradient();
                for (int j = 0; j < g.length; j++) {
                    g[j] = (j % 4 == 1 && s % 3 == 0) ? 0f : (float) (scales[s] * rng.nextDouble(-1, 1));
                }
            }
            state.update(params);
            ref.step(params);
            assertEquals(s + 1, state.steps());
            for (int i = 0; i < params.size(); i++) {
                float[] v = params.get(i).value();
                for (int j = 0; j < v.length; j++) {
                    double e = ref.w[i][j];
                    double tol = 2e-6 * Math.max(1, Math.abs(e));
                    if (Math.abs(v[j] - e) > tol) {
                        fail(opt + " step " + (s + 1) + " p" + i + "[" + j + "]: got " + v[j] + ", reference "
                                + e);
                    }
                }
            }
        }
    }

    @Test
    void momentumZeroIsPlainSgd() {
        SplittableRandom rng = new SplittableRandom(7);
        List<Parameter> a = randomParams(rng);
        List<Parameter> b = copy(a);
        OptimizerState m = new OptimizerState(new Optimizer.Momentum(0.3, 0.0, false), a);
        OptimizerState s = new OptimizerState(new Optimizer.Sgd(0.3), b);
        for (int step = 0; step < 3; step++) {
            for (int i = 0; i < a.size(); i++) {
                for (int j = 0; j < a.get(i).size(); j++) {
                    float g = (float) rng.nextDouble(-1, 1);
                    a.get(i).gradient()[j] = g;
                    b.get(i).gradient()[j] = g;
                }
            }
            m.update(a);
            s.update(b);
        }
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(b.get(i).value(), a.get(i).value());
        }
    }

    @Test
    void resetForgetsTheState() {
        SplittableRandom rng = new SplittableRandom(8);
        List<Parameter> a = randomParams(rng);
        List<Parameter> start = copy(a);
        for (Parameter p : a) {
            for (int j = 0; j < p.size(); j++) {
                p.gradient()[j] = (float) rng.nextDouble(-1, 1);
            }
        }
        List<Parameter> b = copy(a);
        OptimizerState s = new OptimizerState(Optimizer.adam(0.01), a);
        s.update(a);
        s.update(a);
        s.reset();
        assertEquals(0, s.steps());
        // After a reset, an update from b's values equals a first update of fresh state.
        for (int i = 0; i < a.size(); i++) {
            System.arraycopy(start.get(i).value(), 0, a.get(i).value(), 0, a.get(i).size());
        }
        s.update(a);
        new OptimizerState(Optimizer.adam(0.01), b).update(b);
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(b.get(i).value(), a.get(i).value());
        }
    }

    @Test
    void rejectsOtherParameters() {
        List<Parameter> a = randomParams(new SplittableRandom(9));
        OptimizerState s = new OptimizerState(Optimizer.sgd(0.1), a);
        assertThrows(IllegalArgumentException.class, () -> s.update(a.subList(0, 2)));
        List<Parameter> other = new ArrayList<>(a);
        other.set(1, new Parameter("other", 1, 4, new float[4], new float[4]));
        float[] before = a.get(0).value().clone();
        a.get(0).gradient()[0] = 1f;
        assertThrows(IllegalArgumentException.class, () -> s.update(other));
        assertArrayEquals(before, a.get(0).value(), "nothing updated before the check");
        assertEquals(0, s.steps());
    }

    private static List<Parameter> copy(List<Parameter> ps) {
        List<Parameter> out = new ArrayList<>();
        for (Parameter p : ps) {
            out.add(new Parameter(p.name(), p.rows(), p.cols(), p.value().clone(), p.gradient().clone()));
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------
    // PyTorch fixtures
    // ---------------------------------------------------------------------------------------

    /** One configuration of optimizers.txt. */
    private record FixtureCase(String name, Optimizer optimizer, List<float[]> init,
                               Map<Integer, List<float[]>> grads, Map<Integer, List<float[]>> after) {}

    private static List<String> fixtureLines() throws IOException {
        try (InputStream in = OptimizerStateTest.class.getResourceAsStream("/fixtures/optimizers.txt")) {
            if (in != null) {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    return r.lines().toList();
                }
            }
        }
        Path p = Path.of("src/test/resources/fixtures/optimizers.txt");
        assertTrue(Files.exists(p), "fixture optimizers.txt not found on the class path nor at " + p.toAbsolutePath());
        return Files.readAllLines(p, StandardCharsets.UTF_8);
    }

    private static float[] floats(String[] tok, int from) {
        float[] v = new float[tok.length - from];
        for (int i = from; i < tok.length; i++) {
            v[i - from] = Float.parseFloat(tok[i]);
        }
        return v;
    }

    private static Optimizer optimizerOf(String kind, Map<String, String> hp) {
        double lr = Double.parseDouble(hp.get("lr"));
        return switch (kind) {
            case "sgd" -> new Optimizer.Sgd(lr);
            case "momentum" -> new Optimizer.Momentum(lr, Double.parseDouble(hp.get("momentum")),
                    Integer.parseInt(hp.get("nesterov")) != 0);
            case "rmsprop" -> new Optimizer.RmsProp(lr, Double.parseDouble(hp.get("alpha")),
                    Double.parseDouble(hp.get("eps")));
            case "adam" -> new Optimizer.Adam(lr, Double.parseDouble(hp.get("beta1")),
                    Double.parseDouble(hp.get("beta2")), Double.parseDouble(hp.get("eps")));
            default -> throw new IllegalArgumentException("unknown optimizer kind " + kind);
        };
    }

    private static List<FixtureCase> parseFixtures(List<String> lines) {
        List<FixtureCase> cases = new ArrayList<>();
        FixtureCase cur = null;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] tok = line.split("\\s+");
            switch (tok[0]) {
                case "case" -> {
                    Map<String, String> hp = new HashMap<>();
                    for (int i = 3; i < tok.length; i++) {
                        String[] kv = tok[i].split("=", 2);
                        hp.put(kv[0], kv[1]);
                    }
                    cur = new FixtureCase(tok[1], optimizerOf(tok[2], hp), new ArrayList<>(), new HashMap<>(),
                            new HashMap<>());
                }
                case "init" -> {
                    assertNotNull(cur, "init outside a case");
                    assertEquals(cur.init().size(), Integer.parseInt(tok[1]));
                    cur.init().add(floats(tok, 2));
                }
                case "grad", "after" -> {
                    assertNotNull(cur, tok[0] + " outside a case");
                    Map<Integer, List<float[]>> m = tok[0].equals("grad") ? cur.grads() : cur.after();
                    List<float[]> list = m.computeIfAbsent(Integer.parseInt(tok[1]), k -> new ArrayList<>());
                    assertEquals(list.size(), Integer.parseInt(tok[2]));
                    list.add(floats(tok, 3));
                }
                case "end" -> {
                    assertNotNull(cur, "end outside a case");
                    cases.add(cur);
                    cur = null;
                }
                default -> fail("unknown fixture line: " + line);
            }
        }
        return cases;
    }

    @Test
    void matchesPyTorchTrajectories() throws IOException {
        List<FixtureCase> cases = parseFixtures(fixtureLines());
        assertEquals(9, cases.size(), "cases in optimizers.txt");
        boolean sawSgd = false;
        boolean sawNesterov = false;
        boolean sawRms = false;
        boolean sawAdam = false;
        for (FixtureCase c : cases) {
            List<Parameter> params = new ArrayList<>();
            for (int i = 0; i < c.init().size(); i++) {
                float[] v = c.init().get(i).clone();
                params.add(new Parameter("p" + i, 1, v.length, v, new float[v.length]));
            }
            OptimizerState state = new OptimizerState(c.optimizer(), params);
            int steps = c.grads().size();
            assertEquals(5, steps, c.name());
            double worstUlps = 0;
            for (int s = 1; s <= steps; s++) {
                for (int i = 0; i < params.size(); i++) {
                    float[] g = c.grads().get(s).get(i);
                    System.arraycopy(g, 0, params.get(i).gradient(), 0, g.length);
                }
                state.update(params);
                for (int i = 0; i < params.size(); i++) {
                    float[] want = c.after().get(s).get(i);
                    float[] got = params.get(i).value();
                    assertEquals(want.length, got.length);
                    for (int j = 0; j < want.length; j++) {
                        // PyTorch computes in float, OptimizerState in double rounded once: allow a
                        // few ulps of the value (and of 1 near zero, where cancellation happens).
                        double tol = 8 * Math.ulp(Math.max(1f, Math.abs(want[j])));
                        double err = Math.abs(got[j] - want[j]);
                        worstUlps = Math.max(worstUlps, err / Math.ulp(Math.max(1f, Math.abs(want[j]))));
                        if (err > tol) {
                            fail(c.name() + " step " + s + " p" + i + "[" + j + "]: got " + got[j] + ", torch "
                                    + want[j]);
                        }
                    }
                }
            }
            assertTrue(worstUlps <= 8, c.name() + " worst " + worstUlps + " ulps");
            switch (c.optimizer()) {
                case Optimizer.Sgd _ -> sawSgd = true;
                case Optimizer.Momentum m -> sawNesterov |= m.nesterov();
                case Optimizer.RmsProp _ -> sawRms = true;
                case Optimizer.Adam _ -> sawAdam = true;
            }
        }
        assertTrue(sawSgd && sawNesterov && sawRms && sawAdam, "every rule covered");
        assertFalse(cases.isEmpty());
    }
}
