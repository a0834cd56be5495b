package io.lowbit.train.quant;

import ai.djl.ndarray.NDArray;
import io.lowbit.core.arith.Rounding;
import java.util.function.UnaryOperator;

/**
 * Rounds a layer's (BN-folded) bias onto the accumulator grid 2^−(fa + fw), half up, with a straight-through
 * gradient — what export stores as the int32 bias (docs/integer-semantics.md §1, §9), so that the trained graph
 * and the integer model add the same bias and agree bit for bit.
 */
public final class AccumulatorGridBias implements UnaryOperator<NDArray> {

    private final int activationFractionBits;
    private final FixedPointWeights weights;

    public AccumulatorGridBias(int activationFractionBits, FixedPointWeights weights) {
        this.activationFractionBits = activationFractionBits;
        this.weights = weights;
    }

    /** fa + fw for the most recent forward pass of the weights. */
    public int fractionBits() {
        return activationFractionBits + weights.fractionBits();
    }

    @Override
    public NDArray apply(NDArray bias) {
        // Constants as arrays of the bias's (step) manager: DJL frees mul(Number) scalars before backward.
        NDArray up = bias.getManager().create((float) Math.scalb(1.0, fractionBits()));
        return Ste.round(bias.mul(up), Rounding.ROUND_HALF_UP).div(up);
    }
}
