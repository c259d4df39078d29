package org.rnn4j.bench.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.rnn4j.api.CellKind;
import org.rnn4j.bench.report.ModelMath.Bench;
import org.rnn4j.bench.report.ModelMath.ModelShape;
import org.rnn4j.bench.report.ModelMath.TimeTarget;
import org.rnn4j.bench.report.ReportMath.GemmSize;
import org.rnn4j.bench.report.ReportMath.Kind;
import org.rnn4j.bench.report.ReportMath.Target;

/**
 * The numbers the reports take from the project's issues — the kernel and model targets and the
 * peers' figures — read from the resource {@value #RESOURCE} next to this class, so that they are
 * data with their source rather than constants in the code. The resource is checked on load: a
 * missing, mistyped, out-of-range or unknown field fails with an {@link IllegalArgumentException}
 * naming the entry (list, index and id) and the field.
 *
 * @param kernelTargets the GEMM targets, in report order
 * @param targetShape   the model shape of the time targets
 * @param issueShapes   the model shapes the two-thread speed-up is checked at
 * @param timeTargets   the model time targets, in report order
 * @param twoThreadSpeedup the training step's required speed-up of two threads over one
 * @param peerFigures   the peers' times quoted in the issue, in report order
 */
record ReportTargets(List<Target> kernelTargets, ModelShape targetShape, List<ModelShape> issueShapes,
                     List<TimeTarget> timeTargets, double twoThreadSpeedup, List<PeerFigure> peerFigures) {

    /** The resource, relative to this class's package. */
    static final String RESOURCE = "targets.json";

    /**
     * Peers' times for one case as quoted in an issue, in ms (null: none quoted); measured on
     * another machine, so context for the report, never checked.
     *
     * @param dl4jFit whether the DL4J figure is {@code fit} (a whole training step)
     */
    record PeerFigure(String cell, Bench bench, Double pytorch, Double onnx, Double dl4j, boolean dl4jFit) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The project's resource, read once. ReportMath, ModelMath and ModelsReport take their
     * constants from it in their static initialisers, so reading it uses only their nested types,
     * never their static fields (which would still be null during such a cycle).
     */
    static final ReportTargets PROJECT = load();

    /** Reads and checks {@value #RESOURCE}. */
    static ReportTargets load() {
        try (InputStream in = ReportTargets.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing next to "
                        + ReportTargets.class.getName());
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /**
     * Parses and checks a targets file.
     *
     * @param origin what the messages call the file, e.g. {@code targets.json}
     * @throws IllegalArgumentException naming the bad entry and field
     */
    static ReportTargets parse(String json, String origin) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(origin + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        Entry top = new Entry(origin, "the top level", root);
        top.only("about", "kernelTargets", "modelShapes", "modelTimeTargets", "twoThreadTarget", "peerFigures");

        List<Target> kernel = new ArrayList<>();
        for (Entry e : top.list("kernelTargets")) {
            e.only("id", "target", "kind", "required", "shapes", "sizes", "source");
            Kind kind = e.oneOf("kind", Kind.FRACTION_OF_FMA_LIMIT, Kind.SPEEDUP);
            Set<String> shapes = Set.copyOf(e.texts("shapes", Set.of("AB", "ATB", "ABT", "ABP")));
            kernel.add(new Target(e.text("target"), kind, e.positive("required"), shapes, sizes(e.object("sizes"))));
        }

        Entry shapes = top.object("modelShapes");
        shapes.only("targetShape", "issueShapes", "source");
        shapes.text("source");
        ModelShape targetShape = shapes.shape(shapes.text("targetShape"), "targetShape");
        List<ModelShape> issueShapes = new ArrayList<>();
        for (String s : shapes.texts("issueShapes", null)) {
            issueShapes.add(shapes.shape(s, "issueShapes"));
        }

        List<TimeTarget> times = new ArrayList<>();
        for (Entry e : top.list("modelTimeTargets")) {
            e.only("id", "cell", "bench", "maxMillis", "source");
            times.add(new TimeTarget(e.cell(), e.bench(), e.positive("maxMillis")));
        }

        Entry twoThreads = top.object("twoThreadTarget");
        twoThreads.only("required", "source");
        twoThreads.text("source");
        double speedup = twoThreads.positive("required");

        List<PeerFigure> peers = new ArrayList<>();
        for (Entry e : top.list("peerFigures")) {
            e.only("id", "cell", "bench", "pytorchMillis", "onnxRuntimeMillis", "dl4jMillis", "dl4jFit", "source");
            Double pytorch = e.optionalPositive("pytorchMillis");
            Double onnx = e.optionalPositive("onnxRuntimeMillis");
            Double dl4j = e.optionalPositive("dl4jMillis");
            boolean fit = e.bool("dl4jFit");
            if (pytorch == null && onnx == null && dl4j == null) {
                throw e.error("quotes no figure (pytorchMillis, onnxRuntimeMillis, dl4jMillis all absent)");
            }
            if (fit && dl4j == null) {
                throw e.error("dl4jFit is true but there is no dl4jMillis");
            }
            peers.add(new PeerFigure(e.cell(), e.bench(), pytorch, onnx, dl4j, fit));
        }
        return new ReportTargets(List.copyOf(kernel), targetShape, List.copyOf(issueShapes), List.copyOf(times),
                speedup, List.copyOf(peers));
    }

    /**
     * The GEMM sizes a kernel target applies to: {@code form} "square" (m = n = k) or "rnn"
     * (n = 4k, see {@link GemmSize#isRnnShape}), with m in [{@code minM}, {@code maxM}] (each optional).
     */
    private static Predicate<GemmSize> sizes(Entry e) {
        e.only("form", "minM", "maxM");
        String form = e.text("form");
        Predicate<GemmSize> byForm = switch (form) {
            case "square" -> GemmSize::isSquare;
            case "rnn" -> GemmSize::isRnnShape;
            default -> throw e.error("form must be \"square\" or \"rnn\", got \"" + form + "\"");
        };
        Integer min = e.optionalInt("minM");
        Integer max = e.optionalInt("maxM");
        if (min != null && max != null && max < min) {
            throw e.error("maxM " + max + " is below minM " + min);
        }
        int lo = min == null ? 1 : min;
        int hi = max == null ? Integer.MAX_VALUE : max;
        return s -> byForm.test(s) && s.m() >= lo && s.m() <= hi;
    }

    /** One JSON object of the file and the name the messages give it, e.g. {@code kernelTargets[1] "ab-rnn"}. */
    private record Entry(String origin, String name, JsonNode node) {

        IllegalArgumentException error(String message) {
            return new IllegalArgumentException(origin + ": " + name + ": " + message);
        }

        /** Fails on a field outside {@code allowed} (a typo would otherwise be ignored). */
        void only(String... allowed) {
            if (!node.isObject()) {
                throw error("must be a JSON object, got " + node.getNodeType());
            }
            Set<String> known = Set.of(allowed);
            for (String field : (Iterable<String>) node::fieldNames) {
                if (!known.contains(field)) {
                    throw error("unknown field \"" + field + "\" (known: " + String.join(", ", allowed) + ")");
                }
            }
        }

        private JsonNode field(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                throw error("\"" + field + "\" is missing");
            }
            return v;
        }

        Entry object(String field) {
            return new Entry(origin, name.equals("the top level") ? field : name + "." + field, field(field));
        }

        /** The entries of a non-empty array of objects, each with a non-blank, unique id and source. */
        List<Entry> list(String field) {
            JsonNode array = field(field);
            if (!array.isArray() || array.isEmpty()) {
                throw error("\"" + field + "\" must be a non-empty array");
            }
            List<Entry> out = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < array.size(); i++) {
                JsonNode item = array.get(i);
                JsonNode id = item.get("id");
                String label = field + "[" + i + "]" + (id != null && id.isTextual() ? " \"" + id.asText() + "\"" : "");
                Entry e = new Entry(origin, label, item);
                if (!item.isObject()) {
                    throw e.error("must be a JSON object, got " + item.getNodeType());
                }
                if (!ids.add(e.text("id"))) {
                    throw e.error("duplicate id (ids must be unique within " + field + ")");
                }
                e.text("source"); // every figure says where it was quoted
                out.add(e);
            }
            return out;
        }

        String text(String field) {
            JsonNode v = field(field);
            if (!v.isTextual() || v.asText().isBlank()) {
                throw error("\"" + field + "\" must be a non-blank string, got " + v);
            }
            return v.asText();
        }

        /** A non-empty array of strings, each one of {@code allowed} (null: any). */
        List<String> texts(String field, Set<String> allowed) {
            JsonNode v = field(field);
            if (!v.isArray() || v.isEmpty()) {
                throw error("\"" + field + "\" must be a non-empty array of strings, got " + v);
            }
            List<String> out = new ArrayList<>();
            for (JsonNode t : v) {
                if (!t.isTextual() || (allowed != null && !allowed.contains(t.asText()))) {
                    throw error("\"" + field + "\" has " + t + (allowed == null ? ", not a string"
                            : ", not one of " + String.join(", ", allowed.stream().sorted().toList())));
                }
                out.add(t.asText());
            }
            return out;
        }

        double positive(String field) {
            JsonNode v = field(field);
            if (!v.isNumber() || !(v.asDouble() > 0) || Double.isInfinite(v.asDouble())) {
                throw error("\"" + field + "\" must be a number > 0, got " + v);
            }
            return v.asDouble();
        }

        Double optionalPositive(String field) {
            JsonNode v = node.get(field);
            return v == null || v.isNull() ? null : positive(field);
        }

        Integer optionalInt(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1) {
                throw error("\"" + field + "\" must be an integer >= 1, got " + v);
            }
            return v.asInt();
        }

        boolean bool(String field) {
            JsonNode v = field(field);
            if (!v.isBoolean()) {
                throw error("\"" + field + "\" must be true or false, got " + v);
            }
            return v.asBoolean();
        }

        Kind oneOf(String field, Kind... allowed) {
            String v = text(field);
            for (Kind k : allowed) {
                if (k.name().equals(v)) {
                    return k;
                }
            }
            throw error("\"" + field + "\" must be one of " + Arrays.toString(allowed) + ", got \"" + v + "\"");
        }

        ModelShape shape(String spec, String field) {
            try {
                return ModelShape.parse(spec);
            } catch (IllegalArgumentException e) {
                throw error("\"" + field + "\": " + e.getMessage());
            }
        }

        /** A cell the models can run ({@link CellKind}), as ModelMath.flops needs. */
        String cell() {
            String cell = text("cell");
            try {
                CellKind.valueOf(cell);
            } catch (IllegalArgumentException e) {
                throw error("\"cell\" must be one of " + Arrays.toString(CellKind.values()) + ", got \"" + cell + "\"");
            }
            return cell;
        }

        /** A ModelBenchmark method: forward, forwardBackward or trainingStep. */
        Bench bench() {
            String method = text("bench");
            Bench b = Bench.ofMethod(method);
            if (b == null) {
                throw error("\"bench\" must be one of " + Arrays.stream(Bench.values()).map(Bench::method).toList()
                        + ", got \"" + method + "\"");
            }
            return b;
        }
    }
}
