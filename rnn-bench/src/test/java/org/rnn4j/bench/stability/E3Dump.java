package org.rnn4j.bench.stability;

/** Not a test: runs E3 at the full settings and prints what became of each run. */
final class E3Dump {
    private E3Dump() {}

    public static void main(String[] args) {
        long t0 = System.nanoTime();
        ExplodingResult r = Exploding.run(StabilityConfig.full().exploding(), 0, ProgressSink.NONE);
        for (ExplodingRun x : r.runs()) {
            System.out.println(x.radius() + (x.clipped() ? " clipped: " : " unclipped: ") + Claims.fate(x));
        }
        System.out.printf("%.1f s%n", (System.nanoTime() - t0) / 1e9);
    }
}
