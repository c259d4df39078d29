package org.rnn4j.onnx;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.rnn4j.onnx.proto.OnnxProto.AttributeProto;
import org.rnn4j.onnx.proto.OnnxProto.GraphProto;
import org.rnn4j.onnx.proto.OnnxProto.NodeProto;
import org.rnn4j.onnx.proto.OnnxProto.TensorProto;
import org.rnn4j.onnx.proto.OnnxProto.TensorShapeProto;
import org.rnn4j.onnx.proto.OnnxProto.TypeProto;
import org.rnn4j.onnx.proto.OnnxProto.ValueInfoProto;

/**
 * A small builder of an ONNX {@link GraphProto}: graph inputs and outputs (float tensors whose
 * dimensions are numbers or symbolic names), initializers and nodes, so that {@link OnnxExport}
 * reads as the list of nodes it emits. Nodes are appended in the order they are added, which
 * must be a topological order (ONNX requires it).
 */
final class OnnxGraph {
    private final GraphProto.Builder graph = GraphProto.newBuilder();

    /** A graph called {@code name} with a description. */
    OnnxGraph(String name, String docString) {
        graph.setName(name).setDocString(docString);
    }

    /**
     * Declares a float graph input.
     *
     * @param dims each a {@link Number} (fixed size) or a {@link String} (symbolic, e.g. "batch")
     */
    void input(String name, String docString, Object... dims) {
        graph.addInput(value(name, TensorProto.DataType.FLOAT, docString, dims));
    }

    /** Declares an int32 graph input (e.g. sequence lengths); {@code dims} as in {@link #input}. */
    void int32Input(String name, String docString, Object... dims) {
        graph.addInput(value(name, TensorProto.DataType.INT32, docString, dims));
    }

    /** Declares a float graph output; {@code dims} as in {@link #input}. */
    void output(String name, String docString, Object... dims) {
        graph.addOutput(value(name, TensorProto.DataType.FLOAT, docString, dims));
    }

    /**
     * Adds a float constant, stored as little-endian raw data.
     *
     * @param dims   its shape
     * @param values row-major, the product of {@code dims} values
     * @return its name, for use as a node input
     */
    String floats(String name, long[] dims, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        graph.addInitializer(tensor(name, TensorProto.DataType.FLOAT, dims, b));
        return name;
    }

    /** Adds an int64 constant (axes, indices); otherwise like {@link #floats}. */
    String int64s(String name, long[] dims, long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        graph.addInitializer(tensor(name, TensorProto.DataType.INT64, dims, b));
        return name;
    }

    /**
     * Appends a node of the default (ai.onnx) domain.
     *
     * @param inputs  its inputs by name; "" for an optional input left out before a given one
     * @param outputs its outputs by name
     */
    void node(String opType, String name, List<String> inputs, List<String> outputs, AttributeProto... attributes) {
        graph.addNode(NodeProto.newBuilder()
                .setOpType(opType)
                .setName(name)
                .addAllInput(inputs)
                .addAllOutput(outputs)
                .addAllAttribute(List.of(attributes)));
    }

    /** The graph as built so far. */
    GraphProto build() {
        return graph.build();
    }

    /** An int attribute. */
    static AttributeProto attribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    /** A list-of-ints attribute. */
    static AttributeProto attribute(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    /** A string attribute. */
    static AttributeProto attribute(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFrom(value, StandardCharsets.UTF_8)).build();
    }

    /** A list-of-strings attribute. */
    static AttributeProto attribute(String name, List<String> values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRINGS);
        for (String v : values) {
            a.addStrings(ByteString.copyFrom(v, StandardCharsets.UTF_8));
        }
        return a.build();
    }

    private static TensorProto tensor(String name, TensorProto.DataType type, long[] dims, ByteBuffer data) {
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        int width = type == TensorProto.DataType.INT64 ? Long.BYTES : Float.BYTES;
        if (count * width != data.capacity()) {
            throw new IllegalStateException("initializer " + name + ": " + data.capacity() + " bytes for dims "
                    + Arrays.toString(dims));
        }
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber());
        for (long d : dims) {
            t.addDims(d);
        }
        return t.setRawData(ByteString.copyFrom(data.array())).build();
    }

    private static ValueInfoProto value(String name, TensorProto.DataType elements, String docString, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            switch (d) {
                case Number n -> dim.setDimValue(n.longValue());
                case String s -> dim.setDimParam(s);
                default -> throw new IllegalArgumentException("a dimension is a Number or a String, not " + d);
            }
            shape.addDim(dim);
        }
        TypeProto type = TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(elements.getNumber())
                        .setShape(shape))
                .build();
        return ValueInfoProto.newBuilder().setName(name).setDocString(docString).setType(type).build();
    }
}
