package io.lowbit.train.quant.learned;

import ai.djl.ndarray.NDArray;

/**
 * LSQ, learned step size quantization (Esser et al., ICLR 2020; papers.md §4.1):
 * {@code v̂ = s·⌊clip(v/s, −Q_N, Q_P)⌉} with a learnable step {@code s}.
 *
 * <p>Grid: weights and signed activations symmetric, {@code Q_N = Q_P = 2^(b−1)−1} (zero-point 0, as the integer
 * semantics require of weights); activations after ReLU {@code Q_N = 0, Q_P = 2^b−1}. Gradients (straight-through
 * round): {@code ∂v̂/∂v = 1} strictly inside {@code (−Q_N, Q_P)}, else 0; {@code ∂v̂/∂s = ⌊v/s⌉ − v/s} inside,
 * {@code −Q_N} / {@code +Q_P} at or beyond the clip points, multiplied by {@code g = 1/√(N·Q_P)}, N the number of
 * values sharing {@code s} (weights per tensor or per output channel; activation features per sample). Initial
 * step {@code 2⟨|v|⟩/√Q_P} from the first data seen (the weights; the first batch).
 */
public final class LsqQuantizer extends ScaledQuantizer {

    public LsqQuantizer(Grid grid, TensorRole role, Granularity granularity) {
        super("step", grid, role, granularity, 0f);
    }

    @Override
    float[] initialScales(float[] values, int groups) {
        return InitialScales.lsqSteps(values, groups, grid.qp());
    }

    @Override
    double gradientScale(long valuesPerScale) {
        return 1 / Math.sqrt((double) valuesPerScale * grid.qp());
    }

    @Override
    NDArray quantize(NDArray x, NDArray s) {
        // x·(1/s): a product, whose backward is two products (a quotient's takes five passes)
        NDArray u = x.mul(QuantOps.constant(x.getManager(), 1f).div(s));
        NDArray code = QuantOps.roundToCode(QuantOps.clipForCodes(u, -grid.qn(), grid.qp()));
        return code.mul(s);
    }

    /** The step per tensor or per channel. */
    @Override
    public float[] steps() {
        return scale.getArray().toFloatArray();
    }

    @Override
    public String toString() {
        return "Lsq(" + role + ", " + grid + ", " + granularity + ")";
    }
}
