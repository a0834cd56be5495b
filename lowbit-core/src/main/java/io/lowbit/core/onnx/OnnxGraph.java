package io.lowbit.core.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A small builder of ONNX graphs (the subset of {@code onnx.proto} lowbit writes: nodes with int, ints and float
 * attributes, initializers as little-endian {@code raw_data}, typed inputs and outputs with a symbolic batch
 * dimension) and its {@code ModelProto} encoding. Value names are unique; {@link #fresh} makes new ones.
 */
public final class OnnxGraph {

    /** ONNX IR version written: 8 (ONNX 1.10+), read by every ONNX Runtime since 1.10. */
    public static final long IR_VERSION = 8;
    /** Default-domain opset written; every op used exists in this form since opset 13 or earlier. */
    public static final long OPSET = 17;

    /** ONNX {@code TensorProto.DataType} codes of the element types lowbit uses. */
    public enum ElementType {
        FLOAT(1, 4), UINT8(2, 1), INT8(3, 1), INT32(6, 4), INT64(7, 8);

        final int code;
        final int bytes;

        ElementType(int code, int bytes) {
            this.code = code;
            this.bytes = bytes;
        }

        public int code() {
            return code;
        }
    }

    /** One dimension of a graph input or output: a size, or a symbolic name such as {@code N}. */
    public record Dim(long value, String param) {
        public static Dim of(long value) {
            return new Dim(value, null);
        }

        public static Dim symbolic(String param) {
            return new Dim(0, Objects.requireNonNull(param));
        }
    }

    private record Attribute(String name, int type, long i, float f, long[] ints) {
    }

    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private final List<byte[]> inputs = new ArrayList<>();
    private final List<byte[]> outputs = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private final Set<String> reserved = new HashSet<>();
    private int counter;

    /** A value name not used yet, {@code prefix} or {@code prefix_k}. */
    public String fresh(String prefix) {
        String name = prefix;
        while (names.contains(name)) {
            name = prefix + "_" + ++counter;
        }
        names.add(name);
        return name;
    }

    /** Keeps {@code name} free for {@link NodeBuilder#outAs}, whatever values are created before. */
    public void reserve(String name) {
        claim(name);
        reserved.add(name);
    }

    /** A graph input named {@code name} (taken as given; must be unused). */
    public void input(String name, ElementType type, Dim... dims) {
        claim(name);
        inputs.add(valueInfo(name, type, dims));
    }

    /** Declares the existing value {@code name} a graph output. */
    public void output(String name, ElementType type, Dim... dims) {
        outputs.add(valueInfo(name, type, dims));
    }

    /** An int64 constant. */
    public String int64(String prefix, long[] dims, long... values) {
        ByteBuffer b = buffer(values.length, 8);
        for (long v : values) {
            b.putLong(v);
        }
        return initializer(prefix, ElementType.INT64, dims, b.array());
    }

    /** An int32 constant. */
    public String int32(String prefix, long[] dims, int... values) {
        ByteBuffer b = buffer(values.length, 4);
        for (int v : values) {
            b.putInt(v);
        }
        return initializer(prefix, ElementType.INT32, dims, b.array());
    }

    /** A uint8 constant; every value in [0, 255]. */
    public String uint8(String prefix, long[] dims, int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] > 255) {
                throw new IllegalArgumentException("uint8 constant " + prefix + "[" + i + "] = " + values[i]);
            }
            b[i] = (byte) values[i];
        }
        return initializer(prefix, ElementType.UINT8, dims, b);
    }

    /** An int8 constant; every value in [−128, 127]. */
    public String int8(String prefix, long[] dims, int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            if (values[i] < -128 || values[i] > 127) {
                throw new IllegalArgumentException("int8 constant " + prefix + "[" + i + "] = " + values[i]);
            }
            b[i] = (byte) values[i];
        }
        return initializer(prefix, ElementType.INT8, dims, b);
    }

    /** A float constant. */
    public String float32(String prefix, long[] dims, float... values) {
        ByteBuffer b = buffer(values.length, 4);
        for (float v : values) {
            b.putFloat(v);
        }
        return initializer(prefix, ElementType.FLOAT, dims, b.array());
    }

    /** A scalar (rank-0) constant of {@code type}. */
    public String scalar(String prefix, ElementType type, long value) {
        return switch (type) {
            case INT64 -> int64(prefix, new long[0], value);
            case INT32 -> int32(prefix, new long[0], Math.toIntExact(value));
            case UINT8 -> uint8(prefix, new long[0], (int) value);
            default -> throw new IllegalArgumentException("no integer scalar of type " + type);
        };
    }

    /** Starts a node of {@code opType} (default domain) on {@code inputs}; {@code ""} marks an omitted input. */
    public NodeBuilder op(String opType, String... inputs) {
        return new NodeBuilder(opType, inputs);
    }

    /** A node under construction: attributes, then {@link #out} to add it to the graph. */
    public final class NodeBuilder {
        private final String opType;
        private final String[] nodeInputs;
        private final List<Attribute> attributes = new ArrayList<>();

        private NodeBuilder(String opType, String[] inputs) {
            this.opType = opType;
            this.nodeInputs = inputs.clone();
        }

        public NodeBuilder attr(String name, long value) {
            attributes.add(new Attribute(name, 2, value, 0, null));
            return this;
        }

        public NodeBuilder attr(String name, float value) {
            attributes.add(new Attribute(name, 1, 0, value, null));
            return this;
        }

        public NodeBuilder attr(String name, long[] values) {
            attributes.add(new Attribute(name, 7, 0, 0, values.clone()));
            return this;
        }

        /** Adds the node with one output value named from {@code prefix}; returns the output's name. */
        public String out(String prefix) {
            return add(fresh(prefix));
        }

        /** Adds the node with its output named exactly {@code name}, which must have been {@link #reserve}d. */
        public String outAs(String name) {
            if (!reserved.remove(name)) {
                throw new IllegalStateException("'" + name + "' was not reserved");
            }
            return add(name);
        }

        private String add(String output) {
            ProtoWriter node = new ProtoWriter();
            for (String in : nodeInputs) {
                node.string(1, in);
            }
            node.string(2, output);
            node.string(3, output);
            node.string(4, opType);
            for (Attribute a : attributes) {
                ProtoWriter attr = new ProtoWriter().string(1, a.name());
                switch (a.type()) {
                    case 1 -> attr.float32(2, a.f());
                    case 2 -> attr.varint(3, a.i());
                    default -> attr.repeatedVarints(8, a.ints());
                }
                attr.varint(20, a.type());
                node.message(5, attr);
            }
            nodes.add(node.toByteArray());
            return output;
        }
    }

    /** The {@code ModelProto} bytes of this graph. */
    public byte[] toModel(String graphName, String producerVersion, String docString) {
        ProtoWriter graph = new ProtoWriter();
        for (byte[] n : nodes) {
            graph.bytes(1, n);
        }
        graph.string(2, graphName);
        for (byte[] t : initializers) {
            graph.bytes(5, t);
        }
        graph.string(10, docString);
        for (byte[] i : inputs) {
            graph.bytes(11, i);
        }
        for (byte[] o : outputs) {
            graph.bytes(12, o);
        }
        ProtoWriter model = new ProtoWriter()
                .varint(1, IR_VERSION)
                .string(2, "lowbit")
                .string(3, producerVersion)
                .message(7, graph)
                .message(8, new ProtoWriter().string(1, "").varint(2, OPSET));
        return model.toByteArray();
    }

    public int nodeCount() {
        return nodes.size();
    }

    private String initializer(String prefix, ElementType type, long[] dims, byte[] raw) {
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        if (count * type.bytes != raw.length) {
            throw new IllegalArgumentException("constant " + prefix + ": " + raw.length + " bytes for dims "
                    + java.util.Arrays.toString(dims) + " of " + type);
        }
        String name = fresh(prefix);
        ProtoWriter t = new ProtoWriter().repeatedVarints(1, dims).varint(2, type.code).string(8, name).bytes(9, raw);
        initializers.add(t.toByteArray());
        return name;
    }

    private void claim(String name) {
        if (!names.add(name)) {
            throw new IllegalArgumentException("value name '" + name + "' is already used");
        }
    }

    private static byte[] valueInfo(String name, ElementType type, Dim... dims) {
        ProtoWriter shape = new ProtoWriter();
        for (Dim d : dims) {
            shape.message(1, d.param() == null ? new ProtoWriter().varint(1, d.value())
                    : new ProtoWriter().string(2, d.param()));
        }
        ProtoWriter tensorType = new ProtoWriter().varint(1, type.code).message(2, shape);
        return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType)).toByteArray();
    }

    private static ByteBuffer buffer(int count, int width) {
        return ByteBuffer.allocate(Math.multiplyExact(count, width)).order(ByteOrder.LITTLE_ENDIAN);
    }
}
