package io.lowbit.core.model;

import io.lowbit.core.arith.AccumulatorBound;

/**
 * A layer that accumulates {@code bias[o] + Σ w·(x − Z_in)} in int32 and then applies its {@link OutputStage}
 * ({@code docs/integer-semantics.md} §4, §5, §8, §9, §15).
 */
public sealed interface WeightedOp extends Op permits Conv2d, Linear {

    WeightCodes weights();

    /** int32 bias per output channel, at accumulator scale {@code S_in·S_w[o]}; shape {@code (outC)}. */
    IntTensor bias();

    OutputStage outputStage();

    /** Number of output channels (features). */
    default int outChannels() {
        return weights().shape().dim(0);
    }

    /** {@code K}, the number of products per accumulator, for input {@code input}. */
    long reductionLength(TensorInfo input);

    /**
     * The worst-case accumulator range (§5) with the layer's actual weight-code range, the whole centred range of the
     * input type (over all channels' zero-points) and the bias range.
     */
    default AccumulatorBound accumulatorBound(TensorInfo input) {
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (int c = 0; c < input.zeroPoints().size(); c++) {
            lo = Math.min(lo, (long) input.type().min() - input.zeroPoints().get(c));
            hi = Math.max(hi, (long) input.type().max() - input.zeroPoints().get(c));
        }
        return new AccumulatorBound(reductionLength(input), weights().minCode(), weights().maxCode(), lo, hi,
                bias().min(), bias().max());
    }
}
