package org.rnn4j.lstm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.Clipping;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.Optimizer;
import org.rnn4j.api.OutputHead;
import org.rnn4j.api.Parameter;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.api.SequenceBatch;
import org.rnn4j.api.Targets;
import org.rnn4j.lstm.Models;
import org.rnn4j.lstm.OptimizerState;
import org.rnn4j.lstm.Trainer;
import org.rnn4j.simd.KernelProvider;

/**
 * A checkpoint resumes training bitwise: the reference trains N steps without stopping; the
 * resumed run trains k steps, saves, loads into a new trainer (a new model object) and trains
 * the remaining N − k. Losses, every weight and every optimizer buffer must be equal bit for bit,
 * for each optimizer, both cells, whole and truncated BPTT, one and two threads.
 */
class CheckpointTest {
    private static final int STEPS = 9;
    private static final int STOP = 4;

    @TempDir
    Path dir;

    private static final Optimizer[] OPTIMIZERS = {
        Optimizer.sgd(0.05),
        new Optimizer.Momentum(0.03, 0.9, true),
        new Optimizer.RmsProp(0.003, 0.95, 1e-7),
        new Optimizer.Adam(0.004, 0.8, 0.97, 1e-6),
    };

    /** Batch number k of a run: its own seed, so a resumed run can pick up at any k. */
    private static SequenceBatch batch(int k, ModelSpec spec, int length) {
        SplittableRandom rnd = new SplittableRandom(1000 + k);
        int m = 7;
        float[] x = new float[length * m * spec.inputSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        int[] y = new int[length * m];
        for (int i = 0; i < y.length; i++) {
            y[i] = rnd.nextInt(spec.outputSize());
        }
        return SequenceBatch.of(length, m, spec.inputSize(), x, Targets.classesEveryStep(y));
    }

    private static double train(Trainer t, int k, boolean truncated) {
        SequenceBatch b = batch(k, t.model().spec(), 13);
        return truncated ? t.stepTruncated(b, 3, 5) : t.step(b);
    }

    private static ModelSpec spec(CellKind cell) {
        return ModelSpec.builder(3, 13, 5).cell(cell).layers(2).head(OutputHead.SOFTMAX).seed(17).build();
    }

    @Test
    void resumedTrainingIsBitwiseTheTrainingThatNeverStopped() throws IOException {
        Clipping clipping = new Clipping(0.5, 0, 2.0); // global-norm and per-step clipping, both active
        for (CellKind cell : new CellKind[] {CellKind.RNN, CellKind.LSTM, CellKind.GRU, CellKind.GRU_2014}) {
            for (Optimizer opt : OPTIMIZERS) {
                for (boolean truncated : new boolean[] {false, true}) {
                    for (int threads = 1; threads <= 2; threads++) {
                        String what = cell + " " + opt + (truncated ? " truncated" : "") + " threads=" + threads;
                        ModelSpec spec = spec(cell);

                        Trainer reference = new Trainer(Models.create(spec), opt, clipping);
                        List<Double> expectedLosses = new ArrayList<>();
                        for (int k = 0; k < STEPS; k++) {
                            expectedLosses.add(train(reference, k, truncated));
                        }

                        Trainer first = new Trainer(Models.create(spec), opt, clipping);
                        List<Double> losses = new ArrayList<>();
                        for (int k = 0; k < STOP; k++) {
                            losses.add(train(first, k, truncated));
                        }
                        Path file = dir.resolve("ckpt.safetensors");
                        Checkpoints.save(first, file, Map.of("next_batch", Integer.toString(STOP)));
                        // Training on after the save must not matter: the file is a snapshot.
                        train(first, 99, truncated);

                        Trainer resumed = Checkpoints.load(file, KernelProvider.get().withThreads(threads));
                        int next = Integer.parseInt(Checkpoints.userMetadata(file).get("next_batch"));
                        assertEquals(first.optimizer(), resumed.optimizer(), what);
                        assertEquals(clipping, resumed.clipping(), what);
                        long windows = truncated ? 5 : 1; // ⌈13/3⌉ updates per batch
                        assertEquals(STOP * windows, resumed.steps(), what + ": step count");
                        for (int k = next; k < STEPS; k++) {
                            losses.add(train(resumed, k, truncated));
                        }
                        assertEquals(expectedLosses, losses, what + ": losses");
                        assertSameTraining(reference, resumed, what);
                    }
                }
            }
        }
    }

    @Test
    void restoreIntoALiveTrainerRewindsIt() throws IOException {
        for (Optimizer opt : OPTIMIZERS) {
            ModelSpec spec = spec(CellKind.LSTM);
            Clipping clipping = Clipping.globalNorm(1.0);
            Trainer reference = new Trainer(Models.create(spec), opt, clipping);
            Trainer t = new Trainer(Models.create(spec), opt, clipping);
            Path file = dir.resolve("rewind.safetensors");
            for (int k = 0; k < STEPS; k++) {
                train(reference, k, false);
                if (k == STOP) {
                    Checkpoints.save(t, file);
                }
                train(t, k, false);
            }
            Checkpoints.restore(t, file);
            assertEquals(STOP, t.steps(), opt + ": step count after restore");
            for (int k = STOP; k < STEPS; k++) {
                train(t, k, false);
            }
            assertSameTraining(reference, t, opt.toString());
        }
    }

    @Test
    void aCheckpointLoadsAsAModelAndAModelFileIsNotACheckpoint() throws IOException {
        Trainer t = new Trainer(Models.create(spec(CellKind.LSTM)), Optimizer.adam(0.01), Clipping.none());
        train(t, 0, false);
        Path ckpt = dir.resolve("c.safetensors");
        Checkpoints.save(t, ckpt);
        RecurrentModel m = ModelFiles.load(ckpt);
        for (Parameter p : t.model().parameters()) {
            assertArrayEquals(p.value(), m.parameter(p.name()).value(), p.name());
        }
        Path model = dir.resolve("m.safetensors");
        ModelFiles.save(t.model(), model);
        ModelFileException e = assertThrows(ModelFileException.class, () -> Checkpoints.load(model));
        assertTrue(e.getMessage().contains("not a checkpoint"), e.getMessage());
    }

    // ---------------------------------------------------------------------------------------
    // Broken checkpoints: refused with the entry or tensor named, the live trainer unchanged
    // ---------------------------------------------------------------------------------------

    @Test
    void brokenCheckpointsAreRefusedAndTheTrainerIsUnchanged() throws IOException {
        ModelSpec spec = spec(CellKind.LSTM);
        Optimizer adam = Optimizer.adam(0.01);
        Trainer saved = new Trainer(Models.create(spec), adam, Clipping.none());
        train(saved, 0, false);
        train(saved, 1, false);
        Path good = dir.resolve("good.safetensors");
        Checkpoints.save(saved, good);

        String v = "optimizer.exp_avg_sq.layer1.W_h";
        Map<String, BiFunction<Map<String, String>, Map<String, float[]>, String>> breakages = new LinkedHashMap<>();
        breakages.put("a NaN in an optimizer buffer", (meta, t) -> {
            t.get(v)[5] = Float.NaN;
            return v;
        });
        breakages.put("a missing optimizer buffer", (meta, t) -> {
            t.remove(v);
            return v;
        });
        breakages.put("a buffer of another optimizer", (meta, t) -> {
            t.put("optimizer.momentum_buffer.b_y", new float[5]);
            return "optimizer.momentum_buffer.b_y";
        });
        breakages.put("negative steps", (meta, t) -> {
            meta.put("rnn4j.optimizer.steps", "-1");
            return "rnn4j.optimizer.steps";
        });
        breakages.put("an unknown optimizer", (meta, t) -> {
            meta.put("rnn4j.optimizer", "LION");
            return "LION";
        });
        breakages.put("a bad hyperparameter", (meta, t) -> {
            meta.put("rnn4j.optimizer.beta2", "1.5");
            return "beta2";
        });
        breakages.put("a missing clipping entry", (meta, t) -> {
            meta.remove("rnn4j.clipping.max_value");
            return "rnn4j.clipping.max_value";
        });
        breakages.put("a missing weight", (meta, t) -> {
            t.remove("layer0.W_x");
            return "layer0.W_x";
        });
        breakages.put("an unknown checkpoint version", (meta, t) -> {
            meta.put("rnn4j.checkpoint", "2");
            return "rnn4j.checkpoint";
        });

        for (Map.Entry<String, BiFunction<Map<String, String>, Map<String, float[]>, String>> b : breakages.entrySet()) {
            Path bad = dir.resolve("bad.safetensors");
            String named = rewrite(good, bad, b.getValue());

            Trainer live = new Trainer(Models.create(spec), adam, Clipping.none());
            train(live, 5, false);
            Map<String, float[]> before = snapshot(live);
            long stepsBefore = live.steps();

            ModelFileException e = assertThrows(ModelFileException.class, () -> Checkpoints.restore(live, bad), b.getKey());
            String said = e.getMessage() + " " + e.tensor();
            assertTrue(said.contains(named), b.getKey() + ": the message names " + named + ": " + said);
            assertEquals(stepsBefore, live.steps(), b.getKey() + ": steps unchanged");
            Map<String, float[]> after = snapshot(live);
            for (String name : before.keySet()) {
                assertArrayEquals(before.get(name), after.get(name), b.getKey() + ": " + name + " unchanged");
            }
            assertThrows(ModelFileException.class, () -> Checkpoints.load(bad), b.getKey() + " (load)");
        }
    }

    @Test
    void restoreRefusesAnotherOptimizerOrShape() throws IOException {
        Trainer saved = new Trainer(Models.create(spec(CellKind.LSTM)), Optimizer.adam(0.01), Clipping.none());
        train(saved, 0, false);
        Path file = dir.resolve("c.safetensors");
        Checkpoints.save(saved, file);

        Trainer otherRate = new Trainer(Models.create(spec(CellKind.LSTM)), Optimizer.adam(0.02), Clipping.none());
        ModelFileException e = assertThrows(ModelFileException.class, () -> Checkpoints.restore(otherRate, file));
        assertTrue(e.getMessage().contains("optimizer"), e.getMessage());

        Trainer otherClip = new Trainer(Models.create(spec(CellKind.LSTM)), Optimizer.adam(0.01), Clipping.globalNorm(1));
        e = assertThrows(ModelFileException.class, () -> Checkpoints.restore(otherClip, file));
        assertTrue(e.getMessage().contains("clipping"), e.getMessage());

        Trainer rnn = new Trainer(Models.create(spec(CellKind.RNN)), Optimizer.adam(0.01), Clipping.none());
        e = assertThrows(ModelFileException.class, () -> Checkpoints.restore(rnn, file));
        assertTrue(e.getMessage().contains("LSTM") && e.getMessage().contains("RNN"), e.getMessage());
    }

    @Test
    void theOptimizerStateRefusesBuffersThatDoNotFit() {
        RecurrentModel m = Models.create(spec(CellKind.RNN));
        OptimizerState s = new OptimizerState(Optimizer.rmsProp(0.01), m.parameters());
        assertEquals(1, s.slots());
        assertEquals("square_avg", s.slotName(0));
        float[][][] wrongCount = new float[2][][];
        assertThrows(IllegalArgumentException.class, () -> s.restore(3, wrongCount));
        float[][][] buffers = new float[1][m.parameters().size()][];
        for (int i = 0; i < buffers[0].length; i++) {
            buffers[0][i] = new float[m.parameters().get(i).size()];
        }
        buffers[0][2] = new float[1];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.restore(3, buffers));
        assertTrue(e.getMessage().contains(m.parameters().get(2).name()), e.getMessage());
        assertEquals(0, s.steps(), "nothing restored");
    }

    /** Losses are compared by the caller; here: every weight and optimizer buffer, bit for bit. */
    private static void assertSameTraining(Trainer expected, Trainer actual, String what) {
        assertEquals(expected.steps(), actual.steps(), what + ": steps");
        Map<String, float[]> e = snapshot(expected);
        Map<String, float[]> a = snapshot(actual);
        assertEquals(e.keySet(), a.keySet(), what);
        for (String name : e.keySet()) {
            assertArrayEquals(e.get(name), a.get(name), what + ": " + name);
        }
    }

    /** Every weight and optimizer buffer of a trainer, by name. */
    private static Map<String, float[]> snapshot(Trainer t) {
        Map<String, float[]> m = new LinkedHashMap<>();
        List<Parameter> params = t.model().parameters();
        OptimizerState s = t.optimizerState();
        for (int i = 0; i < params.size(); i++) {
            m.put(params.get(i).name(), params.get(i).value().clone());
            for (int slot = 0; slot < s.slots(); slot++) {
                m.put(s.slotName(slot) + "." + params.get(i).name(), s.slot(slot, i));
            }
        }
        return m;
    }

    /** Copies a checkpoint with its metadata and tensors changed by {@code change}; returns what it names. */
    private static String rewrite(Path from, Path to,
                                  BiFunction<Map<String, String>, Map<String, float[]>, String> change) throws IOException {
        SafeTensorsFile f = SafeTensorsFile.parse(Files.readAllBytes(from));
        Map<String, String> meta = new LinkedHashMap<>(f.metadata());
        Map<String, float[]> tensors = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (TensorInfo t : f.tensors()) {
            tensors.put(t.name(), f.floats(t.name()));
            shapes.put(t.name(), t.shape());
        }
        String named = change.apply(meta, tensors);
        SafeTensorsWriter w = new SafeTensorsWriter();
        meta.forEach(w::metadata);
        // The writer refuses NaN: write a marker value and patch its bytes afterwards.
        float marker = 12345.678f;
        for (Map.Entry<String, float[]> e : tensors.entrySet()) {
            long[] shape = shapes.getOrDefault(e.getKey(), new long[] {1, e.getValue().length});
            float[] values = e.getValue().clone();
            for (int i = 0; i < values.length; i++) {
                if (Float.isNaN(values[i])) {
                    values[i] = marker;
                }
            }
            w.add(e.getKey(), shape, values);
        }
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(w.toBytes()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 4 <= bytes.capacity(); i++) {
            if (bytes.getFloat(i) == marker) {
                bytes.putFloat(i, Float.NaN);
            }
        }
        Files.write(to, bytes.array());
        return named;
    }
}
