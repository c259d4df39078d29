package org.rnn4j.api;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.function.Executable;

/** Shared assertion of the rnn-api tests. */
final class ApiAsserts {
    private ApiAsserts() {}

    /** Asserts an IllegalArgumentException whose message contains every one of {@code parts}. */
    static IllegalArgumentException rejects(Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message \"" + e.getMessage() + "\" should contain \"" + p + "\"");
        }
        return e;
    }
}
