package org.rnn4j.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.Nonlinearity;
import org.rnn4j.api.OutputHead;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.lstm.Models;
import org.rnn4j.onnx.proto.OnnxProto.AttributeProto;
import org.rnn4j.onnx.proto.OnnxProto.ModelProto;
import org.rnn4j.onnx.proto.OnnxProto.NodeProto;
import org.rnn4j.onnx.proto.OnnxProto.TensorProto;
import org.rnn4j.onnx.proto.OnnxProto.TensorShapeProto;
import org.rnn4j.onnx.proto.OnnxProto.ValueInfoProto;

/**
 * The exported file read back with the generated protobuf classes: versions, node types in
 * order, initializer shapes, symbolic input dimensions, the gate reorder on known weights, and
 * what is refused.
 */
class OnnxStructureTest {

    @TempDir
    Path dir;

    @Test
    void lstmGraph() throws Exception {
        RecurrentModel model = Models.create(ModelSpec.builder(3, 5, 4).cell(CellKind.LSTM).layers(2)
                .head(OutputHead.SOFTMAX).build());
        ModelProto m = ModelProto.parseFrom(OnnxExport.toBytes(model));

        assertEquals(OnnxExport.IR_VERSION, m.getIrVersion());
        assertEquals(1, m.getOpsetImportCount());
        assertEquals("", m.getOpsetImport(0).getDomain());
        assertEquals(17, m.getOpsetImport(0).getVersion());
        assertEquals("rnn4j", m.getProducerName());
        assertFalse(m.getProducerVersion().isEmpty());
        assertEquals(List.of("LSTM", "Squeeze", "LSTM", "Squeeze", "MatMul", "Add", "Softmax", "Concat", "Concat"),
                m.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList());

        Map<String, List<Long>> shapes = initializerShapes(m);
        assertEquals(List.of(1L, 20L, 3L), shapes.get("layer0.W"));
        assertEquals(List.of(1L, 20L, 5L), shapes.get("layer0.R"));
        assertEquals(List.of(1L, 40L), shapes.get("layer0.B"));
        assertEquals(List.of(1L, 20L, 5L), shapes.get("layer1.W"));
        assertEquals(List.of(1L, 20L, 5L), shapes.get("layer1.R"));
        assertEquals(List.of(1L, 40L), shapes.get("layer1.B"));
        assertEquals(List.of(5L, 4L), shapes.get("W_y"));
        assertEquals(List.of(4L), shapes.get("b_y"));
        assertEquals(List.of(1L), shapes.get("axes_1"));

        assertEquals(List.of("input"), m.getGraph().getInputList().stream().map(ValueInfoProto::getName).toList());
        assertEquals(List.of("seq", "batch", "3"), dims(m.getGraph().getInput(0)));
        assertEquals(List.of("output", "h_n", "c_n"),
                m.getGraph().getOutputList().stream().map(ValueInfoProto::getName).toList());
        assertEquals(List.of("seq", "batch", "4"), dims(m.getGraph().getOutput(0)));
        assertEquals(List.of("2", "batch", "5"), dims(m.getGraph().getOutput(1)));

        NodeProto lstm = m.getGraph().getNode(0);
        assertEquals(5, attribute(lstm, "hidden_size").getI());
        assertEquals("forward", attribute(lstm, "direction").getS().toStringUtf8());
        assertEquals("LSTM", metadata(m).get("rnn4j.cell"));
        assertEquals("2", metadata(m).get("rnn4j.layers"));
    }

    @Test
    void rnnGraphWithLinearHeadHasNoSoftmax() throws Exception {
        RecurrentModel model = Models.create(ModelSpec.builder(2, 3, 1).cell(CellKind.RNN).activation(Nonlinearity.RELU)
                .layers(3).head(OutputHead.LINEAR).build());
        ModelProto m = ModelProto.parseFrom(OnnxExport.toBytes(model));
        assertEquals(List.of("RNN", "Squeeze", "RNN", "Squeeze", "RNN", "Squeeze", "MatMul", "Add", "Concat"),
                m.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList());
        Map<String, List<Long>> shapes = initializerShapes(m);
        assertEquals(List.of(1L, 3L, 2L), shapes.get("layer0.W"));
        assertEquals(List.of(1L, 3L, 3L), shapes.get("layer2.W"));
        assertEquals(List.of(1L, 3L, 3L), shapes.get("layer1.R"));
        assertEquals(List.of(1L, 6L), shapes.get("layer2.B"));
        assertEquals(List.of("Relu"), attribute(m.getGraph().getNode(0), "activations").getStringsList().stream()
                .map(b -> b.toStringUtf8()).toList());
        assertEquals(List.of("output", "h_n"), m.getGraph().getOutputList().stream().map(ValueInfoProto::getName).toList());
    }

    @Test
    void initialStateInputsAreDeclared() throws Exception {
        RecurrentModel model = Models.create(ModelSpec.builder(2, 3, 2).cell(CellKind.LSTM).layers(2).build());
        ModelProto m = ModelProto.parseFrom(OnnxExport.toBytes(model,
                OnnxExport.Options.defaults().withInitialStateInputs(true)));
        assertEquals(List.of("input", "initial_h", "initial_c"),
                m.getGraph().getInputList().stream().map(ValueInfoProto::getName).toList());
        assertEquals(List.of("2", "batch", "3"), dims(m.getGraph().getInput(1)));
        NodeProto layer1 = m.getGraph().getNodeList().stream().filter(x -> x.getName().equals("layer1")).findFirst()
                .orElseThrow();
        assertEquals(List.of("layer0.h", "layer1.W", "layer1.R", "layer1.B", "", "layer1.initial_h", "layer1.initial_c"),
                layer1.getInputList());
    }

    /** Known weights land in ONNX's i, o, f, c blocks, transposed; the one bias fills Wb, Rb is zero. */
    @Test
    void lstmGateBlocksAreReorderedAndTransposed() throws Exception {
        int d = 2;
        int n = 3;
        RecurrentModel model = Models.create(ModelSpec.builder(d, n, 1).cell(CellKind.LSTM).build());
        float[] wx = model.parameter("layer0.W_x").value();        // d × 4n, rnn4j blocks i, f, g, o
        for (int j = 0; j < d; j++) {
            for (int col = 0; col < 4 * n; col++) {
                wx[j * 4 * n + col] = 100 * (col / n) + 10 * (col % n) + j;   // gate·100 + unit·10 + input
            }
        }
        float[] b = model.parameter("layer0.b").value();
        for (int col = 0; col < 4 * n; col++) {
            b[col] = col / n;                                                  // the gate's rnn4j block
        }
        ModelProto m = ModelProto.parseFrom(OnnxExport.toBytes(model));
        float[] w = floats(initializer(m, "layer0.W"));                      // [1, 4n, d]
        int[] rnn4jBlock = {0, 3, 1, 2};                                      // ONNX i, o, f, c
        for (int p = 0; p < 4; p++) {
            for (int k = 0; k < n; k++) {
                for (int j = 0; j < d; j++) {
                    assertEquals(100 * rnn4jBlock[p] + 10 * k + j, w[(p * n + k) * d + j], "W[" + p + "," + k + "," + j + "]");
                }
            }
        }
        float[] bias = floats(initializer(m, "layer0.B"));
        for (int p = 0; p < 4; p++) {
            for (int k = 0; k < n; k++) {
                assertEquals(rnn4jBlock[p], bias[p * n + k]);
                assertEquals(0f, bias[4 * n + p * n + k]);
            }
        }
    }

    /**
     * Both GRUs are GRU nodes; PyTorch's with linear_before_reset = 1 and b_hn in Rb's h block, the
     * 2014 one with linear_before_reset = 0, its one bias in Wb (ONNX's z, r, h blocks) and Rb zero.
     */
    @Test
    void gruNodesSayWhereTheResetGateActs() throws Exception {
        int n = 3;
        for (CellKind cell : new CellKind[] {CellKind.GRU, CellKind.GRU_2014}) {
            RecurrentModel model = Models.create(ModelSpec.builder(2, n, 1).cell(cell).build());
            float[] b = model.parameter("layer0.b").value();
            for (int col = 0; col < 3 * n; col++) {
                b[col] = 1 + col / n;                                          // rnn4j's r, z, n blocks: 1, 2, 3
            }
            if (cell == CellKind.GRU) {
                java.util.Arrays.fill(model.parameter("layer0.b_hn").value(), 7f);
            }
            ModelProto m = ModelProto.parseFrom(OnnxExport.toBytes(model));
            assertEquals(List.of("GRU", "Squeeze", "MatMul", "Add", "Softmax", "Concat"),
                    m.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList());
            NodeProto gru = m.getGraph().getNode(0);
            assertEquals(cell == CellKind.GRU ? 1 : 0, attribute(gru, "linear_before_reset").getI(), cell.name());
            assertEquals(List.of("Sigmoid", "Tanh"), attribute(gru, "activations").getStringsList().stream()
                    .map(s -> s.toStringUtf8()).toList());
            assertEquals(cell.name(), metadata(m).get("rnn4j.cell"));
            float[] bias = floats(initializer(m, "layer0.B"));               // [Wb z r h | Rb z r h]
            float[] wb = {2, 1, 3};
            float[] rb = {0, 0, cell == CellKind.GRU ? 7 : 0};
            for (int p = 0; p < 3; p++) {
                for (int k = 0; k < n; k++) {
                    assertEquals(wb[p], bias[p * n + k], cell + " Wb[" + p + "," + k + "]");
                    assertEquals(rb[p], bias[3 * n + p * n + k], cell + " Rb[" + p + "," + k + "]");
                }
            }
        }
    }

    /** protobuf's reflection (toString, equals) reaches the generated classes in the module. */
    @Test
    void generatedClassesWorkWithProtobufReflection() throws Exception {
        RecurrentModel model = Models.create(ModelSpec.builder(2, 3, 2).cell(CellKind.RNN).build());
        ModelProto m = ModelProto.parseFrom(OnnxExport.toBytes(model));
        assertEquals(m, ModelProto.parseFrom(m.toByteArray()));
        assertTrue(m.getOpsetImport(0).toString().contains("version: 17"), m.getOpsetImport(0).toString());
    }

    @Test
    void lstmWithoutForgetGateIsRefused() {
        RecurrentModel model = Models.create(ModelSpec.builder(2, 3, 2).cell(CellKind.LSTM_NO_FORGET).build());
        Path file = dir.resolve("no-forget.onnx");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxExport.write(model, file));
        assertTrue(e.getMessage().contains("LSTM_NO_FORGET"), e.getMessage());
        assertTrue(e.getMessage().contains("forget gate"), e.getMessage());
        assertFalse(Files.exists(file), "a refused model writes no file");
        assertThrows(IllegalArgumentException.class, () -> OnnxExport.toBytes(model));
    }

    @Test
    void nonFiniteWeightIsRefusedByName() {
        RecurrentModel model = Models.create(ModelSpec.builder(2, 3, 2).cell(CellKind.RNN).layers(2).build());
        model.parameter("layer1.W_h").value()[4] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxExport.toBytes(model));
        assertTrue(e.getMessage().contains("layer1.W_h"), e.getMessage());
        assertTrue(e.getMessage().contains("row 1, column 1"), e.getMessage());
    }

    @Test
    void nullArgumentsAreRefused() {
        RecurrentModel model = Models.create(ModelSpec.builder(2, 3, 2).build());
        assertThrows(IllegalArgumentException.class, () -> OnnxExport.toBytes(null));
        assertThrows(IllegalArgumentException.class, () -> OnnxExport.toBytes(model, null));
        assertThrows(IllegalArgumentException.class, () -> OnnxExport.write(model, null));
    }

    private static Map<String, List<Long>> initializerShapes(ModelProto m) {
        Map<String, List<Long>> shapes = new LinkedHashMap<>();
        for (TensorProto t : m.getGraph().getInitializerList()) {
            shapes.put(t.getName(), t.getDimsList());
        }
        return shapes;
    }

    private static TensorProto initializer(ModelProto m, String name) {
        return m.getGraph().getInitializerList().stream().filter(t -> t.getName().equals(name)).findFirst().orElseThrow();
    }

    private static float[] floats(TensorProto t) {
        assertEquals(TensorProto.DataType.FLOAT.getNumber(), t.getDataType());
        ByteBuffer b = ByteBuffer.wrap(t.getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / Float.BYTES];
        b.asFloatBuffer().get(v);
        return v;
    }

    /** A value's dimensions as text: the number, or the symbolic name. */
    private static List<String> dims(ValueInfoProto v) {
        return v.getType().getTensorType().getShape().getDimList().stream()
                .map(d -> d.getValueCase() == TensorShapeProto.Dimension.ValueCase.DIM_PARAM
                        ? d.getDimParam() : Long.toString(d.getDimValue()))
                .toList();
    }

    private static AttributeProto attribute(NodeProto node, String name) {
        return node.getAttributeList().stream().filter(a -> a.getName().equals(name)).findFirst().orElseThrow();
    }

    private static Map<String, String> metadata(ModelProto m) {
        Map<String, String> md = new LinkedHashMap<>();
        m.getMetadataPropsList().forEach(e -> md.put(e.getKey(), e.getValue()));
        return md;
    }
}
