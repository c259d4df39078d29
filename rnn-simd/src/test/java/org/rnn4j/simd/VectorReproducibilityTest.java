package org.rnn4j.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vector GEMM gives the same bits for the same inputs whether its code is still interpreted
 * or already compiled by C2. {@link ParallelKernels} promises results bitwise identical to the
 * single-threaded kernels, which cannot hold if a single-threaded call itself changes its bits
 * once the JIT has compiled it (the parallel and the single-threaded call of a test run at
 * different JIT states). Checked in a fresh JVM ({@link JitProbe}), where the first call is
 * certainly interpreted.
 */
class VectorReproducibilityTest {
    private static final Logger LOG = LoggerFactory.getLogger(VectorReproducibilityTest.class);

    @Test
    void gemmBitsDoNotDependOnTheJitState() throws Exception {
        TestSupport.vectorOrSkip();
        Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        Path classes = base.resolve("target/classes");
        Path testClasses = base.resolve("target/test-classes");
        assertTrue(Files.isDirectory(classes) && Files.isDirectory(testClasses), "no compiled classes under " + base);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "--add-modules", "jdk.incubator.vector",
                "-Xbatch", // compile in the foreground: after the warm-up the code is compiled
                "-cp", classes + File.pathSeparator + testClasses, JitProbe.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "probe did not finish");
        assertEquals(0, process.exitValue(), "probe failed:\n" + output);

        Map<String, String> results = new LinkedHashMap<>();
        for (String line : output.split("\\R")) {
            if (line.startsWith("RESULT ")) {
                String[] f = line.split(" ", 3);
                results.put(f[1], f[2]);
            }
        }
        LOG.info("bits after JIT compilation vs first (interpreted) call, differing/total: {}", results);
        assertEquals(7, results.size(), "probe output:\n" + output);
        List<String> unstable = new ArrayList<>();
        for (Map.Entry<String, String> e : results.entrySet()) {
            boolean gemm = e.getKey().startsWith("mult");
            if (gemm && !e.getValue().startsWith("0 ")) {
                unstable.add(e.getKey() + ": " + e.getValue());
            }
        }
        assertTrue(unstable.isEmpty(), "same GEMM, same inputs, different bits once C2 compiled the kernel "
                + "(so withThreads(n) cannot be bitwise identical to single-threaded): " + unstable
                + "\nall probes: " + results);
    }
}
