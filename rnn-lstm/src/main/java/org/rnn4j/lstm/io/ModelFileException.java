package org.rnn4j.lstm.io;

import java.io.IOException;

/**
 * A model file that cannot be read as what it claims to be: says what is wrong, where (the byte
 * offset in the file, −1 when not tied to one) and, when it concerns one tensor, which.
 */
public final class ModelFileException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @serial */
    private final long offset;
    /** @serial */
    private final String tensor;

    public ModelFileException(String message, long offset, String tensor) {
        super((tensor != null ? "tensor \"" + tensor + "\": " : "") + message
                + (offset >= 0 ? " (byte offset " + offset + ")" : ""));
        this.offset = offset;
        this.tensor = tensor;
    }

    /** The byte offset in the file where the problem is, or −1. */
    public long offset() {
        return offset;
    }

    /** The tensor concerned, or null. */
    public String tensor() {
        return tensor;
    }
}
