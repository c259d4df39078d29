package org.rnn4j.lstm.io;

import static org.rnn4j.lstm.io.Metadata.bool;
import static org.rnn4j.lstm.io.Metadata.number;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnn4j.api.Clipping;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.Optimizer;
import org.rnn4j.api.Parameter;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.lstm.Models;
import org.rnn4j.lstm.OptimizerState;
import org.rnn4j.lstm.Trainer;
import org.rnn4j.simd.Kernels;

/**
 * Training checkpoints: everything a {@link Trainer} needs to continue as if it had never
 * stopped, in one safetensors file. Training resumed from a checkpoint is bitwise identical to
 * training that did not stop (same batches, same kernels — a two-thread model's gradients are
 * bitwise those of one thread, so the thread count may change).
 *
 * <p>The file is a model file ({@link ModelFiles}: the spec in the metadata, each parameter
 * under its name; {@link ModelFiles#load} reads a checkpoint as a model) plus:
 * <ul>
 * <li>per optimizer buffer and parameter, an F32 tensor {@code optimizer.<buffer>.<parameter>}
 *     of the parameter's shape, with PyTorch's buffer names: {@code momentum_buffer},
 *     {@code square_avg}, {@code exp_avg}, {@code exp_avg_sq};</li>
 * <li>metadata {@code rnn4j.checkpoint = 1}, the optimizer ({@code rnn4j.optimizer = ADAM} and
 *     its hyperparameters as {@code rnn4j.optimizer.learning_rate} etc., doubles written so that
 *     they read back exactly), {@code rnn4j.optimizer.steps} (the update count, Adam's t, which is
 *     the trainer's step count), the clipping limits {@code rnn4j.clipping.*}, and the model's
 *     training-pass count {@code rnn4j.training_passes} (it selects the dropout masks);</li>
 * <li>the caller's own entries (e.g. the data loader's position or seed) as
 *     {@code user.<key>}, returned by {@link #userMetadata}.</li>
 * </ul>
 * Not saved: a model's initial state ({@link RecurrentModel#setInitialState}), a stability
 * monitor, the last step's report — none of them changes what the next step computes, except an
 * initial state the caller sets, which the caller restores.
 *
 * <p>Every check (file, spec, each tensor's presence, shape and finiteness, the optimizer entries)
 * passes before anything is written to a live trainer; a failed {@link #restore} leaves it as
 * it was. Files are written atomically ({@link AtomicWrite}).
 */
public final class Checkpoints {
    /** The checkpoint layout version this code writes and reads. */
    public static final String FORMAT = "1";
    /** Name prefix of the optimizer-state tensors. */
    static final String STATE_PREFIX = "optimizer.";
    private static final String P = Metadata.P;
    private static final String USER = "user.";

    private Checkpoints() {}

    /** {@link #save(Trainer, Path, Map)} without entries of the caller's. */
    public static void save(Trainer trainer, Path path) throws IOException {
        save(trainer, path, Map.of());
    }

    /**
     * Saves {@code trainer}'s model, optimizer state, step count and clipping to {@code path}
     * (atomically: the previous file stays intact until the new one is complete on disk).
     *
     * @param user the caller's entries, saved as metadata {@code user.<key>} (keys and values
     *             any strings)
     */
    public static void save(Trainer trainer, Path path, Map<String, String> user) throws IOException {
        RecurrentModel model = trainer.model();
        OptimizerState state = trainer.optimizerState();
        SafeTensorsWriter w = new SafeTensorsWriter();
        ModelFiles.addSpec(w, model.spec());
        w.metadata(P + "checkpoint", FORMAT);
        for (Map.Entry<String, String> e : optimizerEntries(state.optimizer()).entrySet()) {
            w.metadata(P + "optimizer" + e.getKey(), e.getValue());
        }
        w.metadata(P + "optimizer.steps", Long.toString(state.steps()));
        w.metadata(P + "training_passes", Long.toString(model.trainingPasses()));
        Clipping c = trainer.clipping();
        w.metadata(P + "clipping.max_global_norm", Double.toString(c.maxGlobalNorm()))
                .metadata(P + "clipping.max_value", Double.toString(c.maxValue()))
                .metadata(P + "clipping.max_hidden_grad_norm", Double.toString(c.maxHiddenGradNorm()));
        for (Map.Entry<String, String> e : user.entrySet()) {
            w.metadata(USER + e.getKey(), e.getValue());
        }
        List<Parameter> params = model.parameters();
        for (Parameter p : params) {
            w.add(p.name(), new long[] {p.rows(), p.cols()}, p.value());
        }
        for (int s = 0; s < state.slots(); s++) {
            for (int i = 0; i < params.size(); i++) {
                Parameter p = params.get(i);
                w.add(STATE_PREFIX + state.slotName(s) + "." + p.name(), new long[] {p.rows(), p.cols()}, state.slot(s, i));
            }
        }
        w.write(path);
    }

    /** The optimizer as metadata entries: "" → its kind, ".name" → each hyperparameter. */
    private static Map<String, String> optimizerEntries(Optimizer o) {
        Map<String, String> m = new LinkedHashMap<>();
        switch (o) {
            case Optimizer.Sgd s -> {
                m.put("", "SGD");
                m.put(".learning_rate", Double.toString(s.learningRate()));
            }
            case Optimizer.Momentum s -> {
                m.put("", "MOMENTUM");
                m.put(".learning_rate", Double.toString(s.learningRate()));
                m.put(".momentum", Double.toString(s.momentum()));
                m.put(".nesterov", Boolean.toString(s.nesterov()));
            }
            case Optimizer.RmsProp s -> {
                m.put("", "RMSPROP");
                m.put(".learning_rate", Double.toString(s.learningRate()));
                m.put(".decay", Double.toString(s.decay()));
                m.put(".epsilon", Double.toString(s.epsilon()));
            }
            case Optimizer.Adam s -> {
                m.put("", "ADAM");
                m.put(".learning_rate", Double.toString(s.learningRate()));
                m.put(".beta1", Double.toString(s.beta1()));
                m.put(".beta2", Double.toString(s.beta2()));
                m.put(".epsilon", Double.toString(s.epsilon()));
            }
        }
        return m;
    }

    /** {@link #load(Path, Kernels)} on the best kernels ({@link Models#create(ModelSpec)}). */
    public static Trainer load(Path path) throws IOException {
        return load(SafeTensorsFile.read(path), null);
    }

    /**
     * A new trainer continuing the checkpoint at {@code path}: a new model with the saved spec and
     * weights on {@code kernels}, the saved optimizer and its state, the saved clipping.
     *
     * @throws ModelFileException if the file is not a valid checkpoint, naming the entry or tensor
     *                            (and its byte offset)
     */
    public static Trainer load(Path path, Kernels kernels) throws IOException {
        return load(SafeTensorsFile.read(path), kernels);
    }

    /** {@link #load(Path, Kernels)} of a file already read (the fuzz test's entry). */
    static Trainer load(SafeTensorsFile file, Kernels kernels) throws ModelFileException {
        checkIsCheckpoint(file);
        ModelSpec spec = ModelFiles.spec(file);
        ModelFiles.checkShapes(file, spec);
        Optimizer optimizer = optimizer(file.metadata());
        Clipping clipping = clipping(file.metadata());
        long steps = steps(file.metadata());
        RecurrentModel model = kernels == null ? Models.create(spec) : Models.create(spec, kernels);
        Map<Parameter, float[]> values = ModelFiles.read(file, model, false);
        OptimizerState state = new OptimizerState(optimizer, model.parameters());
        float[][][] buffers = buffers(file, state, model.parameters());
        checkNoStrayState(file, state);
        long passes = passes(file.metadata());
        ModelFiles.commit(values);
        restoreState(state, steps, buffers);
        model.setTrainingPasses(passes);
        return new Trainer(model, state, clipping);
    }

    /**
     * Restores the checkpoint at {@code path} into {@code trainer}: its model's weights and its
     * optimizer state and step count. The checkpoint must be of the same model shape, optimizer
     * (kind and hyperparameters) and clipping; nothing changes unless every check passes.
     *
     * @throws ModelFileException if the file is not a valid checkpoint or does not match the
     *                            trainer, naming what differs
     */
    public static void restore(Trainer trainer, Path path) throws IOException {
        SafeTensorsFile file = SafeTensorsFile.read(path);
        checkIsCheckpoint(file);
        RecurrentModel model = trainer.model();
        ModelFiles.checkSameShape(ModelFiles.spec(file), model.spec());
        Optimizer saved = optimizer(file.metadata());
        OptimizerState state = trainer.optimizerState();
        if (!saved.equals(state.optimizer())) {
            throw new ModelFileException("the checkpoint's optimizer is " + saved + ", the trainer's is "
                    + state.optimizer(), -1, null);
        }
        Clipping clipping = clipping(file.metadata());
        if (!clipping.equals(trainer.clipping())) {
            throw new ModelFileException("the checkpoint's clipping is " + clipping + ", the trainer's is "
                    + trainer.clipping(), -1, null);
        }
        long steps = steps(file.metadata());
        Map<Parameter, float[]> values = ModelFiles.read(file, model, false);
        float[][][] buffers = buffers(file, state, model.parameters());
        checkNoStrayState(file, state);
        long passes = passes(file.metadata());
        ModelFiles.commit(values);
        restoreState(state, steps, buffers);
        model.setTrainingPasses(passes);
    }

    /** The model's training-pass count (it selects the dropout masks); absent in files without dropout. */
    private static long passes(Map<String, String> m) throws ModelFileException {
        return Metadata.has(m, "training_passes") ? Metadata.count(m, "training_passes") : 0;
    }

    /** The caller's entries saved with the checkpoint (keys without the {@code user.} prefix). */
    public static Map<String, String> userMetadata(Path path) throws IOException {
        SafeTensorsFile file = SafeTensorsFile.read(path);
        checkIsCheckpoint(file);
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : file.metadata().entrySet()) {
            if (e.getKey().startsWith(USER)) {
                m.put(e.getKey().substring(USER.length()), e.getValue());
            }
        }
        return m;
    }

    /** Whether the file says it is a checkpoint. */
    static boolean isCheckpoint(SafeTensorsFile file) {
        return file.metadata().containsKey(P + "checkpoint");
    }

    private static void checkIsCheckpoint(SafeTensorsFile file) throws ModelFileException {
        ModelFiles.pyTorchLayoutRefused(file);
        String format = file.metadata().get(P + "checkpoint");
        if (format == null) {
            throw new ModelFileException("no \"" + P + "checkpoint\" in the metadata: a model file, not a checkpoint "
                    + "(load it with ModelFiles.load and start a new Trainer)", -1, null);
        }
        if (!format.equals(FORMAT)) {
            throw new ModelFileException(P + "checkpoint is \"" + format + "\", this library reads \"" + FORMAT + "\"",
                    -1, null);
        }
    }

    /** Every buffer tensor the optimizer keeps, checked and read: {@code [slot][param]}. */
    private static float[][][] buffers(SafeTensorsFile file, OptimizerState state, List<Parameter> params)
            throws ModelFileException {
        float[][][] b = new float[state.slots()][params.size()][];
        for (int s = 0; s < state.slots(); s++) {
            for (int i = 0; i < params.size(); i++) {
                Parameter p = params.get(i);
                String name = STATE_PREFIX + state.slotName(s) + "." + p.name();
                ModelFiles.checkShape(file, name, p.rows(), p.cols());
                b[s][i] = file.floats(name);
            }
        }
        return b;
    }

    /** No optimizer tensor beyond those of the saved optimizer (e.g. Adam's v for momentum). */
    private static void checkNoStrayState(SafeTensorsFile file, OptimizerState state) throws ModelFileException {
        for (TensorInfo t : file.tensors()) {
            if (t.name().startsWith(STATE_PREFIX)) {
                String rest = t.name().substring(STATE_PREFIX.length());
                boolean known = false;
                for (int s = 0; s < state.slots(); s++) {
                    known |= rest.startsWith(state.slotName(s) + ".");
                }
                if (!known) {
                    throw new ModelFileException("the checkpoint's optimizer (" + state.optimizer()
                            + ") keeps no such buffer", file.dataStart() + t.begin(), t.name());
                }
            }
        }
    }

    private static void restoreState(OptimizerState state, long steps, float[][][] buffers) {
        // Checked already (shape, finiteness), so this cannot fail after the weights are in.
        state.restore(steps, buffers);
    }

    private static Optimizer optimizer(Map<String, String> m) throws ModelFileException {
        String kind = Metadata.entry(m, "optimizer");
        try {
            return switch (kind) {
                case "SGD" -> new Optimizer.Sgd(number(m, "optimizer.learning_rate"));
                case "MOMENTUM" -> new Optimizer.Momentum(number(m, "optimizer.learning_rate"),
                        number(m, "optimizer.momentum"), bool(m, "optimizer.nesterov"));
                case "RMSPROP" -> new Optimizer.RmsProp(number(m, "optimizer.learning_rate"), number(m, "optimizer.decay"),
                        number(m, "optimizer.epsilon"));
                case "ADAM" -> new Optimizer.Adam(number(m, "optimizer.learning_rate"), number(m, "optimizer.beta1"),
                        number(m, "optimizer.beta2"), number(m, "optimizer.epsilon"));
                default -> throw new ModelFileException(P + "optimizer = \"" + kind
                        + "\" is none of SGD, MOMENTUM, RMSPROP, ADAM", -1, null);
            };
        } catch (IllegalArgumentException e) {
            throw new ModelFileException("the optimizer in the metadata is not valid: " + e.getMessage(), -1, null);
        }
    }

    private static Clipping clipping(Map<String, String> m) throws ModelFileException {
        try {
            return new Clipping(number(m, "clipping.max_global_norm"), number(m, "clipping.max_value"),
                    number(m, "clipping.max_hidden_grad_norm"));
        } catch (IllegalArgumentException e) {
            throw new ModelFileException("the clipping in the metadata is not valid: " + e.getMessage(), -1, null);
        }
    }

    private static long steps(Map<String, String> m) throws ModelFileException {
        return Metadata.count(m, "optimizer.steps");
    }
}
