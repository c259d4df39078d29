package org.rnn4j.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchMainTest {

    private static String run(String... args) {
        CommandLine cl = BenchMain.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));
        assertEquals(0, cl.execute(args), out.toString());
        return out.toString();
    }

    @Test
    void modelsQuickDryRunShowsTheGcProfiledRunAndTheModelsReport() {
        String out = run("models-quick", "--dry-run", "--out", "somewhere");
        assertTrue(out.contains("suite models-quick: forks 1, warm-up 3 × 1s, measurement 5 × 400ms"), out);
        assertTrue(out.contains("  models: include " + Suites.MODEL + ", params {shape=[32x100x128x256]}\n"), out);
        assertTrue(out.contains("  alloc: include " + Suites.MODEL_TRAINING_STEP), out);
        assertTrue(out.contains(", GC profiler"), out);
        assertTrue(out.contains("report: " + Path.of("somewhere", "models.md")), out);
        assertTrue(run("quick", "--dry-run").contains("report: " + Path.of("reports", "quick", "kernels.md")));
    }

    /** A smoke run's rough numbers must never replace a full run's report: each suite has its own files. */
    @Test
    void everySuiteWritesItsOwnReportAndTheHelpSaysWhere() {
        Map<String, Path> expected = new LinkedHashMap<>();
        expected.put("kernels", Path.of("reports", "kernels.md"));
        expected.put("quick", Path.of("reports", "quick", "kernels.md"));
        expected.put("models", Path.of("reports", "models.md"));
        expected.put("models-quick", Path.of("reports", "models-quick", "models.md"));
        assertEquals(List.copyOf(expected.keySet()), Suites.ALL.stream().map(Suites.Suite::name).toList());
        String help = run("--help");
        for (Map.Entry<String, Path> e : expected.entrySet()) {
            Path md = e.getValue();
            String out = run(e.getKey(), "--dry-run");
            assertTrue(out.contains("report: " + md + System.lineSeparator()), out);
            String both = md.toString().replace(".md", ".{md,json}");
            assertTrue(Pattern.compile("(?m)^  " + Pattern.quote(e.getKey()) + " +" + Pattern.quote(both) + "$")
                    .matcher(help).find(), help);
            // --out still puts the report where the user says
            assertTrue(run(e.getKey(), "--dry-run", "--out", "elsewhere")
                    .contains("report: " + Path.of("elsewhere").resolve(md.getFileName())), e.getKey());
        }
        assertEquals(expected.size(), Set.copyOf(expected.values()).size());
    }

    @Test
    void stabilityCommandsAreListedAndTakeOutAndSeed() {
        String help = run("--help");
        assertTrue(Pattern.compile("(?m)^  stability +" + Pattern.quote(Path.of("reports", "stability").toString())
                + "/stability\\.\\{md,json\\} and PNG charts$").matcher(help).find(), help);
        assertTrue(help.contains("  stability-quick  " + Path.of("reports", "stability-quick")), help);
        String out = run("stability", "--dry-run");
        assertTrue(out.contains("report: " + Path.of("reports", "stability", "stability.md")), out);
        assertTrue(out.contains("suite stability, seed 0"), out);
        out = run("stability-quick", "--dry-run", "--out", "elsewhere", "--seed", "7");
        assertTrue(out.contains("suite stability-quick, seed 7"), out);
        assertTrue(out.contains("report: " + Path.of("elsewhere", "stability.md")), out);
    }

    @Test
    void reportRendersAStabilityJsonAgainWithItsCharts(@TempDir Path dir) throws Exception {
        Path first = dir.resolve("first");
        org.rnn4j.bench.stability.StabilityFiles.write(org.rnn4j.bench.stability.StabilityTestReports.full(), first);
        Path out = dir.resolve("again");
        String printed = run("report", "--in", first.resolve("stability.json").toString(), "--out", out.toString());
        assertTrue(printed.contains("stability.md"), printed);
        assertEquals(Files.readString(first.resolve("stability.md"), StandardCharsets.UTF_8),
                Files.readString(out.resolve("stability.md"), StandardCharsets.UTF_8));
        assertTrue(Files.exists(out.resolve("e2-success.png")));
    }

    @Test
    void reportRendersAModelsJsonAgain(@TempDir Path dir) throws Exception {
        Reports.Env env = new Reports.Env("vector", 256, "", "JVM", 2, "CPU", "OS");
        ModelsReport.Report report = ModelsReport.build("models", "2025-01-01T00:00:00Z", Map.of(), env, 10_000, 8,
                1_920_000, List.of(ModelsReport.Result.raw("org.rnn4j.bench.ModelBenchmark.forward",
                        Map.of("cell", "LSTM", "shape", "32x100x128x256", "threads", "1"), "avgt", 20, 1, "ms/op", 3)),
                List.of());
        Path in = dir.resolve("in.json");
        Files.writeString(in, ModelsReport.toJson(report), StandardCharsets.UTF_8);
        Path out = dir.resolve("out");
        String printed = run("report", "--in", in.toString(), "--out", out.toString());
        assertTrue(printed.contains("models.md"), printed);
        assertEquals(ModelsReport.markdown(report), Files.readString(out.resolve("models.md"), StandardCharsets.UTF_8));

        KernelsReport.Report kernels = KernelsReport.build("quick", "2025-01-01T00:00:00Z", Map.of(), env, 10_000, 8,
                1_920_000, List.of());
        Files.writeString(in, KernelsReport.toJson(kernels), StandardCharsets.UTF_8);
        run("report", "--in", in.toString(), "--out", out.toString());
        assertEquals(KernelsReport.markdown(kernels), Files.readString(out.resolve("kernels.md"), StandardCharsets.UTF_8));
    }
}
