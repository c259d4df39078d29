package org.rnn4j.bench.stability;

import java.nio.file.Path;

/** Not a test: writes the synthetic report's folder to args[0], to look at the charts. */
final class ChartDump {
    private ChartDump() {}

    public static void main(String[] args) throws Exception {
        StabilityFiles.write(Synthetic.report(true), Path.of(args[0]));
    }
}
