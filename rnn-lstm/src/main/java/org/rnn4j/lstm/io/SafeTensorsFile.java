package org.rnn4j.lstm.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A safetensors file, read and checked whole: an 8-byte little-endian header length N, N bytes of
 * JSON header {@code {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__":
 * {string: string}}} (trailing spaces allowed), then the tensors' bytes, little-endian.
 *
 * <p>Nothing about a file is taken on trust: {@link #parse} refuses, with a
 * {@link ModelFileException} naming the tensor and the byte offset, a header length beyond the
 * file or above {@value #MAX_HEADER_BYTES} bytes, a header that is not UTF-8 JSON or not an
 * object, duplicate names, unknown keys or dtypes, shapes with negative or non-integer dimensions,
 * byte ranges out of the data, of the wrong size for their shape, overlapping, or leaving bytes
 * of the data to no tensor, and metadata that is not string to string.
 */
public final class SafeTensorsFile {
    /** Headers longer than this are refused (the reference implementation's limit). */
    public static final long MAX_HEADER_BYTES = 100L << 20;
    /** The key of the metadata entry of the header. */
    public static final String METADATA = "__metadata__";

    private final byte[] bytes;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafeTensorsFile(byte[] bytes, long dataStart, Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.bytes = bytes;
        this.dataStart = dataStart;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /**
     * Reads and checks the file at {@code path}.
     *
     * @throws ModelFileException for a malformed file (see the class comment)
     * @throws IOException        when it cannot be read
     */
    public static SafeTensorsFile read(Path path) throws IOException {
        long size = Files.size(path);
        if (size > Integer.MAX_VALUE - 16) {
            throw new ModelFileException("a file of " + size + " bytes is beyond what this reader loads (2 GiB)", -1, null);
        }
        return parse(Files.readAllBytes(path));
    }

    /**
     * Checks and parses a whole file's bytes (kept, not copied).
     *
     * @throws ModelFileException for a malformed file (see the class comment)
     */
    public static SafeTensorsFile parse(byte[] bytes) throws ModelFileException {
        if (bytes.length < 8) {
            throw new ModelFileException("the file has " + bytes.length + " bytes, fewer than the 8 of the header length", 0, null);
        }
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw new ModelFileException("header length " + Long.toUnsignedString(n) + " is above the limit of "
                    + MAX_HEADER_BYTES + " bytes", 0, null);
        }
        if (8 + n > bytes.length) {
            throw new ModelFileException("header length " + n + " runs past the end of the file (" + bytes.length
                    + " bytes): truncated", 0, null);
        }
        HeaderJson.Parsed parsed = HeaderJson.parse(bytes, 8, (int) n, 8);
        if (!(parsed.value() instanceof Map<?, ?> root)) {
            throw new ModelFileException("the header is not a JSON object", 8, null);
        }
        long dataStart = 8 + n;
        long dataLength = bytes.length - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<TensorInfo> list = new ArrayList<>();
        for (Map.Entry<?, ?> e : root.entrySet()) {
            String name = (String) e.getKey();
            long at = parsed.keyOffsets().get(name);
            if (name.equals(METADATA)) {
                if (!(e.getValue() instanceof Map<?, ?> meta)) {
                    throw new ModelFileException("\"" + METADATA + "\" is not an object", at, null);
                }
                for (Map.Entry<?, ?> m : meta.entrySet()) {
                    if (!(m.getValue() instanceof String v)) {
                        throw new ModelFileException("metadata \"" + m.getKey() + "\" is not a string", at, null);
                    }
                    metadata.put((String) m.getKey(), v);
                }
                continue;
            }
            list.add(tensor(name, e.getValue(), at, dataLength));
        }
        list.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long expected = 0;
        TensorInfo previous = null;
        for (TensorInfo t : list) {
            if (t.begin() < expected) {
                throw new ModelFileException("bytes [" + t.begin() + ", " + t.end() + ") of the data overlap tensor \""
                        + previous.name() + "\" [" + previous.begin() + ", " + previous.end() + ")", dataStart + t.begin(), t.name());
            }
            if (t.begin() > expected) {
                throw new ModelFileException((t.begin() - expected) + " bytes of the data before it belong to no tensor",
                        dataStart + expected, t.name());
            }
            expected = t.end();
            previous = t;
        }
        if (expected != dataLength) {
            throw new ModelFileException((dataLength - expected) + " bytes of data after the last tensor belong to no tensor",
                    dataStart + expected, null);
        }
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        for (TensorInfo t : list) {
            tensors.put(t.name(), t);
        }
        return new SafeTensorsFile(bytes, dataStart, Collections.unmodifiableMap(tensors),
                Collections.unmodifiableMap(metadata));
    }

    private static TensorInfo tensor(String name, Object value, long at, long dataLength) throws ModelFileException {
        if (!(value instanceof Map<?, ?> entry)) {
            throw new ModelFileException("its entry is not an object", at, name);
        }
        for (Object key : entry.keySet()) {
            if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
                throw new ModelFileException("unexpected key \"" + key + "\" (a tensor has dtype, shape, data_offsets)", at, name);
            }
        }
        if (!(entry.get("dtype") instanceof String dtypeName)) {
            throw new ModelFileException("dtype is missing or not a string", at, name);
        }
        DType dtype;
        try {
            dtype = DType.valueOf(dtypeName);
        } catch (IllegalArgumentException unknown) {
            throw new ModelFileException("unknown dtype \"" + dtypeName + "\"", at, name);
        }
        long[] shape = integers(entry.get("shape"), "shape", -1, at, name);
        long[] offsets = integers(entry.get("data_offsets"), "data_offsets", 2, at, name);
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end || end > dataLength) {
            throw new ModelFileException("data_offsets [" + begin + ", " + end + "] are not a range within the "
                    + dataLength + " bytes of data", at, name);
        }
        long elements = 1;
        try {
            boolean empty = java.util.Arrays.stream(shape).anyMatch(d -> d == 0); // no elements, whatever the others
            for (long d : shape) {
                elements = empty ? 0 : Math.multiplyExact(elements, d);
            }
            long size = Math.multiplyExact(elements, dtype.bytes());
            if (size != end - begin) {
                throw new ModelFileException("shape " + java.util.Arrays.toString(shape) + " of " + dtype + " needs " + size
                        + " bytes, data_offsets [" + begin + ", " + end + "] hold " + (end - begin), at, name);
            }
        } catch (ArithmeticException overflow) {
            throw new ModelFileException("shape " + java.util.Arrays.toString(shape) + " has more elements than a long counts",
                    at, name);
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    /** A JSON array of non-negative integers (of {@code count} elements unless −1). */
    private static long[] integers(Object value, String what, int count, long at, String name) throws ModelFileException {
        if (!(value instanceof List<?> list)) {
            throw new ModelFileException(what + " is missing or not an array", at, name);
        }
        if (count >= 0 && list.size() != count) {
            throw new ModelFileException(what + " has " + list.size() + " elements, expected " + count, at, name);
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long v) || v < 0) {
                throw new ModelFileException(what + "[" + i + "] = " + list.get(i) + " is not a non-negative integer", at, name);
            }
            out[i] = v;
        }
        return out;
    }

    /** The tensors, in the order of their bytes. */
    public List<TensorInfo> tensors() {
        return List.copyOf(tensors.values());
    }

    /** Whether the file has a tensor called {@code name}. */
    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    /**
     * The tensor called {@code name}.
     *
     * @throws ModelFileException listing the names there are, if there is none
     */
    public TensorInfo tensor(String name) throws ModelFileException {
        TensorInfo t = tensors.get(name);
        if (t == null) {
            throw new ModelFileException("no such tensor; the file has " + tensors.keySet(), -1, name);
        }
        return t;
    }

    /** The header's {@value #METADATA} strings (empty when it has none). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Where the data starts in the file (8 + the header length). */
    public long dataStart() {
        return dataStart;
    }

    /**
     * The values of a floating-point tensor as floats: F32 as stored, F16 and BF16 widened
     * exactly, F64 rounded to nearest.
     *
     * @throws ModelFileException if there is no such tensor, it is not of a floating-point dtype,
     *                            or a value is NaN or infinite (or an F64 beyond float's range),
     *                            naming the element and its byte offset
     */
    public float[] floats(String name) throws ModelFileException {
        TensorInfo t = tensor(name);
        if (!t.dtype().isFloat()) {
            throw new ModelFileException("dtype " + t.dtype() + " is not a floating-point type", dataStart + t.begin(), name);
        }
        long count = t.elements();
        if (count > Integer.MAX_VALUE - 16) {
            throw new ModelFileException(count + " elements are more than a float[] holds", dataStart + t.begin(), name);
        }
        float[] out = new float[(int) count];
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int base = (int) (dataStart + t.begin());
        int size = t.dtype().bytes();
        for (int i = 0; i < out.length; i++) {
            int at = base + i * size;
            float v = switch (t.dtype()) {
                case F32 -> in.getFloat(at);
                case F16 -> Float.float16ToFloat(in.getShort(at));
                case BF16 -> Float.intBitsToFloat((in.getShort(at) & 0xFFFF) << 16);
                case F64 -> (float) in.getDouble(at);
                default -> throw new IllegalStateException(t.dtype().toString());
            };
            if (!Float.isFinite(v)) {
                throw new ModelFileException("element " + i + " is " + (t.dtype() == DType.F64 ? in.getDouble(at) : v)
                        + (t.dtype() == DType.F64 && Double.isFinite(in.getDouble(at)) ? ", beyond float's range" : "")
                        + "; weights must be finite", at, name);
            }
            out[i] = v;
        }
        return out;
    }
}
