package org.rnn4j.lstm.io;

import static org.rnn4j.lstm.io.Metadata.bool;
import static org.rnn4j.lstm.io.Metadata.integer;
import static org.rnn4j.lstm.io.Metadata.named;
import static org.rnn4j.lstm.io.Metadata.number;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.InferenceModel;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.Nonlinearity;
import org.rnn4j.api.OutputHead;
import org.rnn4j.api.Parameter;
import org.rnn4j.api.RecurrentGradient;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.lstm.Models;

/**
 * Saves and loads models as safetensors files in rnn4j's own layout: one F32 tensor per
 * {@link Parameter}, under its name ({@code layer0.W_x}, …, {@code W_y}, {@code b_y}) and with its
 * shape (rows, cols); the spec in the header's metadata, so that {@link #load} needs nothing else:
 * <pre>
 *   rnn4j.format = 1, rnn4j.cell = LSTM, rnn4j.activation = TANH, rnn4j.input_size = …,
 *   rnn4j.hidden_size = …, rnn4j.output_size = …, rnn4j.layers = …, rnn4j.head = SOFTMAX,
 *   rnn4j.gradient = EXACT
 * </pre>
 * Files are written atomically ({@link AtomicWrite}). Loading checks everything — the file
 * ({@link SafeTensorsFile}), the spec, every parameter's presence, shape and finiteness, and
 * refuses tensors the model does not have — before any value reaches a model, so a failed load
 * leaves a live model as it was.
 */
public final class ModelFiles {
    /** The layout version this code writes and reads. */
    public static final String FORMAT = "1";
    private static final String P = Metadata.P;

    private ModelFiles() {}

    /** Saves {@code model}'s current weights and spec to {@code path} (atomically). */
    public static void save(RecurrentModel model, Path path) throws IOException {
        SafeTensorsWriter w = new SafeTensorsWriter();
        addSpec(w, model.spec());
        for (Parameter p : model.parameters()) {
            w.add(p.name(), new long[] {p.rows(), p.cols()}, p.value());
        }
        w.write(path);
    }

    static void pyTorchLayoutRefused(SafeTensorsFile file) throws ModelFileException {
        String layout = file.metadata().get(P + "layout");
        if (layout != null && layout.startsWith("pytorch:")) {
            throw new ModelFileException("the file is in PyTorch's layout (" + layout + "): read it with loadPyTorch", -1, null);
        }
    }

    /** The spec's metadata entries. */
    static void addSpec(SafeTensorsWriter w, ModelSpec spec) {
        w.metadata(P + "format", FORMAT)
                .metadata(P + "cell", spec.cell().name())
                .metadata(P + "activation", spec.activation().name())
                .metadata(P + "input_size", Integer.toString(spec.inputSize()))
                .metadata(P + "hidden_size", Integer.toString(spec.hiddenSize()))
                .metadata(P + "output_size", Integer.toString(spec.outputSize()))
                .metadata(P + "layers", Integer.toString(spec.layers()))
                .metadata(P + "head", spec.head().name())
                .metadata(P + "gradient", spec.gradient().name())
                .metadata(P + "dropout", Double.toString(spec.dropout()))
                .metadata(P + "bidirectional", Boolean.toString(spec.bidirectional()));
    }

    /**
     * A new model (on the best kernels) with the spec and weights of the file at {@code path}.
     *
     * @throws ModelFileException for a malformed file, a missing or bad spec entry, or tensors that
     *                            do not match the spec's parameters (naming the tensor)
     */
    public static RecurrentModel load(Path path) throws IOException {
        return load(SafeTensorsFile.read(path));
    }

    /** {@link #load(Path)} of a file already read (the fuzz test's entry). */
    static RecurrentModel load(SafeTensorsFile file) throws ModelFileException {
        pyTorchLayoutRefused(file);
        ModelSpec spec = spec(file);
        checkShapes(file, spec);    // before the model exists: a spec of huge sizes meets small tensors here, not an OutOfMemoryError
        RecurrentModel model = Models.create(spec);
        copy(file, model, false);
        return model;
    }

    /** {@link #load} compiled for streaming inference ({@link Models#compile(RecurrentModel)}). */
    public static InferenceModel loadInference(Path path) throws IOException {
        return Models.compile(load(path));
    }

    /**
     * Loads the weights of the file at {@code path} into {@code model}, whose spec must have the
     * same shape (cell, sizes, layers, head); with {@code allowExtra}, tensors the model does not
     * have are ignored rather than refused. Nothing is written to the model unless every check
     * passes.
     */
    public static void loadInto(RecurrentModel model, Path path, boolean allowExtra) throws IOException {
        SafeTensorsFile file = SafeTensorsFile.read(path);
        pyTorchLayoutRefused(file);
        checkSameShape(spec(file), model.spec());
        copy(file, model, allowExtra);
    }

    /** The file's spec has the model's cell, sizes, layers and head. */
    static void checkSameShape(ModelSpec saved, ModelSpec own) throws ModelFileException {
        if (saved.cell() != own.cell() || saved.inputSize() != own.inputSize() || saved.hiddenSize() != own.hiddenSize()
                || saved.outputSize() != own.outputSize() || saved.layers() != own.layers() || saved.head() != own.head()
                || saved.bidirectional() != own.bidirectional()) {
            throw new ModelFileException("the file holds a " + describe(saved) + " model, the model is " + describe(own),
                    -1, null);
        }
    }

    private static String describe(ModelSpec s) {
        return s.cell() + " d=" + s.inputSize() + " n=" + s.hiddenSize() + " o=" + s.outputSize() + " layers=" + s.layers()
                + (s.bidirectional() ? " bidirectional" : "") + " " + s.head();
    }

    /** Every parameter the spec implies is in the file with its shape. */
    static void checkShapes(SafeTensorsFile file, ModelSpec spec) throws ModelFileException {
        long gn = (long) spec.gates() * spec.hiddenSize();
        for (int l = 0; l < spec.layers(); l++) {
            for (int dir = 0; dir < spec.directions(); dir++) {
                String p = "layer" + l + (dir == 1 ? ".reverse." : ".");
                checkShape(file, p + "W_x", spec.layerInputSize(l), gn);
                checkShape(file, p + "W_h", spec.hiddenSize(), gn);
                checkShape(file, p + "b", 1, gn);
                if (spec.cell().hasCandidateBias()) {
                    checkShape(file, p + "b_hn", 1, spec.hiddenSize());
                }
            }
        }
        checkShape(file, "W_y", spec.layerOutputSize(), spec.outputSize());
        checkShape(file, "b_y", 1, spec.outputSize());
    }

    static void checkShape(SafeTensorsFile file, String name, long rows, long cols) throws ModelFileException {
        if (!file.has(name)) {
            throw new ModelFileException("missing: the model needs it (" + rows + " x " + cols + ")", -1, name);
        }
        TensorInfo t = file.tensor(name);
        long[] shape = t.shape();
        if (shape.length != 2 || shape[0] != rows || shape[1] != cols) {
            throw new ModelFileException("shape " + java.util.Arrays.toString(shape) + ", the model's parameter is ["
                    + rows + ", " + cols + "]", file.dataStart() + t.begin(), name);
        }
    }

    /** Every parameter's tensor checked and read, then all copied at once. */
    private static void copy(SafeTensorsFile file, RecurrentModel model, boolean allowExtra) throws ModelFileException {
        commit(read(file, model, allowExtra));
    }

    /**
     * Every parameter's tensor checked and read (nothing written to the model). Unless
     * {@code allowExtra}, a tensor the model does not have is refused — except a checkpoint's
     * optimizer state ({@link Checkpoints}), so a checkpoint loads as a model.
     */
    static Map<Parameter, float[]> read(SafeTensorsFile file, RecurrentModel model, boolean allowExtra)
            throws ModelFileException {
        Map<Parameter, float[]> values = new LinkedHashMap<>();
        List<String> expected = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            expected.add(p.name());
            checkShape(file, p.name(), p.rows(), p.cols());
            values.put(p, file.floats(p.name()));
        }
        boolean checkpoint = Checkpoints.isCheckpoint(file);
        if (!allowExtra) {
            for (TensorInfo t : file.tensors()) {
                if (!expected.contains(t.name()) && !(checkpoint && t.name().startsWith(Checkpoints.STATE_PREFIX))) {
                    throw new ModelFileException("the model has no such parameter (it has " + expected + ")",
                            file.dataStart() + t.begin(), t.name());
                }
            }
        }
        return values;
    }

    /** Copies values read by {@link #read} into their parameters. */
    static void commit(Map<Parameter, float[]> values) {
        for (Map.Entry<Parameter, float[]> e : values.entrySet()) {
            System.arraycopy(e.getValue(), 0, e.getKey().value(), 0, e.getValue().length);
        }
    }

    // -------------------------------------------------------------------------------------------
    // PyTorch's layout: nn.RNN / nn.LSTM (batch_first irrelevant) + nn.Linear, state_dict names
    // -------------------------------------------------------------------------------------------

    /**
     * A new model of {@code spec} with the weights of a PyTorch {@code state_dict} saved as
     * safetensors: {@code <rnn>weight_ih_l{k}} (G·n × d_k), {@code weight_hh_l{k}} (G·n × n),
     * {@code bias_ih_l{k}}, {@code bias_hh_l{k}} (G·n) of an {@code nn.RNN}/{@code nn.LSTM}/{@code nn.GRU} under
     * the prefix {@code rnnPrefix} (e.g. {@code "rnn."}), and {@code <head>weight} (o × n),
     * {@code <head>bias} (o) of an {@code nn.Linear} under {@code headPrefix} (e.g. {@code "fc."}).
     * The weights are transposed into rnn4j's W_x, W_h, W_y; the gate blocks keep their order (PyTorch's
     * i, f, g, o and r, z, n are rnn4j's); the two biases are summed into b (in float, as b_ih + b_hh)
     * — for a GRU only the r and z blocks: b's n block is b_in, and b_hn (the n block of
     * {@code bias_hh}) becomes {@code layer{k}.b_hn}, since the reset gate multiplies it.
     * F16, BF16 and F64 tensors are converted to float. The spec says what the file cannot: the
     * cell (RNN, LSTM or GRU; PyTorch has no LSTM without forget gate and no 2014 GRU), the RNN's nonlinearity, the head,
     * and whether the model is bidirectional (then also {@code weight_ih_l{k}_reverse} etc., to
     * {@code layer{k}.reverse.*}, and the head reads 2n).
     *
     * @throws ModelFileException for a malformed file, a missing or misshapen tensor, a non-finite
     *                            value, or (unless {@code allowExtra}) a tensor the model does not use
     */
    public static RecurrentModel loadPyTorch(Path path, ModelSpec spec, String rnnPrefix, String headPrefix,
                                             boolean allowExtra) throws IOException {
        RecurrentModel model = Models.create(spec);
        loadPyTorchInto(model, path, rnnPrefix, headPrefix, allowExtra);
        return model;
    }

    /** {@link #loadPyTorch} into an existing model; nothing is written unless every check passes. */
    public static void loadPyTorchInto(RecurrentModel model, Path path, String rnnPrefix, String headPrefix,
                                       boolean allowExtra) throws IOException {
        ModelSpec spec = model.spec();
        refuseNonPyTorchCell(spec);
        SafeTensorsFile file = SafeTensorsFile.read(path);
        int n = spec.hiddenSize();
        int gn = spec.gates() * n;
        Map<Parameter, float[]> values = new LinkedHashMap<>();
        List<String> used = new ArrayList<>();
        for (int l = 0; l < spec.layers(); l++) {
            int d = spec.layerInputSize(l);
            for (int dir = 0; dir < spec.directions(); dir++) {
                String py = "_l" + l + (dir == 1 ? "_reverse" : "");     // PyTorch: weight_ih_l0_reverse
                String own = "layer" + l + (dir == 1 ? ".reverse." : ".");
                float[] wih = pyTensor(file, rnnPrefix + "weight_ih" + py, gn, d, used);
                float[] whh = pyTensor(file, rnnPrefix + "weight_hh" + py, gn, n, used);
                float[] bih = pyTensor(file, rnnPrefix + "bias_ih" + py, -1, gn, used);
                float[] bhh = pyTensor(file, rnnPrefix + "bias_hh" + py, -1, gn, used);
                float[] b = new float[gn];
                // The GRU's candidate keeps b_hn apart (r multiplies it): only r's and z's biases merge.
                int merged = spec.cell().hasCandidateBias() ? 2 * n : gn;
                for (int j = 0; j < gn; j++) {
                    b[j] = j < merged ? bih[j] + bhh[j] : bih[j];
                }
                values.put(model.parameter(own + "W_x"), transpose(wih, gn, d));
                values.put(model.parameter(own + "W_h"), transpose(whh, gn, n));
                values.put(model.parameter(own + "b"), b);
                if (spec.cell().hasCandidateBias()) {
                    values.put(model.parameter(own + "b_hn"), java.util.Arrays.copyOfRange(bhh, 2 * n, 3 * n));
                }
            }
        }
        int o = spec.outputSize();
        int w = spec.layerOutputSize();
        values.put(model.parameter("W_y"), transpose(pyTensor(file, headPrefix + "weight", o, w, used), o, w));
        values.put(model.parameter("b_y"), pyTensor(file, headPrefix + "bias", -1, o, used));
        if (!allowExtra) {
            for (TensorInfo t : file.tensors()) {
                if (!used.contains(t.name())) {
                    throw new ModelFileException("a " + spec.layers() + "-layer " + spec.cell() + " with prefixes \""
                            + rnnPrefix + "\" and \"" + headPrefix + "\" does not use it (allow extra tensors to ignore it)",
                            file.dataStart() + t.begin(), t.name());
                }
            }
        }
        commit(values);
    }

    /**
     * Saves {@code model} in PyTorch's layout (the names of {@link #loadPyTorch}, F32): W's
     * transposed, {@code bias_ih = b} and {@code bias_hh = 0} (the same outputs as rnn4j's one
     * bias); for a GRU, {@code bias_hh}'s n block is b_hn. The metadata holds {@code format = pt} and rnn4j's spec entries.
     */
    public static void savePyTorch(RecurrentModel model, Path path, String rnnPrefix, String headPrefix) throws IOException {
        ModelSpec spec = model.spec();
        refuseNonPyTorchCell(spec);
        if (spec.cell() == CellKind.RNN && spec.activation() == Nonlinearity.SIGMOID) {
            throw new IllegalArgumentException("PyTorch's nn.RNN has only tanh and ReLU; the model's nonlinearity is "
                    + spec.activation());
        }
        SafeTensorsWriter w = new SafeTensorsWriter().metadata("format", "pt");
        addSpec(w, spec);
        w.metadata(P + "layout", "pytorch:" + rnnPrefix + "," + headPrefix);
        int n = spec.hiddenSize();
        int gn = spec.gates() * n;
        for (int l = 0; l < spec.layers(); l++) {
            int d = spec.layerInputSize(l);
            for (int dir = 0; dir < spec.directions(); dir++) {
                String py = "_l" + l + (dir == 1 ? "_reverse" : "");
                String own = "layer" + l + (dir == 1 ? ".reverse." : ".");
                w.add(rnnPrefix + "weight_ih" + py, new long[] {gn, d}, transpose(model.parameter(own + "W_x").value(), d, gn));
                w.add(rnnPrefix + "weight_hh" + py, new long[] {gn, n}, transpose(model.parameter(own + "W_h").value(), n, gn));
                w.add(rnnPrefix + "bias_ih" + py, new long[] {gn}, model.parameter(own + "b").value());
                float[] bhh = new float[gn];
                if (spec.cell().hasCandidateBias()) {
                    System.arraycopy(model.parameter(own + "b_hn").value(), 0, bhh, 2 * n, n);
                }
                w.add(rnnPrefix + "bias_hh" + py, new long[] {gn}, bhh);
            }
        }
        int o = spec.outputSize();
        int width = spec.layerOutputSize();
        w.add(headPrefix + "weight", new long[] {o, width}, transpose(model.parameter("W_y").value(), width, o));
        w.add(headPrefix + "bias", new long[] {o}, model.parameter("b_y").value());
        w.write(path);
    }

    /** The cells PyTorch has no module for. */
    private static void refuseNonPyTorchCell(ModelSpec spec) {
        if (spec.cell() == CellKind.LSTM_NO_FORGET) {
            throw new IllegalArgumentException("PyTorch has no LSTM without forget gate; the model is " + spec.cell());
        }
        if (spec.cell() == CellKind.GRU_2014) {
            throw new IllegalArgumentException("PyTorch has no GRU in its 2014 form: nn.GRU applies the reset gate after"
                    + " the recurrent product (CellKind.GRU), the model's " + spec.cell() + " before it; save it with"
                    + " ModelFiles.save, or export it to ONNX (linear_before_reset = 0)");
        }
    }

    /** A tensor of shape [rows, cols] (or [cols] when rows is −1) as floats; its name recorded as used. */
    private static float[] pyTensor(SafeTensorsFile file, String name, int rows, int cols, List<String> used)
            throws ModelFileException {
        if (!file.has(name)) {
            throw new ModelFileException("missing: the model needs it (" + (rows < 0 ? "" : rows + " x ") + cols
                    + "); the file has " + file.tensors().stream().map(TensorInfo::name).toList(), -1, name);
        }
        TensorInfo t = file.tensor(name);
        long[] expected = rows < 0 ? new long[] {cols} : new long[] {rows, cols};
        if (!java.util.Arrays.equals(t.shape(), expected)) {
            throw new ModelFileException("shape " + java.util.Arrays.toString(t.shape()) + ", the model needs "
                    + java.util.Arrays.toString(expected), file.dataStart() + t.begin(), name);
        }
        used.add(name);
        return file.floats(name);
    }

    /** The transpose of a rows × cols row-major matrix. */
    private static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = a[i * cols + j];
            }
        }
        return t;
    }

    /** The spec in the file's metadata. */
    static ModelSpec spec(SafeTensorsFile file) throws ModelFileException {
        Map<String, String> m = file.metadata();
        String format = m.get(P + "format");
        if (format == null) {
            throw new ModelFileException("no \"" + P + "format\" in the metadata: not an rnn4j model file (its tensors: "
                    + file.tensors().stream().map(TensorInfo::name).toList() + ")", -1, null);
        }
        if (!format.equals(FORMAT)) {
            throw new ModelFileException(P + "format is \"" + format + "\", this library reads \"" + FORMAT + "\"", -1, null);
        }
        try {
            return ModelSpec.builder(integer(m, "input_size"), integer(m, "hidden_size"), integer(m, "output_size"))
                    .cell(named(CellKind.class, m, "cell"))
                    .activation(named(Nonlinearity.class, m, "activation"))
                    .layers(integer(m, "layers"))
                    .head(named(OutputHead.class, m, "head"))
                    .gradient(named(RecurrentGradient.class, m, "gradient"))
                    .dropout(Metadata.has(m, "dropout") ? number(m, "dropout") : 0)  // absent before dropout existed
                    .bidirectional(Metadata.has(m, "bidirectional") && bool(m, "bidirectional"))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ModelFileException("the spec in the metadata is not valid: " + e.getMessage(), -1, null);
        }
    }
}
