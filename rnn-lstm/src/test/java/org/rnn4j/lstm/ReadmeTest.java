package org.rnn4j.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * README's two examples are examples/QuickStart.java and examples/GradientFlow.java verbatim, so
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
}
