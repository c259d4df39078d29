package org.rnn4j.bench.stability;

import java.util.List;

/**
 * E3: the runs of every radius, unclipped and clipped.
 *
 * @param settings    what they shared
 * @param baselineMse the adding problem's baseline loss
 * @param runs        per radius, unclipped then clipped
 */
public record ExplodingResult(ExplodingSettings settings, double baselineMse, List<ExplodingRun> runs) {

    /** The run of {@code radius} with or without clipping, or null. */
    public ExplodingRun find(double radius, boolean clipped) {
        for (ExplodingRun r : runs) {
            if (r.radius() == radius && r.clipped() == clipped) {
                return r;
            }
        }
        return null;
    }
}
