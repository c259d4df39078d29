package org.rnn4j.lstm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SafeTensorsWriter} → bytes → {@link SafeTensorsFile}: everything comes back as written. */
class SafeTensorsRoundTripTest {
    @TempDir
    Path dir;

    /** Values with every awkward bit pattern: ±0, subnormals, extremes, and random bits. */
    private static float[] values(int n, long seed) {
        float[] special = {0f, -0f, 1f, -1f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE,
            -Float.MAX_VALUE, 0.1f, 1e-40f, (float) Math.PI};
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            if (i < special.length) {
                v[i] = special[(int) ((i + seed) % special.length)];
            } else {
                float f;
                do {
                    f = Float.intBitsToFloat(r.nextInt());
                } while (!Float.isFinite(f));
                v[i] = f;
            }
        }
        return v;
    }

    private static void assertBitwise(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what + ": length");
        for (int i = 0; i < want.length; i++) {
            assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]), what + "[" + i + "]");
        }
    }

    private record Spec(String name, long[] shape, float[] data) {}

    private static List<Spec> specs() {
        List<Spec> s = new ArrayList<>();
        s.add(new Spec("scalar", new long[] {}, new float[] {-2.75f}));
        s.add(new Spec("empty_0x3", new long[] {0, 3}, new float[0]));
        s.add(new Spec("empty_0", new long[] {0}, new float[0]));
        long seed = 1;
        for (int n : new int[] {1, 3, 7, 13, 33, 129}) {
            s.add(new Spec("v" + n, new long[] {n}, values(n, seed++)));
        }
        s.add(new Spec("m3x7", new long[] {3, 7}, values(21, seed++)));
        s.add(new Spec("t1x13x1", new long[] {1, 13, 1}, values(13, seed++)));
        s.add(new Spec("layer.0.weight_ih", new long[] {4, 33}, values(132, seed++)));
        s.add(new Spec("ünïcødé/名前 \"q\" \\", new long[] {2}, new float[] {5f, 6f}));
        return s;
    }

    private static SafeTensorsWriter writer(List<Spec> specs, Map<String, String> metadata) {
        SafeTensorsWriter w = new SafeTensorsWriter();
        for (Spec s : specs) {
            w.add(s.name(), s.shape(), s.data());
        }
        metadata.forEach(w::metadata);
        return w;
    }

    private static Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", "rnn4j");
        m.put("unicode", "héllo wörld — 日本語 😀 (astral)");
        m.put("quotes \"and\" backslash \\", "value with \"quotes\", \\ backslash \\\" both, and /slash");
        m.put("newline", "line1\nline2\r\nline3\ttab");
        m.put("controls", "\u0000\u0001\u0008\u000c\u001f\u007f end");
        m.put("empty", "");
        m.put("json-looking", "{\"dtype\":\"F32\",\"shape\":[1]}");
        return m;
    }

    private static void assertSame(List<Spec> specs, Map<String, String> metadata, SafeTensorsFile f) throws ModelFileException {
        assertEquals(specs.stream().map(Spec::name).toList(), f.tensors().stream().map(TensorInfo::name).toList(),
                "file order is the order added");
        long offset = 0;
        for (Spec s : specs) {
            TensorInfo t = f.tensor(s.name());
            assertTrue(f.has(s.name()));
            assertEquals(DType.F32, t.dtype(), s.name());
            assertArrayEquals(s.shape(), t.shape(), s.name());
            assertEquals(offset, t.begin(), s.name() + ": begin");
            assertEquals(offset + 4L * s.data().length, t.end(), s.name() + ": end");
            assertEquals(s.data().length, t.elements(), s.name());
            offset = t.end();
            assertBitwise(s.data(), f.floats(s.name()), s.name());
        }
        assertEquals(metadata, f.metadata());
        assertEquals(new ArrayList<>(metadata.keySet()), new ArrayList<>(f.metadata().keySet()), "metadata order");
    }

    @Test
    void bytesRoundTrip() throws ModelFileException {
        List<Spec> specs = specs();
        Map<String, String> meta = metadata();
        byte[] bytes = writer(specs, meta).toBytes();
        SafeTensorsFile f = SafeTensorsFile.parse(bytes);
        assertSame(specs, meta, f);
        long total = specs.stream().mapToLong(s -> 4L * s.data().length).sum();
        assertEquals(bytes.length, f.dataStart() + total, "data runs to the end of the file");
    }

    @Test
    void dataStartIsEightByteAlignedAndHeaderPaddedWithSpaces() throws ModelFileException {
        // names of every length 1..16 shift the header length through all residues mod 8
        for (int len = 1; len <= 16; len++) {
            String name = "n".repeat(len);
            byte[] bytes = new SafeTensorsWriter().add(name, new long[] {1}, new float[] {1f}).toBytes();
            SafeTensorsFile f = SafeTensorsFile.parse(bytes);
            assertEquals(0, f.dataStart() % 8, name + ": data start " + f.dataStart());
            long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertEquals(8 + n, f.dataStart());
            String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
            String trimmed = header.stripTrailing();
            assertTrue(trimmed.endsWith("}"), header);
            assertTrue(header.length() - trimmed.length() < 8, "at most 7 spaces of padding: '" + header + "'");
            assertTrue(header.substring(trimmed.length()).chars().allMatch(c -> c == ' '), "padding is spaces");
        }
    }

    @Test
    void emptyWriterRoundTrips() throws ModelFileException {
        SafeTensorsFile f = SafeTensorsFile.parse(new SafeTensorsWriter().toBytes());
        assertEquals(List.of(), f.tensors());
        assertEquals(Map.of(), f.metadata());
        SafeTensorsFile g = SafeTensorsFile.parse(new SafeTensorsWriter().metadata("k", "v").toBytes());
        assertEquals(Map.of("k", "v"), g.metadata());
    }

    @Test
    void metadataLaterValueReplacesEarlier() throws ModelFileException {
        SafeTensorsFile f = SafeTensorsFile.parse(new SafeTensorsWriter().metadata("k", "1").metadata("k", "2").toBytes());
        assertEquals(Map.of("k", "2"), f.metadata());
    }

    @Test
    void writerCopiesTheData() throws ModelFileException {
        float[] data = {1f, 2f};
        long[] shape = {2};
        SafeTensorsWriter w = new SafeTensorsWriter().add("a", shape, data);
        data[0] = 99f;
        shape[0] = 7;
        SafeTensorsFile f = SafeTensorsFile.parse(w.toBytes());
        assertArrayEquals(new float[] {1f, 2f}, f.floats("a"));
        assertArrayEquals(new long[] {2}, f.tensor("a").shape());
    }

    @Test
    void writePathThenReadPath() throws IOException {
        List<Spec> specs = specs();
        Map<String, String> meta = metadata();
        Path p = dir.resolve("model.safetensors");
        writer(specs, meta).write(p);
        assertSame(specs, meta, SafeTensorsFile.read(p));
        // overwrite with a different model
        List<Spec> other = List.of(new Spec("only", new long[] {2, 2}, new float[] {1, 2, 3, 4}));
        writer(other, Map.of()).write(p);
        assertSame(other, Map.of(), SafeTensorsFile.read(p));
    }

    private static IllegalArgumentException refused(SafeTensorsWriter w, String name, long[] shape, float[] data) {
        return assertThrows(IllegalArgumentException.class, () -> w.add(name, shape, data));
    }

    @Test
    void writerRefusesBadNames() {
        SafeTensorsWriter w = new SafeTensorsWriter().add("a", new long[] {1}, new float[] {1});
        IllegalArgumentException dup = refused(w, "a", new long[] {1}, new float[] {2});
        assertTrue(dup.getMessage().contains("\"a\"") && dup.getMessage().contains("already"), dup.getMessage());
        IllegalArgumentException meta = refused(w, "__metadata__", new long[] {1}, new float[] {2});
        assertTrue(meta.getMessage().contains("__metadata__"), meta.getMessage());
        IllegalArgumentException empty = refused(w, "", new long[] {1}, new float[] {2});
        assertTrue(empty.getMessage().contains("non-empty"), empty.getMessage());
        refused(w, null, new long[] {1}, new float[] {2});
    }

    @Test
    void writerRefusesBadShapes() {
        SafeTensorsWriter w = new SafeTensorsWriter();
        IllegalArgumentException mismatch = refused(w, "w", new long[] {2, 3}, new float[5]);
        assertTrue(mismatch.getMessage().contains("\"w\"") && mismatch.getMessage().contains("[2, 3]")
                && mismatch.getMessage().contains("5"), mismatch.getMessage());
        IllegalArgumentException scalar = refused(w, "s", new long[] {}, new float[0]);
        assertTrue(scalar.getMessage().contains("\"s\""), scalar.getMessage());
        IllegalArgumentException negative = refused(w, "neg", new long[] {-1, -3}, new float[3]);
        assertTrue(negative.getMessage().contains("\"neg\"") && negative.getMessage().contains("negative"),
                negative.getMessage());
    }

    @Test
    void writerRefusesNonFiniteValuesNamingTensorAndElement() {
        SafeTensorsWriter w = new SafeTensorsWriter();
        float[][] bad = {{0, 1, Float.NaN}, {Float.POSITIVE_INFINITY}, {1, 2, 3, 4, Float.NEGATIVE_INFINITY}};
        int[] index = {2, 0, 4};
        for (int k = 0; k < bad.length; k++) {
            IllegalArgumentException e = refused(w, "t" + k, new long[] {bad[k].length}, bad[k]);
            assertTrue(e.getMessage().contains("\"t" + k + "\""), e.getMessage());
            assertTrue(e.getMessage().contains("element " + index[k]), e.getMessage());
        }
        // nothing refused was added
        assertEquals(List.of(), assertDoesNotThrowParse(w.toBytes()).tensors());
    }

    private static SafeTensorsFile assertDoesNotThrowParse(byte[] bytes) {
        try {
            return SafeTensorsFile.parse(bytes);
        } catch (ModelFileException e) {
            throw new AssertionError(e);
        }
    }

    /** A lone surrogate has no UTF-8 form: the writer escapes it, so it comes back as it went in. */
    @org.junit.jupiter.api.Test
    void loneSurrogatesSurviveTheRoundTrip() throws Exception {
        String lone = "a\uD800b\uDC00c";
        String pair = "x\uD83D\uDE00y";   // a real pair is written as UTF-8
        byte[] bytes = new SafeTensorsWriter().metadata(lone, pair).add(lone, new long[] {1}, new float[] {1f}).toBytes();
        SafeTensorsFile f = SafeTensorsFile.parse(bytes);
        org.junit.jupiter.api.Assertions.assertEquals(pair, f.metadata().get(lone));
        org.junit.jupiter.api.Assertions.assertTrue(f.has(lone));
    }

    /** A shape whose product overflows a long is an IllegalArgumentException naming the tensor; a 0 makes it empty. */
    @org.junit.jupiter.api.Test
    void hugeShapesAreRefusedUnlessEmpty() throws Exception {
        long big = 1L << 40;
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new SafeTensorsWriter().add("w", new long[] {big, big}, new float[0]));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("\"w\""), e.getMessage());
        byte[] bytes = new SafeTensorsWriter().add("empty", new long[] {big, big, 0}, new float[0]).toBytes();
        SafeTensorsFile f = SafeTensorsFile.parse(bytes);
        org.junit.jupiter.api.Assertions.assertEquals(0, f.tensor("empty").elements());
        org.junit.jupiter.api.Assertions.assertEquals(0, f.floats("empty").length);
    }
}
