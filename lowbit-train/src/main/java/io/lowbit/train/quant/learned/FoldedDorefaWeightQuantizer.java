package io.lowbit.train.quant.learned;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * DoReFa weights with their scale kept, for BN-folded weights (lowbit's variant; {@code pact} and {@code dorefa}
 * with {@code bn=fold}): per output channel o, {@code t = tanh(w)}, {@code M_o = max|t|} over the channel,
 * {@code s_o = M_o/Q}, {@code w_q = s_o·round(t/s_o)}, {@code Q = 2^(k−1) − 1}. The codes are DoReFa's
 * {@code round(Q·tanh(w)/max|tanh(w)|)} with the max taken per channel; the value is the code times {@code s_o}
 * instead of {@code 1/Q}, so {@code w_q ≈ tanh(w) ≈ w} keeps the folded weight's scale (DoReFa's normalization
 * discards it, which BN after the conv used to restore) and export reads {@code S_w[o] = s_o}. Per channel because
 * the fold multiplies each channel by its own {@code γ/√(σ²+ε)}: one max per tensor would leave the channels with
 * a small gain few codes. Gradient: straight through the round; through tanh and the max as autograd gives.
 * No parameters; {@link #steps} are those of the last forward.
 *
 * <p>With {@link DorefaLevels#DOREFA} the levels are the original DoReFa's 2^k, {@code s_o = M_o/L},
 * {@code L = 2^k − 1}, {@code w_q = s_o·(2·round((t/s_o + L)/2) − L)}: the odd codes of {@code [−L, L]} on a
 * (k+1)-bit grid, no zero.
 */
public final class FoldedDorefaWeightQuantizer extends AbstractBlock implements GridQuantizer {

    /** A channel's max is at least this fraction of the tensor's: keeps a dead channel's bias grid finite. */
    private static final float MIN_RELATIVE_MAX = 1f / (1 << 16);

    private final Grid grid;
    private final DorefaLevels levels;
    private volatile float[] steps = new float[0];

    /** UltraNet's symmetric levels ({@link DorefaLevels#SYMMETRIC}). */
    public FoldedDorefaWeightQuantizer(int bits) {
        this(bits, DorefaLevels.SYMMETRIC);
    }

    public FoldedDorefaWeightQuantizer(int bits, DorefaLevels levels) {
        this.levels = levels;
        this.grid = new Grid(levels == DorefaLevels.DOREFA ? bits + 1 : bits, true);
    }

    @Override
    public Grid grid() {
        return grid;
    }

    /** {@code s_o = M_o/Q} per output channel, of the last forward (empty before the first). */
    @Override
    public float[] steps() {
        return steps.clone();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray t = x.tanh();
        NDArray abs = t.abs();
        // PyTorch reduces one axis at a time: max over (C, rest), broadcast back as (C, 1, …)
        NDArray channelMax = x.getShape().dimension() < 2 ? abs
                : QuantOps.perChannel(abs.reshape(x.getShape().get(0), -1).max(new int[] {1}), x.getShape());
        // ≥ 2^−16·max|t| (a dead channel) and ≥ 1e-12 (an all-zero tensor quantizes to zeros, not 0/0)
        NDArray floor = QuantOps.mul(abs.max(), MIN_RELATIVE_MAX).clip(1e-12f, Float.MAX_VALUE);
        NDArray step = QuantOps.div(channelMax.maximum(floor), grid.qp());
        steps = step.toFloatArray();
        if (levels == DorefaLevels.DOREFA) {
            // c = round((t/s + L)/2) ∈ [0, L], code 2c − L; straight through: d(code·s)/dt = 1
            NDArray l = QuantOps.constant(t.getManager(), grid.qp());
            NDArray c = QuantOps.roundToCode(QuantOps.mul(t.div(step).add(l), 0.5f));
            return new NDList(QuantOps.mul(c, 2f).sub(l).mul(step));
        }
        return new NDList(QuantOps.roundToCode(t.div(step)).mul(step));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    public String toString() {
        return "FoldedDorefaWeights(" + (levels == DorefaLevels.DOREFA ? "odd codes of " : "") + grid
                + ", per channel)";
    }
}
