package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.Clipping;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.Optimizer;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.diagnostics.StabilitySample;

/** {@link Trainer#monitorStability}: when it is called and what a sample holds. */
class TrainerMonitorTest {

    @ParameterizedTest
    @EnumSource(CellKind.class)
    void samplesEveryNthStepWithTheWeightsAfterTheUpdate(CellKind kind) {
        int n = 7;
        ModelSpec spec = ModelSpec.builder(3, n, 4).cell(kind).layers(2).seed(3).build();
        RecurrentModel model = Models.create(spec);
        Trainer trainer = new Trainer(model, Optimizer.adam(0.05), Clipping.globalNorm(1));
        List<StabilitySample> samples = new ArrayList<>();
        List<double[]> expectedRho = new ArrayList<>();
        trainer.monitorStability(3, samples::add);
        SequenceBatch batch = HiddenGradientTest.lastStepBatch(5, 4, 3, 4);
        for (int s = 1; s <= 10; s++) {
            trainer.step(batch);
            if (s % 3 == 0) {
                double[] rho = new double[2];
                for (int l = 0; l < 2; l++) {
                    float[] wh = model.parameter("layer" + l + ".W_h").value();
                    for (int q = 0; q < kind.gates(); q++) {
                        rho[l] = Math.max(rho[l], SpectralRadius.of(wh, q * n, kind.gates() * n, n));
                    }
                }
                expectedRho.add(rho);
                assertEquals(trainer.lastReport().gradientNorm(), samples.get(samples.size() - 1).gradientNorm());
                assertEquals(trainer.lastReport().loss(), samples.get(samples.size() - 1).loss());
            }
        }
        assertEquals(3, samples.size());
        for (int i = 0; i < 3; i++) {
            StabilitySample sample = samples.get(i);
            assertEquals(3L * (i + 1), sample.step());
            assertArrayEquals(expectedRho.get(i), sample.spectralRadius(), 0);
            for (int l = 0; l < 2; l++) {
                assertEquals(true, sample.spectralRadius()[l] <= sample.sigmaMax()[l] * (1 + 1e-12),
                        "ρ ≤ σ_max at layer " + l);
            }
        }
        trainer.monitorStability(1, null);
        trainer.step(batch);
        assertEquals(3, samples.size(), "a removed monitor is not called");
    }

    @Test
    void badArguments() {
        Trainer trainer = new Trainer(Models.create(ModelSpec.builder(2, 3, 2).build()), Optimizer.sgd(0.1), Clipping.none());
        assertThrows(IllegalArgumentException.class, () -> trainer.monitorStability(0, s -> { }));
        assertThrows(IllegalStateException.class, trainer::stabilitySample);
    }
}
