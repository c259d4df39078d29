package org.rnn4j.lstm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * F16, BF16 and F64 (and F32) to float conversion of {@link SafeTensorsFile#floats} against
 * PyTorch's {@code .to(torch.float32)}, bitwise, from the fixture that
 * {@code src/test/python/make_safetensors_fixture.py} writes (a safetensors file laid out by hand
 * in Python, and the float32 bits torch gets for each tensor).
 */
class SafeTensorsDtypeTest {
    private static final String DIR = "/fixtures/safetensors/";
    private static SafeTensorsFile file;
    private static JsonNode expected;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream st = SafeTensorsDtypeTest.class.getResourceAsStream(DIR + "dtypes.safetensors");
             InputStream js = SafeTensorsDtypeTest.class.getResourceAsStream(DIR + "dtypes.json")) {
            assertNotNull(st, "fixture dtypes.safetensors missing");
            assertNotNull(js, "fixture dtypes.json missing");
            file = SafeTensorsFile.parse(st.readAllBytes());
            expected = new ObjectMapper().readTree(js).get("tensors");
        }
    }

    private static int[] expectedBits(String name) {
        JsonNode bits = expected.get(name).get("float32_bits");
        int[] out = new int[bits.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Integer.parseUnsignedInt(bits.get(i).asText().substring(2), 16);
        }
        return out;
    }

    private static void assertBitwise(String name) throws ModelFileException {
        int[] want = expectedBits(name);
        float[] got = file.floats(name);
        assertEquals(want.length, got.length, name + ": element count");
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < want.length; i++) {
            int g = Float.floatToRawIntBits(got[i]);
            if (g != want[i]) {
                wrong.add(String.format("[%d] got 0x%08x (%s) want 0x%08x (%s)", i, g, got[i], want[i],
                        Float.intBitsToFloat(want[i])));
            }
        }
        assertTrue(wrong.isEmpty(), name + ": " + wrong.size() + " elements differ from torch: "
                + wrong.subList(0, Math.min(10, wrong.size())));
    }

    @Test
    void headerMatchesTheFixture() throws ModelFileException {
        List<String> names = new ArrayList<>();
        expected.fieldNames().forEachRemaining(names::add);
        assertEquals(names, file.tensors().stream().map(TensorInfo::name).toList(), "tensors in file order");
        for (Map.Entry<String, JsonNode> e : expected.properties()) {
            TensorInfo t = file.tensor(e.getKey());
            assertEquals(DType.valueOf(e.getValue().get("dtype").asText()), t.dtype(), e.getKey());
            JsonNode shape = e.getValue().get("shape");
            long[] want = new long[shape.size()];
            for (int i = 0; i < want.length; i++) {
                want[i] = shape.get(i).asLong();
            }
            assertArrayEquals(want, t.shape(), e.getKey());
        }
        assertEquals("pt", file.metadata().get("format"));
    }

    @Test
    void f32AsStored() throws ModelFileException {
        assertBitwise("f32");
    }

    @Test
    void f16WidenedLikeTorch() throws ModelFileException {
        assertBitwise("f16");
        assertBitwise("f16_2d");
    }

    @Test
    void f16EveryThirtySeventhFiniteBitPattern() throws ModelFileException {
        assertTrue(expectedBits("f16_sweep").length > 1700);
        assertBitwise("f16_sweep");
    }

    @Test
    void bf16WidenedLikeTorch() throws ModelFileException {
        assertBitwise("bf16");
    }

    @Test
    void bf16EveryThirtySeventhFiniteBitPattern() throws ModelFileException {
        assertTrue(expectedBits("bf16_sweep").length > 1700);
        assertBitwise("bf16_sweep");
    }

    @Test
    void f64RoundedToNearestEvenLikeTorch() throws ModelFileException {
        assertBitwise("f64");
    }

    @Test
    void i32IsNotConverted() {
        assertTrue(expected.get("i32").get("float32_bits").isNull());
        ModelFileException e = assertThrows(ModelFileException.class, () -> file.floats("i32"));
        assertEquals("i32", e.tensor());
        assertTrue(e.getMessage().contains("I32"), e.getMessage());
        try {
            assertEquals(file.dataStart() + file.tensor("i32").begin(), e.offset());
        } catch (ModelFileException unexpected) {
            fail(unexpected);
        }
    }
}
