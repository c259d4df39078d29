package org.rnn4j.bench.stability;

import java.nio.file.Path;
import java.util.List;

/**
 * Not a test: the full report's E2 at a short budget and one seed (a sanity check of costs and
 * charts), written with synthetic other parts to args[0].
 */
final class E2Dump {
    private E2Dump() {}

    public static void main(String[] args) throws Exception {
        AddingSettings f = StabilityConfig.full().adding();
        AddingSettings s = new AddingSettings(f.lengths(), 1, f.models(), f.hidden(), f.batch(), f.learningRates(),
                f.clipNorm(), Integer.parseInt(args[1]), f.window(), f.successMse(), f.sampleEvery(), f.spectraLength(),
                f.threads(), f.timeCapSeconds());
        long t0 = System.nanoTime();
        AddingResult e2 = SuccessVsLength.run(s, 0, SuccessVsLength.stepCosts(s, 0, ProgressSink.NONE), (u, w) -> { });
        double sec = (System.nanoTime() - t0) / 1e9;
        for (AddingRun r : e2.runs()) {
            System.out.printf("%s T=%d %s %.1fs%n", r.model(), r.length(), Claims.outcome(r), r.seconds());
        }
        for (StepCost c : e2.stepCosts()) {
            System.out.printf("cost %s T=%d %.2f ms%n", c.model(), c.length(), c.secondsPerStep() * 1e3);
        }
        System.out.printf("E2 %.1f s%n", sec);
        StabilityReport base = Synthetic.report(false);
        StabilityReport r = StabilityRun.withClaims(new StabilityReport(base.suite(), base.generated(), base.environment(),
                base.config(), base.parts(), base.totalSeconds(), base.throughput(), null, e2,
                Exploding.run(StabilityConfig.full().exploding(), 0, ProgressSink.NONE), null, null, List.of()));
        StabilityFiles.write(r, Path.of(args[0]));
    }
}
