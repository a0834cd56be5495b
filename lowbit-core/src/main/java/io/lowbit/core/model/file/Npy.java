package io.lowbit.core.model.file;

import io.lowbit.core.model.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The subset of NumPy's {@code .npy} format v1.0 that lowbit writes and reads: C-order arrays of rank 1..4 in one of
 * the {@link DType}s. Layout: the 6 magic bytes {@code \x93NUMPY}, version bytes {@code 1 0}, a little-endian uint16
 * header length {@code HLEN}, then {@code HLEN} bytes of ASCII Python dict literal
 * {@code {'descr': '<i4', 'fortran_order': False, 'shape': (96, 3, 3, 3), }} padded with spaces and ended by
 * {@code \n} so that {@code 10 + HLEN} is a multiple of 64, then the raw little-endian data. The writer reproduces
 * {@code numpy.save} byte for byte (including its 21-character growth padding); the reader accepts any v1.0 header
 * with exactly those three keys, in any order.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int PREAMBLE = 10;
    private static final int ALIGN = 64;
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;

    private Npy() {
    }

    /** Element types, with NumPy's {@code descr} and name. */
    public enum DType {
        INT8("|i1", "int8", 1),
        UINT8("|u1", "uint8", 1),
        INT16("<i2", "int16", 2),
        INT32("<i4", "int32", 4),
        FLOAT64("<f8", "float64", 8);

        private final String descr;
        private final String numpyName;
        private final int itemSize;

        DType(String descr, String numpyName, int itemSize) {
            this.descr = descr;
            this.numpyName = numpyName;
            this.itemSize = itemSize;
        }

        /** NumPy's {@code dtype.str}, e.g. {@code <i4}. */
        public String descr() {
            return descr;
        }

        /** NumPy's dtype name, e.g. {@code int32}: the spelling of {@code model.json}. */
        public String numpyName() {
            return numpyName;
        }

        public int itemSize() {
            return itemSize;
        }

        /** The smallest range of ints the type holds (float64: every int). */
        boolean holds(int v) {
            return switch (this) {
                case INT8 -> v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE;
                case UINT8 -> v >= 0 && v <= 255;
                case INT16 -> v >= Short.MIN_VALUE && v <= Short.MAX_VALUE;
                case INT32, FLOAT64 -> true;
            };
        }

        /** The type named {@code numpyName} ({@code int8} …), or null. */
        public static DType byName(String numpyName) {
            for (DType t : values()) {
                if (t.numpyName.equals(numpyName)) {
                    return t;
                }
            }
            return null;
        }

        /** The type with descr {@code descr}; single-byte types also accept {@code <} or {@code >} for {@code |}. */
        static DType byDescr(String descr) {
            for (DType t : values()) {
                if (t.descr.equals(descr) || (t.itemSize == 1 && descr.length() == 3
                        && (descr.charAt(0) == '<' || descr.charAt(0) == '>') && descr.substring(1)
                        .equals(t.descr.substring(1)))) {
                    return t;
                }
            }
            return null;
        }
    }

    /** A parsed header: element type, shape, and where the data starts. */
    public record Header(DType dtype, Shape shape, int dataOffset) {

        /** Bytes of data the header announces. */
        public long dataBytes() {
            return (long) shape.elementCount() * dtype.itemSize();
        }
    }

    /** Total file size of an array of {@code shape} in {@code dtype} written by {@link #write}. */
    public static long fileSize(DType dtype, Shape shape) {
        return headerBytes(dtype, shape).length + (long) shape.elementCount() * dtype.itemSize();
    }

    /** The {@code .npy} bytes of integer array {@code data} (row-major in {@code shape}); values must fit {@code dtype}. */
    public static byte[] write(DType dtype, Shape shape, int[] data) {
        if (dtype == DType.FLOAT64) {
            double[] d = new double[data.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = data[i];
            }
            return writeDoubles(shape, d);
        }
        requireLength(shape, data.length);
        byte[] header = headerBytes(dtype, shape);
        ByteBuffer b = ByteBuffer.allocate(header.length + data.length * dtype.itemSize())
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put(header);
        for (int i = 0; i < data.length; i++) {
            int v = data[i];
            if (!dtype.holds(v)) {
                throw new IllegalArgumentException("value " + v + " at " + i + " does not fit " + dtype.numpyName());
            }
            switch (dtype) {
                case INT8, UINT8 -> b.put((byte) v);
                case INT16 -> b.putShort((short) v);
                default -> b.putInt(v);
            }
        }
        return b.array();
    }

    /** The {@code .npy} bytes of a float64 array. */
    public static byte[] writeDoubles(Shape shape, double[] data) {
        requireLength(shape, data.length);
        byte[] header = headerBytes(DType.FLOAT64, shape);
        ByteBuffer b = ByteBuffer.allocate(header.length + data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.put(header);
        for (double v : data) {
            b.putDouble(v);
        }
        return b.array();
    }

    /**
     * Parses and checks the header of {@code file}: magic, version 1.0, header length within the file, the dict, C
     * order, a known dtype, a valid shape, and a data length equal to what the header announces.
     *
     * @throws ModelFormatException naming the problem
     */
    public static Header readHeader(byte[] file) throws ModelFormatException {
        if (file.length < PREAMBLE) {
            throw new ModelFormatException("npy file of " + file.length + " bytes is shorter than its 10-byte preamble");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (file[i] != MAGIC[i]) {
                throw new ModelFormatException("not an npy file: bad magic (expected \\x93NUMPY)");
            }
        }
        if (file[6] != 1 || file[7] != 0) {
            throw new ModelFormatException("npy version " + (file[6] & 0xFF) + "." + (file[7] & 0xFF)
                    + " is not supported (only 1.0)");
        }
        int hlen = (file[8] & 0xFF) | (file[9] & 0xFF) << 8;
        if (PREAMBLE + hlen > file.length) {
            throw new ModelFormatException("npy header length " + hlen + " runs past the end of the " + file.length
                    + "-byte file");
        }
        String text = new String(file, PREAMBLE, hlen, StandardCharsets.ISO_8859_1);
        Header h = parseDict(text, PREAMBLE + hlen);
        long expected = h.dataBytes();
        long actual = file.length - (long) h.dataOffset();
        if (actual != expected) {
            throw new ModelFormatException("npy data has " + actual + " bytes, the header (" + h.dtype().descr() + ", "
                    + h.shape() + ") announces " + expected);
        }
        return h;
    }

    /** The integers of an integer-typed {@code .npy} file, after {@link #readHeader}. */
    public static int[] readInts(byte[] file, Header h) throws ModelFormatException {
        if (h.dtype() == DType.FLOAT64) {
            throw new ModelFormatException("npy dtype float64 where integers are expected");
        }
        ByteBuffer b = ByteBuffer.wrap(file, h.dataOffset(), file.length - h.dataOffset())
                .order(ByteOrder.LITTLE_ENDIAN);
        int[] out = new int[h.shape().elementCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (h.dtype()) {
                case INT8 -> b.get();
                case UINT8 -> b.get() & 0xFF;
                case INT16 -> b.getShort();
                default -> b.getInt();
            };
        }
        return out;
    }

    /** The values of a float64 {@code .npy} file, after {@link #readHeader}. */
    public static double[] readDoubles(byte[] file, Header h) throws ModelFormatException {
        if (h.dtype() != DType.FLOAT64) {
            throw new ModelFormatException("npy dtype " + h.dtype().numpyName() + " where float64 is expected");
        }
        ByteBuffer b = ByteBuffer.wrap(file, h.dataOffset(), file.length - h.dataOffset())
                .order(ByteOrder.LITTLE_ENDIAN);
        double[] out = new double[h.shape().elementCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getDouble();
        }
        return out;
    }

    private static void requireLength(Shape shape, int length) {
        if (length != shape.elementCount()) {
            throw new IllegalArgumentException("shape " + shape + " needs " + shape.elementCount() + " values, got "
                    + length);
        }
    }

    /** numpy's {@code _write_array_header} for version 1.0. */
    private static byte[] headerBytes(DType dtype, Shape shape) {
        StringBuilder dict = new StringBuilder("{'descr': '").append(dtype.descr())
                .append("', 'fortran_order': False, 'shape': (");
        for (int a = 0; a < shape.rank(); a++) {
            dict.append(a == 0 ? "" : ", ").append(shape.dim(a));
        }
        dict.append(shape.rank() == 1 ? ",), }" : "), }");
        dict.append(" ".repeat(GROWTH_AXIS_MAX_DIGITS - String.valueOf(shape.dim(0)).length()));
        int hlen = dict.length() + 1; // + '\n'
        int pad = ALIGN - (PREAMBLE + hlen) % ALIGN;
        dict.append(" ".repeat(pad)).append('\n');
        byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[PREAMBLE + text.length];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        out[6] = 1;
        out[7] = 0;
        out[8] = (byte) text.length;
        out[9] = (byte) (text.length >>> 8);
        System.arraycopy(text, 0, out, PREAMBLE, text.length);
        return out;
    }

    /** Parses {@code {'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }} plus trailing blanks. */
    private static Header parseDict(String text, int dataOffset) throws ModelFormatException {
        DictParser p = new DictParser(text);
        Map<String, Object> dict = p.dict();
        if (!dict.keySet().equals(java.util.Set.of("descr", "fortran_order", "shape"))) {
            throw new ModelFormatException("npy header keys are " + dict.keySet()
                    + ", expected exactly descr, fortran_order, shape");
        }
        if (!(dict.get("descr") instanceof String descr)) {
            throw new ModelFormatException("npy header 'descr' is not a string");
        }
        DType dtype = DType.byDescr(descr);
        if (dtype == null) {
            throw new ModelFormatException("npy dtype '" + descr + "' is not supported (|i1, |u1, <i2, <i4, <f8)");
        }
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw new ModelFormatException("npy header 'fortran_order' is not True or False");
        }
        if (fortran) {
            throw new ModelFormatException("npy array is in Fortran order; only C order is supported");
        }
        if (!(dict.get("shape") instanceof List<?> dims)) {
            throw new ModelFormatException("npy header 'shape' is not a tuple");
        }
        int[] d = new int[dims.size()];
        for (int i = 0; i < d.length; i++) {
            long v = (Long) dims.get(i);
            if (v < 1 || v > Shape.MAX_ELEMENTS) {
                throw new ModelFormatException("npy shape " + dims + " has dimension " + v + " outside [1, 2^30]");
            }
            d[i] = (int) v;
        }
        Shape shape;
        try {
            shape = Shape.of(d);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException("npy shape " + dims + ": " + e.getMessage(), e);
        }
        return new Header(dtype, shape, dataOffset);
    }

    /** A recursive-descent parser for the few Python literals an npy header holds: str, bool, tuple of ints. */
    private static final class DictParser {

        private static final int MAX_TUPLE = 32;
        private final String s;
        private int i;

        DictParser(String s) {
            this.s = s;
        }

        Map<String, Object> dict() throws ModelFormatException {
            Map<String, Object> out = new HashMap<>();
            expect('{');
            skipBlanks();
            while (peek() != '}') {
                String key = string();
                skipBlanks();
                expect(':');
                skipBlanks();
                Object value = value();
                if (out.put(key, value) != null) {
                    throw fail("duplicate key '" + key + "'");
                }
                skipBlanks();
                if (peek() == ',') {
                    i++;
                    skipBlanks();
                } else if (peek() != '}') {
                    throw fail("expected ',' or '}'");
                }
            }
            i++;
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c != ' ' && c != '\n') {
                    throw fail("unexpected text after the header dict");
                }
            }
            if (!s.endsWith("\n")) {
                throw new ModelFormatException("npy header does not end with a newline");
            }
            return out;
        }

        private Object value() throws ModelFormatException {
            char c = peek();
            if (c == '\'' || c == '"') {
                return string();
            }
            if (s.startsWith("True", i)) {
                i += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", i)) {
                i += 5;
                return Boolean.FALSE;
            }
            if (c == '(') {
                return tuple();
            }
            throw fail("unsupported value");
        }

        private List<Long> tuple() throws ModelFormatException {
            expect('(');
            List<Long> items = new ArrayList<>();
            skipBlanks();
            boolean comma = false;
            while (peek() != ')') {
                if (items.size() == MAX_TUPLE) {
                    throw fail("tuple too long");
                }
                items.add(integer());
                skipBlanks();
                comma = false;
                if (peek() == ',') {
                    i++;
                    comma = true;
                    skipBlanks();
                } else if (peek() != ')') {
                    throw fail("expected ',' or ')'");
                }
            }
            i++;
            if (items.size() == 1 && !comma) {
                throw fail("a one-element tuple needs a trailing comma");
            }
            return items;
        }

        private long integer() throws ModelFormatException {
            int start = i;
            while (i < s.length() && Character.isDigit(s.charAt(i)) && i - start < 12) {
                i++;
            }
            if (i == start || (i < s.length() && Character.isDigit(s.charAt(i)))) {
                throw fail("expected a non-negative integer of at most 12 digits");
            }
            return Long.parseLong(s.substring(start, i));
        }

        private String string() throws ModelFormatException {
            char q = peek();
            if (q != '\'' && q != '"') {
                throw fail("expected a quoted string");
            }
            int end = s.indexOf(q, i + 1);
            if (end < 0) {
                throw fail("unterminated string");
            }
            String v = s.substring(i + 1, end);
            if (v.indexOf('\\') >= 0) {
                throw fail("escapes are not supported");
            }
            i = end + 1;
            return v;
        }

        private void skipBlanks() {
            while (i < s.length() && s.charAt(i) == ' ') {
                i++;
            }
        }

        private char peek() throws ModelFormatException {
            if (i >= s.length()) {
                throw fail("header ends early");
            }
            return s.charAt(i);
        }

        private void expect(char c) throws ModelFormatException {
            if (peek() != c) {
                throw fail("expected '" + c + "'");
            }
            i++;
        }

        private ModelFormatException fail(String what) {
            String shown = s.length() > 120 ? s.substring(0, 120) + "…" : s;
            return new ModelFormatException("npy header: " + what + " at character " + i + " of \""
                    + shown.replace("\n", "\\n") + "\"");
        }
    }
}
