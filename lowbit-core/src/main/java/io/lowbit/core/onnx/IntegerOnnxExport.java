package io.lowbit.core.onnx;

import io.lowbit.core.arith.IntType;
import io.lowbit.core.arith.OutputClamp;
import io.lowbit.core.arith.Rounding;
import io.lowbit.core.model.Add;
import io.lowbit.core.model.AvgPool;
import io.lowbit.core.model.ChannelPadSubsample;
import io.lowbit.core.model.Conv2d;
import io.lowbit.core.model.Input;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.Linear;
import io.lowbit.core.model.MaxPool;
import io.lowbit.core.model.Node;
import io.lowbit.core.model.OutputStage;
import io.lowbit.core.model.Shape;
import io.lowbit.core.model.TensorInfo;
import io.lowbit.core.model.WeightCodes;
import io.lowbit.core.model.Window;
import io.lowbit.core.onnx.OnnxGraph.Dim;
import io.lowbit.core.onnx.OnnxGraph.ElementType;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The integer model as an ONNX graph of integer operators that computes <em>exactly</em> what
 * {@code docs/integer-semantics.md} specifies: {@code ConvInteger}/{@code MatMulInteger} for the accumulators, and
 * the requantization {@code clamp(Z + round_r(acc·M0 / 2^s))} spelled out in int64 {@code Mul}, {@code Mod} and
 * {@code Div}. Any ONNX runtime that implements those operators to the ONNX spec must give the lowbit engines'
 * outputs bit for bit; the mapping and its reasoning are in {@code docs/onnx.md}.
 *
 * <p>Activations travel as uint8 tensors holding {@code code + off}, {@code off = 128} for signed types (ONNX Runtime
 * implements the integer operators for uint8 only). Graph input {@code image}: the model's input bytes, shape
 * {@code (N, C, H, W)} (uint8 pixels, or int8 for signed host codes); output {@code output}: int32 codes or
 * accumulators, shape {@code (N, …)}.
 */
public final class IntegerOnnxExport {

    /** Name of the graph input. */
    public static final String INPUT = "image";
    /** Name of the graph output. */
    public static final String OUTPUT = "output";

    private static final int OFFSET = 128;
    private static final long[] SCALAR = new long[0];

    /** Which ONNX operators carry the convolutions. */
    public enum Form {
        /** {@code ConvInteger} plus integer requantization: bit-exact (§1 of docs/onnx.md). */
        EXACT,
        /**
         * {@code QLinearConv} (ONNX's QOperator form, ONNX Runtime's fast int8 path) wherever a conv has one input
         * zero-point and a requantized output; its requantization rounds with float scales, half to even, so the
         * result is close to, not equal to, the integer model (§4 of docs/onnx.md). Everything else as in EXACT.
         */
        QLINEAR
    }

    private final IntegerModel model;
    private final Form form;
    private final OnnxGraph g = new OnnxGraph();
    private final Map<String, Value> values = new HashMap<>();

    /**
     * An activation tensor of the graph: 2..8-bit codes travel as uint8 {@code code + off} ("packed", what the ONNX
     * integer operators take), 16-bit codes and int32 accumulators as plain int32 codes.
     */
    private record Value(String name, IntType type) {
        boolean packed() {
            return type.bits() <= 8;
        }

        /** What the graph holds for code 0: {@code off} for packed signed types, else 0. */
        int off() {
            return packed() && type.signed() ? OFFSET : 0;
        }
    }

    private IntegerOnnxExport(IntegerModel model, Form form) {
        this.model = Objects.requireNonNull(model, "model");
        this.form = Objects.requireNonNull(form, "form");
    }

    /**
     * The ONNX {@code ModelProto} bytes of {@code model}.
     *
     * @throws OnnxExportException if a node has no ONNX form here (16-bit activations or weights, which the ONNX
     *                             integer operators do not take); the message names it
     */
    public static byte[] export(IntegerModel model, String producerVersion) {
        return export(model, Form.EXACT, producerVersion);
    }

    /** The ONNX {@code ModelProto} bytes of {@code model} in {@code form}. */
    public static byte[] export(IntegerModel model, Form form, String producerVersion) {
        IntegerOnnxExport e = new IntegerOnnxExport(model, form);
        e.build();
        return e.g.toModel(model.metadata().name(), producerVersion, "lowbit integer model " + model.metadata().name()
                + ", fingerprint " + model.fingerprint() + "; " + (form == Form.EXACT ? "exact integer form"
                        : "QOperator form (QLinearConv), not bit-exact") + ", docs/onnx.md");
    }

    /** Whether every node of {@code model} has an ONNX form ({@link #export} would not throw). */
    public static String unsupportedReason(IntegerModel model) {
        try {
            new IntegerOnnxExport(model, Form.EXACT).build();
            return null;
        } catch (OnnxExportException e) {
            return e.getMessage();
        }
    }

    private void build() {
        g.reserve(OUTPUT);
        for (Node node : model.nodes()) {
            Value v;
            if (node.op() instanceof Input op) {
                v = input(op, node);
            } else if (node.op() instanceof Conv2d op) {
                v = conv(node, op);
            } else if (node.op() instanceof Linear op) {
                v = linear(node, op);
            } else if (node.op() instanceof MaxPool op) {
                v = maxPool(node, op);
            } else if (node.op() instanceof AvgPool op) {
                v = avgPool(node, op);
            } else if (node.op() instanceof Add op) {
                v = add(node, op);
            } else if (node.op() instanceof ChannelPadSubsample op) {
                v = channelPad(node, op);
            } else {
                throw new OnnxExportException("node '" + node.id() + "': op " + node.op().kind() + " has no ONNX form");
            }
            values.put(node.id(), v);
        }
        Node out = model.outputNode();
        Value v = values.get(out.id());
        String result;
        if (!v.packed()) {
            result = g.op("Identity", v.name()).outAs(OUTPUT);
        } else {
            String codes = g.op("Cast", v.name()).attr("to", ElementType.INT32.code()).out("codes");
            result = g.op("Sub", codes, g.scalar("off", ElementType.INT32, v.off())).outAs(OUTPUT);
        }
        g.output(result, ElementType.INT32, batchDims(out.output().shape()));
    }

    // §3: the graph input carries the model's input bytes; host codes are looked up in the table.
    private Value input(Input op, Node node) {
        Shape s = op.shape();
        boolean signedBytes = op.hostTable() == null && op.type().signed();
        g.input(INPUT, signedBytes ? ElementType.INT8 : ElementType.UINT8, batchDims(s));
        if (op.hostTable() != null) {
            int c = s.channels();
            int[] table = new int[c * Input.PIXEL_VALUES];
            long[] base = new long[c];
            int off = offset(op.type());
            for (int i = 0; i < table.length; i++) {
                table[i] = op.hostTable().get(i) + off;
            }
            for (int ch = 0; ch < c; ch++) {
                base[ch] = (long) ch * Input.PIXEL_VALUES;
            }
            String idx = g.op("Add", g.op("Cast", INPUT).attr("to", ElementType.INT64.code()).out("pixels64"),
                    g.int64("table_base", new long[] {1, c, 1, 1}, base)).out("table_index");
            return new Value(g.op("Gather", g.uint8("host_table", new long[] {table.length}, table), idx)
                    .attr("axis", 0L).out(node.id()), op.type());
        }
        if (signedBytes) {
            String wide = g.op("Cast", INPUT).attr("to", ElementType.INT32.code()).out("input32");
            String shifted = g.op("Add", wide, g.scalar("off", ElementType.INT32, OFFSET)).out("input_off");
            return new Value(g.op("Cast", shifted).attr("to", ElementType.UINT8.code()).out(node.id()), op.type());
        }
        return new Value(INPUT, op.type());
    }

    // §4: ConvInteger gives Σ_inside w·(x + off); the rest of Σ w·(x − Z) plus the bias is a constant per output.
    private Value conv(Node node, Conv2d op) {
        TensorInfo in = model.node(node.input()).output();
        TensorInfo out = node.output();
        String x = packed(node, 0, "a conv2d over 16-bit input codes (ConvInteger takes 8-bit inputs only)");
        requireWeights(op.weights(), node);
        Window w = op.window();
        Shape ws = op.weights().shape();
        int outC = ws.dim(0);
        int inPerGroup = ws.dim(1);
        int outPerGroup = outC / op.groups();
        int kH = w.kernelH();
        int kW = w.kernelW();
        int inH = in.shape().height();
        int inW = in.shape().width();
        int outH = out.shape().height();
        int outW = out.shape().width();
        requireExactAccumulator(node, (long) inPerGroup * kH * kW);
        int off = values.get(node.input()).off();
        if (form == Form.QLINEAR && !in.hasPerChannelZeroPoints() && !(op.outputStage()
                instanceof OutputStage.Accumulator) && op.outputStage().outputType().type().bits() <= 8) {
            return qlinearConv(node, op, x, in, off);
        }
        int[] wu = new int[ws.elementCount()];
        for (int i = 0; i < wu.length; i++) {
            wu[i] = op.weights().code(i) + OFFSET;
        }
        String weights = g.uint8(node.id() + "_w", new long[] {outC, inPerGroup, kH, kW}, wu);
        String acc = g.op("ConvInteger", x, weights, "", g.scalar(node.id() + "_wz", ElementType.UINT8,
                OFFSET)).attr("group", (long) op.groups()).attr("kernel_shape", kernel(w)).attr("strides", strides(w))
                .attr("pads", pads(w)).attr("dilations", new long[] {1, 1}).out(node.id() + "_sum");
        boolean padded = w.padTop() + w.padLeft() + w.padBottom() + w.padRight() > 0;
        int positions = padded ? outH * outW : 1;
        long[] constant = new long[outC * positions];
        for (int o = 0; o < outC; o++) {
            int g0 = o / outPerGroup * inPerGroup;
            for (int p = 0; p < positions; p++) {
                int oy = p / outW;
                int ox = p % outW;
                long sum = op.bias().get(o);
                for (int ci = 0; ci < inPerGroup; ci++) {
                    long zu = in.zeroPoint(g0 + ci) + off;
                    for (int i = 0; i < kH; i++) {
                        int iy = oy * w.strideH() + i - w.padTop();
                        for (int j = 0; j < kW; j++) {
                            int ix = ox * w.strideW() + j - w.padLeft();
                            if (!padded || (iy >= 0 && iy < inH && ix >= 0 && ix < inW)) {
                                sum -= zu * op.weights().code(((o * inPerGroup + ci) * kH + i) * kW + j);
                            }
                        }
                    }
                }
                constant[o * positions + p] = sum;
            }
        }
        long[] dims = padded ? new long[] {1, outC, outH, outW} : new long[] {1, outC, 1, 1};
        String accumulator = g.op("Add", wide(acc, node.id() + "_sum64"), g.int64(node.id() + "_b", dims, constant))
                .out(node.id() + "_acc");
        return outputStage(node, op.outputStage(), accumulator, new long[] {1, outC, 1, 1}, outC);
    }

    /**
     * QLinearConv: int8 weights with per-channel scales {@code S_w[o] = M[o]·S_out/S_in}, the int32 bias, uint8 input
     * and output with zero-points {@code Z + off}; ONNX Runtime requantizes with the float {@code S_in·S_w[o]/S_out}
     * and rounds half to even. FLOOR layers (CLIP-Q) get {@code 2^(s−1)} subtracted from the bias, so that rounding
     * to nearest floors except at exact multiples of {@code 2^s}. Then a Clip to the layer's clamp range.
     */
    private Value qlinearConv(Node node, Conv2d op, String x, TensorInfo in, int off) {
        String id = node.id();
        Window w = op.window();
        Shape ws = op.weights().shape();
        int outC = ws.dim(0);
        TensorInfo out = node.output();
        double sIn = in.scale(0);
        double sOut = out.scale(0);
        float[] wScale = new float[outC];
        int[] bias = new int[outC];
        OutputClamp clamp;
        if (op.outputStage() instanceof OutputStage.Requantize r) {
            var q = r.requantizer();
            clamp = q.output();
            for (int o = 0; o < outC; o++) {
                wScale[o] = (float) (q.multiplier(o).toScale() * sOut / sIn);
                bias[o] = floorBias(op.bias().get(o), q.rounding(), q.multiplier(o).totalRightShift(), q.multiplier(o)
                        .multiplierQ31());
            }
        } else {
            var q = ((OutputStage.Shift) op.outputStage()).shift();
            clamp = q.output();
            for (int o = 0; o < outC; o++) {
                wScale[o] = (float) (Math.scalb(1.0, -q.rightShift()) * sOut / sIn);
                bias[o] = floorBias(op.bias().get(o), q.rounding(), q.rightShift(), 1);
            }
        }
        int[] codes = new int[ws.elementCount()];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = op.weights().code(i);
        }
        Value result = new Value(id, clamp.type());
        int outOff = result.off();
        String y = g.op("QLinearConv", x, g.float32(id + "_xs", SCALAR, (float) sIn),
                g.scalar(id + "_xz", ElementType.UINT8, in.zeroPoint(0) + off),
                g.int8(id + "_w", new long[] {outC, ws.dim(1), w.kernelH(), w.kernelW()}, codes),
                g.float32(id + "_ws", new long[] {outC}, wScale), g.int8(id + "_wz", new long[] {outC},
                        new int[outC]), g.float32(id + "_ys", SCALAR, (float) sOut),
                g.scalar(id + "_yz", ElementType.UINT8, clamp.zeroPoint() + outOff),
                g.int32(id + "_b", new long[] {outC}, bias)).attr("group", (long) op.groups())
                .attr("kernel_shape", kernel(w)).attr("strides", strides(w)).attr("pads", pads(w))
                .attr("dilations", new long[] {1, 1}).out(id + "_q");
        return new Value(g.op("Clip", y, g.scalar(id + "_lo", ElementType.UINT8, clamp.lo() + outOff),
                g.scalar(id + "_hi", ElementType.UINT8, clamp.hi() + outOff)).out(id), clamp.type());
    }

    /** The bias that turns round-half-even into (almost) FLOOR: {@code bias − 2^(s−1)/M0} on the accumulator grid. */
    private static int floorBias(int bias, Rounding rounding, int shift, long m0) {
        if (rounding != Rounding.FLOOR || shift == 0) {
            return bias;
        }
        long half = Math.round(Math.scalb(1.0, shift - 1) / m0);
        return (int) Math.max(Integer.MIN_VALUE, bias - half);
    }

    // §4 for linear layers: MatMulInteger subtracts both zero-points itself (no padding to worry about).
    // (16-bit inputs: an int64 MatMul of the centred codes, exact as well)
    private Value linear(Node node, Linear op) {
        TensorInfo in = model.node(node.input()).output();
        Value x = values.get(node.input());
        requireWeights(op.weights(), node);
        int outF = op.outChannels();
        int inF = op.weights().shape().dim(1);
        String flat = in.shape().rank() == 1 ? x.name() : g.op("Flatten", x.name()).attr("axis", 1L)
                .out(node.id() + "_flat");
        String acc;
        if (x.packed()) {
            requireExactAccumulator(node, inF);
            int[] b = new int[inF * outF];
            for (int o = 0; o < outF; o++) {
                for (int i = 0; i < inF; i++) {
                    b[i * outF + o] = op.weights().code(o * inF + i) + OFFSET;
                }
            }
            acc = wide(g.op("MatMulInteger", flat, g.uint8(node.id() + "_w", new long[] {inF, outF}, b),
                    g.scalar(node.id() + "_xz", ElementType.UINT8, in.zeroPoint(0) + x.off()),
                    g.scalar(node.id() + "_wz", ElementType.UINT8, OFFSET)).out(node.id() + "_sum"), node.id() + "_sum64");
        } else {
            long[] b = new long[inF * outF];
            for (int o = 0; o < outF; o++) {
                for (int i = 0; i < inF; i++) {
                    b[i * outF + o] = op.weights().code(o * inF + i);
                }
            }
            String centred = g.op("Sub", wide(flat, node.id() + "_x64"), g.scalar(node.id() + "_xz",
                    ElementType.INT64, in.zeroPoint(0))).out(node.id() + "_centred");
            acc = g.op("MatMul", centred, g.int64(node.id() + "_w", new long[] {inF, outF}, b))
                    .out(node.id() + "_sum64");
        }
        long[] bias = new long[outF];
        for (int o = 0; o < outF; o++) {
            bias[o] = op.bias().get(o);
        }
        String accumulator = g.op("Add", acc, g.int64(node.id() + "_b", new long[] {1, outF}, bias))
                .out(node.id() + "_acc");
        return outputStage(node, op.outputStage(), accumulator, new long[] {1, outF}, outF);
    }

    // §11: padding never wins a max; 16-bit codes go through float32, which holds them exactly.
    private Value maxPool(Node node, MaxPool op) {
        Window w = op.window();
        Value x = values.get(node.input());
        if (x.packed()) {
            return new Value(g.op("MaxPool", x.name()).attr("kernel_shape", kernel(w)).attr("strides", strides(w))
                    .attr("pads", pads(w)).out(node.id()), x.type());
        }
        String f = g.op("Cast", x.name()).attr("to", ElementType.FLOAT.code()).out(node.id() + "_f");
        String m = g.op("MaxPool", f).attr("kernel_shape", kernel(w)).attr("strides", strides(w))
                .attr("pads", pads(w)).out(node.id() + "_fmax");
        return new Value(g.op("Cast", m).attr("to", ElementType.INT32.code()).out(node.id()), x.type());
    }

    // §12: window sums of x + off over the positions inside the map, minus (Z + off) per inside position.
    private Value avgPool(Node node, AvgPool op) {
        TensorInfo in = model.node(node.input()).output();
        TensorInfo out = node.output();
        Value x = values.get(node.input());
        Window w = op.window();
        int c = in.shape().channels();
        long zu = in.zeroPoint(0) + x.off();
        String sum;
        long[] constant;
        long[] dims;
        if (w.isGlobalFor(in.shape().height(), in.shape().width())) {
            sum = g.op("ReduceSum", wide(x.name(), node.id() + "_x64"), g.int64("axes_hw", new long[] {2}, 2, 3))
                    .attr("keepdims", 1L).out(node.id() + "_sum64");
            constant = new long[] {-zu * w.kernelArea()};
            dims = SCALAR;
        } else {
            if (x.packed()) {
                int[] ones = new int[c * w.kernelArea()];
                java.util.Arrays.fill(ones, 1);
                String s32 = g.op("ConvInteger", x.name(), g.uint8(node.id() + "_ones", new long[] {c, 1,
                        w.kernelH(), w.kernelW()}, ones)).attr("group", (long) c).attr("kernel_shape", kernel(w))
                        .attr("strides", strides(w)).attr("pads", pads(w)).attr("dilations", new long[] {1, 1})
                        .out(node.id() + "_sum");
                sum = wide(s32, node.id() + "_sum64");
            } else {
                // float32 sums of at most 256 codes below 2^16 stay below 2^24: exact, in any order
                if (w.kernelArea() > 256) {
                    throw new OnnxExportException("node '" + node.id() + "': a " + w.kernelH() + "×" + w.kernelW()
                            + " average pool over 16-bit codes has no exact ONNX form here (at most 256 positions)");
                }
                float[] ones = new float[c * w.kernelArea()];
                java.util.Arrays.fill(ones, 1f);
                String f = g.op("Cast", x.name()).attr("to", ElementType.FLOAT.code()).out(node.id() + "_f");
                String fs = g.op("Conv", f, g.float32(node.id() + "_ones", new long[] {c, 1, w.kernelH(),
                        w.kernelW()}, ones)).attr("group", (long) c).attr("kernel_shape", kernel(w))
                        .attr("strides", strides(w)).attr("pads", pads(w)).out(node.id() + "_fsum");
                sum = wide(fs, node.id() + "_sum64");
            }
            int outH = out.shape().height();
            int outW = out.shape().width();
            constant = new long[outH * outW];
            for (int oy = 0; oy < outH; oy++) {
                for (int ox = 0; ox < outW; ox++) {
                    int inside = 0;
                    for (int i = 0; i < w.kernelH(); i++) {
                        for (int j = 0; j < w.kernelW(); j++) {
                            int iy = oy * w.strideH() + i - w.padTop();
                            int ix = ox * w.strideW() + j - w.padLeft();
                            if (iy >= 0 && iy < in.shape().height() && ix >= 0 && ix < in.shape().width()) {
                                inside++;
                            }
                        }
                    }
                    constant[oy * outW + ox] = -zu * inside;
                }
            }
            dims = new long[] {1, 1, outH, outW};
        }
        String centred = g.op("Add", sum, g.int64(node.id() + "_z", dims, constant)).out(node.id() + "_centred");
        var pool = op.pool();
        return requantize(node, centred, new long[] {pool.multiplier().multiplierQ31()},
                new int[] {pool.multiplier().totalRightShift()}, SCALAR, pool.rounding(), pool.output(), c);
    }

    // §13: A·(a − Z_a) + B·(b − Z_b), then one rounding shift.
    private Value add(Node node, Add op) {
        var a = op.add();
        Value va = values.get(node.inputs().get(0));
        Value vb = values.get(node.inputs().get(1));
        String ta = centredScaled(node, va.name(), a.a().zeroPoint() + va.off(), a.multiplierA(), "a");
        String tb = centredScaled(node, vb.name(), a.b().zeroPoint() + vb.off(), a.multiplierB(), "b");
        String sum = g.op("Add", ta, tb).out(node.id() + "_sum");
        return requantize(node, sum, null, new int[] {a.rightShift()}, SCALAR, a.rounding(), a.output(), 1);
    }

    // §14: x[:, :, ::s, ::s], then P channels of Z in front and the rest behind.
    private Value channelPad(Node node, ChannelPadSubsample op) {
        TensorInfo in = model.node(node.input()).output();
        Value v = values.get(node.input());
        String x = v.name();
        if (op.stride() > 1) {
            x = g.op("Slice", x, g.int64("zeros2", new long[] {2}, 0, 0),
                    g.int64("ends_max", new long[] {2}, Long.MAX_VALUE, Long.MAX_VALUE),
                    g.int64("axes_hw", new long[] {2}, 2, 3),
                    g.int64(node.id() + "_steps", new long[] {2}, op.stride(), op.stride())).out(node.id() + "_sub");
        }
        int inC = in.shape().channels();
        long front = op.padFront(inC);
        long back = op.outChannels() - inC - front;
        String z = g.scalar(node.id() + "_z", v.packed() ? ElementType.UINT8 : ElementType.INT32,
                in.zeroPoint(0) + v.off());
        return new Value(g.op("Pad", x, g.int64(node.id() + "_pads", new long[] {8}, 0, front, 0, 0, 0, back, 0, 0),
                z).out(node.id()), v.type());
    }

    private Value outputStage(Node node, OutputStage stage, String acc, long[] dims, int channels) {
        if (stage instanceof OutputStage.Requantize r) {
            var q = r.requantizer();
            long[] m = new long[channels];
            int[] s = new int[channels];
            for (int o = 0; o < channels; o++) {
                m[o] = q.multiplier(o).multiplierQ31();
                s[o] = q.multiplier(o).totalRightShift();
            }
            return requantize(node, acc, m, s, dims, q.rounding(), q.output(), channels);
        } else if (stage instanceof OutputStage.Shift sh) {
            var q = sh.shift();
            return requantize(node, acc, null, new int[] {q.rightShift()}, SCALAR, q.rounding(), q.output(), channels);
        }
        return new Value(g.op("Cast", acc).attr("to", ElementType.INT32.code()).out(node.id()), IntType.INT32);
    }

    /**
     * §6–§10 in int64: {@code v = x·M0} (when given), {@code q = round_r(v / 2^s)} with floor division
     * {@code ⌊a/d⌋ = (a − (a mod d)) / d} (ONNX {@code Mod} with {@code fmod = 0} takes the divisor's sign), then
     * {@code clamp(q + Z, lo, hi) + off} as uint8. {@code |x·M0| < 2^62}, so nothing overflows.
     */
    private Value requantize(Node node, String x, long[] m, int[] shifts, long[] dims, Rounding rounding,
            OutputClamp clamp, int channels) {
        String id = node.id();
        int n = shifts.length;
        long[] d = new long[n];
        long[] half = new long[n];
        long[] halfMinusOne = new long[n];
        long[] shifted = new long[n];
        for (int i = 0; i < n; i++) {
            d[i] = 1L << shifts[i];
            half[i] = shifts[i] == 0 ? 0 : 1L << (shifts[i] - 1);
            halfMinusOne[i] = shifts[i] == 0 ? 0 : half[i] - 1;
            shifted[i] = shifts[i] == 0 ? 0 : 1;
        }
        long[] vdims = n == 1 ? SCALAR : dims;
        String v = m == null ? x : g.op("Mul", x, g.int64(id + "_m0", m.length == 1 ? SCALAR : dims, m))
                .out(id + "_scaled");
        String divisor = g.int64(id + "_d", vdims, d);
        String q = switch (rounding) {
            case FLOOR -> floorDiv(v, divisor, id);
            case TRUNCATE_TOWARD_ZERO -> g.op("Div", v, divisor).out(id + "_q");
            case ROUND_HALF_UP -> floorDiv(g.op("Add", v, g.int64(id + "_half", vdims, half)).out(id + "_biased"),
                    divisor, id);
            case ROUND_HALF_EVEN -> {
                // ⌊(v + h − 1 + (⌊v/d⌋ mod 2)) / d⌋ for s ≥ 1 (ties to the even neighbour); v itself for s = 0
                String parity = g.op("Mod", floorDiv(v, divisor, id + "_f"), g.scalar("two", ElementType.INT64, 2))
                        .attr("fmod", 0L).out(id + "_parity");
                String tie = g.op("Mul", parity, g.int64(id + "_sel", vdims, shifted)).out(id + "_tiebreak");
                String biased = g.op("Add", g.op("Add", v, g.int64(id + "_hm1", vdims, halfMinusOne))
                        .out(id + "_b1"), tie).out(id + "_biased");
                yield floorDiv(biased, divisor, id);
            }
        };
        Value result = new Value(id, clamp.type());
        int off = result.off();
        String y = g.op("Add", q, g.scalar(id + "_zo", ElementType.INT64, (long) clamp.zeroPoint() + off))
                .out(id + "_y");
        y = g.op("Max", y, g.scalar(id + "_lo", ElementType.INT64, (long) clamp.lo() + off)).out(id + "_ylo");
        y = g.op("Min", y, g.scalar(id + "_hi", ElementType.INT64, (long) clamp.hi() + off)).out(id + "_yhi");
        return new Value(g.op("Cast", y).attr("to", (result.packed() ? ElementType.UINT8 : ElementType.INT32).code())
                .out(id), clamp.type());
    }

    private String floorDiv(String a, String d, String id) {
        String mod = g.op("Mod", a, d).attr("fmod", 0L).out(id + "_rem");
        return g.op("Div", g.op("Sub", a, mod).out(id + "_exact"), d).out(id + "_q");
    }

    private String centredScaled(Node node, String x, long zu, long multiplier, String which) {
        String id = node.id() + "_" + which;
        String centred = g.op("Sub", wide(x, id + "64"), g.scalar(id + "_z", ElementType.INT64, zu)).out(id + "_c");
        return g.op("Mul", centred, g.scalar(id + "_m", ElementType.INT64, multiplier)).out(id + "_scaled");
    }

    private String wide(String x, String name) {
        return g.op("Cast", x).attr("to", ElementType.INT64.code()).out(name);
    }

    private String packed(Node node, int i, String what) {
        Value v = values.get(node.inputs().get(i));
        if (!v.packed()) {
            throw new OnnxExportException("node '" + node.id() + "': " + what + "; its input is " + v.type()
                    + ", so this model has no exact ONNX form here");
        }
        return v.name();
    }

    // ConvInteger/MatMulInteger sum in int32 without the input zero-point; K·255·128 must stay below 2^31.
    private static void requireExactAccumulator(Node node, long k) {
        if (k * 255 * 128 > Integer.MAX_VALUE) {
            throw new OnnxExportException("node '" + node.id() + "': " + k + " products per output could overflow the"
                    + " int32 sums of ConvInteger/MatMulInteger before the zero-point is removed (limit 65,793)");
        }
    }

    private static void requireWeights(WeightCodes w, Node node) {
        if (w.codeType().bits() > 8) {
            throw new OnnxExportException("node '" + node.id() + "': " + w.codeType() + " weights; the ONNX integer"
                    + " operators (ConvInteger, MatMulInteger) take 8-bit weights only");
        }
    }

    private static int offset(IntType t) {
        return t.signed() && t.bits() <= 8 ? OFFSET : 0;
    }

    static Dim[] batchDims(Shape s) {
        Dim[] dims = new Dim[s.rank() + 1];
        dims[0] = Dim.symbolic("N");
        for (int i = 0; i < s.rank(); i++) {
            dims[i + 1] = Dim.of(s.dim(i));
        }
        return dims;
    }

    static long[] kernel(Window w) {
        return new long[] {w.kernelH(), w.kernelW()};
    }

    static long[] strides(Window w) {
        return new long[] {w.strideH(), w.strideW()};
    }

    static long[] pads(Window w) {
        return new long[] {w.padTop(), w.padLeft(), w.padBottom(), w.padRight()};
    }
}
