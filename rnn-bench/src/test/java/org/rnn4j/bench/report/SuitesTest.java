package org.rnn4j.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SuitesTest {
    private static final String GEMM = "org.rnn4j.bench.GemmBenchmark.gemm";
    private static final String SCALAR_GEMM = "org.rnn4j.bench.ScalarGemmBenchmark.gemm";
    private static final String TANH = "org.rnn4j.bench.ActivationBenchmark.tanhVector";

    /** As JMH matches includes: {@code Matcher.find()} on the benchmark name. */
    private static boolean finds(String regex, String name) {
        return Pattern.compile(regex).matcher(name).find();
    }

    @Test
    void suitePatternsSelectTheirOwnClassOnly() {
        assertTrue(finds(Suites.GEMM, GEMM));
        assertFalse(finds(Suites.GEMM, SCALAR_GEMM));
        assertTrue(finds(Suites.SCALAR_GEMM, SCALAR_GEMM));
        assertFalse(finds(Suites.SCALAR_GEMM, GEMM));
        assertTrue(finds(Suites.ACTIVATIONS, TANH));
        assertTrue(finds(Suites.FMA, "org.rnn4j.bench.FmaPeakBenchmark.fmaChains"));
    }

    @Test
    void userIncludeNarrowsTheSuitePattern() {
        assertEquals(Suites.GEMM, Suites.both(Suites.GEMM, null));
        assertEquals(Suites.GEMM, Suites.both(Suites.GEMM, " "));
        String tanh = Suites.both(Suites.ACTIVATIONS, "tanh");
        assertTrue(finds(tanh, TANH));
        assertFalse(finds(tanh, "org.rnn4j.bench.ActivationBenchmark.sigmoidVector"));
        assertFalse(finds(Suites.both(Suites.GEMM, "tanh"), TANH));
        // anchors and alternation in the user's pattern keep their meaning
        assertTrue(finds(Suites.both(Suites.GEMM, "^org.*gemm$"), GEMM));
        assertTrue(finds(Suites.both(Suites.ACTIVATIONS, "exp|tanh"), TANH));
        assertFalse(finds(Suites.both(Suites.GEMM, "Scalar|Fma"), GEMM));
        assertThrows(java.util.regex.PatternSyntaxException.class, () -> Suites.both(Suites.GEMM, "(unclosed"));
    }

    @Test
    void parsesParamOverrides() {
        Map<String, List<String>> p = Suites.parseParams(List.of("size=64x64x64, 128x128x128", "impl=vector",
                "impl=scalar,vector"));
        assertEquals(Map.of("size", List.of("64x64x64", "128x128x128"), "impl", List.of("scalar", "vector")), p);
        assertThrows(IllegalArgumentException.class, () -> Suites.parseParams(List.of("size")));
        assertThrows(IllegalArgumentException.class, () -> Suites.parseParams(List.of("=1")));
        assertThrows(IllegalArgumentException.class, () -> Suites.parseParams(List.of("n=,")));
    }

    @Test
    void userParamsReplaceSuiteParams() {
        List<Suites.Run> runs = Suites.withParams(Suites.QUICK.runs(), Map.of("size", List.of("256x256x256")));
        for (Suites.Run r : runs) {
            assertEquals(List.of("256x256x256"), r.params().get("size"));
        }
        Suites.Run activations = runs.get(runs.size() - 1);
        assertEquals(List.of("4096"), activations.params().get("n"));
    }

    @Test
    void settingsAreValidatedAndPrinted() {
        new Suites.Settings(0, 0, "1s", 1, "250ms").validate();
        assertThrows(IllegalArgumentException.class, () -> new Suites.Settings(-1, null, null, null, null).validate());
        assertThrows(IllegalArgumentException.class, () -> new Suites.Settings(null, null, null, 0, null).validate());
        assertThrows(IllegalArgumentException.class, () -> new Suites.Settings(null, null, "soon", null, null).validate());
        assertEquals("forks 1, warm-up 3 × 600ms, measurement 3 × 300ms", Suites.QUICK.settings().toString());
        assertEquals("forks (annotation), warm-up (annotation) × (annotation), measurement (annotation) × (annotation)",
                Suites.KERNELS.settings().toString());
    }

    @Test
    void cliSettingsOverrideSuiteDefaults() {
        Suites.Settings s = Suites.QUICK.settings().overriddenBy(new Suites.Settings(2, null, "1s", null, null));
        assertEquals(new Suites.Settings(2, 3, "1s", 3, "300ms"), s);
        assertEquals(Suites.Settings.ANNOTATIONS, Suites.KERNELS.settings());
        assertEquals(Suites.QUICK, Suites.get("quick"));
        assertThrows(IllegalArgumentException.class, () -> Suites.get("nope"));
    }

    @Test
    void modelSuitesRunTheFmaLimitModelsAndAGcProfiledTrainingStep() {
        String model = "org.rnn4j.bench.ModelBenchmark.";
        assertTrue(finds(Suites.MODEL, model + "forward"));
        assertTrue(finds(Suites.MODEL, model + "trainingStep"));
        assertFalse(finds(Suites.MODEL, GEMM));
        assertTrue(finds(Suites.MODEL_TRAINING_STEP, model + "trainingStep"));
        assertFalse(finds(Suites.MODEL_TRAINING_STEP, model + "forward"));
        assertFalse(finds(Suites.MODEL_TRAINING_STEP, model + "trainingStepX"));

        for (Suites.Suite suite : List.of(Suites.MODELS, Suites.MODELS_QUICK)) {
            assertEquals(Suites.ReportKind.MODELS, suite.report());
            assertEquals(List.of("fma", "models", "alloc"), suite.runs().stream().map(Suites.Run::label).toList());
            assertEquals(List.of(false, false, true), suite.runs().stream().map(Suites.Run::gcProfiler).toList());
            Suites.Run alloc = suite.runs().get(2);
            assertEquals(Suites.MODEL_TRAINING_STEP, alloc.include());
            assertEquals(List.of("1"), alloc.params().get("threads"));
            suite.settings().validate();
        }
        assertEquals(Map.of(), Suites.MODELS.runs().get(1).params()); // every cell, shape and thread count
        assertEquals(Map.of("shape", List.of("32x100x128x256")), Suites.MODELS_QUICK.runs().get(1).params());
        assertEquals(List.of("32x100x128x256"), Suites.MODELS_QUICK.runs().get(2).params().get("shape"));
        assertEquals(Suites.Settings.ANNOTATIONS, Suites.MODELS.settings());
        assertEquals(Suites.MODELS_QUICK, Suites.get("models-quick"));
        assertEquals(Suites.MODELS, Suites.get("models"));
        assertEquals(Suites.ReportKind.KERNELS, Suites.KERNELS.report());
        assertEquals("models", Suites.ReportKind.MODELS.fileName());
        assertEquals("kernels", Suites.ReportKind.KERNELS.fileName());
    }

    @Test
    void userParamsKeepTheGcProfiler() {
        List<Suites.Run> runs = Suites.withParams(Suites.MODELS_QUICK.runs(), Map.of("cell", List.of("LSTM")));
        assertTrue(runs.get(2).gcProfiler());
        assertEquals(List.of("LSTM"), runs.get(2).params().get("cell"));
        assertEquals(List.of("1"), runs.get(2).params().get("threads"));
    }
}
