package org.rnn4j.lstm.io;

import java.util.Arrays;
import java.util.Map;

/**
 * Typed reads of a file's {@code rnn4j.*} metadata entries (the spec of {@link ModelFiles}, the
 * optimizer and counts of {@link Checkpoints}): each failure a {@link ModelFileException} that
 * names the entry and what it holds. Keys are given without the {@code rnn4j.} prefix.
 */
final class Metadata {
    /** The prefix of every entry rnn4j writes. */
    static final String P = "rnn4j.";

    private Metadata() {}

    /** Whether the entry is there. */
    static boolean has(Map<String, String> m, String key) {
        return m.containsKey(P + key);
    }

    static String entry(Map<String, String> m, String key) throws ModelFileException {
        String v = m.get(P + key);
        if (v == null) {
            throw new ModelFileException("no \"" + P + key + "\" in the metadata", -1, null);
        }
        return v;
    }

    static int integer(Map<String, String> m, String key) throws ModelFileException {
        String v = entry(m, key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ModelFileException(P + key + " = \"" + v + "\" is not an integer", -1, null);
        }
    }

    /** A count: an integer ≥ 0 (a long). */
    static long count(Map<String, String> m, String key) throws ModelFileException {
        String v = entry(m, key);
        try {
            long n = Long.parseLong(v);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ModelFileException(P + key + " = \"" + v + "\" is not an integer >= 0", -1, null);
    }

    /** A double as {@code Double.toString} writes it (read back exactly). */
    static double number(Map<String, String> m, String key) throws ModelFileException {
        String v = entry(m, key);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new ModelFileException(P + key + " = \"" + v + "\" is not a number", -1, null);
        }
    }

    static boolean bool(Map<String, String> m, String key) throws ModelFileException {
        String v = entry(m, key);
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ModelFileException(P + key + " = \"" + v + "\" is neither true nor false", -1, null);
        };
    }

    static <E extends Enum<E>> E named(Class<E> type, Map<String, String> m, String key) throws ModelFileException {
        String v = entry(m, key);
        try {
            return Enum.valueOf(type, v);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(P + key + " = \"" + v + "\" is none of " + Arrays.toString(type.getEnumConstants()),
                    -1, null);
        }
    }
}
