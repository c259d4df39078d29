package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * README's four examples are examples/QuickStart.java, GradientFlow.java, Streaming.java and SaveAndLoad.java verbatim, so
 * what CI compiles and runs is what a reader pastes.
 */
class ReadmeTest {

    /** The README's {@code index}-th (from 0) ```java block equals the example file. */
    private static void assertBlockIsFile(int index, String example) throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent(); // tests run in the module directory
        String readme = Files.readString(root.resolve("README.md"));
        String file = Files.readString(root.resolve("examples/" + example));
        int start = -8;
        for (int block = 0; block <= index; block++) {
            start = readme.indexOf("```java\n", start + 8);
            assertTrue(start >= 0, "README has ```java block " + (index + 1));
        }
        int end = readme.indexOf("```", start + 8);
        assertEquals(file, readme.substring(start + 8, end));
    }

    @Test
    void quickStartBlockIsTheExampleFile() throws IOException {
        assertBlockIsFile(0, "QuickStart.java");
    }

    @Test
    void gradientFlowBlockIsTheExampleFile() throws IOException {
        assertBlockIsFile(1, "GradientFlow.java");
    }

    @Test
    void streamingBlockIsTheExampleFile() throws IOException {
        assertBlockIsFile(2, "Streaming.java");
    }

    @Test
    void modelFilesBlockIsTheExampleFile() throws IOException {
        assertBlockIsFile(3, "SaveAndLoad.java");
    }
}
