import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.Clipping;
import org.rnn4j.api.InferenceModel;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.Optimizer;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.StreamState;
import org.rnn4j.api.Targets;
import org.rnn4j.lstm.Models;
import org.rnn4j.lstm.Trainer;
import org.rnn4j.lstm.io.Checkpoints;
import org.rnn4j.lstm.io.ModelFileException;
import org.rnn4j.lstm.io.ModelFiles;
import org.rnn4j.onnx.OnnxExport;

/**
 * rnn4j model files: a checkpoint that resumes training bit for bit, a model file, PyTorch's
 * state_dict layout, ONNX, and a broken file refused. Run with ./run-java examples/SaveAndLoad.java
 */
public class SaveAndLoad {
    static final int SYMBOLS = 4, STEPS = 12, BATCH = 16, DELAY = 3;

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("rnn4j-files");
        // Like nn.GRU(4, 32) followed by nn.Linear(32, 4) and a softmax.
        ModelSpec spec = ModelSpec.builder(SYMBOLS, 32, SYMBOLS).cell(CellKind.GRU).seed(1).build();
        Trainer trainer = new Trainer(Models.create(spec), Optimizer.adam(0.01), Clipping.globalNorm(5));
        for (int k = 0; k < 100; k++) {
            trainer.step(batch(k));
        }

        // 1. A checkpoint: weights, Adam's moments and step count, clipping, and entries of ours.
        Path ckpt = dir.resolve("checkpoint.safetensors");
        Checkpoints.save(trainer, ckpt, Map.of("next_batch", "100"));
        Trainer resumed = Checkpoints.load(ckpt);
        int next = Integer.parseInt(Checkpoints.userMetadata(ckpt).get("next_batch"));
        boolean same = true;
        for (int k = next; k < next + 50; k++) {            // both go on with the same batches
            same &= trainer.step(batch(k)) == resumed.step(batch(k));
        }
        System.out.println("resumed training is bitwise the original: " + same + " (step " + resumed.steps() + ")");

        // 2. The model alone, self-describing (the spec is in the file), for training or serving.
        RecurrentModel model = trainer.model();
        Path file = dir.resolve("model.safetensors");
        ModelFiles.save(model, file);
        InferenceModel served = ModelFiles.loadInference(file);
        StreamState stream = served.newStream();
        float[] probabilities = new float[SYMBOLS];
        served.step(stream, new float[] {0, 0, 1, 0}, 0, probabilities, 0);
        System.out.printf("loaded %s, %d bytes; first step's p(symbol 2) = %.3f%n",
                ModelFiles.load(file).spec().cell(), Files.size(file), probabilities[2]);

        // 3. PyTorch's layout: nn.GRU under "rnn.", nn.Linear under "fc." (load_state_dict(strict=True) reads it).
        Path torch = dir.resolve("pytorch.safetensors");
        ModelFiles.savePyTorch(model, torch, "rnn.", "fc.");
        RecurrentModel back = ModelFiles.loadPyTorch(torch, spec, "rnn.", "fc.", false);
        System.out.println("through PyTorch's layout and back, weights equal: " + java.util.Arrays.equals(
                model.parameter("layer0.b_hn").value(), back.parameter("layer0.b_hn").value()));

        // 4. ONNX (a GRU node with linear_before_reset = 1, MatMul + Add + Softmax), for ONNX Runtime.
        Path onnx = dir.resolve("model.onnx");
        OnnxExport.write(model, onnx);
        System.out.println("ONNX file: " + Files.size(onnx) + " bytes");

        // 5. A broken file is refused, naming what is wrong and where; nothing is half-loaded.
        byte[] bytes = Files.readAllBytes(file);
        Path cut = dir.resolve("truncated.safetensors");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        try {
            ModelFiles.loadInto(model, cut, false);
        } catch (ModelFileException e) {
            System.out.println("refused: " + e.getMessage());
        }
    }

    /** Batch k of a fixed stream: one-hot symbols in, the symbol DELAY steps back as the target. */
    static SequenceBatch batch(int k) {
        SplittableRandom rnd = new SplittableRandom(k);
        float[] x = new float[STEPS * BATCH * SYMBOLS];
        int[] seen = new int[STEPS * BATCH];
        int[] target = new int[STEPS * BATCH];
        for (int t = 0; t < STEPS; t++) {
            for (int b = 0; b < BATCH; b++) {
                int s = rnd.nextInt(SYMBOLS);
                seen[t * BATCH + b] = s;
                x[(t * BATCH + b) * SYMBOLS + s] = 1f;
                target[t * BATCH + b] = seen[Math.max(0, t - DELAY) * BATCH + b];
            }
        }
        return SequenceBatch.of(STEPS, BATCH, SYMBOLS, x, Targets.classesEveryStep(target));
    }
}
