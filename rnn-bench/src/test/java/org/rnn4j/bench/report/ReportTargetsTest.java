package org.rnn4j.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.bench.report.ModelMath.Bench;
import org.rnn4j.bench.report.ModelMath.ModelShape;
import org.rnn4j.bench.report.ModelMath.TimeTarget;
import org.rnn4j.bench.report.ReportMath.GemmSize;
import org.rnn4j.bench.report.ReportMath.Kind;
import org.rnn4j.bench.report.ReportMath.Target;
import org.rnn4j.bench.report.ReportTargets.PeerFigure;

/** The issue's numbers in {@code targets.json}: what the resource holds, and that bad files are refused. */
class ReportTargetsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String resource() throws IOException {
        try (InputStream in = ReportTargets.class.getResourceAsStream(ReportTargets.RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theResourceHoldsTheIssuesTargetsAndPeerFigures() {
        ReportTargets t = ReportTargets.load();
        assertEquals(List.of("vector A·B, one thread, squares 256³–1024³",
                        "vector A·B, one thread, RNN shapes (n = 4k) with m ≥ 32",
                        "vector Aᵀ·B and A·Bᵀ, one thread, squares 256³–1024³",
                        "vector2t over vector (2 threads vs 1) at 1024³",
                        "vector A·B, Aᵀ·B and A·Bᵀ, one thread, squares 256³–1024³",
                        "vector A·B with B pre-packed (multPacked), one thread, RNN shapes (n = 4k) with m ≥ 32"),
                t.kernelTargets().stream().map(Target::name).toList());
        assertEquals(List.of(0.90, 0.75, 0.80, 1.7, 0.92, 0.85), t.kernelTargets().stream().map(Target::required).toList());
        assertEquals(List.of(Kind.FRACTION_OF_FMA_LIMIT, Kind.FRACTION_OF_FMA_LIMIT, Kind.FRACTION_OF_FMA_LIMIT,
                Kind.SPEEDUP, Kind.FRACTION_OF_FMA_LIMIT, Kind.FRACTION_OF_FMA_LIMIT),
                t.kernelTargets().stream().map(Target::kind).toList());
        assertEquals(List.of(Set.of("AB"), Set.of("AB"), Set.of("ATB", "ABT"), Set.of("AB", "ATB", "ABT"),
                        Set.of("AB", "ATB", "ABT"), Set.of("ABP")),
                t.kernelTargets().stream().map(Target::shapes).toList());

        assertEquals(ModelShape.parse("32x100x128x256"), t.targetShape());
        assertEquals(List.of(t.targetShape(), ModelShape.parse("64x50x256x512")), t.issueShapes());
        assertEquals(List.of(new TimeTarget("LSTM", Bench.FORWARD, 24),
                new TimeTarget("LSTM", Bench.FORWARD_BACKWARD, 75), new TimeTarget("RNN", Bench.FORWARD, 7),
                new TimeTarget("RNN", Bench.FORWARD_BACKWARD, 20)), t.timeTargets());
        assertEquals(1.7, t.twoThreadSpeedup());
        assertEquals(List.of(new PeerFigure("LSTM", Bench.FORWARD, 38.7, 26.8, 114.0, false),
                new PeerFigure("LSTM", Bench.FORWARD_BACKWARD, 108.0, null, 466.0, true),
                new PeerFigure("RNN", Bench.FORWARD, 10.6, null, 25.0, false),
                new PeerFigure("RNN", Bench.FORWARD_BACKWARD, 28.6, null, 149.0, true)), t.peerFigures());

        // the reports use the loaded figures
        assertSame(ReportTargets.PROJECT.kernelTargets(), ReportMath.TARGETS);
        assertEquals(t.timeTargets(), ModelMath.TIME_TARGETS);
        assertEquals(t.targetShape(), ModelMath.TARGET_SHAPE);
    }

    @Test
    void theSizeDomainsAreTheTargetsWords() {
        List<Target> k = ReportTargets.load().kernelTargets();
        // squares 256³–1024³
        for (String s : new String[] {"256x256x256", "512x512x512", "1024x1024x1024"}) {
            assertTrue(k.get(0).sizes().test(GemmSize.parse(s)), s);
            assertTrue(k.get(2).sizes().test(GemmSize.parse(s)), s);
        }
        for (String s : new String[] {"128x128x128", "2048x2048x2048", "256x1024x256"}) {
            assertFalse(k.get(0).sizes().test(GemmSize.parse(s)), s);
        }
        // RNN shapes (n = 4k) with m >= 32
        assertTrue(k.get(1).sizes().test(GemmSize.parse("32x1024x256")));
        assertTrue(k.get(1).sizes().test(GemmSize.parse("64x2048x512")));
        assertFalse(k.get(1).sizes().test(GemmSize.parse("1x1024x256")));
        assertFalse(k.get(1).sizes().test(GemmSize.parse("32x1000x256")));
        // 1024³ only
        assertTrue(k.get(3).sizes().test(GemmSize.parse("1024x1024x1024")));
        assertFalse(k.get(3).sizes().test(GemmSize.parse("512x512x512")));
    }

    @Test
    void everyEntrySaysWhereItWasQuotedAndPeersAreMarkedAsContext() throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(resource());
        for (String list : new String[] {"kernelTargets", "modelTimeTargets", "peerFigures"}) {
            root.get(list).forEach(e -> assertTrue(e.path("source").asText().contains("issue"), list + ": " + e));
        }
        assertTrue(root.path("modelShapes").path("source").asText().contains("issue"));
        assertTrue(root.path("twoThreadTarget").path("source").asText().contains("issue"));
        root.get("peerFigures").forEach(e -> assertTrue(e.path("source").asText().contains("another machine")
                && e.path("source").asText().contains("not a measurement of this one"), e.toString()));
    }

    static Stream<Arguments> malformed() {
        return Stream.<Arguments>of(
                bad("a negative threshold", r -> kernel(r, 1).put("required", -0.75),
                        "kernelTargets[1] \"ab-rnn-shapes\"", "\"required\" must be a number > 0"),
                bad("a threshold as text", r -> kernel(r, 0).put("required", "90 %"),
                        "kernelTargets[0] \"ab-squares\"", "\"required\""),
                bad("a misspelt field", r -> kernel(r, 2).set("requried", kernel(r, 2).remove("required")),
                        "kernelTargets[2] \"transposed-squares\"", "unknown field \"requried\""),
                bad("no source", r -> ((ObjectNode) r.get("modelTimeTargets").get(3)).remove("source"),
                        "modelTimeTargets[3] \"rnn-forward-backward\"", "\"source\" is missing"),
                bad("an unknown kind", r -> kernel(r, 3).put("kind", "PERCENT"),
                        "kernelTargets[3] \"two-threads-1024\"", "\"kind\""),
                bad("an unknown GEMM shape", r -> ((ArrayNode) kernel(r, 0).get("shapes")).add("BA"),
                        "kernelTargets[0] \"ab-squares\"", "\"shapes\" has \"BA\""),
                bad("an upside-down size range", r -> ((ObjectNode) kernel(r, 0).get("sizes")).put("maxM", 128),
                        "kernelTargets[0] \"ab-squares\".sizes", "maxM 128 is below minM 256"),
                bad("a duplicate id", r -> kernel(r, 1).put("id", "ab-squares"),
                        "kernelTargets[1] \"ab-squares\"", "duplicate id"),
                bad("an unknown benchmark", r -> time(r, 0).put("bench", "backward"),
                        "modelTimeTargets[0] \"lstm-forward\"", "\"bench\" must be one of"),
                bad("an unknown cell", r -> time(r, 2).put("cell", "TRANSFORMER"),
                        "modelTimeTargets[2] \"rnn-forward\"", "\"cell\" must be one of"),
                bad("a bad model shape", r -> ((ObjectNode) r.get("modelShapes")).put("targetShape", "32x100x128"),
                        "modelShapes", "'BxTxDxH'"),
                bad("a zero speed-up", r -> ((ObjectNode) r.get("twoThreadTarget")).put("required", 0),
                        "twoThreadTarget", "\"required\" must be a number > 0"),
                bad("fit without a DL4J figure", r -> peer(r, 1).putNull("dl4jMillis"),
                        "peerFigures[1] \"lstm-forward-backward\"", "dl4jFit is true but there is no dl4jMillis"),
                bad("a peer entry with no figure", r -> peer(r, 2).putNull("pytorchMillis").putNull("dl4jMillis"),
                        "peerFigures[2] \"rnn-forward\"", "quotes no figure"),
                bad("no kernel targets", r -> r.remove("kernelTargets"),
                        "the top level", "\"kernelTargets\" is missing"));
    }

    private static Arguments bad(String what, Consumer<ObjectNode> edit, String entry, String message) {
        return Arguments.of(what, edit, entry, message);
    }

    private static ObjectNode kernel(ObjectNode root, int i) {
        return (ObjectNode) root.get("kernelTargets").get(i);
    }

    private static ObjectNode time(ObjectNode root, int i) {
        return (ObjectNode) root.get("modelTimeTargets").get(i);
    }

    private static ObjectNode peer(ObjectNode root, int i) {
        return (ObjectNode) root.get("peerFigures").get(i);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void aMalformedFileIsRefusedNamingTheEntry(String what, Consumer<ObjectNode> edit, String entry, String message)
            throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(resource());
        ReportTargets.parse(JSON.writeValueAsString(root), "targets.json"); // the unedited file is fine
        edit.accept(root);
        String json = JSON.writeValueAsString(root);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReportTargets.parse(json, "targets.json"), what);
        assertTrue(e.getMessage().startsWith("targets.json: " + entry + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void notJsonAtAllIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReportTargets.parse("{\"kernelTargets\": [", "targets.json"));
        assertTrue(e.getMessage().startsWith("targets.json: not valid JSON"), e.getMessage());
    }
}
