package org.rnn4j.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link KernelProvider}: the choice made on this JVM and the pure decision functions behind it. */
class KernelProviderTest {
    private static final String REASON = "the preferred float vector species is 64 bits (< 128)";

    /**
     * The pom sets {@value TestSupport#EXPECTED_PROVIDER} to the provider this machine must use;
     * this proves that the test run really exercises the vector kernels and did not silently fall
     * back to the scalar ones.
     */
    @Test
    void chosenProviderIsTheExpectedOne() {
        String expected = System.getProperty(TestSupport.EXPECTED_PROVIDER);
        Assumptions.assumeTrue(expected != null && !expected.isBlank(),
                TestSupport.EXPECTED_PROVIDER + " is not set: nothing to compare with");
        assertEquals(expected.trim(), KernelProvider.get().name(),
                "provider chosen for this JVM; vector unavailable because: "
                        + KernelProvider.vectorUnavailableReason().orElse("(it is available)"));
        if (expected.trim().equals("vector")) {
            assertTrue(KernelProvider.vectorUnavailableReason().isEmpty());
            assertSame(KernelProvider.vector(), KernelProvider.get());
        }
    }

    @Test
    void getIsSingleThreadedAndStable() {
        assertSame(KernelProvider.get(), KernelProvider.get());
        assertEquals(1, KernelProvider.get().threads());
    }

    @ParameterizedTest
    @ValueSource(strings = {"auto", "AUTO", " auto ", ""})
    void autoPicksVectorWhenAvailableElseScalarWithTheReason(String forced) {
        assertEquals(new KernelProvider.Choice("vector", null), KernelProvider.choose(forced, null));
        KernelProvider.Choice fallback = KernelProvider.choose(forced, REASON);
        assertEquals("scalar", fallback.kind());
        assertEquals(REASON, fallback.reason());
    }

    @Test
    void nullMeansAuto() {
        assertEquals(new KernelProvider.Choice("vector", null), KernelProvider.choose(null, null));
        assertEquals(new KernelProvider.Choice("scalar", REASON), KernelProvider.choose(null, REASON));
    }

    @ParameterizedTest
    @ValueSource(strings = {"scalar", "SCALAR", " Scalar\t"})
    void scalarCanBeForced(String forced) {
        for (String unavailable : new String[] {null, REASON}) {
            KernelProvider.Choice c = KernelProvider.choose(forced, unavailable);
            assertEquals("scalar", c.kind());
            assertNotNull(c.reason());
            assertTrue(c.reason().contains(KernelProvider.PROPERTY), c.reason());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vector", "VECTOR ", " Vector"})
    void vectorCanBeForcedWhenAvailable(String forced) {
        assertEquals(new KernelProvider.Choice("vector", null), KernelProvider.choose(forced, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"vector", "VECTOR "})
    void forcingVectorWhereItCannotRunFailsWithTheReasonAndTheFix(String forced) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> KernelProvider.choose(forced, REASON));
        assertTrue(e.getMessage().contains(REASON), e.getMessage());
        assertTrue(e.getMessage().contains(KernelProvider.PROPERTY), e.getMessage());
        assertTrue(e.getMessage().contains("--add-modules jdk.incubator.vector"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"simd", "vectors", "avx2", "scalar,vector", "1", "none"})
    void badValuesAreRejectedNamingTheProperty(String forced) {
        for (String unavailable : new String[] {null, REASON}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> KernelProvider.choose(forced, unavailable));
            assertTrue(e.getMessage().contains(KernelProvider.PROPERTY), e.getMessage());
            assertTrue(e.getMessage().contains(forced), e.getMessage());
            assertTrue(e.getMessage().contains("auto") && e.getMessage().contains("scalar")
                    && e.getMessage().contains("vector"), "should list the valid values: " + e.getMessage());
        }
    }

    @Test
    void vectorUnavailableNamesTheFailingClause() {
        String module = KernelProvider.vectorUnavailable(false, true, 256);
        assertNotNull(module);
        assertTrue(module.contains("jdk.incubator.vector") && module.contains("not readable"), module);
        // the module clause is checked first
        assertEquals(module, KernelProvider.vectorUnavailable(false, false, 0));

        String c2 = KernelProvider.vectorUnavailable(true, false, 256);
        assertNotNull(c2);
        assertTrue(c2.contains("C2"), c2);

        String narrow = KernelProvider.vectorUnavailable(true, true, 64);
        assertNotNull(narrow);
        assertTrue(narrow.contains("64") && narrow.contains("128"), narrow);
        assertNotNull(KernelProvider.vectorUnavailable(true, true, 0));
        assertNotNull(KernelProvider.vectorUnavailable(true, true, 127));

        assertNull(KernelProvider.vectorUnavailable(true, true, 128));
        assertNull(KernelProvider.vectorUnavailable(true, true, 256));
        assertNull(KernelProvider.vectorUnavailable(true, true, 512));
    }

    @Test
    void fallbackMessageSaysHowToEnableSimd() {
        assertTrue(KernelProvider.HOW_TO_ENABLE.contains("--add-modules jdk.incubator.vector"), KernelProvider.HOW_TO_ENABLE);
    }

    @Test
    void widths() {
        assertEquals(0, KernelProvider.scalar().vectorBitSize());
        Kernels vector = TestSupport.vectorOrSkip();
        assertTrue(vector.vectorBitSize() >= 128, "vector width " + vector.vectorBitSize());
        assertEquals(VectorKernels.preferredBitSize(), vector.vectorBitSize());
    }

    @Test
    void vectorThrowsOnlyWhenUnavailable() {
        if (TestSupport.vectorAvailable()) {
            assertEquals("vector", KernelProvider.vector().name());
        } else {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, KernelProvider::vector);
            assertTrue(e.getMessage().contains("--add-modules jdk.incubator.vector"), e.getMessage());
        }
    }

    @Test
    void withThreads() {
        for (Kernels base : new Kernels[] {KernelProvider.scalar(), TestSupport.vectorOrSkip()}) {
            assertThrows(IllegalArgumentException.class, () -> base.withThreads(0));
            assertThrows(IllegalArgumentException.class, () -> base.withThreads(-3));
            assertSame(base, base.withThreads(1));
            Kernels two = base.withThreads(2);
            assertEquals(base.name() + "x2", two.name());
            assertEquals(2, two.threads());
            assertEquals(base.vectorBitSize(), two.vectorBitSize());
            assertSame(two, base.withThreads(2));
            assertSame(base, two.withThreads(1));
            assertEquals(base.name() + "x4", two.withThreads(4).name());
            assertThrows(IllegalArgumentException.class, () -> two.withThreads(0));
        }
        assertEquals("vectorx2", TestSupport.vectorOrSkip().withThreads(2).name());
        assertEquals("scalarx2", KernelProvider.scalar().withThreads(2).name());
    }
}
