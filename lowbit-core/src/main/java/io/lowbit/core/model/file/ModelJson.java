package io.lowbit.core.model.file;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lowbit.core.arith.AveragePool;
import io.lowbit.core.arith.FixedPointMultiplier;
import io.lowbit.core.arith.IntType;
import io.lowbit.core.arith.OutputClamp;
import io.lowbit.core.arith.PixelNormalization;
import io.lowbit.core.arith.QuantizedType;
import io.lowbit.core.arith.Requantizer;
import io.lowbit.core.arith.ResidualAdd;
import io.lowbit.core.arith.Rounding;
import io.lowbit.core.arith.ShiftRequantizer;
import io.lowbit.core.model.Add;
import io.lowbit.core.model.AvgPool;
import io.lowbit.core.model.ChannelPadSubsample;
import io.lowbit.core.model.CodebookWeights;
import io.lowbit.core.model.Conv2d;
import io.lowbit.core.model.Input;
import io.lowbit.core.model.IntTensor;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.IntegerWeights;
import io.lowbit.core.model.Linear;
import io.lowbit.core.model.MaxPool;
import io.lowbit.core.model.ModelMetadata;
import io.lowbit.core.model.Node;
import io.lowbit.core.model.Op;
import io.lowbit.core.model.OutputStage;
import io.lowbit.core.model.Shape;
import io.lowbit.core.model.TensorInfo;
import io.lowbit.core.model.WeightCodes;
import io.lowbit.core.model.WeightedOp;
import io.lowbit.core.model.Window;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code model.json} of the {@code .lbq} format ({@code docs/integer-model-format.md}): encodes an
 * {@link IntegerModel} into a JSON tree plus its named tensors, and decodes it back with strict checks — every field
 * required, no unknown fields, every tensor referenced exactly once with its prescribed dtype.
 */
final class ModelJson {

    static final String FORMAT = "lowbit-integer-model";
    static final int VERSION = 1;
    static final String MODEL_ENTRY = "model.json";
    static final String TENSOR_DIR = "tensors/";

    private static final Pattern TENSOR_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]{0,199}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ModelJson() {
    }

    /** A row of the tensor table. */
    record TensorRef(String name, String file, Npy.DType dtype, Shape shape, String sha256) {

        /** Bytes of data of the tensor. */
        long dataBytes() {
            return (long) shape.elementCount() * dtype.itemSize();
        }
    }

    /** A tensor ready to be stored: its table row and its {@code .npy} bytes. */
    record StoredTensor(TensorRef ref, byte[] npy) {
    }

    /** The encoded model: {@code model.json} bytes and the tensors in table order. */
    record Encoded(byte[] json, List<StoredTensor> tensors) {
    }

    // ------------------------------------------------------------------------------------------------ writing

    static Encoded encode(IntegerModel model) {
        List<StoredTensor> tensors = new ArrayList<>();
        ObjectNode root = NODES.objectNode();
        root.put("format", FORMAT);
        root.put("format_version", VERSION);
        root.put("fingerprint", model.fingerprint());
        ObjectNode meta = root.putObject("metadata");
        meta.put("name", model.metadata().name());
        meta.put("source", model.metadata().source());
        ObjectNode prov = meta.putObject("provenance");
        model.metadata().provenance().forEach(prov::put);
        ArrayNode classes = meta.putArray("class_names");
        model.metadata().classNames().forEach(classes::add);
        root.put("output", model.outputId());
        ArrayNode nodes = root.putArray("nodes");
        for (Node n : model.nodes()) {
            nodes.add(encodeNode(n, tensors));
        }
        ArrayNode table = root.putArray("tensors");
        for (StoredTensor t : tensors) {
            ObjectNode row = table.addObject();
            row.put("name", t.ref().name());
            row.put("file", t.ref().file());
            row.put("dtype", t.ref().dtype().numpyName());
            ints(row.putArray("shape"), t.ref().shape().dims());
            row.put("sha256", t.ref().sha256());
        }
        return new Encoded(toJsonBytes(root), tensors);
    }

    private static ObjectNode encodeNode(Node n, List<StoredTensor> tensors) {
        ObjectNode o = NODES.objectNode();
        o.put("id", n.id());
        o.put("op", n.op().kind());
        ArrayNode inputs = o.putArray("inputs");
        n.inputs().forEach(inputs::add);
        ObjectNode out = o.putObject("output");
        ints(out.putArray("shape"), n.output().shape().dims());
        out.put("type", n.output().type().toString());
        ints(out.putArray("zero_points"), n.output().zeroPoints());
        ArrayNode scales = out.putArray("scales");
        n.output().scales().forEach(scales::add);
        ObjectNode p = o.putObject("params");
        Op op = n.op();
        if (op instanceof Input in) {
            PixelNormalization norm = in.normalization();
            if (norm == null) {
                p.putNull("normalization");
            } else {
                ObjectNode no = p.putObject("normalization");
                ArrayNode mean = no.putArray("mean");
                ArrayNode std = no.putArray("std");
                for (int c = 0; c < norm.channels(); c++) {
                    mean.add(norm.mean()[c]);
                    std.add(norm.std()[c]);
                }
            }
            if (in.hostTable() != null) { // optional field: written only when present (docs/integer-model-format.md)
                p.put("host_table", store(tensors, n.id() + ".host_table", hostTableDType(in.type()), in.hostTable()));
            }
        } else if (op instanceof Conv2d c) {
            window(p.putObject("window"), c.window());
            p.put("groups", c.groups());
            weighted(p, n.id(), c, tensors);
        } else if (op instanceof Linear l) {
            weighted(p, n.id(), l, tensors);
        } else if (op instanceof MaxPool m) {
            window(p.putObject("window"), m.window());
        } else if (op instanceof AvgPool a) {
            window(p.putObject("window"), a.window());
            AveragePool pool = a.pool();
            ObjectNode m = p.putObject("multiplier");
            m.put("q31", pool.multiplier().multiplierQ31());
            m.put("right_shift", pool.multiplier().rightShift());
            p.put("rounding", pool.rounding().name());
            clamp(p, pool.output());
        } else if (op instanceof Add a) {
            ResidualAdd r = a.add();
            p.put("multiplier_a", r.multiplierA());
            p.put("multiplier_b", r.multiplierB());
            p.put("right_shift", r.rightShift());
            p.put("rounding", r.rounding().name());
            clamp(p, r.output());
        } else if (op instanceof ChannelPadSubsample s) {
            p.put("stride", s.stride());
        } else {
            throw new IllegalStateException("no encoding for op " + op.kind());
        }
        return o;
    }

    private static void weighted(ObjectNode p, String id, WeightedOp op, List<StoredTensor> tensors) {
        ObjectNode w = p.putObject("weights");
        WeightCodes codes = op.weights();
        if (codes instanceof IntegerWeights iw) {
            w.put("kind", "integer");
            w.put("type", iw.type().toString());
            w.put("codes", store(tensors, id + ".weight", weightDType(iw.type()), iw.codes()));
        } else if (codes instanceof CodebookWeights cw) {
            w.put("kind", "codebook");
            w.put("level_type", cw.levelType().toString());
            ints(w.putArray("levels"), cw.levels());
            w.put("indexes", store(tensors, id + ".weight_index", Npy.DType.UINT8, cw.indexes()));
        }
        p.put("bias", store(tensors, id + ".bias", Npy.DType.INT32, op.bias()));
        ObjectNode s = p.putObject("output_stage");
        OutputStage stage = op.outputStage();
        s.put("kind", stage.kind());
        if (stage instanceof OutputStage.Requantize r) {
            Requantizer q = r.requantizer();
            int[] m0 = new int[q.channels()];
            int[] shift = new int[q.channels()];
            for (int c = 0; c < m0.length; c++) {
                m0[c] = q.multiplier(c).multiplierQ31();
                shift[c] = q.multiplier(c).rightShift();
            }
            s.put("multiplier_q31", store(tensors, id + ".multiplier_q31", Npy.DType.INT32, IntTensor.vector(m0)));
            s.put("right_shift", store(tensors, id + ".right_shift", Npy.DType.INT8, IntTensor.vector(shift)));
            s.put("rounding", q.rounding().name());
            clamp(s, q.output());
        } else if (stage instanceof OutputStage.Shift sh) {
            s.put("right_shift", sh.shift().rightShift());
            s.put("rounding", sh.shift().rounding().name());
            clamp(s, sh.shift().output());
        }
    }

    /** Storage dtype of weight codes: int8 up to 8 bits, int16 for 16 bits. */
    static Npy.DType weightDType(IntType type) {
        return type.bits() <= 8 ? Npy.DType.INT8 : Npy.DType.INT16;
    }

    private static String store(List<StoredTensor> tensors, String name, Npy.DType dtype, IntTensor t) {
        byte[] npy = Npy.write(dtype, t.shape(), t.toArray());
        tensors.add(new StoredTensor(new TensorRef(name, TENSOR_DIR + name + ".npy", dtype, t.shape(), sha256(npy)),
                npy));
        return name;
    }

    private static void window(ObjectNode o, Window w) {
        o.putArray("kernel").add(w.kernelH()).add(w.kernelW());
        o.putArray("stride").add(w.strideH()).add(w.strideW());
        o.putArray("padding").add(w.padTop()).add(w.padLeft()).add(w.padBottom()).add(w.padRight());
    }

    private static void clamp(ObjectNode o, OutputClamp c) {
        o.putArray("clamp").add(c.lo()).add(c.hi());
    }

    private static void ints(ArrayNode a, List<Integer> values) {
        values.forEach(a::add);
    }

    private static byte[] toJsonBytes(ObjectNode root) {
        DefaultPrettyPrinter pretty = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(new DefaultIndenter("  ", "\n"));
        try {
            byte[] body = new ObjectMapper().writer(pretty).writeValueAsBytes(root);
            byte[] out = new byte[body.length + 1];
            System.arraycopy(body, 0, out, 0, body.length);
            out[body.length] = '\n';
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("JSON encoding failed", e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    // ------------------------------------------------------------------------------------------------ reading

    /** Parses {@code model.json} under the size, depth, string and number limits; duplicate keys are errors. */
    static JsonNode parse(byte[] json, ReadLimits limits) throws ModelFormatException {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxJsonDepth())
                        .maxDocumentLength(limits.maxJsonBytes())
                        .maxStringLength(1 << 20)
                        .maxNumberLength(64)
                        .build())
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        ObjectMapper mapper = new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        try (JsonParser parser = factory.createParser(json)) {
            JsonNode root = mapper.readTree(parser);
            if (root == null || !root.isObject()) {
                throw ModelFormatException.inEntry(MODEL_ENTRY, "is not a JSON object");
            }
            return root;
        } catch (ModelFormatException e) {
            throw e;
        } catch (IOException e) {
            throw ModelFormatException.inEntry(MODEL_ENTRY, "is not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Checks format name and version first (so a newer file gets a clear message), then reads the tensor table. */
    static List<TensorRef> header(JsonNode root) throws ModelFormatException {
        JsonNode format = root.get("format");
        if (format == null || !format.isTextual() || !format.asText().equals(FORMAT)) {
            throw ModelFormatException.inEntry(MODEL_ENTRY, "format is " + (format == null ? "missing" : format)
                    + ", expected \"" + FORMAT + "\": not a lowbit integer model");
        }
        JsonNode version = root.get("format_version");
        if (version == null || !version.isIntegralNumber() || !version.canConvertToInt() || version.asInt() != VERSION) {
            throw ModelFormatException.inEntry(MODEL_ENTRY, "format_version " + (version == null ? "is missing" : version
                    + " is not supported") + "; this reader understands version " + VERSION
                    + " (docs/integer-model-format.md)");
        }
        Obj top = new Obj(root, "");
        List<TensorRef> table = new ArrayList<>();
        Set<String> names = new HashSet<>();
        JsonNode rows = top.array("tensors");
        for (int i = 0; i < rows.size(); i++) {
            Obj row = new Obj(rows.get(i), "tensors[" + i + "]");
            String name = row.string("name");
            if (!TENSOR_NAME.matcher(name).matches()) {
                throw row.fail("name", "'" + name + "' is not a valid tensor name ([A-Za-z0-9_.-], ≤ 200)");
            }
            if (!names.add(name)) {
                throw row.fail("name", "tensor '" + name + "' is listed twice");
            }
            String file = row.string("file");
            if (!file.equals(TENSOR_DIR + name + ".npy")) {
                throw row.fail("file", "'" + file + "' must be '" + TENSOR_DIR + name + ".npy'");
            }
            String dtypeName = row.string("dtype");
            Npy.DType dtype = Npy.DType.byName(dtypeName);
            if (dtype == null || dtype == Npy.DType.FLOAT64) {
                throw row.fail("dtype", "'" + dtypeName + "' is not one of int8, uint8, int16, int32");
            }
            Shape shape = row.shape("shape");
            String sha = row.string("sha256");
            if (!SHA256.matcher(sha).matches()) {
                throw row.fail("sha256", "must be 64 lowercase hex digits");
            }
            row.done();
            table.add(new TensorRef(name, file, dtype, shape, sha));
        }
        return table;
    }

    /** Builds the model from the parsed JSON and the tensors' integers (by name); validates the graph. */
    static IntegerModel model(JsonNode root, List<TensorRef> table, Map<String, int[]> data, ReadLimits limits)
            throws ModelFormatException {
        Obj top = new Obj(root, "");
        top.string("format");
        top.integer("format_version");
        top.array("tensors");
        String fingerprint = top.string("fingerprint");
        Obj meta = top.object("metadata");
        String name = meta.string("name");
        String source = meta.string("source");
        Obj prov = meta.object("provenance");
        Map<String, String> provenance = new TreeMap<>();
        for (Iterator<String> it = prov.fieldNames(); it.hasNext();) {
            String key = it.next();
            provenance.put(key, prov.string(key));
        }
        prov.done();
        List<String> classNames = meta.strings("class_names");
        meta.done();
        String output = top.string("output");
        JsonNode nodeArray = top.array("nodes");
        top.done();
        if (nodeArray.size() > limits.maxNodes()) {
            throw ModelFormatException.inEntry(MODEL_ENTRY, nodeArray.size() + " nodes exceed the limit of "
                    + limits.maxNodes());
        }
        Tensors tensors = new Tensors(table, data);
        Map<String, TensorInfo> infos = new HashMap<>();
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < nodeArray.size(); i++) {
            Node node = decodeNode(new Obj(nodeArray.get(i), "nodes[" + i + "]"), infos, tensors);
            infos.putIfAbsent(node.id(), node.output());
            nodes.add(node);
        }
        tensors.requireAllUsed();
        IntegerModel model;
        try {
            ModelMetadata metadata = new ModelMetadata(name, source, provenance, classNames);
            model = new IntegerModel(metadata, nodes, output);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw ModelFormatException.inEntry(MODEL_ENTRY, "invalid graph: " + e.getMessage(), e);
        }
        if (!model.fingerprint().equals(fingerprint)) {
            throw ModelFormatException.inEntry(MODEL_ENTRY, "fingerprint " + fingerprint + " does not match the model"
                    + " it describes (" + model.fingerprint() + "): corrupt or edited by hand");
        }
        return model;
    }

    private static Node decodeNode(Obj o, Map<String, TensorInfo> infos, Tensors tensors)
            throws ModelFormatException {
        String id = o.string("id");
        String kind = o.string("op");
        String where = "node '" + id + "' (" + kind + ", " + o.path + ")";
        List<String> inputs = o.strings("inputs");
        List<TensorInfo> inInfos = new ArrayList<>();
        for (String in : inputs) {
            TensorInfo info = infos.get(in);
            if (info == null) {
                throw ModelFormatException.inEntry(MODEL_ENTRY, where + ": input '" + in + "' is not an earlier node");
            }
            inInfos.add(info);
        }
        Obj out = o.object("output");
        Shape shape = out.shape("shape");
        IntType type = out.intType("type");
        List<Integer> zeroPoints = out.ints("zero_points");
        List<Double> scales = out.doubles("scales");
        out.done();
        Obj p = o.object("params");
        o.done();
        try {
            TensorInfo info = new TensorInfo(shape, type, zeroPoints, scales);
            Op op = switch (kind) {
                case "input" -> decodeInput(p, info, tensors);
                case "conv2d" -> decodeConv(p, info, tensors);
                case "linear" -> decodeLinear(p, info, tensors);
                case "max_pool" -> new MaxPool(p.window("window"));
                case "avg_pool" -> decodeAvgPool(p, info, perTensor(inInfos, 0, where));
                case "add" -> decodeAdd(p, info, perTensor(inInfos, 0, where), perTensor(inInfos, 1, where));
                case "channel_pad_subsample" -> new ChannelPadSubsample(p.integer("stride"), shape.channels());
                default -> throw o.fail("op", "unknown op '" + kind + "'");
            };
            p.done();
            return new Node(id, op, inputs, info);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw ModelFormatException.inEntry(MODEL_ENTRY, where + ": " + e.getMessage(), e);
        }
    }

    private static QuantizedType perTensor(List<TensorInfo> inputs, int k, String where) throws ModelFormatException {
        if (inputs.size() <= k) {
            throw ModelFormatException.inEntry(MODEL_ENTRY, where + ": needs input " + k);
        }
        TensorInfo t = inputs.get(k);
        if (t.hasPerChannelZeroPoints()) {
            throw ModelFormatException.inEntry(MODEL_ENTRY, where + ": input " + k + " has per-channel zero-points");
        }
        return t.quantizedType();
    }

    /** Storage dtype of a host quantization table: int8 when the input type fits it, else int16. */
    static Npy.DType hostTableDType(IntType type) {
        return IntType.INT8.contains(type.min()) && IntType.INT8.contains(type.max()) ? Npy.DType.INT8
                : Npy.DType.INT16;
    }

    private static Input decodeInput(Obj p, TensorInfo info, Tensors tensors) throws ModelFormatException {
        PixelNormalization norm = null;
        if (!p.isNull("normalization")) {
            Obj n = p.object("normalization");
            List<Double> mean = n.doubles("mean");
            List<Double> std = n.doubles("std");
            n.done();
            norm = new PixelNormalization(mean.stream().mapToDouble(Double::doubleValue).toArray(),
                    std.stream().mapToDouble(Double::doubleValue).toArray());
        }
        IntTensor table = null;
        if (p.has("host_table")) {
            table = tensors.take(p.string("host_table"), hostTableDType(info.type()), p.path + ".host_table");
        }
        return new Input(info.shape(), info.type(), info.zeroPoints(), norm, table);
    }

    private static Conv2d decodeConv(Obj p, TensorInfo out, Tensors tensors) throws ModelFormatException {
        Window window = p.window("window");
        int groups = p.integer("groups");
        WeightCodes weights = decodeWeights(p.object("weights"), tensors);
        IntTensor bias = tensors.take(p.string("bias"), Npy.DType.INT32, p.path + ".bias");
        OutputStage stage = decodeStage(p.object("output_stage"), out, tensors);
        return new Conv2d(window, groups, weights, bias, stage);
    }

    private static Linear decodeLinear(Obj p, TensorInfo out, Tensors tensors) throws ModelFormatException {
        WeightCodes weights = decodeWeights(p.object("weights"), tensors);
        IntTensor bias = tensors.take(p.string("bias"), Npy.DType.INT32, p.path + ".bias");
        OutputStage stage = decodeStage(p.object("output_stage"), out, tensors);
        return new Linear(weights, bias, stage);
    }

    private static WeightCodes decodeWeights(Obj w, Tensors tensors) throws ModelFormatException {
        String kind = w.string("kind");
        WeightCodes codes;
        if (kind.equals("integer")) {
            IntType type = w.intType("type");
            codes = new IntegerWeights(type, tensors.take(w.string("codes"), weightDType(type), w.path + ".codes"));
        } else if (kind.equals("codebook")) {
            IntType levelType = w.intType("level_type");
            List<Integer> levels = w.ints("levels");
            codes = new CodebookWeights(levelType, levels, tensors.take(w.string("indexes"), Npy.DType.UINT8,
                    w.path + ".indexes"));
        } else {
            throw w.fail("kind", "unknown weights kind '" + kind + "' (integer, codebook)");
        }
        w.done();
        return codes;
    }

    private static OutputStage decodeStage(Obj s, TensorInfo out, Tensors tensors) throws ModelFormatException {
        String kind = s.string("kind");
        OutputStage stage;
        switch (kind) {
            case "requantize" -> {
                IntTensor m0 = tensors.take(s.string("multiplier_q31"), Npy.DType.INT32, s.path + ".multiplier_q31");
                IntTensor shift = tensors.take(s.string("right_shift"), Npy.DType.INT8, s.path + ".right_shift");
                if (m0.shape().rank() != 1 || !m0.shape().equals(shift.shape())) {
                    throw s.fail("right_shift", "multiplier_q31 " + m0.shape() + " and right_shift " + shift.shape()
                            + " must be vectors of one entry per output channel");
                }
                FixedPointMultiplier[] m = new FixedPointMultiplier[m0.size()];
                for (int c = 0; c < m.length; c++) {
                    m[c] = new FixedPointMultiplier(m0.get(c), shift.get(c));
                }
                stage = new OutputStage.Requantize(new Requantizer(m, s.clamp("clamp", out), s.rounding("rounding")));
            }
            case "shift" -> stage = new OutputStage.Shift(new ShiftRequantizer(s.integer("right_shift"),
                    s.clamp("clamp", out), s.rounding("rounding")));
            case "accumulator" -> stage = new OutputStage.Accumulator();
            default -> throw s.fail("kind", "unknown output stage '" + kind + "' (requantize, shift, accumulator)");
        }
        s.done();
        return stage;
    }

    private static AvgPool decodeAvgPool(Obj p, TensorInfo out, QuantizedType in) throws ModelFormatException {
        Window window = p.window("window");
        Obj m = p.object("multiplier");
        FixedPointMultiplier mult = new FixedPointMultiplier(m.integer("q31"), m.integer("right_shift"));
        m.done();
        return new AvgPool(window, new AveragePool(window.kernelArea(), in, mult, p.clamp("clamp", out),
                p.rounding("rounding")));
    }

    private static Add decodeAdd(Obj p, TensorInfo out, QuantizedType a, QuantizedType b)
            throws ModelFormatException {
        return new Add(new ResidualAdd(a, b, p.integer("multiplier_a"), p.integer("multiplier_b"),
                p.integer("right_shift"), p.clamp("clamp", out), p.rounding("rounding")));
    }

    /** The tensor table during decoding: hands out each tensor once, with the dtype its use prescribes. */
    private static final class Tensors {

        private final Map<String, TensorRef> refs = new LinkedHashMap<>();
        private final Map<String, int[]> data;
        private final Set<String> used = new HashSet<>();

        Tensors(List<TensorRef> table, Map<String, int[]> data) {
            for (TensorRef r : table) {
                refs.put(r.name(), r);
            }
            this.data = data;
        }

        IntTensor take(String name, Npy.DType dtype, String where) throws ModelFormatException {
            TensorRef ref = refs.get(name);
            if (ref == null) {
                throw ModelFormatException.inEntry(MODEL_ENTRY, where + ": tensor '" + name
                        + "' is not in the tensor table");
            }
            if (!used.add(name)) {
                throw ModelFormatException.inEntry(MODEL_ENTRY, where + ": tensor '" + name + "' is used twice");
            }
            if (ref.dtype() != dtype) {
                throw ModelFormatException.inEntry(MODEL_ENTRY, where + ": tensor '" + name + "' has dtype "
                        + ref.dtype().numpyName() + ", expected " + dtype.numpyName());
            }
            return IntTensor.of(ref.shape(), data.get(name));
        }

        void requireAllUsed() throws ModelFormatException {
            for (String name : refs.keySet()) {
                if (!used.contains(name)) {
                    throw ModelFormatException.inEntry(MODEL_ENTRY, "tensor '" + name + "' is listed but not used by"
                            + " any node");
                }
            }
        }
    }

    /** A JSON object read field by field with its path, for strict decoding and precise messages. */
    private static final class Obj {

        final String path;
        private final JsonNode node;
        private final Set<String> seen = new HashSet<>();

        Obj(JsonNode node, String path) throws ModelFormatException {
            this.node = node;
            this.path = path;
            if (node == null || !node.isObject()) {
                throw ModelFormatException.inEntry(MODEL_ENTRY, (path.isEmpty() ? "the document" : path)
                        + " must be a JSON object");
            }
        }

        Iterator<String> fieldNames() {
            return node.fieldNames();
        }

        ModelFormatException fail(String field, String problem) {
            return ModelFormatException.inEntry(MODEL_ENTRY, at(field) + ": " + problem);
        }

        private String at(String field) {
            return path.isEmpty() ? field : path + "." + field;
        }

        JsonNode get(String field) throws ModelFormatException {
            JsonNode v = node.get(field);
            if (v == null) {
                throw fail(field, "is missing");
            }
            seen.add(field);
            return v;
        }

        /** Whether an optional field is present. */
        boolean has(String field) {
            return node.has(field);
        }

        boolean isNull(String field) throws ModelFormatException {
            return get(field).isNull();
        }

        String string(String field) throws ModelFormatException {
            JsonNode v = get(field);
            if (!v.isTextual()) {
                throw fail(field, "must be a string");
            }
            return v.asText();
        }

        int integer(String field) throws ModelFormatException {
            return toInt(get(field), field);
        }

        private int toInt(JsonNode v, String field) throws ModelFormatException {
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw fail(field, "must be an integer in the int32 range, got " + abbreviate(v));
            }
            return v.intValue();
        }

        private double toDouble(JsonNode v, String field) throws ModelFormatException {
            if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
                throw fail(field, "must be a finite number, got " + abbreviate(v));
            }
            return v.doubleValue();
        }

        Obj object(String field) throws ModelFormatException {
            JsonNode v = get(field);
            if (!v.isObject()) {
                throw fail(field, "must be an object");
            }
            return new Obj(v, at(field));
        }

        JsonNode array(String field) throws ModelFormatException {
            JsonNode v = get(field);
            if (!v.isArray()) {
                throw fail(field, "must be an array");
            }
            return v;
        }

        List<Integer> ints(String field) throws ModelFormatException {
            List<Integer> out = new ArrayList<>();
            for (JsonNode v : array(field)) {
                out.add(toInt(v, field));
            }
            return out;
        }

        List<Double> doubles(String field) throws ModelFormatException {
            List<Double> out = new ArrayList<>();
            for (JsonNode v : array(field)) {
                out.add(toDouble(v, field));
            }
            return out;
        }

        List<String> strings(String field) throws ModelFormatException {
            List<String> out = new ArrayList<>();
            for (JsonNode v : array(field)) {
                if (!v.isTextual()) {
                    throw fail(field, "must hold strings only");
                }
                out.add(v.asText());
            }
            return out;
        }

        List<Integer> ints(String field, int count) throws ModelFormatException {
            List<Integer> v = ints(field);
            if (v.size() != count) {
                throw fail(field, "must hold " + count + " integers, got " + v.size());
            }
            return v;
        }

        Shape shape(String field) throws ModelFormatException {
            List<Integer> dims = ints(field);
            try {
                return new Shape(dims);
            } catch (IllegalArgumentException e) {
                throw fail(field, e.getMessage());
            }
        }

        IntType intType(String field) throws ModelFormatException {
            String text = string(field);
            try {
                IntType t = IntType.parse(text);
                if (!t.toString().equals(text)) {
                    throw fail(field, "'" + text + "' is not written canonically ('" + t + "')");
                }
                return t;
            } catch (IllegalArgumentException e) {
                throw fail(field, e.getMessage());
            }
        }

        Rounding rounding(String field) throws ModelFormatException {
            String text = string(field);
            for (Rounding r : Rounding.values()) {
                if (r.name().equals(text)) {
                    return r;
                }
            }
            throw fail(field, "'" + text + "' is not a rounding mode (" + List.of(Rounding.values()) + ")");
        }

        Window window(String field) throws ModelFormatException {
            Obj w = object(field);
            List<Integer> k = w.ints("kernel", 2);
            List<Integer> s = w.ints("stride", 2);
            List<Integer> pad = w.ints("padding", 4);
            w.done();
            try {
                return new Window(k.get(0), k.get(1), s.get(0), s.get(1), pad.get(0), pad.get(1), pad.get(2),
                        pad.get(3));
            } catch (IllegalArgumentException e) {
                throw fail(field, e.getMessage());
            }
        }

        /** {@code [lo, hi]} within the node's output type and zero-point. */
        OutputClamp clamp(String field, TensorInfo out) throws ModelFormatException {
            List<Integer> c = ints(field, 2);
            try {
                return new OutputClamp(out.type(), out.zeroPoint(0), c.get(0), c.get(1));
            } catch (IllegalArgumentException e) {
                throw fail(field, e.getMessage());
            }
        }

        /** Rejects fields that were never read. */
        void done() throws ModelFormatException {
            for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
                String f = it.next();
                if (!seen.contains(f)) {
                    throw fail(f, "is not a field of the format (unknown field)");
                }
            }
        }

        private static String abbreviate(JsonNode v) {
            String s = v.toString();
            return s.length() > 40 ? s.substring(0, 40) + "…" : s;
        }
    }
}
