package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.Nonlinearity;
import org.rnn4j.simd.Activation;
import org.rnn4j.simd.GateLayout;
import org.rnn4j.simd.GateLayout.Gate;
import org.rnn4j.simd.KernelProvider;
import org.rnn4j.simd.Kernels;
import org.rnn4j.simd.PackedMatrix;

/**
 * One forward and one backward step of each cell on its own, against the cell's equations written
 * out in double precision here (gate blocks found through {@link GateLayout}).
 */
class CellTest {
    /** Float rounding of a few-term dot product and the kernels' activations (≤ 1e-6 absolute). */
    static final double TOL = 2e-5;

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        Cell[] cells = {new RnnCell(Activation.TANH), new RnnCell(Activation.SIGMOID), new RnnCell(Activation.RELU),
                new LstmCell(true), new LstmCell(false)};
        for (Cell cell : cells) {
            for (String k : new String[] {"scalar", "vector"}) {
                for (int[] s : new int[][] {{1, 1}, {3, 7}, {7, 13}, {2, 33}}) {
                    b.add(Arguments.of(cell, k, s[0], s[1]));
                }
            }
        }
        return b.build();
    }

    @ParameterizedTest
    @EnumSource(CellKind.class)
    void theCellOfASpecHasTheSpecsGates(CellKind kind) {
        ModelSpec spec = ModelSpec.builder(2, 3, 2).cell(kind).activation(Nonlinearity.RELU).build();
        Cell cell = Cell.of(spec);
        assertEquals(kind.gates(), cell.layout().gates());
        assertEquals(kind == CellKind.LSTM || kind == CellKind.LSTM_NO_FORGET, cell.hasCellState());
    }

    @ParameterizedTest
    @MethodSource("cases")
    void stepsMatchTheEquations(Cell cell, String kernels, int rows, int n) {
        Kernels k = kernels.equals("scalar") ? KernelProvider.scalar() : KernelProvider.get();
        GateLayout layout = cell.layout();
        int gn = layout.width(n);
        SplittableRandom rnd = new SplittableRandom(rows * 31L + n);
        float[] wh = random(rnd, n * gn, 0.5);
        float[] gates0 = random(rnd, rows * gn, 1.0);  // x_t·W_x + b
        float[] h = random(rnd, 2 * rows * n, 0.8);    // h_{t−1} then h_t
        float[] c = random(rnd, 2 * rows * n, 0.8);
        float[] dh = random(rnd, rows * n, 1.0);       // ∂L/∂h_t
        float[] dc = random(rnd, rows * n, 1.0);       // ∂L/∂c_t through c_{t+1}
        int prev = 0, next = rows * n;

        // Reference, double: a = gates0 + h_{t−1}·W_h.
        double[] a = new double[rows * gn];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < gn; j++) {
                double s = gates0[r * gn + j];
                for (int i = 0; i < n; i++) {
                    s += (double) h[prev + r * n + i] * wh[i * gn + j];
                }
                a[r * gn + j] = s;
            }
        }
        double[] hRef = new double[rows * n];
        double[] cRef = new double[rows * n];
        double[] da = new double[rows * gn];
        double[] dcPrevRef = new double[rows * n];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                int x = r * n + j;
                if (cell instanceof RnnCell rc) {
                    double v = a[r * gn + j];
                    double y = switch (rc.phi()) {
                        case TANH -> Math.tanh(v);
                        case SIGMOID -> 1 / (1 + Math.exp(-v));
                        case RELU -> Math.max(0, v);
                        default -> v;
                    };
                    double d = switch (rc.phi()) {
                        case TANH -> 1 - y * y;
                        case SIGMOID -> y * (1 - y);
                        case RELU -> y > 0 ? 1 : 0;
                        default -> 1;
                    };
                    hRef[x] = y;
                    da[r * gn + j] = dh[x] * d;
                } else {
                    double i = sigmoid(a[r * gn + layout.offset(Gate.I, n) + j]);
                    double f = layout.has(Gate.F) ? sigmoid(a[r * gn + layout.offset(Gate.F, n) + j]) : 1;
                    double g = Math.tanh(a[r * gn + layout.offset(Gate.G, n) + j]);
                    double o = sigmoid(a[r * gn + layout.offset(Gate.O, n) + j]);
                    double cp = c[prev + x];
                    double cc = f * cp + i * g;
                    double tc = Math.tanh(cc);
                    cRef[x] = cc;
                    hRef[x] = o * tc;
                    double dct = dc[x] + dh[x] * o * (1 - tc * tc);
                    da[r * gn + layout.offset(Gate.I, n) + j] = dct * g * i * (1 - i);
                    if (layout.has(Gate.F)) {
                        da[r * gn + layout.offset(Gate.F, n) + j] = dct * cp * f * (1 - f);
                    }
                    da[r * gn + layout.offset(Gate.G, n) + j] = dct * i * (1 - g * g);
                    da[r * gn + layout.offset(Gate.O, n) + j] = dh[x] * tc * o * (1 - o);
                    dcPrevRef[x] = dct * f;
                }
            }
        }
        double[] dhPrevRef = new double[rows * n];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < gn; j++) {
                    s += da[r * gn + j] * wh[i * gn + j];
                }
                dhPrevRef[r * n + i] = s;
            }
        }

        PackedMatrix forward = k.packB(false, n, gn, wh, 0, gn);
        PackedMatrix backward = k.packB(true, gn, n, wh, 0, gn);
        float[] gates = gates0.clone();
        cell.forward(k, rows, n, forward, null, gates, 0, h, c, prev, next);
        float[] dGates = new float[rows * gn];
        cell.backward(k, rows, n, backward, null, gates, 0, h, c, prev, next, dh, dc, 0, dGates, 0);
        String at = cell + " " + kernels + " rows=" + rows + " n=" + n;
        for (int x = 0; x < rows * n; x++) {
            assertEquals(hRef[x], h[next + x], TOL, at + " h_t[" + x + "]");
            assertEquals(dhPrevRef[x], dh[x], TOL * (1 + gn), at + " ∂L/∂h_{t−1}[" + x + "]");
            if (cell.hasCellState()) {
                assertEquals(cRef[x], c[next + x], TOL, at + " c_t[" + x + "]");
                assertEquals(dcPrevRef[x], dc[x], TOL * 4, at + " ∂L/∂c_{t−1}[" + x + "]");
            }
        }
        for (int x = 0; x < rows * gn; x++) {
            assertEquals(da[x], dGates[x], TOL * 4, at + " ∂L/∂a[" + x + "]");
        }
    }

    /**
     * A 2014 GRU step ({@link Gru2014Cell}): the two products and both epilogues forward, and
     * backward ∂L/∂h_{t−1} and the gate gradients [da_r | da_z | da_n | ∂L/∂(r∘h_{t−1})], with W_h
     * packed the way {@link RecurrentLayer} packs it (W_hn apart), against
     * {@code ñ = tanh(x·W_xn + b_n + (r∘h)·W_hn)} in double. Block 3 of the work row starts as
     * garbage: the step must write r∘h_{t−1} there before reading it.
     */
    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {1, 3, 8, 13, 33})
    void gru2014StepMatchesTheEquations(int n) {
        for (String kernels : new String[] {"scalar", "vector"}) {
            Kernels k = kernels.equals("scalar") ? KernelProvider.scalar() : KernelProvider.get();
            for (int rows : new int[] {1, 2, 5}) {
                gru2014Step(k, rows, n);
            }
        }
    }

    private static void gru2014Step(Kernels k, int rows, int n) {
        int gn = 3 * n;
        int w = 4 * n;
        SplittableRandom rnd = new SplittableRandom(rows * 37L + n);
        float[] wh = random(rnd, n * gn, 0.5);
        float[] gates0 = random(rnd, rows * w, 1.0);   // [x·W_x + b | garbage]
        float[] h = random(rnd, 2 * rows * n, 0.8);     // h_{t−1} then h_t
        float[] dh = random(rnd, rows * n, 1.0);        // ∂L/∂h_t
        int prev = 0, next = rows * n;

        double[] hRef = new double[rows * n];
        double[] stored = new double[rows * w];          // [r | z | ñ | r∘h_{t−1}]
        double[] da = new double[rows * w];              // [da_r | da_z | da_n | ∂L/∂(r∘h)]
        double[] dhPrevRef = new double[rows * n];
        for (int r = 0; r < rows; r++) {
            int g = r * w;
            for (int j = 0; j < 2 * n; j++) {            // r, z
                double s = gates0[g + j];
                for (int i = 0; i < n; i++) {
                    s += (double) h[prev + r * n + i] * wh[i * gn + j];
                }
                stored[g + j] = sigmoid(s);
            }
            for (int i = 0; i < n; i++) {
                stored[g + 3 * n + i] = stored[g + i] * h[prev + r * n + i];
            }
            for (int j = 0; j < n; j++) {                // ñ, h_t
                double s = gates0[g + 2 * n + j];
                for (int i = 0; i < n; i++) {
                    s += stored[g + 3 * n + i] * wh[i * gn + 2 * n + j];
                }
                double cand = Math.tanh(s);
                double z = stored[g + n + j];
                stored[g + 2 * n + j] = cand;
                hRef[r * n + j] = (1 - z) * cand + z * h[prev + r * n + j];
            }
            for (int j = 0; j < n; j++) {                // da_z, da_n
                double z = stored[g + n + j];
                double cand = stored[g + 2 * n + j];
                double d = dh[r * n + j];
                da[g + n + j] = d * (h[prev + r * n + j] - cand) * z * (1 - z);
                da[g + 2 * n + j] = d * (1 - z) * (1 - cand * cand);
            }
            for (int i = 0; i < n; i++) {                // ∂L/∂(r∘h) = da_n·W_hnᵀ, da_r
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += da[g + 2 * n + j] * wh[i * gn + 2 * n + j];
                }
                double rr = stored[g + i];
                da[g + 3 * n + i] = s;
                da[g + i] = s * h[prev + r * n + i] * rr * (1 - rr);
            }
            for (int i = 0; i < n; i++) {                // δ∘z + ∂L/∂(r∘h)∘r + [da_r | da_z]·[W_hr W_hz]ᵀ
                double s = dh[r * n + i] * stored[g + n + i] + da[g + 3 * n + i] * stored[g + i];
                for (int j = 0; j < 2 * n; j++) {
                    s += da[g + j] * wh[i * gn + j];
                }
                dhPrevRef[r * n + i] = s;
            }
        }

        Gru2014Cell cell = new Gru2014Cell();
        PackedMatrix whRz = k.packB(false, n, 2 * n, wh, 0, gn);
        PackedMatrix whn = k.packB(false, n, n, wh, 2 * n, gn);
        PackedMatrix whRzT = k.packB(true, 2 * n, n, wh, 0, gn);
        PackedMatrix whnT = k.packB(true, n, n, wh, 2 * n, gn);
        float[] gates = gates0.clone();
        cell.forward(k, rows, n, whRz, whn, gates, 0, h, null, prev, next);
        float[] dGates = new float[rows * w];
        java.util.Arrays.fill(dGates, Float.NaN);        // every block must be written before it is read
        cell.backward(k, rows, n, whRzT, whnT, gates, 0, h, null, prev, next, dh, null, 0, dGates, 0);
        String at = "GRU_2014 " + k.name() + " rows=" + rows + " n=" + n;
        for (int x = 0; x < rows * n; x++) {
            assertEquals(hRef[x], h[next + x], TOL, at + " h_t[" + x + "]");
            assertEquals(dhPrevRef[x], dh[x], TOL * (1 + gn), at + " ∂L/∂h_{t−1}[" + x + "]");
        }
        for (int x = 0; x < rows * w; x++) {
            assertEquals(stored[x], gates[x], TOL, at + " stored gates[" + x + "]");
            assertEquals(da[x], dGates[x], TOL * (1 + n), at + " gate gradients[" + x + "]");
        }
    }

    static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    static float[] random(SplittableRandom rnd, int size, double scale) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = (float) (rnd.nextGaussian() * scale);
        }
        return a;
    }
}
