package org.rnn4j.lstm;

import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.QRDecomposition;

/**
 * EJML as the independent oracle of the linear-algebra tests: its own eigenvalue, SVD and QR
 * code, written and tested apart from rnn4j's. Every call copies its input, so neither side can
 * see the other's work arrays.
 */
final class EjmlOracle {
    private EjmlOracle() {}

    static DMatrixRMaj matrix(double[][] a) {
        return new DMatrixRMaj(a);
    }

    /** All eigenvalues of the square matrix {@code a}: column 0 real parts, column 1 imaginary parts. */
    static double[][] eigenvalues(double[][] a) {
        int n = a.length;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, false);
        if (!eig.decompose(matrix(a))) {
            throw new AssertionError("EJML eig did not converge on a " + n + "x" + n + " matrix");
        }
        double[][] out = new double[n][2];
        for (int i = 0; i < n; i++) {
            Complex_F64 z = eig.getEigenvalue(i);
            out[i][0] = z.real;
            out[i][1] = z.imaginary;
        }
        return out;
    }

    /** ρ(A) = max |λ| by EJML's eigenvalues; 0 for n = 0. */
    static double spectralRadius(double[][] a) {
        double rho = 0;
        if (a.length == 0) {
            return 0;
        }
        for (double[] z : eigenvalues(a)) {
            rho = Math.max(rho, Math.hypot(z[0], z[1]));
        }
        return rho;
    }

    /** All singular values of the rows × cols matrix {@code a} (EJML's SVD). */
    static double[] singularValues(double[][] a) {
        return SingularOps_DDRM.singularValues(matrix(a));
    }

    /** σ_max by EJML's SVD; 0 for an empty matrix. */
    static double largestSingularValue(double[][] a) {
        if (a.length == 0 || a[0].length == 0) {
            return 0;
        }
        double max = 0;
        for (double s : singularValues(a)) {
            max = Math.max(max, s);
        }
        return max;
    }

    /**
     * The n × n orthogonal factor Q of A = Q·R by EJML's Householder QR, with the columns' signs
     * flipped so that R has a non-negative diagonal (the normalisation that makes Q unique for a
     * full-rank A).
     */
    static double[][] orthogonalFactor(double[][] a) {
        int n = a.length;
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(n, n);
        if (!qr.decompose(matrix(a))) {
            throw new AssertionError("EJML qr failed on a " + n + "x" + n + " matrix");
        }
        DMatrixRMaj q = qr.getQ(null, false);
        DMatrixRMaj r = qr.getR(null, false);
        double[][] out = new double[n][n];
        for (int j = 0; j < n; j++) {
            double sign = r.get(j, j) < 0 ? -1 : 1;
            for (int i = 0; i < n; i++) {
                out[i][j] = sign * q.get(i, j);
            }
        }
        return out;
    }
}
