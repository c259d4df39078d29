package org.rnn4j.bench.stability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AddingTrainingTest {

    static AddingSettings tiny(int budget, double successMse) {
        return new AddingSettings(List.of(4, 6), 2, List.of(ModelKind.values()), 4, 4,
                StabilityConfig.sameRate(1e-2), 1, budget, 5, successMse, 3, 6, 2, 0);
    }

    @Test
    void aThresholdAboveEveryLossIsReachedWhenTheFirstWindowIsFull() {
        AddingRun r = AddingTraining.run(ModelKind.LSTM, 4, 0, tiny(50, 1e9), false, Long.MAX_VALUE, 1, ProgressSink.NONE);
        assertEquals(Outcome.SOLVED, r.outcome());
        assertEquals(5, r.stepsToSuccess());
        assertEquals(5, r.stepsRun());
    }

    @Test
    void anUnreachableThresholdRunsTheWholeBudgetAndAdvancesItsUnits() {
        AtomicLong units = new AtomicLong();
        AddingRun r = AddingTraining.run(ModelKind.TANH, 6, 1, tiny(12, 1e-12), false, Long.MAX_VALUE, 7,
                (u, w) -> units.addAndGet(u));
        assertEquals(Outcome.NOT_WITHIN_BUDGET, r.outcome());
        assertNull(r.stepsToSuccess());
        assertEquals(12, r.stepsRun());
        assertEquals(12L * 7, units.get());
        assertEquals(List.of(3L, 6L, 9L, 12L), r.samples().stream().map(TrainingSample::step).toList());
        assertTrue(r.finalMeanLoss() > 0);
    }

    @Test
    void spectraAreRecordedPerGateBlockAndTheIrnnStartsAtRhoOne() {
        AddingRun irnn = AddingTraining.run(ModelKind.IRNN, 4, 0, tiny(6, 1e-12), true, Long.MAX_VALUE, 1, ProgressSink.NONE);
        TrainingSample first = irnn.samples().getFirst();
        assertEquals(0, first.step());
        assertArrayEquals(new double[] {1.0}, first.rho(), 1e-12, "identity W_hh");
        assertArrayEquals(new double[] {1.0}, first.sigmaMax(), 1e-6);
        AddingRun lstm = AddingTraining.run(ModelKind.LSTM, 4, 0, tiny(6, 1e-12), true, Long.MAX_VALUE, 1, ProgressSink.NONE);
        for (TrainingSample s : lstm.samples()) {
            assertEquals(4, s.rho().length, "i, f, g, o");
            for (int q = 0; q < 4; q++) {
                assertTrue(s.rho()[q] <= s.sigmaMax()[q] + 1e-6, "ρ <= σ_max in block " + q);
            }
        }
    }

    @Test
    void aPassedDeadlineStopsTheRunWithoutAVerdict() {
        AddingRun r = AddingTraining.run(ModelKind.IRNN, 4, 0, tiny(50, 0.01), false, System.nanoTime() - 1, 1,
                ProgressSink.NONE);
        assertEquals(Outcome.TIME_CAP, r.outcome());
        assertEquals(0, r.stepsRun());
    }

    @Test
    void theGridRunsEveryModelLengthAndSeedTheSameOnTwoThreads() throws Exception {
        AddingSettings s = tiny(8, 1e-12);
        AtomicLong units = new AtomicLong();
        List<StepCost> costs = SuccessVsLength.stepCosts(s, 5, ProgressSink.NONE);
        AddingResult a = SuccessVsLength.run(s, 5, costs, (u, w) -> units.addAndGet(u));
        assertEquals(SuccessVsLength.units(s, costs), units.get());
        assertEquals(4 * 2 * 2, a.runs().size());
        assertEquals(4 * 2, a.stepCosts().size());
        for (ModelKind m : ModelKind.values()) {
            assertEquals(List.of(5L, 6L), a.runs(m, 6).stream().map(AddingRun::seed).toList());
            assertTrue(a.secondsPerStep(m, 4) > 0);
        }
        assertEquals(List.of(ModelKind.values()), a.spectraRuns().stream().map(AddingRun::model).toList());
        assertTrue(a.spectraRuns().stream().allMatch(r -> r.length() == 6 && r.seed() == 5));
        // Each run depends only on its seed, not on which thread ran it or when.
        AddingResult b = SuccessVsLength.run(s, 5, costs, ProgressSink.NONE);
        for (int i = 0; i < a.runs().size(); i++) {
            assertEquals(a.runs().get(i).finalMeanLoss(), b.runs().get(i).finalMeanLoss(), 0, a.runs().get(i).toString());
        }
    }
}
