package org.rnn4j.lstm.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.rnn4j.api.RecurrentModel;

/**
 * Fuzz targets of the model-file parsers. The only exception they may throw for any input is
 * {@link ModelFileException} (what {@code SafeTensorsFile.parse} and the loader document); any
 * other — an index out of bounds, a class cast, a stack overflow, running out of memory — is a
 * finding. In the normal test run each replays its seed corpus (src/test/resources/
 * org/rnn4j/lstm/io/SafeTensorsFuzzTestInputs/&lt;method&gt;/); with {@code JAZZER_FUZZ=1} Jazzer
 * fuzzes (README, Testing).
 */
class SafeTensorsFuzzTest {

    /** Parse, then read every tensor and the metadata of what parsed. */
    @FuzzTest(maxDuration = "10m")
    void parse(byte[] data) {
        SafeTensorsFile f;
        try {
            f = SafeTensorsFile.parse(data);
        } catch (ModelFileException expected) {
            return;
        }
        f.metadata().forEach((k, v) -> {
            if (k == null || v == null) {
                throw new IllegalStateException("null metadata entry");
            }
        });
        for (TensorInfo t : f.tensors()) {
            try {
                if (t.dtype().isFloat()) {
                    float[] v = f.floats(t.name());
                    if (v.length != t.elements()) {
                        throw new IllegalStateException(t + ": " + v.length + " values");
                    }
                }
            } catch (ModelFileException expected) {
                // a non-finite value: refused, as documented
            }
        }
    }

    /** The model loader on a parsed file (the spec in the metadata, the tensors against it). */
    @FuzzTest(maxDuration = "10m")
    void loadModel(byte[] data) {
        try {
            RecurrentModel m = ModelFiles.load(SafeTensorsFile.parse(data));
            if (m.parameters().isEmpty()) {
                throw new IllegalStateException("a model without parameters");
            }
        } catch (ModelFileException expected) {
            // documented refusal
        }
    }

    /**
     * The checkpoint loader on a parsed file: the model part as {@link #loadModel}, then the
     * optimizer entries and buffers; what loads must be a trainer that can report its state.
     */
    @FuzzTest(maxDuration = "10m")
    void loadCheckpoint(byte[] data) {
        try {
            org.rnn4j.lstm.Trainer t = Checkpoints.load(SafeTensorsFile.parse(data), null);
            org.rnn4j.lstm.OptimizerState s = t.optimizerState();
            for (int slot = 0; slot < s.slots(); slot++) {
                for (int p = 0; p < t.model().parameters().size(); p++) {
                    if (s.slot(slot, p).length != t.model().parameters().get(p).size()) {
                        throw new IllegalStateException(s.slotName(slot) + " of parameter " + p + " has the wrong size");
                    }
                }
            }
        } catch (ModelFileException expected) {
            // documented refusal
        }
    }
}
