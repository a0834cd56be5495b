package io.lowbit.train.quant.learned;

import ai.djl.ndarray.NDArray;
import io.lowbit.core.arith.Rounding;
import io.lowbit.train.quant.Ste;
import java.util.function.UnaryOperator;

/**
 * Rounds a layer's (BN-folded) bias onto its accumulator grid {@code S_in·S_w[o]}, half up, with a straight-through
 * gradient: what export stores as the int32 bias (docs/export.md). The learned steps are read at each forward and
 * carry no gradient through this rounding (their own quantizers train them). The fixed-point analogue is
 * {@code quant.AccumulatorGridBias}; without this, a 4-bit layer's float bias sits up to half a coarse accumulator
 * step away from the integer model's and flips output codes.
 */
public final class LearnedGridBias implements UnaryOperator<NDArray> {

    private final GridQuantizer input;
    private final GridQuantizer weights;

    /** @param input the quantizer of the layer's input tensor (one step); @param weights the weight quantizer */
    public LearnedGridBias(GridQuantizer input, GridQuantizer weights) {
        this.input = input;
        this.weights = weights;
    }

    /** {@code S_in·S_w[o]} per output channel ({@code channels} entries), or null before the steps are initialized. */
    public double[] accumulatorSteps(int channels) {
        float[] sIn = input.steps();
        float[] sW = weights.steps();
        if (sIn.length != 1 || !(sIn[0] > 0) || sW.length == 0 || !(sW[0] > 0)) {
            return null;
        }
        double[] steps = new double[channels];
        for (int o = 0; o < channels; o++) {
            steps[o] = (double) sIn[0] * sW[sW.length == 1 ? 0 : o];
        }
        return steps;
    }

    @Override
    public NDArray apply(NDArray bias) {
        double[] steps = accumulatorSteps((int) bias.size());
        if (steps == null) {
            return bias; // the very first forward, before data-initialized steps exist
        }
        float[] f = new float[steps.length];
        for (int o = 0; o < f.length; o++) {
            f[o] = (float) steps[o];
        }
        NDArray step = bias.getManager().create(f);
        return Ste.round(bias.div(step), Rounding.ROUND_HALF_UP).mul(step);
    }
}
