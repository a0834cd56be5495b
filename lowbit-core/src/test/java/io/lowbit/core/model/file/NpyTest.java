package io.lowbit.core.model.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowbit.core.model.Shape;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The .npy v1.0 codec against hand-written bytes (numpy.save's exact output) and malformed headers. */
class NpyTest {

    static byte[] npy(String dict, int pad, byte... data) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        int hlen = dict.length() + pad + 1;
        b.write(hlen & 0xFF);
        b.write(hlen >>> 8);
        b.writeBytes(dict.getBytes(StandardCharsets.ISO_8859_1));
        b.writeBytes(" ".repeat(pad).getBytes(StandardCharsets.ISO_8859_1));
        b.write('\n');
        b.writeBytes(data);
        return b.toByteArray();
    }

    /** What {@code numpy.save} writes for {@code np.array([1, -2, 3], dtype=np.int8)} (checked with numpy 2.4). */
    static final byte[] INT8_1_M2_3 = npy("{'descr': '|i1', 'fortran_order': False, 'shape': (3,), }", 60,
            (byte) 1, (byte) 0xFE, (byte) 3);

    @Test
    void writesNumpysExactBytes() {
        assertArrayEquals(INT8_1_M2_3, Npy.write(Npy.DType.INT8, Shape.of(3), new int[] {1, -2, 3}));
        assertEquals(131, INT8_1_M2_3.length);
        // np.array([[1, -2], [300, -40000]], dtype='<i4')
        byte[] i4 = npy("{'descr': '<i4', 'fortran_order': False, 'shape': (2, 2), }", 58,
                (byte) 1, (byte) 0, (byte) 0, (byte) 0, (byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0x2C, (byte) 1, (byte) 0, (byte) 0, (byte) 0xC0, (byte) 0x63, (byte) 0xFF, (byte) 0xFF);
        assertArrayEquals(i4, Npy.write(Npy.DType.INT32, Shape.of(2, 2), new int[] {1, -2, 300, -40000}));
        // np.full((1, 1, 1, 1), 5, dtype=np.uint8)
        assertArrayEquals(npy("{'descr': '|u1', 'fortran_order': False, 'shape': (1, 1, 1, 1), }", 52, (byte) 5),
                Npy.write(Npy.DType.UINT8, Shape.of(1, 1, 1, 1), new int[] {5}));
        for (int n : new int[] {1, 7, 100, 12345}) {
            byte[] f = Npy.write(Npy.DType.INT16, Shape.of(n), new int[n]);
            int headerEnd = f.length - 2 * n;
            assertEquals(0, headerEnd % 64, "header padded to 64 bytes");
            assertEquals('\n', f[headerEnd - 1]);
            assertEquals(Npy.fileSize(Npy.DType.INT16, Shape.of(n)), f.length);
        }
    }

    @Test
    void roundTripsEveryDType() throws Exception {
        int[][] values = {{-128, 0, 127, 5, -1, 9}, {0, 255, 128, 1, 2, 3}, {-32768, 32767, 0, 1, -1, 2},
            {Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1, 1, 12345678}};
        Npy.DType[] types = {Npy.DType.INT8, Npy.DType.UINT8, Npy.DType.INT16, Npy.DType.INT32};
        for (int k = 0; k < types.length; k++) {
            for (Shape s : new Shape[] {Shape.of(6), Shape.of(2, 3), Shape.of(3, 1, 2), Shape.of(1, 2, 3, 1)}) {
                byte[] f = Npy.write(types[k], s, values[k]);
                Npy.Header h = Npy.readHeader(f);
                assertEquals(types[k], h.dtype());
                assertEquals(s, h.shape());
                assertArrayEquals(values[k], Npy.readInts(f, h));
            }
        }
        double[] d = {0.5, -1e300, Double.MIN_VALUE};
        byte[] f = Npy.writeDoubles(Shape.of(3), d);
        assertArrayEquals(d, Npy.readDoubles(f, Npy.readHeader(f)));
        assertThrows(IllegalArgumentException.class, () -> Npy.write(Npy.DType.INT8, Shape.of(1), new int[] {128}));
    }

    @Test
    void acceptsOtherValidHeaders() throws Exception {
        // keys reordered, double quotes, '<i1', no trailing comma, 16-byte alignment of old numpy versions
        byte[] f = npy("{\"shape\": (3,), 'fortran_order': False, 'descr': '<i1'}", 5, (byte) 1, (byte) 2, (byte) 3);
        assertArrayEquals(new int[] {1, 2, 3}, Npy.readInts(f, Npy.readHeader(f)));
    }

    private static void rejects(byte[] file, String fragment) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Npy.readHeader(file));
        assertTrue(e.getMessage().contains(fragment), () -> "'" + fragment + "' not in: " + e.getMessage());
    }

    @Test
    void rejectsMalformedHeaders() {
        String ok = "{'descr': '|i1', 'fortran_order': False, 'shape': (3,), }";
        byte[] three = {1, 2, 3};
        rejects(new byte[5], "shorter than its 10-byte preamble");
        byte[] badMagic = INT8_1_M2_3.clone();
        badMagic[1] = 'n';
        rejects(badMagic, "bad magic");
        byte[] v2 = INT8_1_M2_3.clone();
        v2[6] = 2;
        rejects(v2, "version 2.0 is not supported");
        byte[] longHeader = INT8_1_M2_3.clone();
        longHeader[9] = 0x7F;
        rejects(longHeader, "runs past the end");
        rejects(npy(ok.replace("False", "True"), 3, three), "Fortran order");
        rejects(npy(ok.replace("|i1", "<i8"), 3, three), "dtype '<i8' is not supported");
        rejects(npy(ok.replace("'fortran_order': False, ", ""), 3, three), "expected exactly descr");
        rejects(npy(ok.replace("}", "'extra': (1,), }"), 3, three), "expected exactly descr");
        rejects(npy(ok.replace("(3,)", "(3)"), 3, three), "trailing comma");
        rejects(npy(ok.replace("(3,)", "(0,)"), 3, three), "outside [1, 2^30]");
        rejects(npy(ok.replace("(3,)", "(100000000000,)"), 3, three), "outside [1, 2^30]");
        rejects(npy(ok.replace("(3,)", "(65536, 65536)"), 3, three), "more than 2^30");
        rejects(npy(ok.replace("(3,)", "(99999999999999,)"), 3, three), "at most 12 digits");
        rejects(npy(ok.replace("(3,)", "(1000000000,)"), 3, three), "announces 1000000000");
        rejects(npy(ok, 3, (byte) 1, (byte) 2), "data has 2 bytes");
        rejects(npy(ok, 3, (byte) 1, (byte) 2, (byte) 3, (byte) 4), "data has 4 bytes");
        rejects(npy(ok.replace("'|i1'", "'|i1"), 3, three), "npy header");
        rejects(npy(ok + "x", 3, three), "unexpected text");
        rejects(npy("{'descr': '|i1', 'descr': '|i1', 'fortran_order': False, 'shape': (3,), }", 3, three),
                "duplicate key");
    }
}
