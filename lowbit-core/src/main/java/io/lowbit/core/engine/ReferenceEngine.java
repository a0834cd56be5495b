package io.lowbit.core.engine;

import io.lowbit.core.arith.IntType;
import io.lowbit.core.model.Add;
import io.lowbit.core.model.AvgPool;
import io.lowbit.core.model.ChannelPadSubsample;
import io.lowbit.core.model.Conv2d;
import io.lowbit.core.model.Input;
import io.lowbit.core.model.IntTensor;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.Linear;
import io.lowbit.core.model.MaxPool;
import io.lowbit.core.model.Node;
import io.lowbit.core.model.TensorInfo;
import io.lowbit.core.model.WeightCodes;
import io.lowbit.core.model.Window;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The golden integer engine: plain loops, one method per op, each a direct transcription of its section of
 * {@code docs/integer-semantics.md}. Accumulators are summed in a {@code long} and narrowed with
 * {@link Math#toIntExact}, which cannot fail because the model's construction proved every partial sum fits int32
 * (§5). Slow by design; {@link FastEngine} is checked against it with {@link EngineComparison}.
 */
public final class ReferenceEngine implements IntegerEngine {

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public int[] run(IntegerModel model, byte[] image, NodeObserver observer) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(observer, "observer");
        Map<String, int[]> values = new HashMap<>();
        for (Node node : model.nodes()) {
            int[] y = evaluate(model, node, values, image);
            values.put(node.id(), y);
            if (observer != NodeObserver.NONE) {
                observer.onOutput(node, IntTensor.of(node.output().shape(), y));
            }
        }
        return values.get(model.outputId()).clone();
    }

    private static int[] evaluate(IntegerModel model, Node node, Map<String, int[]> values, byte[] image) {
        TensorInfo out = node.output();
        if (node.op() instanceof Input op) {
            return input(op, image, model.metadata().name());
        }
        TensorInfo in = model.node(node.input()).output();
        int[] x = values.get(node.input());
        if (node.op() instanceof Conv2d op) {
            return conv2d(op, in, x, out);
        } else if (node.op() instanceof Linear op) {
            return linear(op, in, x);
        } else if (node.op() instanceof MaxPool op) {
            return maxPool(op, in, x, out);
        } else if (node.op() instanceof AvgPool op) {
            return avgPool(op, in, x, out);
        } else if (node.op() instanceof Add op) {
            return add(op, x, values.get(node.inputs().get(1)));
        } else if (node.op() instanceof ChannelPadSubsample op) {
            return channelPadSubsample(op, in, x, out);
        }
        throw new IllegalStateException("node '" + node.id() + "': no implementation of op " + node.op().kind());
    }

    /**
     * §3: one byte per code, CHW. uint8 bytes read as 0..255, signed types as two's complement; every code must lie
     * in the input type. With a host quantization table the bytes are raw uint8 pixels and the code of pixel
     * {@code p} of channel {@code c} is {@code table[c][p]}.
     */
    public static int[] input(Input op, byte[] image, String modelName) {
        int n = op.shape().elementCount();
        if (op.hostTable() != null) {
            if (image.length != n) {
                throw new IllegalArgumentException("image has " + image.length + " bytes, model '" + modelName
                        + "' expects " + n + " = " + op.shape() + " raw uint8 pixels, channel planes in order,"
                        + " quantized by the model's host table (docs/integer-semantics.md §3)");
            }
            int plane = n / op.shape().channels();
            int[] codes = new int[n];
            for (int i = 0; i < n; i++) {
                codes[i] = op.tableCode(i / plane, image[i] & 0xFF);
            }
            return codes;
        }
        if (image.length != n) {
            throw new IllegalArgumentException("image has " + image.length + " bytes, model '" + modelName
                    + "' expects " + n + " = " + op.shape() + " codes of type " + op.type()
                    + ", one byte each, channel planes in order (docs/integer-semantics.md §3)");
        }
        IntType type = op.type();
        int[] codes = new int[n];
        for (int i = 0; i < n; i++) {
            int code = type.signed() ? image[i] : image[i] & 0xFF;
            if (!type.contains(code)) {
                int plane = n / op.shape().channels();
                throw new IllegalArgumentException("image byte " + i + " (channel " + i / plane + ", row "
                        + i % plane / op.shape().width() + ", column " + i % op.shape().width() + ") is " + code
                        + ", outside the input type " + type + " [" + type.min() + ", " + type.max() + "]");
            }
            codes[i] = code;
        }
        return codes;
    }

    /**
     * §4: {@code acc[o,y,x] = bias[o] + Σ_c Σ_i Σ_j w[o, c − g·inC/G, i, j]·(in[c, y·sH + i − pT, x·sW + j − pL] −
     * Z_in[c])} with out-of-bounds positions holding {@code Z_in[c]} (§2, §3), then the output stage (§8, §9, §15).
     */
    public static int[] conv2d(Conv2d op, TensorInfo in, int[] x, TensorInfo out) {
        Window w = op.window();
        int inC = in.shape().channels();
        int inH = in.shape().height();
        int inW = in.shape().width();
        int outC = out.shape().channels();
        int outH = out.shape().height();
        int outW = out.shape().width();
        int inPerGroup = inC / op.groups();
        int outPerGroup = outC / op.groups();
        WeightCodes weights = op.weights();
        int[] y = new int[outC * outH * outW];
        for (int o = 0; o < outC; o++) {
            int g = o / outPerGroup;
            for (int oy = 0; oy < outH; oy++) {
                for (int ox = 0; ox < outW; ox++) {
                    long acc = op.bias().get(o);
                    for (int ci = 0; ci < inPerGroup; ci++) {
                        int c = g * inPerGroup + ci;
                        int z = in.zeroPoint(c);
                        for (int i = 0; i < w.kernelH(); i++) {
                            for (int j = 0; j < w.kernelW(); j++) {
                                int iy = oy * w.strideH() + i - w.padTop();
                                int ix = ox * w.strideW() + j - w.padLeft();
                                boolean inside = iy >= 0 && iy < inH && ix >= 0 && ix < inW;
                                int v = inside ? x[(c * inH + iy) * inW + ix] : z;
                                int code = weights.code(((o * inPerGroup + ci) * w.kernelH() + i) * w.kernelW() + j);
                                acc += (long) code * (v - z);
                            }
                        }
                    }
                    y[(o * outH + oy) * outW + ox] = op.outputStage().apply(Math.toIntExact(acc), o);
                }
            }
        }
        return y;
    }

    /** §4 with {@code kH = kW = 1}: {@code acc[o] = bias[o] + Σ_i w[o, i]·(x[i] − Z_in)}, x flattened CHW. */
    public static int[] linear(Linear op, TensorInfo in, int[] x) {
        int outF = op.outChannels();
        int inF = x.length;
        int z = in.zeroPoint(0);
        int[] y = new int[outF];
        for (int o = 0; o < outF; o++) {
            long acc = op.bias().get(o);
            for (int i = 0; i < inF; i++) {
                acc += (long) op.weights().code(o * inF + i) * (x[i] - z);
            }
            y[o] = op.outputStage().apply(Math.toIntExact(acc), o);
        }
        return y;
    }

    /** §11: the largest code among the window's positions inside the map; padding is excluded. */
    public static int[] maxPool(MaxPool op, TensorInfo in, int[] x, TensorInfo out) {
        Window w = op.window();
        int inH = in.shape().height();
        int inW = in.shape().width();
        int outC = out.shape().channels();
        int outH = out.shape().height();
        int outW = out.shape().width();
        int[] y = new int[outC * outH * outW];
        for (int c = 0; c < outC; c++) {
            for (int oy = 0; oy < outH; oy++) {
                for (int ox = 0; ox < outW; ox++) {
                    int max = Integer.MIN_VALUE; // every window holds a real position (padding < kernel)
                    for (int i = 0; i < w.kernelH(); i++) {
                        for (int j = 0; j < w.kernelW(); j++) {
                            int iy = oy * w.strideH() + i - w.padTop();
                            int ix = ox * w.strideW() + j - w.padLeft();
                            if (iy >= 0 && iy < inH && ix >= 0 && ix < inW) {
                                max = Math.max(max, x[(c * inH + iy) * inW + ix]);
                            }
                        }
                    }
                    y[(c * outH + oy) * outW + ox] = max;
                }
            }
        }
        return y;
    }

    /**
     * §12: {@code sum = Σ (x − Z_in)} over all {@code kH·kW} window positions, padded ones holding {@code Z_in};
     * {@code y = clamp(Z_out + round_r(sum·M), lo, hi)}.
     */
    public static int[] avgPool(AvgPool op, TensorInfo in, int[] x, TensorInfo out) {
        Window w = op.window();
        int inH = in.shape().height();
        int inW = in.shape().width();
        int z = in.zeroPoint(0);
        int outC = out.shape().channels();
        int outH = out.shape().height();
        int outW = out.shape().width();
        int[] y = new int[outC * outH * outW];
        for (int c = 0; c < outC; c++) {
            for (int oy = 0; oy < outH; oy++) {
                for (int ox = 0; ox < outW; ox++) {
                    long sum = 0;
                    for (int i = 0; i < w.kernelH(); i++) {
                        for (int j = 0; j < w.kernelW(); j++) {
                            int iy = oy * w.strideH() + i - w.padTop();
                            int ix = ox * w.strideW() + j - w.padLeft();
                            boolean inside = iy >= 0 && iy < inH && ix >= 0 && ix < inW;
                            int v = inside ? x[(c * inH + iy) * inW + ix] : z;
                            sum += v - z;
                        }
                    }
                    y[(c * outH + oy) * outW + ox] = op.pool().averageOfCentredSum(Math.toIntExact(sum));
                }
            }
        }
        return y;
    }

    /** §13: element by element, {@code y = clamp(Z_out + round_r((A·(a − Z_a) + B·(b − Z_b)) / 2^s), lo, hi)}. */
    public static int[] add(Add op, int[] a, int[] b) {
        int[] y = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            y[i] = op.add().add(a[i], b[i]);
        }
        return y;
    }

    /** §14: {@code y[c, i, j] = x[c − P, i·s, j·s]} for {@code P ≤ c < P + inC}, else {@code Z}. */
    public static int[] channelPadSubsample(ChannelPadSubsample op, TensorInfo in, int[] x, TensorInfo out) {
        int inC = in.shape().channels();
        int inH = in.shape().height();
        int inW = in.shape().width();
        int pad = op.padFront(inC);
        int z = in.zeroPoint(0);
        int outC = out.shape().channels();
        int outH = out.shape().height();
        int outW = out.shape().width();
        int s = op.stride();
        int[] y = new int[outC * outH * outW];
        for (int c = 0; c < outC; c++) {
            int src = c - pad;
            for (int i = 0; i < outH; i++) {
                for (int j = 0; j < outW; j++) {
                    y[(c * outH + i) * outW + j] = src >= 0 && src < inC ? x[(src * inH + i * s) * inW + j * s] : z;
                }
            }
        }
        return y;
    }
}
