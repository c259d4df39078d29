package org.rnn4j.lstm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnn4j.api.CellKind;
import org.rnn4j.api.ModelSpec;
import org.rnn4j.api.Nonlinearity;
import org.rnn4j.api.Parameter;
import org.rnn4j.api.RecurrentModel;
import org.rnn4j.lstm.Models;

/**
 * PyTorch's layout written and read back by rnn4j: names and shapes as PyTorch's state_dict has
 * them (weights transposed, bias_ih = b and bias_hh = 0), and the model read back is the one
 * written, bitwise (a transpose twice and b + 0 are exact).
 */
class PyTorchLayoutTest {
    @TempDir
    Path dir;

    static Stream<Arguments> specs() {
        return Stream.of(
                Arguments.of(ModelSpec.builder(3, 7, 2).cell(CellKind.RNN).activation(Nonlinearity.TANH).seed(3).build()),
                Arguments.of(ModelSpec.builder(5, 13, 3).cell(CellKind.LSTM).layers(2).seed(4).build()),
                Arguments.of(ModelSpec.builder(1, 1, 1).cell(CellKind.RNN).activation(Nonlinearity.RELU).layers(3).seed(5).build()));
    }

    @ParameterizedTest
    @MethodSource("specs")
    void writtenAndReadBackBitwise(ModelSpec spec) throws IOException {
        RecurrentModel model = Models.create(spec);
        Path file = dir.resolve("pt.safetensors");
        ModelFiles.savePyTorch(model, file, "rnn.", "fc.");
        SafeTensorsFile f = SafeTensorsFile.read(file);
        int n = spec.hiddenSize();
        int gn = spec.gates() * n;
        assertArrayEquals(new long[] {gn, spec.inputSize()}, f.tensor("rnn.weight_ih_l0").shape());
        assertArrayEquals(new long[] {gn, n}, f.tensor("rnn.weight_hh_l0").shape());
        assertArrayEquals(new long[] {spec.outputSize(), n}, f.tensor("fc.weight").shape());
        assertEquals("pt", f.metadata().get("format"));
        // weight_ih_l0[q][j] is W_x[j][q]
        float[] wx = model.parameter("layer0.W_x").value();
        float[] wih = f.floats("rnn.weight_ih_l0");
        for (int q = 0; q < gn; q++) {
            for (int j = 0; j < spec.inputSize(); j++) {
                assertEquals(wx[j * gn + q], wih[q * spec.inputSize() + j]);
            }
        }
        assertArrayEquals(new float[gn], f.floats("rnn.bias_hh_l0"));
        RecurrentModel back = ModelFiles.loadPyTorch(file, spec, "rnn.", "fc.", false);
        for (Parameter p : model.parameters()) {
            assertArrayEquals(p.value(), back.parameter(p.name()).value(), p.name());
        }
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.load(file));
        assertTrue(e.getMessage().contains("loadPyTorch"), e.getMessage());
    }

    @Test
    void wrongPrefixesShapesAndExtrasAreRefused() throws IOException {
        ModelSpec spec = ModelSpec.builder(3, 7, 2).cell(CellKind.LSTM).seed(1).build();
        RecurrentModel model = Models.create(spec);
        Path file = dir.resolve("pt.safetensors");
        ModelFiles.savePyTorch(model, file, "encoder.rnn.", "decoder.");
        ModelFileException e = assertThrows(ModelFileException.class,
                () -> ModelFiles.loadPyTorch(file, spec, "rnn.", "fc.", false));
        assertEquals("rnn.weight_ih_l0", e.tensor());
        assertTrue(e.getMessage().contains("encoder.rnn.weight_ih_l0"), e.getMessage());

        ModelSpec wider = ModelSpec.builder(3, 8, 2).cell(CellKind.LSTM).build();
        e = assertThrows(ModelFileException.class,
                () -> ModelFiles.loadPyTorch(file, wider, "encoder.rnn.", "decoder.", false));
        assertEquals("encoder.rnn.weight_ih_l0", e.tensor());
        assertTrue(e.getMessage().contains("[28, 3]") && e.getMessage().contains("[32, 3]"), e.getMessage());

        ModelSpec rnn = ModelSpec.builder(3, 7, 2).cell(CellKind.RNN).build();
        e = assertThrows(ModelFileException.class,
                () -> ModelFiles.loadPyTorch(file, rnn, "encoder.rnn.", "decoder.", false));
        assertTrue(e.getMessage().contains("[28, 3]") && e.getMessage().contains("[7, 3]"), e.getMessage());

        // a second layer's tensors in the file but a one-layer spec: extra, refused unless allowed
        ModelSpec two = ModelSpec.builder(3, 7, 2).cell(CellKind.LSTM).layers(2).build();
        Path twoFile = dir.resolve("two.safetensors");
        ModelFiles.savePyTorch(Models.create(two), twoFile, "rnn.", "fc.");
        e = assertThrows(ModelFileException.class, () -> ModelFiles.loadPyTorch(twoFile, spec, "rnn.", "fc.", false));
        assertTrue(List.of("rnn.weight_ih_l1", "rnn.weight_hh_l1", "rnn.bias_ih_l1", "rnn.bias_hh_l1").contains(e.tensor()),
                String.valueOf(e.tensor()));
        RecurrentModel first = ModelFiles.loadPyTorch(twoFile, spec, "rnn.", "fc.", true);
        assertEquals(spec.hiddenSize(), first.spec().hiddenSize());

        ModelSpec noForget = ModelSpec.builder(3, 7, 2).cell(CellKind.LSTM_NO_FORGET).build();
        assertThrows(IllegalArgumentException.class, () -> ModelFiles.savePyTorch(Models.create(noForget), file, "rnn.", "fc."));
        assertThrows(IllegalArgumentException.class, () -> ModelFiles.loadPyTorch(file, noForget, "rnn.", "fc.", true));

        // PyTorch's nn.GRU is the reset-after form: a 2014 GRU has no PyTorch layout, either way
        ModelSpec gru2014 = ModelSpec.builder(3, 7, 2).cell(CellKind.GRU_2014).build();
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ModelFiles.savePyTorch(Models.create(gru2014), file, "rnn.", "fc."));
        assertTrue(refused.getMessage().contains("GRU_2014") && refused.getMessage().contains("nn.GRU"), refused.getMessage());
        refused = assertThrows(IllegalArgumentException.class, () -> ModelFiles.loadPyTorch(file, gru2014, "rnn.", "fc.", true));
        assertTrue(refused.getMessage().contains("GRU_2014"), refused.getMessage());

        ModelSpec sigmoid = ModelSpec.builder(3, 7, 2).cell(CellKind.RNN).activation(org.rnn4j.api.Nonlinearity.SIGMOID).build();
        IllegalArgumentException sigmoidRefused = assertThrows(IllegalArgumentException.class,
                () -> ModelFiles.savePyTorch(Models.create(sigmoid), file, "rnn.", "fc."));
        org.junit.jupiter.api.Assertions.assertTrue(sigmoidRefused.getMessage().contains("SIGMOID"), sigmoidRefused.getMessage());
    }
}
