package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.InferenceModel;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.Nonlinearity;
import org.rnn4j.api.OutputHead;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.StreamState;
import org.rnn4j.simd.KernelProvider;
import org.rnn4j.simd.Kernels;

/**
 * A stream's state outside of stepping: the byte format of {@link StreamState#saveState} and its
 * checks on restore, reset, copies, {@link StreamState#setState}, and prefill from a given state
 * against the training model's forward.
 */
class StreamStateTest {

    static RecurrentModel trained(CellKind cell, int layers, int d, int n, int o, long seed) {
        return Models.create(ModelSpec.builder(d, n, o).cell(cell).layers(layers).seed(seed).build(),
                KernelProvider.scalar());
    }

    static InferenceModel compiled(CellKind cell, int layers, int d, int n, int o, long seed, Kernels k) {
        return Models.compile(trained(cell, layers, d, n, o, seed), k);
    }

    /** A stream that has taken {@code steps} steps of seeded inputs (a state with no zeros). */
    static StreamState advanced(InferenceModel model, int steps, long seed) {
        StreamState s = model.newStream();
        model.prefill(s, steps, StreamingTest.inputs(steps, model.spec().inputSize(), seed), 0, null, 0);
        return s;
    }

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(CellKind.LSTM, 2, 13, 33, "scalar"),
                Arguments.of(CellKind.LSTM, 1, 1, 1, "vector"),
                Arguments.of(CellKind.RNN, 3, 7, 3, "vector"),
                Arguments.of(CellKind.LSTM_NO_FORGET, 1, 3, 7, "scalar"),
                Arguments.of(CellKind.RNN, 1, 1, 13, "scalar"),
                Arguments.of(CellKind.GRU_2014, 2, 5, 7, "vector"));
    }

    static void assertMessage(Throwable e, String... parts) {
        BadInputTest.assertMessage(e, parts);
    }

    // ---------------------------------------------------------------------------------------
    // The byte format and save/restore
    // ---------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} L={1} d={2} n={3} {4}")
    @MethodSource("shapes")
    void bytesFollowTheDocumentedFormat(CellKind cell, int layers, int d, int n, String kernels) {
        InferenceModel model = compiled(cell, layers, d, n, 3, 5, PyTorchFixtureTest.kernels(kernels));
        StreamState s = advanced(model, 7, 1);
        boolean hasC = cell.hasCellState();
        int values = layers * n * (hasC ? 2 : 1);
        assertEquals(32 + 4 * values, s.stateBytes(), "header (6 ints, 1 long) and the states");
        byte[] bytes = s.saveState();
        assertEquals(s.stateBytes(), bytes.length);
        assertArrayEquals(new byte[] {'T', 'S', 'N', 'R'}, Arrays.copyOf(bytes, 4), "0x524E5354 little-endian");
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x524E5354, in.getInt());
        assertEquals(1, in.getInt(), "version");
        assertEquals(cell.ordinal(), in.getInt(), "cell");
        assertEquals(layers, in.getInt(), "layers");
        assertEquals(n, in.getInt(), "n");
        assertEquals(d, in.getInt(), "d");
        assertEquals(7L, in.getLong(), "steps");
        float[] v = new float[n];
        for (String part : hasC ? new String[] {"h", "c"} : new String[] {"h"}) {
            for (int l = 0; l < layers; l++) {
                if (part.equals("h")) {
                    s.copyHidden(l, v, 0);
                } else {
                    s.copyCell(l, v, 0);
                }
                for (int j = 0; j < n; j++) {
                    assertEquals(Float.floatToRawIntBits(v[j]), Float.floatToRawIntBits(in.getFloat()),
                            part + " of layer " + l + ", unit " + j);
                }
            }
        }
        assertFalse(in.hasRemaining());
    }

    @ParameterizedTest(name = "{0} L={1} d={2} n={3} {4}")
    @MethodSource("shapes")
    void saveAndRestoreRoundTripBitwise(CellKind cell, int layers, int d, int n, String kernels) {
        InferenceModel model = compiled(cell, layers, d, n, 4, 6, PyTorchFixtureTest.kernels(kernels));
        StreamState s = advanced(model, 40, 2);
        byte[] bytes = s.saveState();
        StreamState r = model.newStream();
        r.restoreState(bytes);
        assertEquals(40, r.steps());
        assertArrayEquals(bytes, r.saveState());

        float[] x = StreamingTest.inputs(9, d, 3);
        float[] ys = new float[9 * 4];
        float[] yr = new float[9 * 4];
        model.prefill(s, 4, x, 0, ys, 0);
        model.prefill(r, 4, x, 0, yr, 0);
        StreamingTest.assertStatesEqual(s, r, layers, n, cell.hasCellState());
        for (int t = 4; t < 9; t++) {
            model.step(s, x, t * d, ys, t * 4);
            model.step(r, x, t * d, yr, t * 4);
        }
        assertArrayEquals(ys, yr, "outputs after the restore");
        assertArrayEquals(s.saveState(), r.saveState());
        assertEquals(49, r.steps());
        assertFalse(Arrays.equals(bytes, r.saveState()), "the state moved on");
    }

    @Test
    void restoreIntoAModelOfTheSameShapeWithOtherWeights() {
        InferenceModel a = compiled(CellKind.LSTM, 2, 3, 7, 5, 11, KernelProvider.vector());
        InferenceModel b = compiled(CellKind.LSTM, 2, 3, 7, 2, 12, KernelProvider.scalar()); // other o, weights, kernels
        StreamState sa = advanced(a, 13, 4);
        StreamState sb = b.newStream();
        sb.restoreState(sa.saveState());
        assertArrayEquals(sa.saveState(), sb.saveState(), "the state is only the shape's numbers");
        assertEquals(13, sb.steps());

        // b continues from a's state as if b had been given it with setState
        float[] h = new float[14];
        float[] c = new float[14];
        for (int l = 0; l < 2; l++) {
            sa.copyHidden(l, h, 7 * l);
            sa.copyCell(l, c, 7 * l);
        }
        StreamState twin = b.newStream();
        twin.setState(h, c);
        float[] x = StreamingTest.inputs(3, 3, 5);
        float[] y1 = new float[6];
        float[] y2 = new float[6];
        b.prefill(sb, 3, x, 0, y1, 0);
        b.prefill(twin, 3, x, 0, y2, 0);
        assertArrayEquals(y2, y1);
        StreamingTest.assertStatesEqual(twin, sb, 2, 7, true);
    }

    static Stream<Arguments> otherShapes() {
        // the target is LSTM, 2 layers, n = 7, d = 3
        return Stream.of(
                Arguments.of(CellKind.LSTM, 2, 3, 8, "other n"),
                Arguments.of(CellKind.LSTM, 1, 3, 7, "other layers"),
                Arguments.of(CellKind.LSTM, 3, 3, 7, "more layers"),
                Arguments.of(CellKind.LSTM, 2, 4, 7, "other d (same byte count)"),
                Arguments.of(CellKind.RNN, 2, 3, 7, "RNN vs LSTM"),
                Arguments.of(CellKind.RNN, 4, 3, 7, "RNN vs LSTM, same byte count"),
                Arguments.of(CellKind.LSTM_NO_FORGET, 2, 3, 7, "LSTM without forget gate (same byte count)"),
                Arguments.of(CellKind.GRU_2014, 4, 3, 7, "2014 GRU vs LSTM, same byte count"));
    }

    @ParameterizedTest(name = "{4}")
    @MethodSource("otherShapes")
    void restoreIntoAnotherShapeIsRefused(CellKind cell, int layers, int d, int n, String what) {
        CompiledModel target = (CompiledModel) compiled(CellKind.LSTM, 2, 3, 7, 3, 21, KernelProvider.scalar());
        CompiledModel source = (CompiledModel) compiled(cell, layers, d, n, 3, 22, KernelProvider.scalar());
        StreamState s = advanced(target, 5, 6);
        byte[] before = s.saveState();
        byte[] other = advanced(source, 5, 7).saveState();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.restoreState(other));
        assertMessage(e, source.shape(), target.shape());
        assertArrayEquals(before, s.saveState(), "the stream is unchanged");
        ByteBuffer buf = ByteBuffer.wrap(other);
        e = assertThrows(IllegalArgumentException.class, () -> s.restoreState(buf));
        assertMessage(e, source.shape(), target.shape());
        assertArrayEquals(before, s.saveState(), "the stream is unchanged");

        StreamState t = source.newStream();
        e = assertThrows(IllegalArgumentException.class, () -> t.restoreState(before));
        assertMessage(e, source.shape(), target.shape());
        assertEquals(0, t.steps());
        assertArrayEquals(source.newStream().saveState(), t.saveState(), "still the zero state");
    }

    /**
     * A corruption of an LSTM (2 layers, n = 7) state: the int {@code value} written little-endian
     * at byte {@code at} of the state; the message must name byte offset {@code reported} (from the
     * state's start) and the {@code parts}.
     */
    record Corruption(int at, int value, int reported, String... parts) {}

    static Stream<Arguments> corruptions() {
        return Stream.of(
                Arguments.of("wrong magic", new Corruption(0, 0x524E5355, 0, "magic")),
                Arguments.of("magic written big-endian", new Corruption(0, 0x54534E52, 0, "magic", "RNST")),
                Arguments.of("wrong version", new Corruption(4, 2, 4, "version 2")),
                Arguments.of("unknown cell", new Corruption(8, 99, 0, "cell #99")),
                Arguments.of("negative step count", new Corruption(28, -1, 24, "negative")),
                Arguments.of("NaN in h", new Corruption(32 + 4 * 3, Float.floatToRawIntBits(Float.NaN), 32 + 4 * 3,
                        "NaN", "h of layer 0, unit 3")),
                Arguments.of("+Inf in h of layer 1", new Corruption(32 + 4 * 9,
                        Float.floatToRawIntBits(Float.POSITIVE_INFINITY), 32 + 4 * 9, "Infinity", "h of layer 1, unit 2")),
                Arguments.of("-Inf in c of layer 1", new Corruption(32 + 4 * 27,
                        Float.floatToRawIntBits(Float.NEGATIVE_INFINITY), 32 + 4 * 27, "-Infinity", "c of layer 1, unit 6")),
                Arguments.of("a signalling NaN in c of layer 0", new Corruption(32 + 4 * 14, 0x7f800001, 32 + 4 * 14,
                        "NaN", "c of layer 0, unit 0")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptions")
    void corruptStatesAreRefusedWithTheirOffset(String name, Corruption k) {
        InferenceModel model = compiled(CellKind.LSTM, 2, 3, 7, 3, 31, KernelProvider.vector());
        StreamState s = advanced(model, 6, 8);
        byte[] before = s.saveState();
        byte[] saved = advanced(model, 9, 9).saveState();
        ByteBuffer buf = ByteBuffer.allocate(7 + saved.length + 5);
        buf.position(7);
        buf.put(saved);
        buf.order(ByteOrder.LITTLE_ENDIAN).putInt(7 + k.at(), k.value());
        buf.order(ByteOrder.BIG_ENDIAN).position(7);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.restoreState(buf));
        assertMessage(e, k.parts());
        assertMessage(e, "offset " + (7 + k.reported()));
        assertArrayEquals(before, s.saveState(), "the stream is unchanged");
        assertEquals(6, s.steps());

        // the same bytes at the start of an array: the offset is 7 less
        byte[] alone = Arrays.copyOfRange(buf.array(), 7, 7 + saved.length);
        e = assertThrows(IllegalArgumentException.class, () -> s.restoreState(alone));
        assertMessage(e, k.parts());
        assertMessage(e, "offset " + k.reported());
        assertArrayEquals(before, s.saveState(), "the stream is unchanged");

        // and the uncorrupted state restores from the same place
        buf.put(7 + k.at(), saved, k.at(), 4).position(7);
        s.restoreState(buf);
        assertEquals(7 + saved.length, buf.position());
        assertArrayEquals(saved, s.saveState());
    }

    @Test
    void truncatedAndTrailingBytesAreRefused() {
        InferenceModel model = compiled(CellKind.RNN, 2, 3, 5, 3, 41, KernelProvider.vector());
        StreamState s = advanced(model, 6, 10);
        byte[] before = s.saveState();
        byte[] saved = advanced(model, 8, 11).saveState();
        int size = saved.length;

        for (int keep : new int[] {0, 3, 31, 32, 33, size - 4, size - 1}) {
            byte[] cut = Arrays.copyOf(saved, keep);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.restoreState(cut),
                    keep + " bytes");
            assertMessage(e, "offset 0", String.valueOf(keep));
            assertArrayEquals(before, s.saveState(), "the stream is unchanged after " + keep + " bytes");

            ByteBuffer buf = ByteBuffer.allocate(5 + size).put(new byte[5]).put(saved);
            buf.limit(5 + keep).position(5);
            e = assertThrows(IllegalArgumentException.class, () -> s.restoreState(buf), keep + " bytes at 5");
            assertMessage(e, "offset 5", String.valueOf(keep));
            assertArrayEquals(before, s.saveState(), "the stream is unchanged after " + keep + " bytes at 5");
        }

        for (int extra : new int[] {1, 4, size}) {
            byte[] longer = Arrays.copyOf(saved, size + extra);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.restoreState(longer),
                    extra + " trailing bytes");
            assertMessage(e, String.valueOf(extra), "offset " + size);
            assertArrayEquals(before, s.saveState(), "the stream is unchanged after " + extra + " trailing bytes");
            assertEquals(6, s.steps());
        }
        // a buffer may hold more: restoreState(ByteBuffer) reads one state and leaves the rest
        ByteBuffer two = ByteBuffer.allocate(2 * size).put(saved).put(before).flip();
        s.restoreState(two);
        assertEquals(size, two.position());
        assertArrayEquals(saved, s.saveState());
        s.restoreState(two);
        assertEquals(2 * size, two.position());
        assertArrayEquals(before, s.saveState());
    }

    @Test
    void trailingBytesAfterAStateOfAnotherShapeNameTheShape() {
        CompiledModel small = (CompiledModel) compiled(CellKind.RNN, 1, 3, 5, 3, 42, KernelProvider.scalar());
        CompiledModel big = (CompiledModel) compiled(CellKind.RNN, 1, 3, 6, 3, 43, KernelProvider.scalar());
        StreamState s = advanced(small, 2, 12);
        byte[] before = s.saveState();
        byte[] other = advanced(big, 2, 13).saveState();                    // longer than small's state
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.restoreState(other));
        assertMessage(e, big.shape(), small.shape());
        assertArrayEquals(before, s.saveState());
    }

    @ParameterizedTest(name = "{0} L={1} d={2} n={3} {4}")
    @MethodSource("shapes")
    void byteBuffersOfEitherOrderAndAnyPosition(CellKind cell, int layers, int d, int n, String kernels) {
        InferenceModel model = compiled(cell, layers, d, n, 2, 51, PyTorchFixtureTest.kernels(kernels));
        StreamState s = advanced(model, 11, 14);
        byte[] expected = s.saveState();
        int size = s.stateBytes();

        ByteBuffer big = ByteBuffer.allocate(3 + 2 * size + 1).order(ByteOrder.BIG_ENDIAN);
        big.position(3);
        s.saveState(big);
        assertEquals(3 + size, big.position(), "the position advances by stateBytes()");
        assertEquals(ByteOrder.BIG_ENDIAN, big.order(), "the caller's order is kept");
        s.saveState(big);
        assertEquals(3 + 2 * size, big.position());
        assertArrayEquals(expected, Arrays.copyOfRange(big.array(), 3, 3 + size), "little-endian in a big-endian buffer");
        assertArrayEquals(expected, Arrays.copyOfRange(big.array(), 3 + size, 3 + 2 * size));
        assertEquals(0, big.get(0));
        assertEquals(0, big.get(3 + 2 * size), "nothing written past the state");

        ByteBuffer little = ByteBuffer.wrap(big.array()).order(ByteOrder.LITTLE_ENDIAN);
        little.position(3 + size);
        StreamState r = model.newStream();
        r.restoreState(little);
        assertEquals(3 + 2 * size, little.position());
        assertArrayEquals(expected, r.saveState());
        assertEquals(11, r.steps());

        ByteBuffer direct = ByteBuffer.allocateDirect(size + 2).order(ByteOrder.LITTLE_ENDIAN);
        direct.position(2);
        s.saveState(direct);
        assertEquals(size + 2, direct.position());
        direct.order(ByteOrder.BIG_ENDIAN).position(2);
        StreamState q = model.newStream();
        q.restoreState(direct);
        assertEquals(size + 2, direct.position());
        assertArrayEquals(expected, q.saveState());
    }

    @Test
    void saveIntoATooSmallBufferWritesNothing() {
        InferenceModel model = compiled(CellKind.LSTM, 2, 3, 7, 2, 61, KernelProvider.vector());
        StreamState s = advanced(model, 3, 15);
        int size = s.stateBytes();
        for (int room : new int[] {0, 1, 32, size - 1}) {
            ByteBuffer buf = ByteBuffer.allocate(10 + room);
            Arrays.fill(buf.array(), (byte) 0x5A);
            buf.position(10);
            assertThrows(BufferOverflowException.class, () -> s.saveState(buf), room + " bytes of room");
            assertEquals(10, buf.position(), "the position is unchanged");
            for (byte b : buf.array()) {
                assertEquals((byte) 0x5A, b, "nothing written with " + room + " bytes of room");
            }
        }
        ByteBuffer exact = ByteBuffer.allocate(10 + size).position(10);
        s.saveState(exact);
        assertFalse(exact.hasRemaining());
    }

    // ---------------------------------------------------------------------------------------
    // reset, copies, setState, copyCell
    // ---------------------------------------------------------------------------------------

    @Test
    void resetGoesBackToTheZeroState() {
        InferenceModel model = compiled(CellKind.LSTM, 3, 7, 13, 3, 71, KernelProvider.vector());
        StreamState fresh = model.newStream();
        StreamState s = advanced(model, 20, 16);
        assertEquals(20, s.steps());
        assertFalse(Arrays.equals(fresh.saveState(), s.saveState()));
        s.reset();
        assertEquals(0, s.steps());
        assertArrayEquals(fresh.saveState(), s.saveState());
        float[] x = StreamingTest.inputs(5, 7, 17);
        float[] y1 = new float[15];
        float[] y2 = new float[15];
        model.prefill(s, 5, x, 0, y1, 0);
        model.prefill(fresh, 5, x, 0, y2, 0);
        assertArrayEquals(y2, y1, "after reset a stream steps as a new one");
    }

    @Test
    void copyAndCopyFromCopyStateAndStepCount() {
        InferenceModel model = compiled(CellKind.LSTM, 2, 3, 33, 4, 81, KernelProvider.vector());
        StreamState s = advanced(model, 37, 18);
        StreamState c = s.copy();
        assertNotSame(s, c);
        assertSame(model, c.model());
        assertEquals(37, c.steps());
        byte[] bytes = s.saveState();
        assertArrayEquals(bytes, c.saveState());

        float[] x = StreamingTest.inputs(2, 3, 19);
        model.prefill(c, 2, x, 0, null, 0);
        assertArrayEquals(bytes, s.saveState(), "the copy is independent of the original");
        assertEquals(39, c.steps());

        StreamState t = model.newStream();
        t.copyFrom(c);
        assertArrayEquals(c.saveState(), t.saveState());
        assertEquals(39, t.steps());
        model.step(c, x, 0, null, 0);
        assertEquals(39, t.steps(), "copyFrom copies, it does not share");

        // copyFrom a stream of another model of the same shape (other weights, kernels, o)
        InferenceModel other = compiled(CellKind.LSTM, 2, 3, 33, 9, 82, KernelProvider.scalar());
        StreamState o = advanced(other, 5, 20);
        t.copyFrom(o);
        assertArrayEquals(o.saveState(), t.saveState());
        assertSame(model, t.model());
    }

    @Test
    void copyFromAnotherShapeIsRefused() {
        CompiledModel model = (CompiledModel) compiled(CellKind.LSTM, 2, 3, 7, 4, 91, KernelProvider.vector());
        StreamState s = advanced(model, 4, 21);
        byte[] before = s.saveState();
        for (InferenceModel other : new InferenceModel[] {
                compiled(CellKind.LSTM, 2, 3, 8, 4, 92, KernelProvider.vector()),
                compiled(CellKind.LSTM, 1, 3, 7, 4, 93, KernelProvider.vector()),
                compiled(CellKind.LSTM, 2, 1, 7, 4, 94, KernelProvider.vector()),
                compiled(CellKind.RNN, 2, 3, 7, 4, 95, KernelProvider.vector()),
                compiled(CellKind.LSTM_NO_FORGET, 2, 3, 7, 4, 96, KernelProvider.vector())}) {
            StreamState o = advanced(other, 3, 22);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.copyFrom(o));
            assertMessage(e, ((CompiledModel) other).shape(), model.shape());
            assertArrayEquals(before, s.saveState(), "unchanged after copyFrom " + other);
            assertEquals(4, s.steps());
        }
        assertThrows(IllegalArgumentException.class, () -> s.copyFrom(null));
        assertArrayEquals(before, s.saveState());
    }

    @Test
    void setStateTakesHAndCLayerAfterLayer() {
        InferenceModel model = compiled(CellKind.LSTM, 3, 3, 7, 4, 101, KernelProvider.vector());
        StreamState s = model.newStream();
        float[] h = new float[21];
        float[] c = new float[21];
        for (int i = 0; i < 21; i++) {
            h[i] = 0.01f * i - 0.1f;
            c[i] = 2f - 0.1f * i;
        }
        s.setState(h, c);
        float[] v = new float[9];
        for (int l = 0; l < 3; l++) {
            s.copyHidden(l, v, 2);
            assertArrayEquals(Arrays.copyOfRange(h, 7 * l, 7 * l + 7), Arrays.copyOfRange(v, 2, 9), "h of layer " + l);
            s.copyCell(l, v, 1);
            assertArrayEquals(Arrays.copyOfRange(c, 7 * l, 7 * l + 7), Arrays.copyOfRange(v, 1, 8), "c of layer " + l);
        }
        h[0] = 99;                                                          // setState copies
        s.copyHidden(0, v, 0);
        assertEquals(-0.1f, v[0]);

        s.setState(h, null);                                                 // c = 0
        s.copyCell(2, v, 0);
        assertArrayEquals(new float[7], Arrays.copyOf(v, 7));
        s.copyHidden(0, v, 0);
        assertEquals(99f, v[0]);
        s.setState(null, null);
        assertArrayEquals(model.newStream().saveState(), s.saveState());
    }

    @Test
    void setStateValidatesAndLeavesTheStateOnFailure() {
        InferenceModel lstm = compiled(CellKind.LSTM, 2, 3, 7, 4, 111, KernelProvider.vector());
        StreamState s = advanced(lstm, 5, 23);
        byte[] before = s.saveState();
        float[] ok = new float[14];
        assertMessage(assertThrows(IllegalArgumentException.class, () -> s.setState(new float[13], null)), "14", "13");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> s.setState(new float[15], ok)), "14", "15");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> s.setState(ok, new float[7])), "14", "7");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> s.setState(null, new float[28])), "14", "28");
        float[] nan = new float[14];
        nan[10] = Float.NaN;
        assertMessage(assertThrows(IllegalArgumentException.class, () -> s.setState(nan, ok)),
                "h of layer 1, unit 3", "NaN");
        float[] inf = new float[14];
        inf[6] = Float.NEGATIVE_INFINITY;
        assertMessage(assertThrows(IllegalArgumentException.class, () -> s.setState(ok, inf)),
                "c of layer 0, unit 6", "Infinity");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> s.setState(inf, null)),
                "h of layer 0, unit 6");
        assertArrayEquals(before, s.saveState(), "no failed setState changed the stream");

        InferenceModel rnn = compiled(CellKind.RNN, 2, 3, 7, 4, 112, KernelProvider.vector());
        StreamState r = advanced(rnn, 5, 24);
        byte[] rBefore = r.saveState();
        assertMessage(assertThrows(IllegalArgumentException.class, () -> r.setState(ok, ok)), "RNN", "null");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> r.setState(null, new float[14])), "RNN");
        assertArrayEquals(rBefore, r.saveState());
        float[] h = StreamingTest.inputs(1, 14, 25);
        r.setState(h, null);
        float[] v = new float[7];
        r.copyHidden(1, v, 0);
        assertArrayEquals(Arrays.copyOfRange(h, 7, 14), v);
    }

    @Test
    void copyCellOfAnRnnIsIllegalState() {
        InferenceModel rnn = compiled(CellKind.RNN, 1, 3, 7, 4, 121, KernelProvider.scalar());
        StreamState s = rnn.newStream();
        assertMessage(assertThrows(IllegalStateException.class, () -> s.copyCell(0, new float[7], 0)), "RNN");
        s.copyHidden(0, new float[7], 0);
        assertThrows(IllegalArgumentException.class, () -> s.copyHidden(1, new float[7], 0));
        assertThrows(IllegalArgumentException.class, () -> s.copyHidden(-1, new float[7], 0));
        assertThrows(IllegalArgumentException.class, () -> s.copyHidden(0, new float[7], 1));
        assertThrows(IllegalArgumentException.class, () -> s.copyHidden(0, null, 0));
    }

    // ---------------------------------------------------------------------------------------
    // The compiled model is a snapshot; prefill from a given state against the training forward
    // ---------------------------------------------------------------------------------------

    @Test
    void laterChangesToTheModelDoNotReachTheCompiledOne() {
        RecurrentModel trained = trained(CellKind.LSTM, 2, 3, 7, 4, 131);
        InferenceModel model = Models.compile(trained, KernelProvider.vector());
        float[] x = StreamingTest.inputs(6, 3, 25);
        float[] before = new float[24];
        model.prefill(model.newStream(), 6, x, 0, before, 0);
        for (String p : new String[] {"layer0.W_x", "layer1.W_h", "layer1.b", "W_y", "b_y"}) {
            Arrays.fill(trained.parameter(p).value(), 0.5f);
        }
        float[] after = new float[24];
        model.prefill(model.newStream(), 6, x, 0, after, 0);
        assertArrayEquals(before, after);
        float[] recompiled = new float[24];
        InferenceModel again = Models.compile(trained, KernelProvider.vector());
        again.prefill(again.newStream(), 6, x, 0, recompiled, 0);
        assertFalse(Arrays.equals(before, recompiled), "the new weights do reach a new compile");
    }

    static Stream<Arguments> prefillCases() {
        return Stream.of(
                Arguments.of(CellKind.LSTM, Nonlinearity.TANH, 2, 13, 33, OutputHead.SOFTMAX, "vector"),
                Arguments.of(CellKind.LSTM_NO_FORGET, Nonlinearity.TANH, 1, 3, 7, OutputHead.LINEAR, "scalar"),
                Arguments.of(CellKind.RNN, Nonlinearity.TANH, 3, 7, 13, OutputHead.LINEAR, "vector"),
                Arguments.of(CellKind.RNN, Nonlinearity.RELU, 1, 1, 3, OutputHead.SOFTMAX, "scalar"));
    }

    /**
     * A prefill of T = 70 steps (three chunks) from a given h0, c0 against the training model's
     * forward over the same sequence (m = 1) from {@code setInitialState(h0, c0)}: the same
     * tolerance as {@link StreamingTest} (2e-4 of max(1, |v|)).
     */
    @ParameterizedTest(name = "{0} {1} L={2} d={3} n={4} {5} {6}")
    @MethodSource("prefillCases")
    void prefillFromAGivenStateMatchesTheTrainingForward(CellKind cell, Nonlinearity phi, int layers, int d, int n,
                                                         OutputHead head, String kernels) {
        int steps = 70;
        int o = 3;
        RecurrentModel trained = Models.create(ModelSpec.builder(d, n, o).cell(cell).activation(phi).layers(layers)
                .head(head).seed(141 + n).build(), KernelProvider.scalar());
        float[] x = StreamingTest.inputs(steps, d, 26);
        float[] h0 = StreamingTest.inputs(1, layers * n, 27);
        float[] c0 = cell == CellKind.RNN ? null : StreamingTest.inputs(1, layers * n, 28);
        if (phi == Nonlinearity.RELU) {
            for (int i = 0; i < h0.length; i++) {
                h0[i] = Math.abs(h0[i]);
            }
        }
        trained.setInitialState(h0, c0);
        float[] yTrain = new float[steps * o];
        trained.forward(SequenceBatch.of(steps, 1, d, x, null), yTrain);
        float[] hTrain = new float[layers * n];
        float[] cTrain = new float[layers * n];
        trained.copyFinalState(hTrain, cTrain);

        InferenceModel model = Models.compile(trained, PyTorchFixtureTest.kernels(kernels));
        StreamState s = model.newStream();
        s.setState(h0, c0);
        float[] y = new float[steps * o];
        model.prefill(s, steps, x, 0, y, 0);
        assertEquals(steps, s.steps());
        double tol = StreamingTest.TOL;
        for (int i = 0; i < y.length; i++) {
            assertEquals(yTrain[i], y[i], tol * Math.max(1, Math.abs(yTrain[i])), "ŷ[t=" + i / o + "][" + i % o + "]");
        }
        float[] v = new float[n];
        for (int l = 0; l < layers; l++) {
            s.copyHidden(l, v, 0);
            for (int j = 0; j < n; j++) {
                float ref = hTrain[l * n + j];
                assertEquals(ref, v[j], tol * Math.max(1, Math.abs(ref)), "h[l=" + l + "][j=" + j + "]");
            }
            if (c0 != null) {
                s.copyCell(l, v, 0);
                for (int j = 0; j < n; j++) {
                    float ref = cTrain[l * n + j];
                    assertEquals(ref, v[j], tol * Math.max(1, Math.abs(ref)), "c[l=" + l + "][j=" + j + "]");
                }
            }
        }
    }
}
