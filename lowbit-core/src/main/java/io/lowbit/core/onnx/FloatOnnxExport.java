package io.lowbit.core.onnx;

import io.lowbit.core.arith.OutputClamp;
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
import io.lowbit.core.model.TensorInfo;
import io.lowbit.core.model.WeightedOp;
import io.lowbit.core.model.Window;
import io.lowbit.core.onnx.OnnxGraph.ElementType;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The integer model <em>dequantized</em> into a float32 ONNX graph of the same architecture: weights
 * {@code S_w[o]·code}, biases {@code S_in·S_w[o]·bias}, ReLU where the integer output clamps at the zero-point, no
 * activation quantization and no saturation. It is the float network a quantized model stands in for — the baseline of
 * speed comparisons and a sanity check of the scales — not an exact form (that is {@link IntegerOnnxExport}).
 *
 * <p>Graph input {@code image}: float {@code (N, C, H, W)} holding the real input values
 * {@code S_in·(x − Z_c)}; output {@code output}: float real outputs {@code (N, …)}.
 */
public final class FloatOnnxExport {

    public static final String INPUT = "image";
    public static final String OUTPUT = "output";

    private final IntegerModel model;
    private final OnnxGraph g = new OnnxGraph();
    private final Map<String, String> values = new HashMap<>();

    private FloatOnnxExport(IntegerModel model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    /** The ONNX {@code ModelProto} bytes of the dequantized {@code model}. */
    public static byte[] export(IntegerModel model, String producerVersion) {
        FloatOnnxExport e = new FloatOnnxExport(model);
        e.build();
        return e.g.toModel(model.metadata().name() + "-float", producerVersion, "lowbit integer model "
                + model.metadata().name() + " dequantized to float32, fingerprint " + model.fingerprint()
                + "; docs/onnx.md");
    }

    private void build() {
        g.reserve(OUTPUT);
        String last = null;
        for (Node node : model.nodes()) {
            String v;
            if (node.op() instanceof Input op) {
                g.input(INPUT, ElementType.FLOAT, IntegerOnnxExport.batchDims(op.shape()));
                v = INPUT;
            } else if (node.op() instanceof Conv2d op) {
                Window w = op.window();
                v = g.op("Conv", in(node, 0), weights(node, op), bias(node, op)).attr("group", (long) op.groups())
                        .attr("kernel_shape", IntegerOnnxExport.kernel(w))
                        .attr("strides", IntegerOnnxExport.strides(w)).attr("pads", IntegerOnnxExport.pads(w))
                        .out(node.id() + "_conv");
                v = relu(node, op.outputStage(), v);
            } else if (node.op() instanceof Linear op) {
                TensorInfo in = model.node(node.input()).output();
                String x = in.shape().rank() == 1 ? in(node, 0)
                        : g.op("Flatten", in(node, 0)).attr("axis", 1L).out(node.id() + "_flat");
                v = g.op("Gemm", x, weights(node, op), bias(node, op)).attr("transB", 1L).out(node.id() + "_gemm");
                v = relu(node, op.outputStage(), v);
            } else if (node.op() instanceof MaxPool op) {
                Window w = op.window();
                v = g.op("MaxPool", in(node, 0)).attr("kernel_shape", IntegerOnnxExport.kernel(w))
                        .attr("strides", IntegerOnnxExport.strides(w)).attr("pads", IntegerOnnxExport.pads(w))
                        .out(node.id());
            } else if (node.op() instanceof AvgPool op) {
                TensorInfo in = model.node(node.input()).output();
                Window w = op.window();
                v = w.isGlobalFor(in.shape().height(), in.shape().width())
                        ? g.op("GlobalAveragePool", in(node, 0)).out(node.id())
                        : g.op("AveragePool", in(node, 0)).attr("kernel_shape", IntegerOnnxExport.kernel(w))
                                .attr("strides", IntegerOnnxExport.strides(w)).attr("pads", IntegerOnnxExport.pads(w))
                                .attr("count_include_pad", 1L).out(node.id());
                v = relu(op.pool().output(), v, node.id());
            } else if (node.op() instanceof Add op) {
                v = relu(op.add().output(), g.op("Add", in(node, 0), in(node, 1)).out(node.id() + "_sum"), node.id());
            } else if (node.op() instanceof ChannelPadSubsample op) {
                TensorInfo in = model.node(node.input()).output();
                String x = in(node, 0);
                if (op.stride() > 1) {
                    x = g.op("Slice", x, g.int64("zeros2", new long[] {2}, 0, 0),
                            g.int64("ends_max", new long[] {2}, Long.MAX_VALUE, Long.MAX_VALUE),
                            g.int64("axes_hw", new long[] {2}, 2, 3),
                            g.int64("steps", new long[] {2}, op.stride(), op.stride())).out(node.id() + "_sub");
                }
                int inC = in.shape().channels();
                long front = op.padFront(inC);
                v = g.op("Pad", x, g.int64("pads", new long[] {8}, 0, front, 0, 0, 0, op.outChannels() - inC - front,
                        0, 0)).out(node.id());
            } else {
                throw new OnnxExportException("node '" + node.id() + "': op " + node.op().kind() + " has no ONNX form");
            }
            values.put(node.id(), v);
            last = v;
        }
        String result = g.op("Identity", values.get(model.outputId())).outAs(OUTPUT);
        g.output(result, ElementType.FLOAT, IntegerOnnxExport.batchDims(model.outputNode().output().shape()));
        Objects.requireNonNull(last);
    }

    /** {@code S_in·S_w[o]}: the real value of one accumulator step of output channel {@code o}. */
    private static double accumulatorScale(Node node, WeightedOp op, int o) {
        TensorInfo out = node.output();
        OutputStage stage = op.outputStage();
        if (stage instanceof OutputStage.Requantize r) {
            return r.requantizer().multiplier(o).toScale() * out.scale(0);
        } else if (stage instanceof OutputStage.Shift s) {
            return Math.scalb(1.0, -s.shift().rightShift()) * out.scale(0);
        }
        return out.scale(o);
    }

    private String weights(Node node, WeightedOp op) {
        TensorInfo in = model.node(node.input()).output();
        int outC = op.outChannels();
        int n = op.weights().shape().elementCount();
        int perChannel = n / outC;
        float[] w = new float[n];
        for (int o = 0; o < outC; o++) {
            double s = accumulatorScale(node, op, o) / in.scale(0);
            for (int i = 0; i < perChannel; i++) {
                w[o * perChannel + i] = (float) (s * op.weights().code(o * perChannel + i));
            }
        }
        long[] dims = new long[op.weights().shape().rank()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = op.weights().shape().dim(i);
        }
        return g.float32(node.id() + "_w", dims, w);
    }

    private String bias(Node node, WeightedOp op) {
        int outC = op.outChannels();
        float[] b = new float[outC];
        for (int o = 0; o < outC; o++) {
            b[o] = (float) (accumulatorScale(node, op, o) * op.bias().get(o));
        }
        return g.float32(node.id() + "_b", new long[] {outC}, b);
    }

    private String relu(Node node, OutputStage stage, String x) {
        if (stage instanceof OutputStage.Requantize r) {
            return relu(r.requantizer().output(), x, node.id());
        } else if (stage instanceof OutputStage.Shift s) {
            return relu(s.shift().output(), x, node.id());
        }
        return x;
    }

    private String relu(OutputClamp clamp, String x, String id) {
        return clamp.lo() >= clamp.zeroPoint() ? g.op("Relu", x).out(id) : x;
    }

    private String in(Node node, int i) {
        return values.get(node.inputs().get(i));
    }
}
