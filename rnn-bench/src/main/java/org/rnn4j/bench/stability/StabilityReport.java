package org.rnn4j.bench.stability;

import java.util.List;
import org.rnn4j.bench.report.Reports.Env;

/**
 * The whole stability report, as written to {@code stability.json}: every figure of every part.
 * A part that did not run is null and its {@link PartTime#status()} says why.
 *
 * @param suite       {@code stability} or {@code stability-quick}
 * @param generated   when, ISO-8601 UTC
 * @param environment the machine and kernels
 * @param config      every setting
 * @param parts       wall time and status per part, in run order
 * @param totalSeconds wall time of the whole report
 * @param throughput  RNN against LSTM speed
 * @param e1          gradient against lag (lead's hook), or null
 * @param e2          adding problem runs (E2 and E5)
 * @param e3          exploding gradients
 * @param e4          LSTM cell-state Jacobian (lead's hook), or null
 * @param eigenvalues W_hh eigenvalues (lead's hook), or null
 * @param claims      the summary
 */
public record StabilityReport(String suite, String generated, Env environment, StabilityConfig config,
                              List<PartTime> parts, double totalSeconds, ThroughputResult throughput,
                              E1Result e1, AddingResult e2, ExplodingResult e3, E4Result e4,
                              List<EigenPlot> eigenvalues, List<Claim> claims) {

    /** The status of {@code part}, or "not run" when it is not listed. */
    public String status(String part) {
        for (PartTime p : parts) {
            if (p.part().equals(part)) {
                return p.status();
            }
        }
        return "not run";
    }
}
