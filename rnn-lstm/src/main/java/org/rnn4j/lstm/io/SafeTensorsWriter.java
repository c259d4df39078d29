package org.rnn4j.lstm.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds a safetensors file of F32 tensors and string metadata, written atomically
 * ({@link AtomicWrite}). Tensors are laid out in the order added; the header is padded with
 * spaces to a multiple of 8 bytes, so the data starts 8-byte aligned.
 */
public final class SafeTensorsWriter {
    private record Entry(long[] shape, float[] data) {}

    private final Map<String, Entry> tensors = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    /** An empty file: add tensors and metadata, then {@link #write} or {@link #toBytes}. */
    public SafeTensorsWriter() {}

    /** Adds a metadata string (replacing an earlier value of the same key). */
    public SafeTensorsWriter metadata(String key, String value) {
        if (key == null || value == null) {
            throw new IllegalArgumentException("metadata key and value must not be null");
        }
        metadata.put(key, value);
        return this;
    }

    /**
     * Adds an F32 tensor (the values are copied).
     *
     * @throws IllegalArgumentException for an empty, reserved or repeated name, a shape that does
     *                                  not hold {@code data.length} values, or a non-finite value
     */
    public SafeTensorsWriter add(String name, long[] shape, float[] data) {
        if (name == null || name.isEmpty() || name.equals(SafeTensorsFile.METADATA)) {
            throw new IllegalArgumentException("tensor name must be non-empty and not \"" + SafeTensorsFile.METADATA + "\", got "
                    + (name == null ? "null" : "\"" + name + "\""));
        }
        if (tensors.containsKey(name)) {
            throw new IllegalArgumentException("tensor \"" + name + "\" was already added");
        }
        long elements = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor \"" + name + "\": negative dimension in " + Arrays.toString(shape));
            }
        }
        boolean empty = Arrays.stream(shape).anyMatch(d -> d == 0);
        for (long d : shape) {
            if (empty) {
                elements = 0;
                break;
            }
            if (elements > Long.MAX_VALUE / d) {
                throw new IllegalArgumentException("tensor \"" + name + "\": shape " + Arrays.toString(shape)
                        + " has more elements than a long counts");
            }
            elements *= d;
        }
        if (elements != data.length) {
            throw new IllegalArgumentException("tensor \"" + name + "\": shape " + Arrays.toString(shape) + " holds "
                    + elements + " values, got " + data.length);
        }
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                throw new IllegalArgumentException("tensor \"" + name + "\": element " + i + " is " + data[i]
                        + "; only finite values are written");
            }
        }
        tensors.put(name, new Entry(shape.clone(), data.clone()));
        return this;
    }

    /** The file's bytes. */
    public byte[] toBytes() {
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            json.append(quote(SafeTensorsFile.METADATA)).append(":{");
            boolean first = true;
            for (Map.Entry<String, String> m : metadata.entrySet()) {
                json.append(first ? "" : ",").append(quote(m.getKey())).append(':').append(quote(m.getValue()));
                first = false;
            }
            json.append('}');
        }
        long offset = 0;
        for (Map.Entry<String, Entry> t : tensors.entrySet()) {
            long size = 4L * t.getValue().data().length;
            json.append(json.length() > 1 ? "," : "").append(quote(t.getKey())).append(":{\"dtype\":\"F32\",\"shape\":[");
            long[] shape = t.getValue().shape();
            for (int i = 0; i < shape.length; i++) {
                json.append(i > 0 ? "," : "").append(shape[i]);
            }
            json.append("],\"data_offsets\":[").append(offset).append(',').append(offset + size).append("]}");
            offset += size;
        }
        json.append('}');
        byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (header.length + 7) / 8 * 8;
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(header);
        for (int i = header.length; i < padded; i++) {
            out.put((byte) ' ');
        }
        for (Entry e : tensors.values()) {
            for (float v : e.data()) {
                out.putFloat(v);
            }
        }
        return out.array();
    }

    /** Writes the file to {@code target} atomically (the previous file, if any, survives a failure). */
    public void write(Path target) throws IOException {
        AtomicWrite.write(target, toBytes());
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    boolean pairedSurrogate = Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))
                            || Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
                    if (c < 0x20 || (Character.isSurrogate(c) && !pairedSurrogate)) {
                        // a lone surrogate has no UTF-8 form: escaped, it survives the round trip
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
