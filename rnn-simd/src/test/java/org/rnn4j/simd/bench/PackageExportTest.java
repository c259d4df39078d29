package org.rnn4j.simd.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnn4j.simd.Kernels;
import org.rnn4j.simd.internal.VectorMath;

/**
 * The benchmark-only kernels and the kernels' internals are in the module but not in its API:
 * module-path users see {@code org.rnn4j.simd} only (the tests run on the module path).
 */
class PackageExportTest {
    @Test
    void onlyTheKernelsPackageIsExported() {
        Module m = Kernels.class.getModule();
        assertEquals("org.rnn4j.simd", m.getName());
        assertTrue(m.isExported("org.rnn4j.simd"));
        assertEquals(m, FmaProbe.class.getModule());
        assertEquals(m, VectorMath.class.getModule());
        assertFalse(m.isExported(FmaProbe.class.getPackageName()), "org.rnn4j.simd.bench is exported");
        assertFalse(m.isExported(VectorMath.class.getPackageName()), "org.rnn4j.simd.internal is exported");
    }
}
