package org.rnn4j.onnx;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.OutputHead;
import org.rnn4j.api.Parameter;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.lstm.io.AtomicWrite;
import org.rnn4j.onnx.proto.OnnxProto.ModelProto;
import org.rnn4j.onnx.proto.OnnxProto.OperatorSetIdProto;
import org.rnn4j.onnx.proto.OnnxProto.StringStringEntryProto;

/**
 * Exports an rnn4j {@link RecurrentModel} (vanilla RNN, LSTM or GRU in either form) as an ONNX model, ONNX IR
 * version {@value #IR_VERSION}, operator set {@value #OPSET}, that ONNX Runtime and other ONNX
 * back ends run. The graph computes what {@link RecurrentModel#forward} computes:
 * <pre>
 *   input  [seq, batch, d]   time-major, like SequenceBatch (ONNX's layout 0)
 *   per layer l:  RNN, LSTM or GRU node (W, R, B from layer{l}.W_x, .W_h, .b and a GRU's .b_hn)
 *                 → Y [seq, 1, batch, n]; a GRU node has linear_before_reset = 1 (PyTorch's form,
 *                 {@link CellKind#GRU}) or 0 (the 2014 form, {@link CellKind#GRU_2014}, whose Rb is 0)
 *                 Squeeze(axis 1) → [seq, batch, n], the next layer's input
 *   head:         MatMul(W_y [n, o]) → Add(b_y [o]) → Softmax(axis −1) for a softmax head
 *   output [seq, batch, o]   ŷ of every step: probabilities (softmax head) or o_t (linear head)
 *   h_n    [layers·dirs, batch, n]  every layer's (and direction's) h after the last step (Concat of Y_h)
 *   c_n    [layers·dirs, batch, n]  likewise the LSTM's cell state (LSTM only)
 *   a bidirectional model: direction = "bidirectional" nodes, Y [seq, 2, batch, n] transposed and
 *   reshaped to [seq, batch, 2n] = [h_fwd | h_rev], rnn4j's layout
 * </pre>
 * {@code seq} and {@code batch} are symbolic: one file runs on any sequence length and batch
 * size. Every sequence of a batch runs all {@code seq} steps, unless the graph is made with
 * {@link Options#sequenceLengths()}: then its input {@code sequence_lens} stops each sequence at
 * its length, as rnn4j's per-sequence lengths do.
 *
 * <p>The initial state is zero, whatever {@link RecurrentModel#setInitialState} was given;
 * with {@link Options#initialStateInputs()} the graph instead takes it as the required inputs
 * {@code initial_h} (and, for an LSTM, {@code initial_c}), each {@code [layers, batch, n]} in
 * the layer-major layout of {@code setInitialState}.
 *
 * <p>Not exportable: the 1997 LSTM without forget gate ({@link CellKind#LSTM_NO_FORGET}), since
 * ONNX's LSTM always has a forget gate; a model with a non-finite weight; a model whose weights
 * do not fit one protobuf message (2 GiB; ONNX's external-data files are not written).
 */
public final class OnnxExport {
    private OnnxExport() {}

    /** The ONNX operator set of the graph (the default domain, ai.onnx). */
    public static final int OPSET = 17;
    /** The ONNX IR version of the model (IR 8 is that of ONNX 1.10; opset 17 needs no later one). */
    public static final long IR_VERSION = 8;
    /** The graph's input, {@code [seq, batch, d]}. */
    public static final String INPUT = "input";
    /** The graph's main output, {@code [seq, batch, o]}. */
    public static final String OUTPUT = "output";

    /** Why {@link CellKind#LSTM_NO_FORGET} is refused; also used by {@link OnnxWeights}. */
    static final String NO_FORGET = "cannot export a " + CellKind.LSTM_NO_FORGET + " cell (the 1997 LSTM without"
            + " forget gate): ONNX's LSTM operator always has a forget gate, and no attribute turns it off";

    /** A protobuf message holds at most 2 GiB; leave room for everything besides the weights. */
    private static final long MAX_WEIGHT_BYTES = Integer.MAX_VALUE - (64L << 20);

    /**
     * What the export includes besides the defaults.
     *
     * @param softmax            with a softmax head: end the graph with the Softmax node (true, so
     *                           that {@code output} is what {@code forward} gives) or leave it out
     *                           and output the logits {@code o_t} (false); ignored for a linear head
     * @param initialStateInputs take the initial state as graph inputs {@code initial_h} (and
     *                           {@code initial_c}) instead of starting from zero
     * @param sequenceLengths    take per-sequence lengths as the graph input
     *                           {@code sequence_lens} (int32, [batch]), given to every recurrent
     *                           node: ONNX's semantics are rnn4j's (and PyTorch's packed
     *                           sequences) — a sequence's state stops at its length, {@code h_n}
     *                           is the state after its last step, the reverse direction starts
     *                           there; outputs past a length are not meaningful (ONNX zeroes h
     *                           there, rnn4j repeats the last state)
     */
    public record Options(boolean softmax, boolean initialStateInputs, boolean sequenceLengths) {

        /** Softmax node included, zero initial state, every sequence runs all steps. */
        public static Options defaults() {
            return new Options(true, false, false);
        }

        /** These options with {@link #softmax()} = {@code v}. */
        public Options withSoftmax(boolean v) {
            return new Options(v, initialStateInputs, sequenceLengths);
        }

        /** These options with {@link #initialStateInputs()} = {@code v}. */
        public Options withInitialStateInputs(boolean v) {
            return new Options(softmax, v, sequenceLengths);
        }

        /** These options with {@link #sequenceLengths()} = {@code v}. */
        public Options withSequenceLengths(boolean v) {
            return new Options(softmax, initialStateInputs, v);
        }
    }

    /**
     * Writes {@code model} as an ONNX file with the {@linkplain Options#defaults() default
     * options}, atomically: a reader of {@code path} sees the old file or the whole new one.
     *
     * @param model <b>in</b> the model, unchanged
     * @param path  <b>out</b> the file (conventionally {@code *.onnx}), created or replaced
     * @throws IllegalArgumentException if the model cannot be exported (see the class comment);
     *                                  the file is then not touched
     * @throws IOException              if the file cannot be written
     */
    public static void write(RecurrentModel model, Path path) throws IOException {
        write(model, path, Options.defaults());
    }

    /**
     * Writes {@code model} as an ONNX file with {@code options}, atomically (see
     * {@link #write(RecurrentModel, Path)}).
     *
     * @throws IllegalArgumentException if the model cannot be exported; the file is then not touched
     * @throws IOException              if the file cannot be written
     */
    public static void write(RecurrentModel model, Path path, Options options) throws IOException {
        if (path == null) {
            throw new IllegalArgumentException("path must not be null");
        }
        byte[] bytes = toBytes(model, options);  // before the file is touched: a refusal leaves it alone
        AtomicWrite.write(path, bytes);
    }

    /**
     * The ONNX model of {@code model} with the {@linkplain Options#defaults() default options}:
     * the bytes of an {@code .onnx} file, e.g. for {@code OrtEnvironment.createSession(byte[])}.
     *
     * @param model <b>in</b> the model, unchanged
     * @throws IllegalArgumentException if the model cannot be exported (see the class comment)
     */
    public static byte[] toBytes(RecurrentModel model) {
        return toBytes(model, Options.defaults());
    }

    /**
     * The ONNX model of {@code model} with {@code options}, as bytes.
     *
     * @throws IllegalArgumentException if the model cannot be exported (see the class comment)
     */
    public static byte[] toBytes(RecurrentModel model, Options options) {
        return modelProto(model, options).toByteArray();
    }

    /** The model as a protobuf message (the tests read its structure). */
    static ModelProto modelProto(RecurrentModel model, Options options) {
        if (model == null || options == null) {
            throw new IllegalArgumentException("model and options must not be null");
        }
        ModelSpec spec = model.spec();
        if (spec.cell() == CellKind.LSTM_NO_FORGET) {
            throw new IllegalArgumentException(NO_FORGET);
        }
        checkWeights(model);
        ModelProto.Builder m = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("rnn4j")
                .setProducerVersion(version())
                .setDocString("rnn4j " + describe(spec) + ", exported by org.rnn4j.onnx.OnnxExport")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph(model, spec, options).build());
        for (Map.Entry<String, String> e : metadata(spec, options).entrySet()) {
            m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
        }
        return m.build();
    }

    private static OnnxGraph graph(RecurrentModel model, ModelSpec spec, Options options) {
        boolean lstm = spec.cell() == CellKind.LSTM;
        boolean gru = spec.cell() == CellKind.GRU || spec.cell() == CellKind.GRU_2014;
        int n = spec.hiddenSize();
        int layers = spec.layers();
        int gn = spec.gates() * n;
        String seq = "seq";
        String batch = "batch";
        OnnxGraph g = new OnnxGraph("rnn4j_" + spec.cell().name().toLowerCase(Locale.ROOT),
                "rnn4j " + describe(spec) + "; time-major like rnn4j's SequenceBatch");

        int dirs = spec.directions();
        int slots = layers * dirs;
        g.input(INPUT, "x_t of every step, time-major: [seq, batch, d]", seq, batch, spec.inputSize());
        if (options.sequenceLengths()) {
            g.int32Input("sequence_lens", "each sequence's length in [1, seq]: [batch]", batch);
        }
        if (options.initialStateInputs()) {
            g.input("initial_h", "h_0 of every layer (and direction): [layers·directions, batch, n]", slots, batch, n);
            if (lstm) {
                g.input("initial_c", "C_0 of every layer (and direction): [layers·directions, batch, n]", slots, batch, n);
            }
        }
        // Squeeze takes its axes as an input since opset 13; Reshape's 0 copies a dimension
        String axis1 = dirs == 1 ? g.int64s("axes_1", new long[] {1}, new long[] {1}) : null;
        String joinDirections = dirs == 2 ? g.int64s("shape_seq_batch_2n", new long[] {3}, new long[] {0, 0, -1}) : null;

        String x = INPUT;
        List<String> hN = new ArrayList<>();
        List<String> cN = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            String p = "layer" + l;
            int dl = spec.layerInputSize(l);
            // ONNX stacks the directions on the first axis: forward, then reverse
            float[][] wd = new float[dirs][];
            float[][] rd = new float[dirs][];
            float[][] bd = new float[dirs][];
            for (int dir = 0; dir < dirs; dir++) {
                String own = p + (dir == 1 ? ".reverse." : ".");
                wd[dir] = OnnxWeights.kernel(spec.cell(), n, model.parameter(own + "W_x").value(), dl);
                rd[dir] = OnnxWeights.kernel(spec.cell(), n, model.parameter(own + "W_h").value(), n);
                bd[dir] = OnnxWeights.bias(spec.cell(), n, model.parameter(own + "b").value(),
                        spec.cell().hasCandidateBias() ? model.parameter(own + "b_hn").value() : null);
            }
            String w = g.floats(p + ".W", new long[] {dirs, gn, dl}, concat(wd));
            String r = g.floats(p + ".R", new long[] {dirs, gn, n}, concat(rd));
            String b = g.floats(p + ".B", new long[] {dirs, 2L * gn}, concat(bd));
            List<String> in = new ArrayList<>(List.of(x, w, r, b));
            if (options.sequenceLengths() || options.initialStateInputs()) {
                in.add(options.sequenceLengths() ? "sequence_lens" : "");  // "": all steps
            }
            if (options.initialStateInputs()) {
                // this layer's [directions, batch, n] slice of the [layers·directions, batch, n] state inputs
                long[] blocks = dirs == 1 ? new long[] {l} : new long[] {2L * l, 2L * l + 1};
                String index = g.int64s(p + ".index", new long[] {dirs}, blocks);
                in.add(p + ".initial_h");
                g.node("Gather", p + ".gather_h", List.of("initial_h", index), List.of(p + ".initial_h"),
                        OnnxGraph.attribute("axis", 0));
                if (lstm) {
                    in.add(p + ".initial_c");
                    g.node("Gather", p + ".gather_c", List.of("initial_c", index), List.of(p + ".initial_c"),
                            OnnxGraph.attribute("axis", 0));
                }
            }
            List<String> out = new ArrayList<>(List.of(p + ".Y", p + ".Y_h"));
            hN.add(p + ".Y_h");
            if (lstm) {
                out.add(p + ".Y_c");
                cN.add(p + ".Y_c");
            }
            if (gru) {
                // PyTorch's GRU applies r after the recurrent product (linear_before_reset = 1), the
                // 2014 GRU to h_{t−1} before it (0, ONNX's default, written out so the graph says it)
                g.node("GRU", p, in, out,
                        OnnxGraph.attribute("hidden_size", n),
                        OnnxGraph.attribute("direction", dirs == 2 ? "bidirectional" : "forward"),
                        OnnxGraph.attribute("activations", activations(spec, dirs)),
                        OnnxGraph.attribute("linear_before_reset", spec.cell() == CellKind.GRU ? 1 : 0));
            } else {
                g.node(lstm ? "LSTM" : "RNN", p, in, out,
                        OnnxGraph.attribute("hidden_size", n),
                        OnnxGraph.attribute("direction", dirs == 2 ? "bidirectional" : "forward"),
                        OnnxGraph.attribute("activations", activations(spec, dirs)));
            }
            if (dirs == 1) {
                g.node("Squeeze", p + ".squeeze", List.of(p + ".Y", axis1), List.of(p + ".h"));
            } else {
                // Y [seq, 2, batch, n] → [seq, batch, 2, n] → [seq, batch, 2n] = [h_fwd | h_rev], rnn4j's order
                g.node("Transpose", p + ".transpose", List.of(p + ".Y"), List.of(p + ".Yt"),
                        OnnxGraph.attribute("perm", 0L, 2L, 1L, 3L));
                g.node("Reshape", p + ".join", List.of(p + ".Yt", joinDirections), List.of(p + ".h"));
            }
            x = p + ".h";
        }

        // rnn4j's W_y is n × o and multiplies from the left, as MatMul does: no transpose
        Parameter wy = model.parameter("W_y");
        String wyName = g.floats("W_y", new long[] {wy.rows(), wy.cols()}, wy.value());
        String byName = g.floats("b_y", new long[] {spec.outputSize()}, model.parameter("b_y").value());
        boolean softmax = spec.head() == OutputHead.SOFTMAX && options.softmax();
        String logits = softmax ? "logits" : OUTPUT;
        g.node("MatMul", "head.matmul", List.of(x, wyName), List.of("head.hW_y"));
        g.node("Add", "head.add", List.of("head.hW_y", byName), List.of(logits));
        if (softmax) {
            g.node("Softmax", "head.softmax", List.of(logits), List.of(OUTPUT), OnnxGraph.attribute("axis", -1));
        }
        g.node("Concat", "concat_h_n", hN, List.of("h_n"), OnnxGraph.attribute("axis", 0));
        if (lstm) {
            g.node("Concat", "concat_c_n", cN, List.of("c_n"), OnnxGraph.attribute("axis", 0));
        }

        g.output(OUTPUT, softmax ? "softmax(o_t) of every step: [seq, batch, o]"
                : "o_t = h_t·W_y + b_y of every step: [seq, batch, o]", seq, batch, spec.outputSize());
        g.output("h_n", "h after the last step, every layer (and direction): [layers·directions, batch, n]", slots, batch, n);
        if (lstm) {
            g.output("c_n", "C after the last step, every layer (and direction): [layers·directions, batch, n]", slots, batch, n);
        }
        return g;
    }

    /** The arrays one after the other. */
    private static float[] concat(float[][] parts) {
        int size = 0;
        for (float[] a : parts) {
            size += a.length;
        }
        float[] out = new float[size];
        int at = 0;
        for (float[] a : parts) {
            System.arraycopy(a, 0, out, at, a.length);
            at += a.length;
        }
        return out;
    }

    /** The {@code activations} attribute: ONNX's defaults, written out so the graph says them. */
    private static List<String> activations(ModelSpec spec, int dirs) {
        List<String> one = activations(spec);
        List<String> all = new ArrayList<>(one);
        if (dirs == 2) {
            all.addAll(one);                             // ONNX: one list per direction, forward first
        }
        return all;
    }

    private static List<String> activations(ModelSpec spec) {
        if (spec.cell() == CellKind.LSTM) {
            return List.of("Sigmoid", "Tanh", "Tanh");  // σ of i, o, f; tanh of C̃; tanh(C_t) in h_t
        }
        if (spec.cell() == CellKind.GRU || spec.cell() == CellKind.GRU_2014) {
            return List.of("Sigmoid", "Tanh");          // σ of z, r; tanh of the candidate
        }
        return List.of(switch (spec.activation()) {
            case TANH -> "Tanh";
            case SIGMOID -> "Sigmoid";
            case RELU -> "Relu";
        });
    }

    /** A non-finite weight would give a file that computes NaN; compile() refuses them too. */
    private static void checkWeights(RecurrentModel model) {
        long bytes = 0;
        for (Parameter p : model.parameters()) {
            bytes += (long) p.size() * Float.BYTES;
            float[] v = p.value();
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    throw new IllegalArgumentException("cannot export: parameter " + p.name() + " has the non-finite value "
                            + v[i] + " at row " + i / p.cols() + ", column " + i % p.cols());
                }
            }
        }
        if (bytes > MAX_WEIGHT_BYTES) {
            throw new IllegalArgumentException("cannot export: the weights take " + bytes + " bytes, more than one"
                    + " protobuf message holds (2 GiB); ONNX external data is not supported");
        }
    }

    /** The spec in the model's metadata_props, so a reader of the file can tell what it came from. */
    private static Map<String, String> metadata(ModelSpec spec, Options options) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("rnn4j.cell", spec.cell().name());
        if (spec.cell() == CellKind.RNN) {
            m.put("rnn4j.activation", spec.activation().name());
        }
        m.put("rnn4j.input_size", Integer.toString(spec.inputSize()));
        m.put("rnn4j.hidden_size", Integer.toString(spec.hiddenSize()));
        m.put("rnn4j.output_size", Integer.toString(spec.outputSize()));
        m.put("rnn4j.layers", Integer.toString(spec.layers()));
        m.put("rnn4j.head", spec.head().name());
        m.put("rnn4j.softmax_node", Boolean.toString(spec.head() == OutputHead.SOFTMAX && options.softmax()));
        m.put("rnn4j.initial_state", options.initialStateInputs() ? "inputs" : "zero");
        m.put("rnn4j.sequence_lengths", options.sequenceLengths() ? "input sequence_lens" : "all steps");
        return m;
    }

    private static String describe(ModelSpec spec) {
        String cell = spec.cell() == CellKind.RNN ? "RNN(" + spec.activation() + ")" : spec.cell().name();
        return cell + " d=" + spec.inputSize() + " n=" + spec.hiddenSize() + " o=" + spec.outputSize()
                + " layers=" + spec.layers() + " head=" + spec.head();
    }

    /** rnn4j's version, from the module descriptor (javac records it), or "unknown" on the class path. */
    private static String version() {
        ModuleDescriptor d = OnnxExport.class.getModule().getDescriptor();
        return d == null ? "unknown" : d.rawVersion().orElse("unknown");
    }
}
