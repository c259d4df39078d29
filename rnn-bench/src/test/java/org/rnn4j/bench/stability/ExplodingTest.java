package org.rnn4j.bench.stability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ExplodingTest {
    /** Tiny: T = 20, H = 8, B = 4, SGD at a huge learning rate, ρ = 3. */
    static final ExplodingSettings TINY = new ExplodingSettings(20, 8, 4, 0.5, List.of(3.0), 1, 40, 10);

    @Test
    void unclippedRunBlowsUpAndTheClippedOneAppliesAtMostTheThreshold() {
        AtomicLong units = new AtomicLong();
        ExplodingResult r = Exploding.run(TINY, 0, (u, w) -> units.addAndGet(u));
        assertEquals(Exploding.units(TINY), units.get());
        ExplodingRun free = r.find(3.0, false);
        ExplodingRun clip = r.find(3.0, true);
        assertNotNull(free);
        assertNotNull(clip);
        assertEquals(3.0, free.measuredRadius(), 1e-4, "orthogonal W_hh rescaled to ρ = 3");
        assertTrue(!free.stayedFinite() || free.divergedAtStep() != null,
                "the unclipped run neither went non-finite nor diverged: " + Arrays.toString(free.loss()));
        if (!free.stayedFinite()) {
            assertEquals(free.stepsRun() + 1, (long) free.nonFiniteAtStep());
            assertTrue(free.nonFiniteMessage().contains("non-finite"), free.nonFiniteMessage());
        }
        // Clipping was active (pre-clip norms above 1) and what was applied never exceeded 1.
        assertTrue(Arrays.stream(clip.gradientNorm()).max().orElse(0) > 1, "clipping never engaged");
        for (int i = 0; i < clip.appliedNorm().length; i++) {
            double expected = Math.min(clip.gradientNorm()[i], 1);
            assertTrue(clip.appliedNorm()[i] <= 1 + 1e-6, "step " + (i + 1) + ": applied " + clip.appliedNorm()[i]);
            assertEquals(expected, clip.appliedNorm()[i], 1e-5 * Math.max(1, expected), "step " + (i + 1));
        }
        // Unclipped, the applied gradient is the raw one.
        for (int i = 0; i < free.appliedNorm().length; i++) {
            assertEquals(free.gradientNorm()[i], free.appliedNorm()[i], 1e-5 * free.gradientNorm()[i]);
        }
    }

    @Test
    void claimsReadTheRuns() {
        ExplodingResult r = Exploding.run(TINY, 0, ProgressSink.NONE);
        List<Claim> claims = new java.util.ArrayList<>();
        Claims.exploding(claims, r, "ok");
        assertEquals(Verdict.HELD, claims.getFirst().verdict(), claims.toString());
        assertEquals(Verdict.HELD, claims.getLast().verdict(), claims.toString());
    }
}
