package org.rnn4j.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.bench.ModelBenchmark;
import org.rnn4j.bench.report.ModelMath.Bench;
import org.rnn4j.bench.report.ModelMath.ModelShape;
import org.rnn4j.bench.report.ModelMath.ModelTime;
import org.rnn4j.bench.report.ModelMath.TargetCheck;
import org.rnn4j.bench.report.ReportMath.Kind;
import org.rnn4j.bench.report.ReportMath.Status;

class ModelMathTest {
    private static final ModelShape SMALL = ModelShape.parse("32x100x128x256");
    private static final ModelShape LARGE = ModelShape.parse("64x50x256x512");
    /** LSTM forward at 32x100x128x256: 2·T·B·(D+H)·G·H = 2·100·32·384·4·256. */
    private static final double LSTM_FORWARD_FLOPS = 2_516_582_400.0;
    private static final double RNN_FORWARD_FLOPS = LSTM_FORWARD_FLOPS / 4;

    @Test
    void parsesModelShapes() {
        assertEquals(new ModelShape(32, 100, 128, 256), SMALL);
        assertEquals("32x100x128x256", SMALL.spec());
        assertEquals("32×100×128×256", SMALL.pretty());
        assertEquals(new ModelShape(64, 50, 256, 512), ModelShape.parse(" 64X50x256x512 "));
        assertThrows(IllegalArgumentException.class, () -> ModelShape.parse("32x100x128"));
        assertThrows(IllegalArgumentException.class, () -> ModelShape.parse("32x100x128x"));
        assertThrows(IllegalArgumentException.class, () -> ModelShape.parse("0x100x128x256"));
        assertThrows(IllegalArgumentException.class, () -> ModelShape.parse("ax100x128x256"));
        assertTrue(ModelShape.ORDER.compare(SMALL, LARGE) < 0);
        assertEquals(List.of(SMALL, LARGE), ModelMath.ISSUE_SHAPES);
    }

    @Test
    void benchmarksByMethodName() {
        assertEquals(Bench.FORWARD, Bench.ofMethod("forward"));
        assertEquals(Bench.FORWARD_BACKWARD, Bench.ofMethod("forwardBackward"));
        assertEquals(Bench.TRAINING_STEP, Bench.ofMethod("trainingStep"));
        assertNull(Bench.ofMethod("setUp"));
        assertEquals("forward+backward", Bench.FORWARD_BACKWARD.label());
    }

    @Test
    void flopsAreTheIssueFormulaAndThreeTimesForBackward() {
        assertEquals(LSTM_FORWARD_FLOPS, ModelMath.flops("LSTM", SMALL, Bench.FORWARD));
        assertEquals(LSTM_FORWARD_FLOPS, ModelBenchmark.forwardFlops("LSTM", "32x100x128x256"));
        assertEquals(RNN_FORWARD_FLOPS, ModelMath.flops("RNN", SMALL, Bench.FORWARD));
        assertEquals(3 * LSTM_FORWARD_FLOPS, ModelMath.flops("LSTM", SMALL, Bench.FORWARD_BACKWARD));
        assertEquals(3 * RNN_FORWARD_FLOPS, ModelMath.flops("RNN", SMALL, Bench.TRAINING_STEP));
        // 2·50·64·(256+512)·4·512
        assertEquals(10_066_329_600.0, ModelMath.flops("LSTM", LARGE, Bench.FORWARD));
        assertThrows(IllegalArgumentException.class, () -> ModelMath.flops("TRANSFORMER", SMALL, Bench.FORWARD));
    }

    @Test
    void timeAtTheFmaLimitAndRequiredFraction() {
        // 2.5166 GFLOP at 100 GFLOP/s: 25.17 ms
        assertEquals(25_165_824, ModelMath.nanosAtLimit(LSTM_FORWARD_FLOPS, 100), 1e-6);
        assertTrue(Double.isNaN(ModelMath.nanosAtLimit(LSTM_FORWARD_FLOPS, Double.NaN)));
        assertTrue(Double.isNaN(ModelMath.nanosAtLimit(LSTM_FORWARD_FLOPS, 0)));
        // in 24 ms it needs 104.9 GFLOP/s = 104.9 % of 100
        assertEquals(LSTM_FORWARD_FLOPS / 24e6 / 100, ModelMath.requiredFraction(LSTM_FORWARD_FLOPS, 24e6, 100), 1e-12);
    }

    private static ModelTime at(String cell, ModelShape shape, int threads, Bench bench, double millis) {
        return new ModelTime(cell, shape, threads, bench, millis * 1e6);
    }

    @Test
    void timeTargetsAtTheTargetShapeOnOneThread() {
        List<TargetCheck> checks = ModelMath.checkTargets(List.of(
                at("LSTM", SMALL, 1, Bench.FORWARD, 24.0),            // exactly the target: met
                at("LSTM", SMALL, 1, Bench.FORWARD_BACKWARD, 75.1),   // missed
                at("RNN", SMALL, 2, Bench.FORWARD, 1),                // two threads: not a time-target case
                at("RNN", LARGE, 1, Bench.FORWARD, 1),                // other shape: not a time-target case
                at("RNN", SMALL, 1, Bench.FORWARD_BACKWARD, 30),
                at("RNN", SMALL, 1, Bench.FORWARD_BACKWARD, 19.5)),   // the last of a case counts: met
                100);
        assertEquals(ModelMath.TIME_TARGETS.size() + 4, checks.size());
        TargetCheck lstmForward = checks.get(0);
        assertEquals("LSTM forward, one thread", lstmForward.target());
        assertEquals("32×100×128×256", lstmForward.subject());
        assertEquals(Kind.MAX_MILLISECONDS, lstmForward.kind());
        assertEquals(24.0, lstmForward.required());
        assertEquals(24.0, lstmForward.measured(), 1e-12);
        assertEquals(Status.MET, lstmForward.status());
        assertEquals(LSTM_FORWARD_FLOPS, lstmForward.flops());
        assertEquals(25.165824, lstmForward.millisAtFmaLimit(), 1e-9);
        assertEquals(Status.MISSED, checks.get(1).status());
        assertEquals("LSTM forward+backward, one thread", checks.get(1).target());
        assertEquals(75.0, checks.get(1).required());
        assertEquals(3 * LSTM_FORWARD_FLOPS, checks.get(1).flops());
        TargetCheck rnnForward = checks.get(2);
        assertEquals("RNN forward, one thread", rnnForward.target());
        assertEquals(Status.NOT_MEASURED, rnnForward.status());
        assertNull(rnnForward.measured());
        assertEquals(6.291456, rnnForward.millisAtFmaLimit(), 1e-9); // the bound needs no measurement
        assertEquals(Status.MET, checks.get(3).status());
        assertEquals(19.5, checks.get(3).measured(), 1e-12);
        assertEquals(20.0, checks.get(3).required());
    }

    @Test
    void twoThreadSpeedupForEveryCellAndShape() {
        List<ModelTime> times = new ArrayList<>();
        times.add(at("RNN", SMALL, 1, Bench.TRAINING_STEP, 17));
        times.add(at("RNN", SMALL, 2, Bench.TRAINING_STEP, 10));   // 1.7x: met
        times.add(at("RNN", LARGE, 1, Bench.TRAINING_STEP, 30));
        times.add(at("RNN", LARGE, 2, Bench.TRAINING_STEP, 20));   // 1.5x: missed
        times.add(at("LSTM", SMALL, 1, Bench.TRAINING_STEP, 60));  // no two-thread time: not measured
        times.add(at("LSTM", LARGE, 1, Bench.FORWARD, 60));        // not the training step
        times.add(at("LSTM", LARGE, 2, Bench.FORWARD, 30));
        List<TargetCheck> speedups = ModelMath.checkTargets(times, Double.NaN).stream()
                .filter(c -> c.kind() == Kind.SPEEDUP).toList();
        assertEquals(List.of("RNN 32×100×128×256", "RNN 64×50×256×512", "LSTM 32×100×128×256",
                "LSTM 64×50×256×512"), speedups.stream().map(TargetCheck::subject).toList());
        assertEquals(List.of(Status.MET, Status.MISSED, Status.NOT_MEASURED, Status.NOT_MEASURED),
                speedups.stream().map(TargetCheck::status).toList());
        assertEquals(1.7, speedups.get(0).measured(), 1e-12);
        assertEquals(1.5, speedups.get(1).measured(), 1e-12);
        assertEquals(ModelMath.TWO_THREAD_TARGET, speedups.get(0).required());
        assertNull(speedups.get(0).flops());
        assertNull(speedups.get(0).millisAtFmaLimit());
        assertEquals("training step, two threads over one", speedups.get(0).target());
    }

    @Test
    void withoutMeasurementsEveryTargetIsOneNotMeasuredRow() {
        List<TargetCheck> none = ModelMath.checkTargets(List.of(), Double.NaN);
        assertEquals(8, none.size());
        for (TargetCheck c : none) {
            assertEquals(Status.NOT_MEASURED, c.status());
            assertNull(c.measured());
            assertNull(c.millisAtFmaLimit()); // no FMA limit either
        }
    }
}
