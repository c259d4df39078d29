import java.util.SplittableRandom;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.Clipping;
import org.rnn4j.api.InferenceModel;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.Optimizer;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.StreamBatch;
import org.rnn4j.api.StreamState;
import org.rnn4j.api.Targets;
import org.rnn4j.api.WeightFormat;
import org.rnn4j.lstm.Models;
import org.rnn4j.lstm.Trainer;

/**
 * Streaming inference: train the quick start's delayed-recall LSTM, compile it, and serve
 * events one at a time — one stream per source, many sources over one shared model.
 * Run with ./run-java examples/Streaming.java
 */
public class Streaming {
    static final int SYMBOLS = 4, DELAY = 3, SOURCES = 100;

    public static void main(String[] args) {
        ModelSpec spec = ModelSpec.builder(SYMBOLS, 32, SYMBOLS).cell(CellKind.LSTM).seed(1).build();
        RecurrentModel trained = Models.create(spec);
        Trainer trainer = new Trainer(trained, Optimizer.adam(0.01), Clipping.globalNorm(5));
        SplittableRandom rnd = new SplittableRandom(42);
        for (int step = 0; step < 300; step++) {
            trainer.step(delayedRecall(rnd, 12, 16));
        }

        // An immutable snapshot, packed for steps; share it between threads.
        InferenceModel model = Models.compile(trained);
        StreamState[] streams = new StreamState[SOURCES];      // one per event source
        for (int i = 0; i < SOURCES; i++) {
            streams[i] = model.newStream();
        }
        float[] x = new float[SYMBOLS];
        float[] p = new float[SYMBOLS];                        // softmax probabilities
        int[][] history = new int[SOURCES][1000];
        int correct = 0, scored = 0;
        for (int event = 0; event < 20_000; event++) {          // events arrive from random sources
            int src = rnd.nextInt(SOURCES);
            int symbol = rnd.nextInt(SYMBOLS);
            StreamState s = streams[src];
            int t = (int) s.steps();
            history[src][t] = symbol;
            java.util.Arrays.fill(x, 0f);
            x[symbol] = 1f;
            model.step(s, x, 0, p, 0);                         // allocates nothing
            if (t >= DELAY) {
                correct += argmax(p) == history[src][t - DELAY] ? 1 : 0;
                scored++;
            }
        }
        System.out.printf("one event at a time: recalled the symbol %d steps back %.1f%% of %d times%n",
                DELAY, 100.0 * correct / scored, scored);

        // Fail-over: a stream's state as bytes, restored elsewhere, continues identically.
        StreamState moved = model.newStream();
        moved.restoreState(streams[7].saveState());
        float[] p2 = new float[SYMBOLS];
        model.step(streams[7], x, 0, p, 0);
        model.step(moved, x, 0, p2, 0);
        System.out.printf("restored stream (%d bytes of state) gives the same output: %b%n",
                moved.stateBytes(), java.util.Arrays.equals(p, p2));

        // Many sources with an event at once: one call, one pass over the weights for all of them.
        StreamBatch batch = model.newBatch(SOURCES);
        float[] xs = new float[SOURCES * SYMBOLS];
        float[] ps = new float[SOURCES * SYMBOLS];
        for (int i = 0; i < SOURCES; i++) {
            xs[i * SYMBOLS + rnd.nextInt(SYMBOLS)] = 1f;
        }
        batch.step(streams, SOURCES, xs, 0, ps, 0);
        System.out.printf("stepped %d streams together; stream 0 is now at step %d%n", SOURCES, streams[0].steps());

        // bfloat16 weights: half the bytes per step, outputs within rounding of the float model.
        InferenceModel half = Models.compile(trained, WeightFormat.BF16);
        StreamState a = model.newStream(), b = half.newStream();
        double worst = 0;
        for (int t = 0; t < 200; t++) {
            java.util.Arrays.fill(x, 0f);
            x[rnd.nextInt(SYMBOLS)] = 1f;
            model.step(a, x, 0, p, 0);
            half.step(b, x, 0, p2, 0);
            for (int j = 0; j < SYMBOLS; j++) {
                worst = Math.max(worst, Math.abs(p[j] - p2[j]));
            }
        }
        System.out.printf("bf16 weights (%d bytes per step instead of %d): largest probability difference %.1e%n",
                half.weightBytes(), model.weightBytes(), worst);
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            best = v[i] > v[best] ? i : best;
        }
        return best;
    }

    /** The quick start's task: input one-hot symbols, target the symbol DELAY steps back. */
    static SequenceBatch delayedRecall(SplittableRandom rnd, int steps, int batch) {
        float[] x = new float[steps * batch * SYMBOLS];
        int[] seen = new int[steps * batch];
        int[] target = new int[steps * batch];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                int s = rnd.nextInt(SYMBOLS);
                seen[t * batch + b] = s;
                x[(t * batch + b) * SYMBOLS + s] = 1f;
                target[t * batch + b] = seen[Math.max(0, t - DELAY) * batch + b];
            }
        }
        return SequenceBatch.of(steps, batch, SYMBOLS, x, Targets.classesEveryStep(target));
    }
}
