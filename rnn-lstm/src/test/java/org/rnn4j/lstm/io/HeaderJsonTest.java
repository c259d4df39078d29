package org.rnn4j.lstm.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link HeaderJson} directly: values, strictness, depth limit, byte offsets. */
class HeaderJsonTest {
    private static HeaderJson.Parsed parse(String json) throws ModelFileException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return HeaderJson.parse(b, 0, b.length, 8);
    }

    private static ModelFileException refused(String json, String word) {
        ModelFileException e = assertThrows(ModelFileException.class, () -> parse(json));
        assertTrue(e.getMessage().contains(word), e.getMessage());
        return e;
    }

    @Test
    void valuesAndTypes() throws ModelFileException {
        Object v = parse("{\"a\":[1,-2,0,9223372036854775807,1.5,-0.0,2e3,true,false,null,\"s\"],\"b\":{}}").value();
        Map<?, ?> m = (Map<?, ?>) v;
        List<?> a = (List<?>) m.get("a");
        assertEquals(List.of(1L, -2L, 0L, Long.MAX_VALUE, 1.5, -0.0, 2000.0, true, false), a.subList(0, 9));
        assertEquals(null, a.get(9));
        assertEquals("s", a.get(10));
        assertEquals(Map.of(), m.get("b"));
        assertEquals(List.of("a", "b"), List.copyOf(m.keySet()));
    }

    @Test
    void escapesDecode() throws ModelFileException {
        Map<?, ?> m = (Map<?, ?>) parse("{\"k\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00e9\\ud83d\\ude00\"}").value();
        assertEquals("\"\\/\b\f\n\r\tAé😀", m.get("k"));
    }

    @Test
    void topKeyOffsetsAreByteOffsets() throws ModelFileException {
        // "é" is two bytes in UTF-8: the offset of "b" counts bytes, not chars
        HeaderJson.Parsed p = parse("{\"é\":1, \"b\":2}");
        assertEquals(8 + 1, p.keyOffsets().get("é"));
        assertEquals(8 + 9, p.keyOffsets().get("b"));
        ModelFileException e = refused("{\"é\":1,\"é\":2}", "duplicate key");
        assertEquals(8 + 8, e.offset());
    }

    @Test
    void depthLimitIsExactlyMaxDepth() throws ModelFileException {
        int d = HeaderJson.MAX_DEPTH;
        parse("[".repeat(d) + "]".repeat(d));
        ModelFileException e = refused("[".repeat(d + 1) + "]".repeat(d + 1), "nested more than " + d);
        assertEquals(8 + d, e.offset());
        parse("{\"a\":".repeat(d - 1) + "1" + "}".repeat(d - 1));
        refused("{\"a\":".repeat(d + 1) + "1" + "}".repeat(d + 1), "nested more than");
    }

    @Test
    void leadingZerosAreRefused() {
        refused("[01]", "leading zero");
        refused("[-01]", "leading zero");
        refused("00", "header JSON");
    }

    @Test
    void unicodeEscapesTakeAsciiHexDigitsOnly() {
        // Character.digit would read fullwidth or Arabic-Indic digits as hex: JSON does not
        refused("[\"\\u\uFF10\uFF10\uFF14\uFF11\"]", "bad hex digit");
        refused("[\"\\u\u0660\u0660\u0664\u0661\"]", "bad hex digit");
    }

    @Test
    void stringsMustBeJsonStrings() {
        refused("['a']", "unexpected '''");
        refused("[\"a\u001f\"]", "control character U+001F");
        refused("[\"\\x41\"]", "bad escape");
    }
}
