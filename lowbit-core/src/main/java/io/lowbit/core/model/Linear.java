package io.lowbit.core.model;

import java.util.List;
import java.util.Objects;

/**
 * Fully connected layer ({@code docs/integer-semantics.md} §4 with {@code kH = kW = 1}):
 * {@code acc[o] = bias[o] + Σ_i w[o, i]·(x[i] − Z_in)} over the input flattened row-major ({@code (C, H, W)} → CHW
 * order, as PyTorch's {@code flatten}), then {@code y = outputStage(acc, o)}: requantized codes, or int32 logits
 * when this is the network output (§15).
 *
 * @param weights     {@code (outF, inF)}
 * @param bias        int32 {@code (outF)}
 * @param outputStage requantization (§8), shift (§9) or raw accumulator (§15)
 */
public record Linear(WeightCodes weights, IntTensor bias, OutputStage outputStage) implements WeightedOp {

    public Linear {
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(bias, "bias");
        Objects.requireNonNull(outputStage, "outputStage");
        if (weights.shape().rank() != 2) {
            throw new IllegalArgumentException("linear weights have shape " + weights.shape() + ", expected (outF, inF)");
        }
        bias.requireShape(Shape.features(weights.shape().dim(0)), "bias");
        outputStage.requireChannels(weights.shape().dim(0));
    }

    @Override
    public String kind() {
        return "linear";
    }

    @Override
    public int arity() {
        return 1;
    }

    /** {@code K = inF}. */
    @Override
    public long reductionLength(TensorInfo input) {
        return weights.shape().dim(1);
    }

    @Override
    public TensorInfo output(List<TensorInfo> inputs, List<Double> scales) {
        TensorInfo in = inputs.get(0);
        Rules.requirePerTensorActivation(in, "the input");
        int inF = in.shape().elementCount();
        Rules.require(weights.shape().dim(1) == inF, "weights have shape " + weights.shape() + ", expected ("
                + outChannels() + "×" + inF + ") for an input of shape " + in.shape());
        return WeightedOps.output(this, Shape.features(outChannels()), scales);
    }
}
