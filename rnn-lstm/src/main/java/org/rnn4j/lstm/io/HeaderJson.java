package org.rnn4j.lstm.io;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON (RFC 8259) reader for safetensors headers: objects become {@link LinkedHashMap}
 * (duplicate keys refused), arrays {@link List}, strings {@link String}, integers that fit
 * {@link Long}, other numbers {@link Double}, and true/false/null themselves. Hand-written because
 * the library modules depend on the JDK and slf4j only; it accepts exactly JSON, nests at most
 * {@value #MAX_DEPTH} deep, and every error names the byte offset in the file.
 */
final class HeaderJson {
    static final int MAX_DEPTH = 16;

    private final String text;
    private final long fileOffset;
    /** Byte offset in the file of each key of the outermost object (for messages about a tensor). */
    private final Map<String, Long> topKeys = new LinkedHashMap<>();
    private int pos;
    private int depth;

    private HeaderJson(String text, long fileOffset) {
        this.text = text;
        this.fileOffset = fileOffset;
    }

    /** A parsed header: its value and the byte offset of each key of the outermost object. */
    record Parsed(Object value, Map<String, Long> keyOffsets) {}

    /**
     * Parses {@code length} bytes at {@code start} of {@code bytes} (which sit at
     * {@code fileOffset} in the file): one JSON value, surrounded by whitespace only.
     */
    static Parsed parse(byte[] bytes, int start, int length, long fileOffset) throws ModelFileException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, length);
        CharBuffer chars;
        try {
            chars = decoder.decode(in);
        } catch (CharacterCodingException e) {
            throw new ModelFileException("header is not valid UTF-8", fileOffset + (in.position() - start), null);
        }
        HeaderJson p = new HeaderJson(chars.toString(), fileOffset);
        p.skipSpace();
        Object value = p.value();
        p.skipSpace();
        if (p.pos < p.text.length()) {
            throw p.error("unexpected '" + p.text.charAt(p.pos) + "' after the JSON value");
        }
        return new Parsed(value, p.topKeys);
    }

    private ModelFileException error(String message) {
        return new ModelFileException("header JSON: " + message, byteOffset(pos), null);
    }

    private int cursorChar;
    private long cursorByte;

    /**
     * The file offset of char index i: the UTF-8 length of the text before it, counted on from the
     * last index asked for (keys come in increasing order, so a header is counted once, not once per key).
     */
    private long byteOffset(int i) {
        i = Math.min(i, text.length());
        if (i < cursorChar) {
            cursorChar = 0;
            cursorByte = 0;
        }
        cursorByte += text.substring(cursorChar, i).getBytes(StandardCharsets.UTF_8).length;
        cursorChar = i;
        return fileOffset + cursorByte;
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                pos++;
            } else {
                break;
            }
        }
    }

    private Object value() throws ModelFileException {
        if (pos >= text.length()) {
            throw error("unexpected end of the header");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected '" + c + "'");
            }
        };
    }

    private Object literal(String word, Object value) throws ModelFileException {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected '" + text.charAt(pos) + "'");
        }
        pos += word.length();
        return value;
    }

    private Map<String, Object> object() throws ModelFileException {
        enter();
        pos++; // '{'
        Map<String, Object> map = new LinkedHashMap<>();
        skipSpace();
        if (pos < text.length() && text.charAt(pos) == '}') {
            pos++;
            depth--;
            return map;
        }
        while (true) {
            skipSpace();
            if (pos >= text.length() || text.charAt(pos) != '"') {
                throw error("expected a string key");
            }
            int keyAt = pos;
            String key = string();
            skipSpace();
            expect(':');
            skipSpace();
            Object v = value();
            if (map.containsKey(key)) {
                pos = keyAt;
                throw error("duplicate key \"" + key + "\"");
            }
            map.put(key, v);
            if (depth == 1) {
                topKeys.put(key, byteOffset(keyAt));
            }
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == ',') {
                pos++;
                continue;
            }
            expect('}');
            depth--;
            return map;
        }
    }

    private List<Object> array() throws ModelFileException {
        enter();
        pos++; // '['
        List<Object> list = new ArrayList<>();
        skipSpace();
        if (pos < text.length() && text.charAt(pos) == ']') {
            pos++;
            depth--;
            return list;
        }
        while (true) {
            skipSpace();
            list.add(value());
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == ',') {
                pos++;
                continue;
            }
            expect(']');
            depth--;
            return list;
        }
    }

    private void enter() throws ModelFileException {
        if (++depth > MAX_DEPTH) {
            throw error("nested more than " + MAX_DEPTH + " deep");
        }
    }

    private void expect(char c) throws ModelFileException {
        if (pos >= text.length()) {
            throw error("expected '" + c + "', found the end of the header");
        }
        if (text.charAt(pos) != c) {
            throw error("expected '" + c + "', found '" + text.charAt(pos) + "'");
        }
        pos++;
    }

    private String string() throws ModelFileException {
        pos++; // '"'
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return sb.toString();
            }
            if (c < 0x20) {
                throw error("control character U+" + String.format("%04X", (int) c) + " in a string");
            }
            if (c != '\\') {
                sb.append(c);
                pos++;
                continue;
            }
            if (pos + 1 >= text.length()) {
                throw error("unterminated escape");
            }
            char e = text.charAt(pos + 1);
            pos += 2;
            switch (e) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '/' -> sb.append('/');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length()) {
                        throw error("truncated \\u escape");
                    }
                    int code = 0;
                    for (int i = 0; i < 4; i++) {
                        char h = text.charAt(pos + i);
                        // ASCII hex only: Character.digit would also take fullwidth and other Unicode digits
                        int d = h < 0x80 ? Character.digit(h, 16) : -1;
                        if (d < 0) {
                            throw error("bad hex digit in a \\u escape");
                        }
                        code = code * 16 + d;
                    }
                    pos += 4;
                    sb.append((char) code);
                }
                default -> {
                    pos -= 2;
                    throw error("bad escape '\\" + e + "'");
                }
            }
        }
    }

    private Object number() throws ModelFileException {
        int from = pos;
        if (text.charAt(pos) == '-') {
            pos++;
        }
        if (pos >= text.length() || text.charAt(pos) < '0' || text.charAt(pos) > '9') {
            throw error("bad number");
        }
        if (text.charAt(pos) == '0') {
            pos++;
            if (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
                throw error("bad number: leading zero");
            }
        } else {
            while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
                pos++;
            }
        }
        boolean integer = true;
        if (pos < text.length() && text.charAt(pos) == '.') {
            integer = false;
            pos++;
            int digits = pos;
            while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
                pos++;
            }
            if (pos == digits) {
                throw error("bad number: no digits after '.'");
            }
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            integer = false;
            pos++;
            if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
                pos++;
            }
            int digits = pos;
            while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
                pos++;
            }
            if (pos == digits) {
                throw error("bad number: no digits in the exponent");
            }
        }
        String s = text.substring(from, pos);
        if (integer) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException overflow) {
                return Double.parseDouble(s);   // beyond long: kept as a number, refused where an integer is needed
            }
        }
        return Double.parseDouble(s);
    }
}
