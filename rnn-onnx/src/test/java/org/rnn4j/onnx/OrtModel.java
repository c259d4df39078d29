package org.rnn4j.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An exported model loaded in ONNX Runtime, the tests' oracle: float tensors in, every graph
 * output back as a flat row-major array. One intra-op thread (the test machines are small and
 * the results do not depend on it).
 */
final class OrtModel implements AutoCloseable {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    private final OrtSession session;

    private OrtModel(OrtSession session) {
        this.session = session;
    }

    /** A session on the bytes of an {@code .onnx} file. */
    static OrtModel of(byte[] model) throws OrtException {
        try (OrtSession.SessionOptions o = options()) {
            return new OrtModel(ENV.createSession(model, o));
        }
    }

    /** A session on an {@code .onnx} file. */
    static OrtModel of(Path file) throws OrtException {
        try (OrtSession.SessionOptions o = options()) {
            return new OrtModel(ENV.createSession(file.toString(), o));
        }
    }

    private static OrtSession.SessionOptions options() throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setIntraOpNumThreads(1);
        o.setInterOpNumThreads(1);
        return o;
    }

    /** A named float input (or, with {@code ints}, an int32 one): its values (row-major) and shape. */
    record Input(float[] values, int[] ints, long... shape) {
        Input(float[] values, long... shape) {
            this(values, null, shape);
        }

        static Input ints(int[] values, long... shape) {
            return new Input(null, values, shape);
        }
    }

    /**
     * Runs the graph.
     *
     * @param inputs <b>in</b> by graph input name
     * @return every output by name, flattened
     */
    Map<String, float[]> run(Map<String, Input> inputs) throws OrtException {
        Map<String, OnnxTensor> tensors = new HashMap<>();
        try {
            for (Map.Entry<String, Input> e : inputs.entrySet()) {
                Input in = e.getValue();
                tensors.put(e.getKey(), in.ints() != null
                        ? OnnxTensor.createTensor(ENV, java.nio.IntBuffer.wrap(in.ints()), in.shape())
                        : OnnxTensor.createTensor(ENV, FloatBuffer.wrap(in.values()), in.shape()));
            }
            Map<String, float[]> out = new LinkedHashMap<>();
            try (OrtSession.Result r = session.run(tensors)) {
                for (Map.Entry<String, OnnxValue> e : r) {
                    FloatBuffer b = ((OnnxTensor) e.getValue()).getFloatBuffer();
                    float[] a = new float[b.remaining()];
                    b.get(a);
                    out.put(e.getKey(), a);
                }
            }
            return out;
        } finally {
            tensors.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
