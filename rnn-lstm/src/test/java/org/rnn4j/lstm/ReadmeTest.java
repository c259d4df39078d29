package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * README's three examples are examples/QuickStart.java, GradientFlow.java and Streaming.java verbatim, so
 * what CI compiles and runs is what a reader pastes.
 */
class ReadmeTest {

    @Test
    void quickStartBlockIsTheExampleFile() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent(); // tests run in the module directory
        String readme = Files.readString(root.resolve("README.md"));
        String example = Files.readString(root.resolve("examples/QuickStart.java"));
        int start = readme.indexOf("```java\n");
        assertTrue(start >= 0, "README has a ```java block");
        int end = readme.indexOf("```", start + 8);
        assertEquals(example, readme.substring(start + 8, end));
    }

    @Test
    void gradientFlowBlockIsTheExampleFile() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        String readme = Files.readString(root.resolve("README.md"));
        String example = Files.readString(root.resolve("examples/GradientFlow.java"));
        int first = readme.indexOf("```java\n");
        int start = readme.indexOf("```java\n", first + 8);
        assertTrue(start >= 0, "README has a second ```java block");
        int end = readme.indexOf("```", start + 8);
        assertEquals(example, readme.substring(start + 8, end));
    }

    @Test
    void streamingBlockIsTheExampleFile() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        String readme = Files.readString(root.resolve("README.md"));
        String example = Files.readString(root.resolve("examples/Streaming.java"));
        int start = -8;
        for (int block = 0; block < 3; block++) {
            start = readme.indexOf("```java\n", start + 8);
            assertTrue(start >= 0, "README has a third ```java block");
        }
        int end = readme.indexOf("```", start + 8);
        assertEquals(example, readme.substring(start + 8, end));
    }
}
