package org.rnn4j.lstm.io;

import java.util.Arrays;

/**
 * One tensor of a safetensors header: its name, element type, shape, and where its bytes are
 * ({@code [begin, end)} relative to the start of the data, which follows the header).
 *
 * @param name  the tensor's name
 * @param dtype its element type
 * @param shape its dimensions (empty: a scalar)
 * @param begin first byte, relative to the data
 * @param end   one past the last byte, relative to the data
 */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {

    public TensorInfo {
        shape = shape.clone();
    }

    /** The shape (a copy). */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Elements: the product of the shape (1 for a scalar). */
    public long elements() {
        if (Arrays.stream(shape).anyMatch(d -> d == 0)) {
            return 0;
        }
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape)
                && begin == t.begin && end == t.end;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape) + " [" + begin + ", " + end + ")";
    }
}
