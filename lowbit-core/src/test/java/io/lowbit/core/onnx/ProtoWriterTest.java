package io.lowbit.core.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowbit.core.model.SampleModels;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The wire encodings against the protobuf documentation's own examples, and the shape of an exported model. */
class ProtoWriterTest {

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    @Test
    void varintsStringsAndFloatsFollowTheWireFormat() {
        assertArrayEquals(bytes(0x08, 0x96, 0x01), new ProtoWriter().varint(1, 150).toByteArray()); // protobuf docs
        assertArrayEquals(bytes(0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g'),
                new ProtoWriter().string(2, "testing").toByteArray());
        byte[] minusOne = new ProtoWriter().varint(1, -1).toByteArray();
        assertEquals(11, minusOne.length); // tag + ten bytes, as int64 −1 is encoded
        assertEquals(0x01, minusOne[10]);
        assertArrayEquals(bytes(0x15, 0x00, 0x00, 0x80, 0x3F), new ProtoWriter().float32(2, 1f).toByteArray());
        assertArrayEquals(bytes(0x08, 0x01, 0x08, 0x02), new ProtoWriter().repeatedVarints(1, new long[] {1, 2})
                .toByteArray());
        assertArrayEquals(bytes(0x1A, 0x03, 0x08, 0x96, 0x01), new ProtoWriter().message(3, new ProtoWriter()
                .varint(1, 150)).toByteArray());
    }

    @Test
    void anExportedModelStartsWithItsIrVersionAndNamesItsProducer() {
        byte[] model = IntegerOnnxExport.export(SampleModels.everyOp(), "test");
        assertEquals(0x08, model[0]);
        assertEquals(OnnxGraph.IR_VERSION, model[1]);
        String text = new String(model, StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("lowbit") && text.contains("ConvInteger") && text.contains(IntegerOnnxExport.OUTPUT));
        assertTrue(FloatOnnxExport.export(SampleModels.everyOp(), "test").length > 100);
    }

    @Test
    void valueNamesStayUniqueAndReservedNamesAreKept() {
        OnnxGraph g = new OnnxGraph();
        g.reserve("output");
        assertEquals("x", g.fresh("x"));
        String second = g.fresh("x");
        assertTrue(!second.equals("x") && second.startsWith("x_"));
        assertTrue(!g.fresh("output").equals("output"));
        assertEquals("output", g.op("Identity", "x").outAs("output"));
        assertThrows(IllegalStateException.class, () -> g.op("Identity", "x").outAs("output"));
        assertThrows(IllegalArgumentException.class, () -> g.uint8("c", new long[] {1}, 256));
    }
}
