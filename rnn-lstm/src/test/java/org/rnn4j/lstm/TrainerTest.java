package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.Clipping;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.NonFiniteException;
import org.rnn4j.api.Optimizer;
import org.rnn4j.api.Parameter;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.StepReport;
import org.rnn4j.api.Targets;
import org.rnn4j.api.Window;

/** {@link Trainer} with a stub model whose backward pass writes chosen gradients. */
class TrainerTest {

    /** A model whose forwardBackward copies preset gradients into its parameters. */
    private static final class StubModel implements RecurrentModel {
        final List<Parameter> params = new ArrayList<>();
        final List<float[]> nextGradients = new ArrayList<>();
        double nextLoss = 1.5;
        RuntimeException nextFailure;
        double hiddenClip = Double.NaN;
        int passes;

        @Override
        public long trainingPasses() {
            return passes;
        }

        @Override
        public void setTrainingPasses(long p) {
            passes = (int) p;
        }

        StubModel(float[]... values) {
            for (int i = 0; i < values.length; i++) {
                float[] v = values[i];
                params.add(new Parameter("p" + i, 1, v.length, v.clone(), new float[v.length]));
                nextGradients.add(new float[v.length]);
            }
        }

        void gradients(float[]... g) {
            for (int i = 0; i < g.length; i++) {
                nextGradients.set(i, g[i].clone());
            }
        }

        @Override
        public ModelSpec spec() {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Parameter> parameters() {
            return params;
        }

        @Override
        public Parameter parameter(String name) {
            for (Parameter p : params) {
                if (p.name().equals(name)) {
                    return p;
                }
            }
            throw new IllegalArgumentException(name);
        }

        @Override
        public double forward(SequenceBatch batch, float[] outputs) {
            return nextLoss;
        }

        @Override
        public double forwardBackward(SequenceBatch batch) {
            passes++;
            for (int i = 0; i < params.size(); i++) {
                float[] g = nextGradients.get(i);
                System.arraycopy(g, 0, params.get(i).gradient(), 0, g.length);
            }
            if (nextFailure != null) {
                throw nextFailure;
            }
            return nextLoss;
        }

        @Override
        public double forward(SequenceBatch batch, Window window, float[] outputs) {
            throw new UnsupportedOperationException("the stub runs whole batches only");
        }

        @Override
        public double forwardBackward(SequenceBatch batch, Window window) {
            throw new UnsupportedOperationException("the stub runs whole batches only");
        }

        @Override
        public void setInitialState(float[] h0, float[] c0) {}

        @Override
        public void copyFinalState(float[] h, float[] c) {}

        @Override
        public void copyTopHidden(float[] out) {}

        @Override
        public void copyInputGradient(float[] out) {}

        @Override
        public void copyInitialStateGradient(float[] dh0, float[] dc0) {}

        @Override
        public void copyHiddenGradientNorms(double[] out) {}

        @Override
        public void setHiddenGradientClip(double maxNorm) {
            hiddenClip = maxNorm;
        }

        List<float[]> valuesCopy() {
            List<float[]> out = new ArrayList<>();
            for (Parameter p : params) {
                out.add(p.value().clone());
            }
            return out;
        }
    }

    private static final SequenceBatch BATCH = SequenceBatch.of(1, 1, 1, new float[] {0f},
            Targets.classesEveryStep(new int[] {0}));

    private static double norm(List<Parameter> ps) {
        double s = 0;
        for (Parameter p : ps) {
            for (float g : p.gradient()) {
                s += (double) g * g;
            }
        }
        return Math.sqrt(s);
    }

    @Test
    void passesTheHiddenGradientClipToTheModel() {
        StubModel m = new StubModel(new float[] {1f});
        new Trainer(m, Optimizer.sgd(0.1), new Clipping(0, 0, 2.5));
        assertEquals(2.5, m.hiddenClip);
        StubModel off = new StubModel(new float[] {1f});
        new Trainer(off, Optimizer.sgd(0.1), Clipping.none());
        assertEquals(0.0, off.hiddenClip);
    }

    @Test
    void plainStepAppliesTheOptimizerAndReports() {
        StubModel m = new StubModel(new float[] {1f, 2f}, new float[] {-1f});
        Trainer t = new Trainer(m, Optimizer.sgd(0.5), Clipping.none());
        assertThrows(IllegalStateException.class, t::lastReport);
        m.gradients(new float[] {3f, 0f}, new float[] {4f});
        m.nextLoss = 0.75;
        assertEquals(0.75, t.step(BATCH));
        assertArrayEquals(new float[] {1f - 1.5f, 2f}, m.params.get(0).value());
        assertArrayEquals(new float[] {-1f - 2f}, m.params.get(1).value());
        assertEquals(new StepReport(1, 0.75, 5.0, false), t.lastReport());
        t.step(BATCH);
        assertEquals(2, t.steps());
        assertEquals(2, t.lastReport().step());
        assertSame(m, t.model());
        assertEquals(Optimizer.sgd(0.5), t.optimizer());
    }

    @Test
    void globalNormClippingScalesToTheMaximumAndReportsThePreClipNorm() {
        StubModel m = new StubModel(new float[] {0f, 0f, 0f}, new float[] {0f, 0f});
        Trainer t = new Trainer(m, Optimizer.sgd(1.0), Clipping.globalNorm(1.0));
        // norm = sqrt(9 + 16 + 0 + 144 + 0) = 13
        m.gradients(new float[] {3f, -4f, 0f}, new float[] {12f, 0f});
        t.step(BATCH);
        StepReport r = t.lastReport();
        assertEquals(13.0, r.gradientNorm(), 1e-12);
        assertTrue(r.clipped());
        assertEquals(1.0, norm(m.params), 1e-6, "post-clip global norm");
        // direction kept: gradient = g/13, and with lr 1 the values are −g/13
        float[] want0 = {-3f / 13, 4f / 13, 0f};
        float[] want1 = {-12f / 13, 0f};
        for (int j = 0; j < 3; j++) {
            assertEquals(want0[j], m.params.get(0).value()[j], 1e-6);
            assertEquals(-want0[j], m.params.get(0).gradient()[j], 1e-6);
        }
        for (int j = 0; j < 2; j++) {
            assertEquals(want1[j], m.params.get(1).value()[j], 1e-6);
        }
    }

    @Test
    void globalNormBelowTheMaximumIsNotClipped() {
        StubModel m = new StubModel(new float[] {0f, 0f});
        Trainer t = new Trainer(m, Optimizer.sgd(1.0), Clipping.globalNorm(5.0));
        m.gradients(new float[] {3f, 4f});
        t.step(BATCH);
        assertFalse(t.lastReport().clipped());
        assertEquals(5.0, t.lastReport().gradientNorm(), 1e-12);
        assertArrayEquals(new float[] {3f, 4f}, m.params.get(0).gradient());
        assertArrayEquals(new float[] {-3f, -4f}, m.params.get(0).value());
    }

    @Test
    void valueClippingClampsEachGradient() {
        StubModel m = new StubModel(new float[] {0f, 0f, 0f, 0f}, new float[] {0f});
        Trainer t = new Trainer(m, Optimizer.sgd(1.0), new Clipping(0, 0.5, 0));
        m.gradients(new float[] {0.25f, -0.75f, 2f, -0.5f}, new float[] {0.5f});
        t.step(BATCH);
        assertTrue(t.lastReport().clipped());
        double preClip = Math.sqrt(0.0625 + 0.5625 + 4 + 0.25 + 0.25);
        assertEquals(preClip, t.lastReport().gradientNorm(), 1e-9);
        assertArrayEquals(new float[] {0.25f, -0.5f, 0.5f, -0.5f}, m.params.get(0).gradient());
        assertArrayEquals(new float[] {0.5f}, m.params.get(1).gradient());
        assertArrayEquals(new float[] {-0.25f, 0.5f, -0.5f, 0.5f}, m.params.get(0).value());

        // all within the limit: not clipped
        m.gradients(new float[] {0.1f, -0.5f, 0.5f, 0f}, new float[] {-0.2f});
        t.step(BATCH);
        assertFalse(t.lastReport().clipped());
    }

    @Test
    void bothClippingsApplyGlobalNormFirst() {
        StubModel m = new StubModel(new float[] {0f, 0f});
        Trainer t = new Trainer(m, Optimizer.sgd(1.0), new Clipping(5.0, 3.5, 0));
        m.gradients(new float[] {6f, 8f}); // norm 10 → (3, 4) → clamp → (3, 3.5)
        t.step(BATCH);
        assertEquals(10.0, t.lastReport().gradientNorm(), 1e-12);
        assertTrue(t.lastReport().clipped());
        float[] g = m.params.get(0).gradient();
        assertEquals(3f, g[0], 1e-6);
        assertEquals(3.5f, g[1]);
    }

    @Test
    void nanGradientThrowsNamingTheParameterAndChangesNothing() {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            StubModel m = new StubModel(new float[] {1f, 2f}, new float[] {3f, 4f, 5f, 6f}, new float[] {7f});
            Trainer t = new Trainer(m, Optimizer.adam(0.1), Clipping.globalNorm(1.0));
            m.gradients(new float[] {0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f, 0.5f}, new float[] {0.5f});
            t.step(BATCH);
            StepReport before = t.lastReport();
            List<float[]> values = m.valuesCopy();

            m.gradients(new float[] {1f, 1f}, new float[] {1f, 1f, bad, 1f}, new float[] {Float.NaN});
            NonFiniteException e = assertThrows(NonFiniteException.class, () -> t.step(BATCH));
            assertEquals("p1", e.what(), "the first parameter with a non-finite gradient");
            assertEquals(-1, e.step());
            assertTrue(e.getMessage().contains("column 2"), e.getMessage());
            for (int i = 0; i < values.size(); i++) {
                assertArrayEquals(values.get(i), m.params.get(i).value(), "p" + i + " unchanged");
            }
            assertEquals(1, t.steps(), "a failed step does not count");
            assertEquals(before, t.lastReport());

            // the optimizer state was not advanced either: the next good step equals a fresh one
            m.gradients(new float[] {0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f, 0.5f}, new float[] {0.5f});
            t.step(BATCH);
            StubModel fresh = new StubModel(new float[] {1f, 2f}, new float[] {3f, 4f, 5f, 6f}, new float[] {7f});
            Trainer ft = new Trainer(fresh, Optimizer.adam(0.1), Clipping.globalNorm(1.0));
            fresh.gradients(new float[] {0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f, 0.5f}, new float[] {0.5f});
            ft.step(BATCH);
            ft.step(BATCH);
            for (int i = 0; i < values.size(); i++) {
                assertArrayEquals(fresh.params.get(i).value(), m.params.get(i).value());
            }
        }
    }

    @Test
    void modelFailurePropagatesWithoutUpdate() {
        StubModel m = new StubModel(new float[] {1f, 2f});
        Trainer t = new Trainer(m, Optimizer.sgd(1.0), Clipping.none());
        m.gradients(new float[] {1f, 1f});
        m.nextFailure = new NonFiniteException("layer0.h", 3, "NaN");
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> t.step(BATCH));
        assertEquals("layer0.h", e.what());
        assertEquals(3, e.step());
        assertArrayEquals(new float[] {1f, 2f}, m.params.get(0).value());
        assertEquals(0, t.steps());
    }

    @Test
    void nonFiniteLossThrowsWithoutUpdate() {
        StubModel m = new StubModel(new float[] {1f, 2f});
        Trainer t = new Trainer(m, Optimizer.sgd(1.0), Clipping.none());
        m.gradients(new float[] {1f, 1f});
        m.nextLoss = Double.NaN;
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> t.step(BATCH));
        assertEquals("loss", e.what());
        assertArrayEquals(new float[] {1f, 2f}, m.params.get(0).value());
    }
}
