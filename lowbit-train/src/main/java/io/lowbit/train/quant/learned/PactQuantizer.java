package io.lowbit.train.quant.learned;

import ai.djl.ndarray.NDArray;

/**
 * PACT activation quantizer (Choi et al. 2018; papers.md §4.2) with a learnable per-layer clip level α
 * (constant initial value, 10 in PACT):
 * {@code y = clamp(x, 0, α) = ½(|x| − |x−α| + α)}, {@code y_q = round(y·n/α)·α/n}, {@code n = 2^k − 1}.
 * Gradients are PACT's estimator, which ignores the rounding term in α's gradient: {@code ∂y_q/∂x = 1} on
 * {@code [0, α]} (clip points included) and 0 elsewhere, {@code ∂y_q/∂α = 1[x ≥ α]}; α's gradient is not
 * rescaled. Signed tensors (no ReLU before them) use the symmetric variant {@code y = clamp(x, −α, α)},
 * {@code n = 2^(k−1) − 1}, {@code ∂/∂x = 1} on {@code [−α, α]}, {@code ∂/∂α = 1[x ≥ α] − 1[x ≤ −α]}.
 */
public final class PactQuantizer extends ScaledQuantizer {

    /** PACT's initial α. */
    public static final float DEFAULT_ALPHA0 = 10f;
    /** L2 decay of α: lowbit's default weight decay (PACT regularizes α like the weights). */
    public static final double DEFAULT_ALPHA_DECAY = 5e-4;

    private final double alphaDecay;

    public PactQuantizer(Grid grid, float alpha0) {
        this(grid, alpha0, DEFAULT_ALPHA_DECAY);
    }

    /** @param alphaDecay L2 decay of α, applied by the optimizer ({@code QuantPlan#parameterDecays}) */
    public PactQuantizer(Grid grid, float alpha0, double alphaDecay) {
        super("alpha", grid, TensorRole.ACTIVATION, Granularity.TENSOR, checkAlpha0(alpha0));
        if (!(alphaDecay >= 0) || Double.isInfinite(alphaDecay)) {
            throw new IllegalArgumentException("PACT α decay " + alphaDecay + " must be ≥ 0 and finite");
        }
        this.alphaDecay = alphaDecay;
    }

    public double alphaDecay() {
        return alphaDecay;
    }

    /** The learnable clip level α (shape (1)). */
    public ai.djl.nn.Parameter alpha() {
        return scale;
    }

    private static float checkAlpha0(float alpha0) {
        if (!(alpha0 > 0) || Float.isInfinite(alpha0)) {
            throw new IllegalArgumentException("PACT α0 = " + alpha0 + " must be positive and finite");
        }
        return alpha0;
    }

    @Override
    float[] initialScales(float[] values, int groups) {
        throw new AssertionError("PACT's α has a constant initial value");
    }

    @Override
    double gradientScale(long valuesPerScale) {
        return 1;
    }

    @Override
    NDArray quantize(NDArray x, NDArray alpha) {
        NDArray a = alpha.stopGradient();
        float top = a.getFloat(0);
        float bottom = grid.signed() ? -top : 0f;
        // autograd's clamp passes the gradient on [lo, α], clip points included: PACT's ∂/∂x. α's gradient, 1
        // where x ≥ α (−1 where x ≤ −α, signed), enters as (α − stopGradient(α))·edges, whose value is 0.
        NDArray edges = QuantOps.mask(x.gte(top));
        if (grid.signed()) {
            edges = edges.sub(QuantOps.mask(x.lte(bottom)));
        }
        NDArray y = x.clip(bottom, top).add(edges.mul(alpha.sub(a)));
        int n = grid.qp();
        NDArray step = QuantOps.div(a, n);
        return QuantOps.roundToCode(QuantOps.mul(y, n).div(a)).mul(step);
    }

    /** α/n. */
    @Override
    public float[] steps() {
        return new float[] {scale.getArray().getFloat(0) / grid.qp()};
    }

    @Override
    public String toString() {
        return "Pact(" + grid + ")";
    }
}
