package org.rnn4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.rnn4j.api.ApiAsserts.rejects;

import org.junit.jupiter.api.Test;

/** The factories and argument checks of {@link Targets}. */
class TargetsTest {

    @Test
    void classFactoriesSetTheScopeAndKeepTheArray() {
        int[] y = {0, 4, 2};
        Targets every = Targets.classesEveryStep(y);
        Targets.Classes c = (Targets.Classes) every;
        assertSame(y, c.classes());
        assertEquals(Targets.Scope.EVERY_STEP, every.scope());
        Targets.Classes last = (Targets.Classes) Targets.classesAtLastStep(y);
        assertSame(y, last.classes());
        assertEquals(Targets.Scope.LAST_STEP, last.scope());
    }

    @Test
    void realFactoriesSetTheScopeWidthAndKeepTheArray() {
        float[] v = {1f, -2f, 3f, 4f, 5f, 6f};
        Targets.Reals every = (Targets.Reals) Targets.realsEveryStep(v, 3);
        assertSame(v, every.values());
        assertEquals(3, every.width());
        assertEquals(Targets.Scope.EVERY_STEP, every.scope());
        Targets.Reals last = (Targets.Reals) Targets.realsAtLastStep(v, 2);
        assertSame(v, last.values());
        assertEquals(2, last.width());
        assertEquals(Targets.Scope.LAST_STEP, last.scope());
    }

    @Test
    void classesRejectNulls() {
        rejects(() -> new Targets.Classes(null, Targets.Scope.EVERY_STEP), "classes and scope must not be null");
        rejects(() -> new Targets.Classes(new int[1], null), "must not be null");
        rejects(() -> Targets.classesEveryStep(null), "must not be null");
        rejects(() -> Targets.classesAtLastStep(null), "must not be null");
    }

    @Test
    void realsRejectNulls() {
        rejects(() -> new Targets.Reals(null, 1, Targets.Scope.LAST_STEP), "values and scope must not be null");
        rejects(() -> new Targets.Reals(new float[1], 1, null), "must not be null");
        rejects(() -> Targets.realsEveryStep(null, 2), "must not be null");
        rejects(() -> Targets.realsAtLastStep(null, 2), "must not be null");
    }

    @Test
    void widthMustBeAtLeastOne() {
        rejects(() -> Targets.realsEveryStep(new float[4], 0), "width must be >= 1, got 0");
        rejects(() -> Targets.realsAtLastStep(new float[4], -3), "got -3");
        rejects(() -> new Targets.Reals(new float[0], Integer.MIN_VALUE, Targets.Scope.EVERY_STEP),
                "got " + Integer.MIN_VALUE);
        assertEquals(1, ((Targets.Reals) Targets.realsAtLastStep(new float[4], 1)).width());
    }

    /** Counts and values are the batch's business (see SequenceBatchTest): empty and odd arrays are accepted here. */
    @Test
    void contentsAreNotCheckedOnConstruction() {
        assertEquals(0, ((Targets.Classes) Targets.classesEveryStep(new int[0])).classes().length);
        assertEquals(-1, ((Targets.Classes) Targets.classesAtLastStep(new int[] {-1})).classes()[0]);
        assertEquals(5, ((Targets.Reals) Targets.realsEveryStep(new float[5], 2)).values().length);
    }

    @Test
    void scopesAreTheTwoDocumentedOnes() {
        assertEquals(2, Targets.Scope.values().length);
        assertEquals(Targets.Scope.EVERY_STEP, Targets.Scope.valueOf("EVERY_STEP"));
        assertEquals(Targets.Scope.LAST_STEP, Targets.Scope.valueOf("LAST_STEP"));
    }
}
