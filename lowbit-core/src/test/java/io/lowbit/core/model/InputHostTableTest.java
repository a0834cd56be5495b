package io.lowbit.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowbit.core.arith.IntType;
import io.lowbit.core.arith.QuantizedType;
import io.lowbit.core.engine.ReferenceEngine;
import io.lowbit.core.model.file.IntegerModelFile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The optional host quantization table of the input (§3): engine lookup, file round trip, fingerprint, checks. */
class InputHostTableTest {

    private static final QuantizedType Q35 = new QuantizedType(IntType.INT8, 0);

    private static IntTensor table(int channels, int offset) {
        int[] t = new int[channels * 256];
        for (int c = 0; c < channels; c++) {
            for (int p = 0; p < 256; p++) {
                t[c * 256 + p] = Math.max(-128, Math.min(127, (p - 128) / 2 + offset * (c + 1)));
            }
        }
        return IntTensor.of(Shape.of(channels, 256), t);
    }

    private static IntegerModel model(IntTensor table) {
        Input in = Input.hostQuantized(Shape.chw(2, 1, 3), Q35, table);
        return IntegerModel.builder("t").input("x", in, 0x1p-5)
                .node("pool", new MaxPool(Window.square(1, 1, 0)), "x").build();
    }

    @Test
    void theEngineLooksRawPixelsUpPerChannel() {
        IntTensor t = table(2, 3);
        IntegerModel m = model(t);
        byte[] pixels = {0, (byte) 128, (byte) 255, 7, (byte) 200, 1};
        int[] out = new ReferenceEngine().run(m, pixels);
        int[] expected = new int[6];
        for (int i = 0; i < 6; i++) {
            expected[i] = t.get((i / 3) * 256 + (pixels[i] & 0xFF));
        }
        assertArrayEquals(expected, out);
    }

    @Test
    void theTableSurvivesTheFileAndEntersTheFingerprint() throws Exception {
        IntegerModel m = model(table(2, 3));
        IntegerModel back = IntegerModelFile.fromBytes(IntegerModelFile.toBytes(m), "t.lbq");
        assertEquals(m.fingerprint(), back.fingerprint());
        assertEquals(((Input) m.inputNode().op()).hostTable(), ((Input) back.inputNode().op()).hostTable());
        assertNotEquals(m.fingerprint(), model(table(2, 4)).fingerprint());
        String json = new String(IntegerModelFile.toBytes(m), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(json.contains("\"host_table\"") && json.contains("tensors/x.host_table.npy"), "model.json names the table");
        // without a table nothing changes: no field, and the fingerprint of the plain codes input
        Input plain = Input.codes(Shape.chw(2, 1, 3), Q35);
        IntegerModel p = IntegerModel.builder("t").input("x", plain, 0x1p-5)
                .node("pool", new MaxPool(Window.square(1, 1, 0)), "x").build();
        String plainJson = new String(IntegerModelFile.toBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(!plainJson.contains("host_table"));
        assertEquals(p.fingerprint(), IntegerModelFile.fromBytes(IntegerModelFile.toBytes(p), "p.lbq").fingerprint());
    }

    @Test
    void invalidTablesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Input.hostQuantized(Shape.chw(2, 1, 3), Q35, table(3, 0)));
        assertThrows(IllegalArgumentException.class, () -> Input.hostQuantized(Shape.chw(1, 1, 3),
                new QuantizedType(IntType.signed(4), 0), table(1, 0)));
        assertThrows(IllegalArgumentException.class, () -> new Input(Shape.chw(3, 2, 2), IntType.UINT8,
                List.of(125, 123, 114), SampleModels.CIFAR10, table(3, 0)));
    }
}
