package io.lowbit.core.model;

import java.util.List;
import java.util.Objects;

/**
 * Convolution, grouped and depthwise included ({@code docs/integer-semantics.md} §4): for output channel {@code o}
 * in group {@code g = o/(outC/G)},
 * {@code acc[o,y,x] = bias[o] + Σ_{c,i,j} w[o, c − g·inC/G, i, j]·(in[c, y·sH + i − pT, x·sW + j − pL] − Z_in[c])},
 * padded positions holding {@code Z_in[c]} (so they contribute 0), then {@code y = outputStage(acc, o)}.
 * Depthwise: {@code groups = inC}, weights {@code (outC, 1, kH, kW)}.
 *
 * @param window      kernel, stride, padding; the kernel equals the weights' last two dimensions
 * @param groups      {@code G ≥ 1}, dividing {@code inC} and {@code outC}
 * @param weights     {@code (outC, inC/G, kH, kW)}
 * @param bias        int32 {@code (outC)}, at accumulator scale
 * @param outputStage requantization (§8), shift requantization (§9) or the raw accumulator (§15)
 */
public record Conv2d(Window window, int groups, WeightCodes weights, IntTensor bias, OutputStage outputStage)
        implements WeightedOp {

    public Conv2d {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(bias, "bias");
        Objects.requireNonNull(outputStage, "outputStage");
        Shape w = weights.shape();
        if (w.rank() != 4) {
            throw new IllegalArgumentException("conv weights have shape " + w + ", expected (outC, inC/groups, kH, kW)");
        }
        if (w.dim(2) != window.kernelH() || w.dim(3) != window.kernelW()) {
            throw new IllegalArgumentException("weights " + w + " do not match the kernel " + window.kernelH() + "×"
                    + window.kernelW());
        }
        if (groups < 1 || w.dim(0) % groups != 0) {
            throw new IllegalArgumentException("groups = " + groups + " must be ≥ 1 and divide outC = " + w.dim(0)
                    + " (" + Rules.SPEC + "§4)");
        }
        bias.requireShape(Shape.features(w.dim(0)), "bias");
        outputStage.requireChannels(w.dim(0));
    }

    @Override
    public String kind() {
        return "conv2d";
    }

    @Override
    public int arity() {
        return 1;
    }

    /** {@code K = (inC/G)·kH·kW}. */
    @Override
    public long reductionLength(TensorInfo input) {
        return (long) weights.shape().dim(1) * window.kernelH() * window.kernelW();
    }

    /** Input channels per group, {@code inC/G}. */
    public int groupInChannels() {
        return weights.shape().dim(1);
    }

    @Override
    public TensorInfo output(List<TensorInfo> inputs, List<Double> scales) {
        TensorInfo in = inputs.get(0);
        Rules.requireFeatureMap(in, "the input");
        Rules.requireActivationType(in.type(), "the input");
        int inC = in.shape().channels();
        Rules.require(inC % groups == 0, "groups = " + groups + " does not divide inC = " + inC + " ("
                + Rules.SPEC + "§4)");
        Shape expected = Shape.of(outChannels(), inC / groups, window.kernelH(), window.kernelW());
        Rules.require(weights.shape().equals(expected), "weights have shape " + weights.shape() + ", expected "
                + expected + " for " + inC + " input channels in " + groups + " groups (" + Rules.SPEC + "§4)");
        Shape out = Shape.chw(outChannels(), window.outputHeight(in.shape().height()),
                window.outputWidth(in.shape().width()));
        return WeightedOps.output(this, out, scales);
    }
}
