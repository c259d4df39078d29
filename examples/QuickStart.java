import java.util.SplittableRandom;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.Clipping;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.Optimizer;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.Targets;
import org.rnn4j.lstm.Models;
import org.rnn4j.lstm.Trainer;

/**
 * rnn4j quick start: an LSTM learns to recall the symbol it saw 3 steps earlier.
 * Run with ./run-java examples/QuickStart.java
 */
public class QuickStart {
    static final int SYMBOLS = 4, STEPS = 12, BATCH = 16, DELAY = 3;

    public static void main(String[] args) {
        // Like nn.LSTM(4, 32) followed by nn.Linear(32, 4) and a softmax.
        ModelSpec spec = ModelSpec.builder(SYMBOLS, 32, SYMBOLS).cell(CellKind.LSTM).seed(1).build();
        RecurrentModel model = Models.create(spec);
        Trainer trainer = new Trainer(model, Optimizer.adam(0.01), Clipping.globalNorm(5));

        SplittableRandom rnd = new SplittableRandom(42);
        System.out.printf("guessing would cost %.3f nats per step%n", Math.log(SYMBOLS));
        for (int step = 1; step <= 300; step++) {
            double loss = trainer.step(delayedRecall(rnd)) / STEPS; // the loss is summed over steps
            if (step % 30 == 0) {
                System.out.printf("step %3d  loss per time step %.3f%n", step, loss);
            }
        }
    }

    /** Time-major batch: input = one-hot symbol at each step, target = the symbol DELAY steps back. */
    static SequenceBatch delayedRecall(SplittableRandom rnd) {
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
