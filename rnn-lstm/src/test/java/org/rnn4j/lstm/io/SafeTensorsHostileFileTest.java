package org.rnn4j.lstm.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Hand-built malformed safetensors files: each must be refused with a {@link ModelFileException}
 * saying what is wrong, where (byte offset) and, when it concerns one, which tensor; and random
 * mutations of a valid file must never surface any other exception type.
 */
class SafeTensorsHostileFileTest {

    // ---------------------------------------------------------------- helpers

    /** A file: 8-byte little-endian {@code length}, then {@code header}, then {@code data}. */
    private static byte[] file(long length, byte[] header, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        return b.putLong(length).put(header).put(data).array();
    }

    /** A file with the given header text (UTF-8, its true length) and data bytes. */
    private static byte[] file(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return file(h.length, h, data);
    }

    private static byte[] file(String header, int dataBytes) {
        return file(header, new byte[dataBytes]);
    }

    /** Offset in the file of the first occurrence of {@code token} in the (ASCII) header. */
    private static long at(String header, String token) {
        int i = header.indexOf(token);
        assertTrue(i >= 0, token + " not in " + header);
        return 8 + i;
    }

    /** A tensor entry. */
    private static String t(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + ","
                + end + "]}";
    }

    /** Parses, expecting a refusal whose message contains every one of {@code words}. */
    private static ModelFileException refused(byte[] bytes, String... words) {
        ModelFileException e = assertThrows(ModelFileException.class, () -> SafeTensorsFile.parse(bytes));
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "message lacks \"" + w + "\": " + e.getMessage());
        }
        if (e.offset() >= 0) {
            assertTrue(e.getMessage().endsWith("(byte offset " + e.offset() + ")"), e.getMessage());
        }
        return e;
    }

    private static ModelFileException refused(String header, int dataBytes, String... words) {
        return refused(file(header, dataBytes), words);
    }

    private static void assertAt(ModelFileException e, long offset, String tensor) {
        assertEquals(offset, e.offset(), "offset of: " + e.getMessage());
        assertEquals(tensor, e.tensor(), "tensor of: " + e.getMessage());
        if (tensor != null) {
            assertTrue(e.getMessage().startsWith("tensor \"" + tensor + "\": "), e.getMessage());
        }
    }

    private static SafeTensorsFile parses(byte[] bytes) {
        try {
            return SafeTensorsFile.parse(bytes);
        } catch (ModelFileException e) {
            throw new AssertionError("valid file refused", e);
        }
    }

    // ---------------------------------------------------------------- sanity: the helper builds valid files

    @Test
    void helperBuildsAValidFile() throws ModelFileException {
        String h = "{" + t("a", "F32", "[2]", 0, 8) + "," + t("b", "I32", "[]", 8, 12) + "}   ";
        SafeTensorsFile f = parses(file(h, 12));
        assertEquals(2, f.tensors().size());
        assertEquals(8 + h.length(), f.dataStart());
        // whitespace of every JSON kind around the tokens is fine
        parses(file(" \t\r\n{ \"a\" : { \"dtype\" : \"F32\" , \"shape\" : [ 1 ] , \"data_offsets\" : [ 0 , 4 ] } }\n ", 4));
        assertEquals(0, parses(file("{}", 0)).tensors().size());
    }

    // ---------------------------------------------------------------- framing

    @Test
    void fileShorterThanEightBytes() {
        for (int n = 0; n < 8; n++) {
            assertAt(refused(new byte[n], n + " bytes", "fewer than the 8"), 0, null);
        }
    }

    @Test
    void headerLengthBeyondTheFile() {
        byte[] h = "{}".getBytes(StandardCharsets.UTF_8);
        assertAt(refused(file(3, h, new byte[0]), "header length 3", "past the end", "truncated"), 0, null);
        assertAt(refused(file(1000, h, new byte[100]), "header length 1000"), 0, null);
    }

    @Test
    void absurdHeaderLength() {
        byte[] h = "{}".getBytes(StandardCharsets.UTF_8);
        assertAt(refused(file(1L << 40, h, new byte[0]), "header length " + (1L << 40), "above the limit"), 0, null);
        assertAt(refused(file(-1L, h, new byte[0]), "header length 18446744073709551615", "above the limit"), 0, null);
        assertAt(refused(file(Long.MIN_VALUE, h, new byte[0]), "header length 9223372036854775808"), 0, null);
        assertAt(refused(file(SafeTensorsFile.MAX_HEADER_BYTES + 1, h, new byte[0]), "above the limit"), 0, null);
    }

    // ---------------------------------------------------------------- header not JSON

    @Test
    void garbageHeader() {
        assertAt(refused("hello", 0, "header JSON", "unexpected 'h'"), 8, null);
        assertAt(refused("", 0, "header JSON", "end of the header"), 8, null);
        assertAt(refused("   ", 0, "end of the header"), 11, null);
    }

    @Test
    void truncatedJson() {
        String h = "{\"a\":{\"dtype\":\"F32\"";
        assertAt(refused(h, 0, "header JSON", "expected '}'", "end of the header"), 8 + h.length(), null);
        String h2 = "{\"a\":";
        assertAt(refused(h2, 0, "end of the header"), 8 + h2.length(), null);
        refused("{\"a\":[1,", 0, "end of the header");
        refused("{\"a\":tru", 0, "header JSON");
    }

    @Test
    void trailingGarbageAfterTheObject() {
        assertAt(refused("{} x", 0, "unexpected 'x' after the JSON value"), 8 + 3, null);
        assertAt(refused("{}{}", 0, "after the JSON value"), 8 + 2, null);
        // NUL padding is not the spaces the format allows
        assertAt(refused(file(4, new byte[] {'{', '}', 0, 0}, new byte[0]), "after the JSON value"), 10, null);
    }

    @Test
    void invalidUtf8() {
        byte[] h = {'{', '"', 'a', (byte) 0xFF, '"', ':', '1', '}'};
        assertAt(refused(file(h.length, h, new byte[0]), "not valid UTF-8"), 8 + 3, null);
        byte[] overlong = {'{', '"', (byte) 0xC0, (byte) 0xAF, '"', ':', '1', '}'};   // overlong '/'
        assertAt(refused(file(overlong.length, overlong, new byte[0]), "not valid UTF-8"), 8 + 2, null);
        byte[] surrogate = {'{', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', ':', '1', '}'};   // CESU U+D800
        assertAt(refused(file(surrogate.length, surrogate, new byte[0]), "not valid UTF-8"), 8 + 2, null);
        byte[] cut = {'{', '"', 'a', '"', ':', '"', (byte) 0xE6, (byte) 0x97};   // truncated 3-byte sequence
        assertAt(refused(file(cut.length, cut, new byte[0]), "not valid UTF-8"), 8 + 6, null);
    }

    @Test
    void stringErrors() {
        assertAt(refused("{\"abc", 0, "unterminated string"), 8 + 5, null);
        assertAt(refused("{\"a\\q\":1}", 0, "bad escape '\\q'"), 8 + 3, null);
        refused("{\"a\\u12G4\":1}", 0, "bad hex digit");
        refused("{\"a\\u12", 0, "truncated \\u escape");
        refused("{\"a\\", 0, "unterminated escape");
        assertAt(refused("{\"a\tb\":1}", 0, "control character U+0009"), 8 + 3, null);
        refused("{\"a\u0000\":1}", 0, "control character U+0000");
        refused("{'a':1}", 0, "expected a string key");
        refused("{a:1}", 0, "expected a string key");
    }

    @Test
    void badNumbers() {
        String lead = "{" + t("x", "F32", "[01]", 0, 4) + "}";
        ModelFileException e = refused(lead, 4, "header JSON");
        assertEquals(at(lead, "01") + 1, e.offset(), e.getMessage());
        String nan = "{" + t("x", "F32", "[NaN]", 0, 4) + "}";
        assertAt(refused(nan, 4, "unexpected 'N'"), at(nan, "NaN"), null);
        refused("{\"x\":Infinity}", 0, "unexpected 'I'");
        refused("{\"x\":-}", 0, "bad number");
        refused("{\"x\":+1}", 0, "unexpected '+'");
        refused("{\"x\":1.}", 0, "no digits after '.'");
        refused("{\"x\":.5}", 0, "unexpected '.'");
        refused("{\"x\":1e}", 0, "no digits in the exponent");
        refused("{\"x\":0x10}", 0, "header JSON");
    }

    @Test
    void headerNotAnObject() {
        assertAt(refused("[]", 0, "not a JSON object"), 8, null);
        assertAt(refused("[{\"a\":1}]", 0, "not a JSON object"), 8, null);
        assertAt(refused("\"abc\"", 0, "not a JSON object"), 8, null);
        assertAt(refused("null", 0, "not a JSON object"), 8, null);
        assertAt(refused("42", 0, "not a JSON object"), 8, null);
    }

    @Test
    void duplicateTensorName() {
        String h = "{" + t("a", "F32", "[1]", 0, 4) + "," + t("a", "F32", "[1]", 4, 8) + "}";
        ModelFileException e = refused(h, 8, "duplicate key \"a\"");
        assertEquals(at(h, ",\"a\"") + 1, e.offset(), e.getMessage());
        // duplicates inside an entry, too
        refused("{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4,
                "duplicate key \"dtype\"");
    }

    // ---------------------------------------------------------------- tensor entries

    @Test
    void entryNotAnObject() {
        String h = "{\"w\":[1,2]}";
        assertAt(refused(h, 0, "not an object"), at(h, "\"w\""), "w");
    }

    @Test
    void unknownDtype() {
        String h = "{\"pad\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}," + t("w", "F31", "[1]", 4, 8) + "}";
        assertAt(refused(h, 8, "unknown dtype \"F31\""), at(h, "\"w\""), "w");
        String lower = "{" + t("w", "f32", "[1]", 0, 4) + "}";
        assertAt(refused(lower, 4, "unknown dtype \"f32\""), 9, "w");
        String num = "{\"w\":{\"dtype\":4,\"shape\":[1],\"data_offsets\":[0,4]}}";
        assertAt(refused(num, 4, "dtype is missing or not a string"), 9, "w");
    }

    @Test
    void unknownKeyInAnEntry() {
        String h = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"strides\":[1]}}";
        assertAt(refused(h, 4, "unexpected key \"strides\""), 9, "w");
    }

    @Test
    void missingFields() {
        assertAt(refused("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "dtype is missing"), 9, "w");
        assertAt(refused("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4, "shape is missing"), 9, "w");
        assertAt(refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4, "data_offsets is missing"), 9, "w");
        assertAt(refused("{\"w\":{\"dtype\":\"F32\",\"shape\":4,\"data_offsets\":[0,4]}}", 4, "shape", "not an array"), 9,
                "w");
    }

    @Test
    void badShapes() {
        assertAt(refused("{" + t("w", "F32", "[2,-1]", 0, 4) + "}", 4, "shape[1] = -1", "not a non-negative integer"),
                9, "w");
        assertAt(refused("{" + t("w", "F32", "[2.5]", 0, 4) + "}", 4, "shape[0] = 2.5", "not a non-negative integer"),
                9, "w");
        assertAt(refused("{" + t("w", "F32", "[1.0]", 0, 4) + "}", 4, "shape[0]"), 9, "w");
        assertAt(refused("{" + t("w", "F32", "[\"3\"]", 0, 12) + "}", 12, "shape[0] = 3", "not a non-negative integer"),
                9, "w");
        assertAt(refused("{" + t("w", "F32", "[null]", 0, 4) + "}", 4, "shape[0] = null"), 9, "w");
        assertAt(refused("{" + t("w", "F32", "[4294967296,4294967296]", 0, 4) + "}", 4, "more elements than a long"),
                9, "w");
        // the element count fits a long, the byte count does not
        assertAt(refused("{" + t("w", "F32", "[4611686018427387904]", 0, 4) + "}", 4, "more elements than a long"),
                9, "w");
        // beyond long: a number, but not an integer that fits
        assertAt(refused("{" + t("w", "F32", "[99999999999999999999]", 0, 4) + "}", 4, "shape[0]",
                "not a non-negative integer"), 9, "w");
    }

    @Test
    void badDataOffsets() {
        assertAt(refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4]}}", 4,
                "data_offsets has 1 elements, expected 2"), 9, "w");
        assertAt(refused("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", 8,
                "data_offsets has 3 elements, expected 2"), 9, "w");
        assertAt(refused("{" + t("w", "F32", "[1]", 8, 4) + "}", 8, "data_offsets [8, 4]", "not a range"), 9, "w");
        assertAt(refused("{" + t("w", "F32", "[1]", 4, 8) + "}", 6, "data_offsets [4, 8]", "6 bytes of data"), 9, "w");
        assertAt(refused("{" + t("w", "F32", "[1]", -4, 0) + "}", 0, "data_offsets[0] = -4"), 9, "w");
        assertAt(refused("{" + t("w", "F32", "[1]", 0, Long.MAX_VALUE) + "}", 4, "not a range"), 9, "w");
    }

    @Test
    void sizeMismatchBetweenShapeAndOffsets() {
        assertAt(refused("{" + t("w", "F32", "[2]", 0, 4) + "}", 4, "shape [2] of F32 needs 8 bytes",
                "data_offsets [0, 4] hold 4"), 9, "w");
        assertAt(refused("{" + t("w", "F16", "[3]", 0, 8) + "}", 8, "needs 6 bytes"), 9, "w");
        assertAt(refused("{" + t("w", "F64", "[]", 0, 4) + "}", 4, "needs 8 bytes"), 9, "w");
        assertAt(refused("{" + t("w", "F32", "[0,3]", 0, 4) + "}", 4, "needs 0 bytes"), 9, "w");
    }

    @Test
    void overlappingTensors() {
        String h = "{" + t("a", "F32", "[2]", 0, 8) + "," + t("b", "F32", "[2]", 4, 12) + "}";
        ModelFileException e = refused(h, 12, "overlap", "\"a\" [0, 8)", "[4, 12)");
        assertAt(e, 8 + h.length() + 4, "b");
        // identical ranges overlap too
        String same = "{" + t("a", "F32", "[1]", 0, 4) + "," + t("b", "F32", "[1]", 0, 4) + "}";
        refused(same, 4, "overlap");
    }

    @Test
    void gapBetweenTensors() {
        String h = "{" + t("a", "F32", "[1]", 0, 4) + "," + t("b", "F32", "[1]", 8, 12) + "}";
        assertAt(refused(h, 12, "4 bytes of the data before it belong to no tensor"), 8 + h.length() + 4, "b");
        String lead = "{" + t("b", "F32", "[1]", 4, 8) + "}";
        assertAt(refused(lead, 8, "4 bytes of the data before it"), 8 + lead.length(), "b");
    }

    @Test
    void trailingDataAfterTheLastTensor() {
        String h = "{" + t("a", "F32", "[1]", 0, 4) + "}";
        assertAt(refused(h, 7, "3 bytes of data after the last tensor"), 8 + h.length() + 4, null);
        assertAt(refused("{}", 1, "1 bytes of data after the last tensor"), 10, null);
    }

    @Test
    void badMetadata() {
        String arr = "{\"__metadata__\":[1]}";
        assertAt(refused(arr, 0, "\"__metadata__\" is not an object"), 9, null);
        String str = "{\"__metadata__\":\"x\"}";
        assertAt(refused(str, 0, "\"__metadata__\" is not an object"), 9, null);
        String num = "{\"__metadata__\":{\"ok\":\"v\",\"epochs\":3}}";
        assertAt(refused(num, 0, "metadata \"epochs\" is not a string"), 9, null);
        refused("{\"__metadata__\":{\"k\":null}}", 0, "metadata \"k\" is not a string");
        refused("{\"__metadata__\":{\"k\":{\"nested\":\"x\"}}}", 0, "metadata \"k\" is not a string");
    }

    @Test
    void nestingDeeperThanMaxDepth() {
        int deep = HeaderJson.MAX_DEPTH;   // the object + MAX_DEPTH arrays: one level too many
        String h = "{\"__metadata__\":" + "[".repeat(deep) + "]".repeat(deep) + "}";
        ModelFileException e = refused(h, 0, "nested more than " + HeaderJson.MAX_DEPTH);
        assertEquals(8 + 16 + deep - 1, e.offset(), e.getMessage());
        // a hostile depth that would overflow a recursive parser's stack
        int huge = 1_000_000;
        refused("[".repeat(huge) + "]".repeat(huge), 0, "nested more than");
        // exactly MAX_DEPTH is JSON this reader accepts (refused only as metadata)
        String ok = "{\"__metadata__\":" + "[".repeat(deep - 1) + "]".repeat(deep - 1) + "}";
        refused(ok, 0, "\"__metadata__\" is not an object");
    }

    // ---------------------------------------------------------------- floats()

    private static byte[] le(int bytesPer, long... raw) {
        ByteBuffer b = ByteBuffer.allocate(bytesPer * raw.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long r : raw) {
            switch (bytesPer) {
                case 2 -> b.putShort((short) r);
                case 4 -> b.putInt((int) r);
                default -> b.putLong(r);
            }
        }
        return b.array();
    }

    @Test
    void floatsOfNonFloatDtype() {
        String h = "{" + t("ids", "I32", "[2]", 0, 8) + "}";
        SafeTensorsFile f = parses(file(h, 8));
        ModelFileException e = assertThrows(ModelFileException.class, () -> f.floats("ids"));
        assertTrue(e.getMessage().contains("dtype I32 is not a floating-point type"), e.getMessage());
        assertAt(e, f.dataStart(), "ids");
        for (DType d : DType.values()) {
            assertEquals(d == DType.F32 || d == DType.F16 || d == DType.BF16 || d == DType.F64, d.isFloat(), d.name());
        }
    }

    @Test
    void floatsOfAMissingNameListsTheNames() {
        String h = "{" + t("w", "F32", "[1]", 0, 4) + "," + t("b", "F32", "[1]", 4, 8) + "}";
        SafeTensorsFile f = parses(file(h, 8));
        ModelFileException e = assertThrows(ModelFileException.class, () -> f.floats("weight"));
        assertTrue(e.getMessage().contains("no such tensor") && e.getMessage().contains("[w, b]"), e.getMessage());
        assertEquals("weight", e.tensor());
        assertEquals(-1, e.offset());
        assertThrows(ModelFileException.class, () -> f.tensor("__metadata__"));
    }

    /** A one-tensor file after a 4-byte F32 tensor "pad" (so begin ≠ 0), whose floats() must fail at element {@code bad}. */
    private static void nonFinite(String dtype, int size, long[] raw, int bad, String... words) {
        String h = "{" + t("pad", "F32", "[1]", 0, 4) + "," + t("w", dtype, "[" + raw.length + "]", 4, 4 + size * raw.length)
                + "}";
        byte[] data = new byte[4 + size * raw.length];
        System.arraycopy(le(size, raw), 0, data, 4, size * raw.length);
        SafeTensorsFile f = parses(file(h, data));
        ModelFileException e = assertThrows(ModelFileException.class, () -> f.floats("w"));
        assertTrue(e.getMessage().contains("element " + bad + " is "), e.getMessage());
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "lacks \"" + w + "\": " + e.getMessage());
        }
        assertAt(e, f.dataStart() + 4 + (long) bad * size, "w");
    }

    @Test
    void floatsOfNonFiniteValues() {
        long one32 = Float.floatToIntBits(1f);
        nonFinite("F32", 4, new long[] {one32, one32, Float.floatToRawIntBits(Float.NaN)}, 2, "NaN");
        nonFinite("F32", 4, new long[] {0x7F800000L}, 0, "Infinity");
        nonFinite("F32", 4, new long[] {one32, 0xFF800000L}, 1, "-Infinity");
        nonFinite("F32", 4, new long[] {one32, one32, one32, 0x7FC00001L}, 3, "NaN");   // a NaN payload
        nonFinite("F16", 2, new long[] {0x3C00, 0x7C00}, 1, "Infinity");
        nonFinite("F16", 2, new long[] {0x3C00, 0x3C00, 0xFC00}, 2, "-Infinity");
        nonFinite("F16", 2, new long[] {0x7E00}, 0, "NaN");
        nonFinite("BF16", 2, new long[] {0x3F80, 0x7F80}, 1, "Infinity");
        nonFinite("BF16", 2, new long[] {0x7FC0, 0x3F80}, 0, "NaN");
        long one64 = Double.doubleToLongBits(1.0);
        nonFinite("F64", 8, new long[] {one64, Double.doubleToLongBits(1e300)}, 1, "1.0E300", "beyond float's range");
        nonFinite("F64", 8, new long[] {Double.doubleToLongBits(-1e39)}, 0, "beyond float's range");
        nonFinite("F64", 8, new long[] {one64, one64, Double.doubleToLongBits(Double.NaN)}, 2, "NaN");
        nonFinite("F64", 8, new long[] {Double.doubleToLongBits(Double.NEGATIVE_INFINITY)}, 0, "-Infinity");
    }

    @Test
    void floatsOfFiniteExtremesAreFine() throws ModelFileException {
        // largest finite of each dtype: not refused
        String h = "{" + t("h", "F16", "[1]", 0, 2) + "," + t("b", "BF16", "[1]", 2, 4) + "," + t("d", "F64", "[1]", 4, 12)
                + "}";
        byte[] data = new byte[12];
        System.arraycopy(le(2, 0x7BFF), 0, data, 0, 2);
        System.arraycopy(le(2, 0x7F7F), 0, data, 2, 2);
        System.arraycopy(le(8, Double.doubleToLongBits(Float.MAX_VALUE)), 0, data, 4, 8);
        SafeTensorsFile f = parses(file(h, data));
        assertEquals(65504f, f.floats("h")[0]);
        assertEquals(Float.intBitsToFloat(0x7F7F0000), f.floats("b")[0]);
        assertEquals(Float.MAX_VALUE, f.floats("d")[0]);
    }

    // ---------------------------------------------------------------- random mutations

    private static byte[] validFile() {
        return new SafeTensorsWriter()
                .add("layer.0.weight", new long[] {3, 4}, new float[] {1, -2, 3, -4, 5, -6, 7, -8, 9, 0.5f, -0.25f, 1e-3f})
                .add("layer.0.bias", new long[] {3}, new float[] {0.1f, 0.2f, 0.3f})
                .add("scalar", new long[] {}, new float[] {42f})
                .add("empty", new long[] {0, 2}, new float[0])
                .metadata("format", "rnn4j").metadata("note", "quote \" backslash \\ newline \n é 日本")
                .toBytes();
    }

    private static final byte[] JSON_TOKENS = "{}[]\":,\\-+.0123456789eEuntfalsrF \t\n".getBytes(StandardCharsets.US_ASCII);

    /** One seeded random mutation: bit flip, byte set, JSON-ish token, truncation, insertion or deletion. */
    private static byte[] mutate(byte[] valid, SplittableRandom r) {
        long n = ByteBuffer.wrap(valid, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        int headerEnd = n >= 0 && n <= valid.length - 8 ? 8 + (int) n : valid.length;   // (input may be a mutant)
        // most mutations land in the header, where the parsing is
        int pos = r.nextInt(10) < 8 ? r.nextInt(headerEnd) : r.nextInt(valid.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (r.nextInt(6)) {
            case 0 -> {   // flip one bit
                byte[] b = valid.clone();
                b[pos] ^= (byte) (1 << r.nextInt(8));
                return b;
            }
            case 1 -> {   // set a random byte
                byte[] b = valid.clone();
                b[pos] = (byte) r.nextInt(256);
                return b;
            }
            case 2 -> {   // replace with a JSON token (keeps lengths: the header length stays right)
                byte[] b = valid.clone();
                b[pos] = JSON_TOKENS[r.nextInt(JSON_TOKENS.length)];
                return b;
            }
            case 3 -> {   // truncate
                return Arrays.copyOf(valid, pos);
            }
            case 4 -> {   // insert a byte (random or a token)
                out.write(valid, 0, pos);
                out.write(r.nextBoolean() ? r.nextInt(256) : JSON_TOKENS[r.nextInt(JSON_TOKENS.length)]);
                out.write(valid, pos, valid.length - pos);
                return out.toByteArray();
            }
            default -> {   // delete a byte
                out.write(valid, 0, pos);
                out.write(valid, pos + 1, valid.length - pos - 1);
                return out.toByteArray();
            }
        }
    }

    @Test
    void randomMutationsOnlyEverThrowModelFileException() {
        byte[] valid = validFile();
        parses(valid);
        SplittableRandom r = new SplittableRandom(20240610L);
        int refusedCount = 0;
        int parsedCount = 0;
        for (int i = 0; i < 2000; i++) {
            byte[] m = mutate(valid, r);
            // twice as hard for every fourth: a second mutation on top
            if (i % 4 == 3) {
                m = mutate(m.length > 8 ? m : valid, r);
            }
            try {
                SafeTensorsFile f = SafeTensorsFile.parse(m);
                parsedCount++;
                // a file that parses must be readable through its whole API
                for (TensorInfo t : f.tensors()) {
                    assertTrue(f.has(t.name()));
                    assertEquals(t, f.tensor(t.name()));
                    assertTrue(t.begin() <= t.end() && f.dataStart() + t.end() <= m.length, t.toString());
                    if (t.dtype().isFloat()) {
                        try {
                            assertEquals(t.elements(), f.floats(t.name()).length);
                        } catch (ModelFileException nonFinite) {
                            assertEquals(t.name(), nonFinite.tensor());
                        }
                    }
                }
                f.metadata().forEach((k, v) -> assertTrue(k != null && v != null));
            } catch (ModelFileException expected) {
                refusedCount++;
                assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank());
                assertTrue(expected.offset() >= -1 && expected.offset() <= m.length,
                        "offset " + expected.offset() + " outside the file of " + m.length + ": " + expected.getMessage());
            } catch (Throwable wrong) {
                fail("mutation " + i + " threw " + wrong + " instead of ModelFileException; file: "
                        + new String(m, StandardCharsets.ISO_8859_1), wrong);
            }
        }
        // the mutations are not all harmless, nor all fatal
        assertTrue(refusedCount > 500, "refused " + refusedCount);
        assertTrue(parsedCount > 50, "parsed " + parsedCount);
    }
}
