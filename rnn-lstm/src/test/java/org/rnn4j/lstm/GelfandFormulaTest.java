package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link GelfandFormula}, the fallback of {@link SpectralRadius}: an upper bound of ρ converging to EJML's. */
class GelfandFormulaTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 13, 31, 33})
    void isAnUpperBoundThatConvergesToRho(int n) {
        float[] f = TestMatrices.gaussian(n, n, 80 + n);
        double[] a = new double[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = f[i];
        }
        double rho = EjmlOracle.spectralRadius(TestMatrices.dense(f, n));
        double few = GelfandFormula.upperBound(a.clone(), n, 3);
        double many = GelfandFormula.upperBound(a.clone(), n, 40);
        assertTrue(few >= rho * (1 - 1e-12), "‖A^8‖^(1/8) ≥ ρ: " + few + " < " + rho);
        assertTrue(many <= few * (1 + 1e-12), "more squarings do not loosen the bound");
        assertEquals(rho, many, 1e-4 * rho, "n=" + n);
    }

    @Test
    void nilpotentMatricesReachZero() {
        // strictly upper triangular 6 × 6: A^8 = 0, so three squarings give exactly 0
        int n = 6;
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                a[i * n + j] = i + 2 * j;
            }
        }
        assertEquals(0.0, GelfandFormula.upperBound(a, n, 40), 0.0);
        assertEquals(0.0, GelfandFormula.upperBound(new double[9], 3, 40), 0.0);
    }
}
