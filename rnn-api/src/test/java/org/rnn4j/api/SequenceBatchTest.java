package org.rnn4j.api;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnn4j.api.ApiAsserts.rejects;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The constructor checks of {@link SequenceBatch} and {@link SequenceBatch#validate}: every
 * rejection names the offending value and where it is. Positions are computed here from the
 * documented time-major layout with nested loops over (t, b, j), on awkward sizes (T = 7, m = 3,
 * d = 13, o = 5) where a mixed-up stride gives a wrong position.
 */
class SequenceBatchTest {
    private static final int T = 7, M = 3, D = 13, O = 5;

    /** Index of x_{t,b,j} in the documented layout {@code (t·m + b)·d + j}. */
    private static int at(int t, int b, int j) {
        return (t * M + b) * D + j;
    }

    private static float[] inputs() {
        float[] x = new float[T * M * D];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i) * 3; // finite, of both signs
        }
        return x;
    }

    private static SequenceBatch batch(Targets targets) {
        return SequenceBatch.of(T, M, D, inputs(), targets);
    }

    // ---------------------------------------------------------------------------------------
    // Constructor
    // ---------------------------------------------------------------------------------------

    @Test
    void sizesMustBePositive() {
        rejects(() -> new SequenceBatch(0, M, D, new float[0], null, null), "T=0", "m=3", "d=13");
        rejects(() -> new SequenceBatch(T, 0, D, new float[0], null, null), "T=7", "m=0");
        rejects(() -> new SequenceBatch(T, M, 0, new float[0], null, null), "d=0");
        rejects(() -> new SequenceBatch(-2, M, D, new float[0], null, null), "T=-2");
        rejects(() -> new SequenceBatch(T, M, -1, new float[0], null, null), "d=-1");
    }

    @Test
    void inputsMustBePresentAndHoldTmd() {
        rejects(() -> new SequenceBatch(T, M, D, null, null, null), "inputs is null");
        rejects(() -> SequenceBatch.of(T, M, D, new float[T * M * D - 1], null), "has 272 values", "7·3·13 = 273");
        rejects(() -> SequenceBatch.of(T, M, D, new float[T * M * D + 1], null), "has 274 values", "= 273");
        // T·m·d beyond int: the expected count must not wrap around
        rejects(() -> SequenceBatch.of(100_000, 100_000, 1000, new float[0], null), "= 10000000000000");
        // 65536·65536 wraps to 0 in int arithmetic, and an empty array must still be refused
        rejects(() -> SequenceBatch.of(65536, 65536, 1, new float[0], null), "has 0 values", "= 4294967296");
    }

    @Test
    void lengthsNeedOneEntryPerSequence() {
        rejects(() -> new SequenceBatch(T, M, D, inputs(), null, new int[M - 1]), "lengths has 2 entries", "(3)");
        rejects(() -> batch(null).withLengths(new int[M + 1]), "lengths has 4 entries");
        rejects(() -> batch(null).withLengths(new int[0]), "lengths has 0 entries");
    }

    @Test
    void arraysAreUsedAsTheyAre() {
        float[] x = inputs();
        int[] lengths = {7, 1, 4};
        Targets y = Targets.classesAtLastStep(new int[] {0, 1, 2});
        SequenceBatch b = new SequenceBatch(T, M, D, x, y, lengths);
        assertSame(x, b.inputs());
        assertSame(lengths, b.lengths());
        assertSame(y, b.targets());
        // not copied: a value refilled after construction is what validate sees
        b.validate(D, O);
        x[at(4, 2, 9)] = Float.NaN;
        rejects(() -> b.validate(D, O), "t=4, sequence b=2, feature j=9");
        lengths[1] = 0;
        rejects(() -> b.validate(D, O), "lengths[1] = 0");
    }

    // ---------------------------------------------------------------------------------------
    // length(b), withLengths, withTargets
    // ---------------------------------------------------------------------------------------

    @Test
    void lengthIsTWithoutLengths() {
        SequenceBatch b = batch(null);
        assertNull(b.lengths());
        for (int s = 0; s < M; s++) {
            assertEquals(T, b.length(s));
        }
    }

    @Test
    void withLengthsSetsThemAndKeepsTheRest() {
        Targets y = Targets.classesEveryStep(new int[T * M]);
        SequenceBatch b = batch(y);
        int[] lengths = {3, 7, 1};
        SequenceBatch l = b.withLengths(lengths);
        assertSame(lengths, l.lengths());
        assertEquals(3, l.length(0));
        assertEquals(7, l.length(1));
        assertEquals(1, l.length(2));
        assertSame(b.inputs(), l.inputs());
        assertSame(y, l.targets());
        assertEquals(T, l.steps());
        assertEquals(M, l.batchSize());
        assertEquals(D, l.inputSize());
        assertNull(b.lengths(), "the original batch is unchanged");
        assertNull(l.withLengths(null).lengths(), "null lengths: every sequence has T steps again");
        assertEquals(T, l.withLengths(null).length(2));
    }

    @Test
    void withTargetsReplacesOnlyTheTargets() {
        int[] lengths = {2, 5, 7};
        SequenceBatch b = batch(Targets.classesEveryStep(new int[T * M])).withLengths(lengths);
        Targets r = Targets.realsAtLastStep(new float[M * O], O);
        SequenceBatch w = b.withTargets(r);
        assertSame(r, w.targets());
        assertSame(b.inputs(), w.inputs());
        assertSame(lengths, w.lengths());
        assertNull(b.withTargets(null).targets(), "null targets: inference only");
        assertTrue(b.targets() instanceof Targets.Classes, "the original batch is unchanged");
    }

    // ---------------------------------------------------------------------------------------
    // validate: inputs and lengths
    // ---------------------------------------------------------------------------------------

    @Test
    void validBatchesPass() {
        assertDoesNotThrow(() -> batch(null).validate(D, O));
        assertDoesNotThrow(() -> batch(null).withLengths(new int[] {1, T, 4}).validate(D, O));
        float[] extreme = inputs();
        extreme[0] = Float.MAX_VALUE;
        extreme[1] = -Float.MAX_VALUE;
        extreme[2] = Float.MIN_VALUE;
        extreme[3] = -0f;
        assertDoesNotThrow(() -> SequenceBatch.of(T, M, D, extreme, null).validate(D, O));
        // T = m = d = 1
        assertDoesNotThrow(() -> SequenceBatch.of(1, 1, 1, new float[] {2f}, Targets.classesEveryStep(new int[] {0}))
                .withLengths(new int[] {1}).validate(1, 1));
    }

    @Test
    void inputWidthMustMatchTheModel() {
        rejects(() -> batch(null).validate(D + 1, O), "inputSize is 13", "expects 14");
        rejects(() -> batch(null).validate(1, O), "inputSize is 13", "expects 1");
    }

    @Test
    void lengthsMustLieInOneToT() {
        rejects(() -> batch(null).withLengths(new int[] {T, 0, 1}).validate(D, O), "lengths[1] = 0", "[1, T=7]");
        rejects(() -> batch(null).withLengths(new int[] {T, T, T + 1}).validate(D, O), "lengths[2] = 8", "T=7");
        rejects(() -> batch(null).withLengths(new int[] {-3, 2, 2}).validate(D, O), "lengths[0] = -3");
        rejects(() -> batch(null).withLengths(new int[] {2, Integer.MIN_VALUE, 2}).validate(D, O),
                "lengths[1] = " + Integer.MIN_VALUE);
        // the first bad entry is the one reported
        rejects(() -> batch(null).withLengths(new int[] {1, 9, 0}).validate(D, O), "lengths[1] = 9");
    }

    /** Every position of a 7 × 3 × 13 batch, with NaN, +∞ and −∞: the message names t, b and j. */
    @Test
    void nonFiniteInputIsReportedWithStepSequenceAndFeature() {
        float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        String[] shown = {"NaN", "Infinity", "-Infinity"};
        int checked = 0;
        for (int t = 0; t < T; t++) {
            for (int b = 0; b < M; b++) {
                for (int j = 0; j < D; j++) {
                    int k = (t + b + j) % bad.length;
                    float[] x = inputs();
                    x[at(t, b, j)] = bad[k];
                    SequenceBatch batch = SequenceBatch.of(T, M, D, x, null);
                    rejects(() -> batch.validate(D, O),
                            "step t=" + t + ", sequence b=" + b + ", feature j=" + j + " is " + shown[k]);
                    checked++;
                }
            }
        }
        assertEquals(T * M * D, checked);
    }

    @Test
    void theFirstNonFiniteInputInTimeMajorOrderIsReported() {
        float[] x = inputs();
        x[at(5, 0, 0)] = Float.NaN;
        x[at(4, 2, 12)] = Float.POSITIVE_INFINITY; // earlier in memory: step 4 comes first
        x[at(6, 1, 3)] = Float.NaN;
        rejects(() -> SequenceBatch.of(T, M, D, x, null).validate(D, O),
                "step t=4, sequence b=2, feature j=12 is Infinity");
    }

    /**
     * validateExceptInputValues checks all that validate does except the inputs' values: it
     * passes a NaN input (the caller scans for it) and still rejects a wrong width, a length
     * outside [1, T] and a target class out of range.
     */
    @Test
    void validateExceptInputValuesSkipsOnlyTheValueScan() {
        float[] x = inputs();
        x[at(3, 1, 7)] = Float.NaN;
        SequenceBatch withNaN = SequenceBatch.of(T, M, D, x, Targets.classesAtLastStep(new int[] {0, 1, O - 1}));
        assertDoesNotThrow(() -> withNaN.validateExceptInputValues(D, O));
        rejects(() -> withNaN.validate(D, O), "step t=3, sequence b=1, feature j=7 is NaN");
        rejects(() -> withNaN.validateExceptInputValues(D + 1, O), "inputSize is 13");
        rejects(() -> withNaN.validateExceptInputValues(D, O - 1), "target class 4", "outside [0, 4)");
        rejects(() -> withNaN.withLengths(new int[] {1, T + 1, 2}).validateExceptInputValues(D, O), "lengths[1] = 8");
    }

    @Test
    void inputWidthIsCheckedBeforeTheValues() {
        float[] x = inputs();
        x[0] = Float.NaN;
        rejects(() -> SequenceBatch.of(T, M, D, x, null).validate(D - 1, O), "inputSize is 13");
    }

    // ---------------------------------------------------------------------------------------
    // validate: class targets
    // ---------------------------------------------------------------------------------------

    private static int[] classes(int count) {
        int[] y = new int[count];
        for (int i = 0; i < count; i++) {
            y[i] = i % O; // every class, 0 and O − 1 included
        }
        return y;
    }

    @Test
    void classTargetsInRangePass() {
        assertDoesNotThrow(() -> batch(Targets.classesEveryStep(classes(T * M))).validate(D, O));
        assertDoesNotThrow(() -> batch(Targets.classesAtLastStep(new int[] {0, O - 1, 2})).validate(D, O));
        assertDoesNotThrow(() -> batch(Targets.classesAtLastStep(new int[] {0, 0, 0})).validate(D, 1));
    }

    @Test
    void classTargetsNeedOnePerScopedStep() {
        rejects(() -> batch(Targets.classesEveryStep(classes(T * M - 1))).validate(D, O),
                "have 20 classes", "expected 21", "EVERY_STEP");
        rejects(() -> batch(Targets.classesEveryStep(classes(T * M + 1))).validate(D, O), "have 22 classes", "expected 21");
        rejects(() -> batch(Targets.classesAtLastStep(classes(M + 1))).validate(D, O),
                "have 4 classes", "expected 3", "LAST_STEP");
        rejects(() -> batch(Targets.classesAtLastStep(new int[0])).validate(D, O), "have 0 classes", "expected 3");
    }

    /** The count that fits one scope is wrong for the other (unless T = 1, where both are m). */
    @Test
    void lastStepAndEveryStepCountsDiffer() {
        rejects(() -> batch(Targets.classesEveryStep(classes(M))).validate(D, O), "have 3 classes", "expected 21");
        rejects(() -> batch(Targets.classesAtLastStep(classes(T * M))).validate(D, O), "have 21 classes", "expected 3");
        rejects(() -> batch(Targets.realsEveryStep(new float[M * O], O)).validate(D, O), "have 15 values", "expected 21·5");
        rejects(() -> batch(Targets.realsAtLastStep(new float[T * M * O], O)).validate(D, O),
                "have 105 values", "expected 3·5");
        SequenceBatch oneStep = SequenceBatch.of(1, M, D, new float[M * D], null);
        assertDoesNotThrow(() -> oneStep.withTargets(Targets.classesEveryStep(classes(M))).validate(D, O));
        assertDoesNotThrow(() -> oneStep.withTargets(Targets.classesAtLastStep(classes(M))).validate(D, O));
        assertDoesNotThrow(() -> oneStep.withTargets(Targets.realsEveryStep(new float[M * O], O)).validate(D, O));
    }

    /** An out-of-range class at every (t, b), below 0 and at o: the message names t, b and the class. */
    @Test
    void outOfRangeClassIsReportedWithItsPosition() {
        for (int t = 0; t < T; t++) {
            for (int b = 0; b < M; b++) {
                for (int bad : new int[] {-1, O, O + 10, Integer.MIN_VALUE}) {
                    int[] y = classes(T * M);
                    y[t * M + b] = bad;
                    SequenceBatch batch = batch(Targets.classesEveryStep(y));
                    rejects(() -> batch.validate(D, O),
                            "target class " + bad + " at step t=" + t + ", sequence b=" + b + " is outside [0, 5)");
                }
            }
        }
        for (int b = 0; b < M; b++) {
            int[] y = {1, 2, 3};
            y[b] = O;
            SequenceBatch batch = batch(Targets.classesAtLastStep(y));
            rejects(() -> batch.validate(D, O), "target class 5 at sequence b=" + b + " is outside [0, 5)");
        }
    }

    @Test
    void classCountIsCheckedBeforeTheRange() {
        int[] y = classes(T * M - 1);
        y[0] = -7;
        rejects(() -> batch(Targets.classesEveryStep(y)).validate(D, O), "have 20 classes");
    }

    // ---------------------------------------------------------------------------------------
    // validate: real targets
    // ---------------------------------------------------------------------------------------

    private static float[] reals(int count) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = (float) Math.cos(i) * 100;
        }
        return v;
    }

    @Test
    void finiteRealTargetsOfTheRightShapePass() {
        assertDoesNotThrow(() -> batch(Targets.realsEveryStep(reals(T * M * O), O)).validate(D, O));
        assertDoesNotThrow(() -> batch(Targets.realsAtLastStep(reals(M * O), O)).validate(D, O));
        float[] extreme = reals(M);
        extreme[0] = Float.MAX_VALUE;
        extreme[1] = -Float.MAX_VALUE;
        assertDoesNotThrow(() -> batch(Targets.realsAtLastStep(extreme, 1)).validate(D, 1));
    }

    @Test
    void realTargetsMustHaveTheModelsWidth() {
        rejects(() -> batch(Targets.realsEveryStep(reals(T * M * 2), 2)).validate(D, O), "width 2", "outputs 5");
        rejects(() -> batch(Targets.realsAtLastStep(reals(M * 6), 6)).validate(D, O), "width 6", "outputs 5");
        // the width is checked before the count
        rejects(() -> batch(Targets.realsAtLastStep(reals(1), 1)).validate(D, O), "width 1", "outputs 5");
    }

    @Test
    void realTargetsNeedScopeTimesWidthValues() {
        rejects(() -> batch(Targets.realsEveryStep(reals(T * M * O - 1), O)).validate(D, O),
                "have 104 values", "expected 21·5", "EVERY_STEP");
        rejects(() -> batch(Targets.realsAtLastStep(reals(M * O + 1), O)).validate(D, O),
                "have 16 values", "expected 3·5", "LAST_STEP");
    }

    /** A NaN or ∞ at every (t, b, component): the message names all three. */
    @Test
    void nonFiniteRealTargetIsReportedWithStepSequenceAndComponent() {
        float[] bad = {Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
        String[] shown = {"NaN", "-Infinity", "Infinity"};
        for (int t = 0; t < T; t++) {
            for (int b = 0; b < M; b++) {
                for (int k = 0; k < O; k++) {
                    int which = (t * 7 + b * 3 + k) % bad.length;
                    float[] v = reals(T * M * O);
                    v[(t * M + b) * O + k] = bad[which];
                    SequenceBatch batch = batch(Targets.realsEveryStep(v, O));
                    rejects(() -> batch.validate(D, O),
                            "target value at step t=" + t + ", sequence b=" + b + ", component " + k + " is "
                                    + shown[which]);
                }
            }
        }
        for (int b = 0; b < M; b++) {
            for (int k = 0; k < O; k++) {
                float[] v = reals(M * O);
                v[b * O + k] = Float.NaN;
                SequenceBatch batch = batch(Targets.realsAtLastStep(v, O));
                rejects(() -> batch.validate(D, O), "target value at sequence b=" + b + ", component " + k + " is NaN");
            }
        }
    }

    @Test
    void inputsAreCheckedBeforeTheTargets() {
        float[] x = inputs();
        x[at(2, 1, 0)] = Float.NaN;
        int[] y = classes(T * M);
        y[0] = O;
        rejects(() -> SequenceBatch.of(T, M, D, x, Targets.classesEveryStep(y)).validate(D, O), "input at step t=2");
        int[] badLengths = {0, 1, 1};
        rejects(() -> SequenceBatch.of(T, M, D, x, null).withLengths(badLengths).validate(D, O), "lengths[0] = 0");
    }

    @Test
    void validateDoesNotModifyTheBatch() {
        float[] x = inputs();
        int[] y = classes(T * M);
        int[] lengths = {7, 2, 5};
        SequenceBatch b = SequenceBatch.of(T, M, D, x, Targets.classesEveryStep(y)).withLengths(lengths);
        float[] x0 = x.clone();
        int[] y0 = y.clone();
        b.validate(D, O);
        assertTrue(Arrays.equals(x0, x) && Arrays.equals(y0, y) && Arrays.equals(new int[] {7, 2, 5}, lengths));
    }
}
