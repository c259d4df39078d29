package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link HessenbergReduction}: upper Hessenberg form with the eigenvalues of the input (EJML as oracle). */
class HessenbergReductionTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 13, 31, 33})
    void reducesToHessenbergFormKeepingTheSpectrum(int n) {
        SplittableRandom rng = new SplittableRandom(60 + n);
        double[] h = new double[n * n];
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] = rng.nextGaussian();
                h[i * n + j] = a[i][j];
            }
        }
        HessenbergReduction.reduce(h, n);
        double[][] hm = new double[n][n];
        double trace = 0;
        double traceA = 0;
        double fro = 0;
        double froA = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                hm[i][j] = h[i * n + j];
                if (i > j + 1) {
                    assertEquals(0.0, h[i * n + j], 0.0, "below the subdiagonal (" + i + ", " + j + ")");
                }
                fro += hm[i][j] * hm[i][j];
                froA += a[i][j] * a[i][j];
            }
            trace += hm[i][i];
            traceA += a[i][i];
        }
        // an orthogonal similarity keeps the trace, the Frobenius norm and every eigenvalue
        assertEquals(traceA, trace, 1e-12 * n * Math.sqrt(froA));
        assertEquals(froA, fro, 1e-12 * froA);
        EigenvalueSets.assertSame(EjmlOracle.eigenvalues(a), EjmlOracle.eigenvalues(hm), 1e-9 * Math.sqrt(froA),
                "n=" + n);
    }
}
