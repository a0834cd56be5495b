package io.lowbit.train.quant.learned;

import ai.djl.ndarray.NDArray;

/**
 * lowbit's reading of LSFQ (Bao et al. 2021: "learnable parameter soft clipping"; the formulas are ours, not the
 * authors', see {@code docs/quantization.md}): a learnable clip level {@code α > 0}, grid step {@code α/Q}.
 *
 * <p>Forward, exactly the hard quantizer: {@code q = (α/Q)·round(Q·clamp(v/α, lo, 1))}, {@code lo} = −1 signed,
 * 0 unsigned, {@code Q = Q_P}. Backward through a soft clamp of temperature τ (units of α):
 * {@code y = softclip(u) + stopGradient(clamp(u) − softclip(u))}, {@code u = v/α}, so
 * {@code ∂q/∂v = softclip'(u)} and {@code ∂q/∂α = round(Q·clamp(u))/Q − softclip'(u)·u}, the α gradient multiplied
 * by {@code g = 1/√(N·Q)} as LSQ's. The soft path is evaluated on {@code u} clamped to
 * {@code [lo − 20τ, 1 + 20τ]}: beyond, {@code softclip' < 2.1·10⁻⁹} and is taken as 0 (and float cancellation in
 * the softplus difference is avoided). Initial α: the MSE-best of {0.30, 0.35, …, 1.00}·max|v| on the first data.
 */
public final class LsfqQuantizer extends ScaledQuantizer {

    /** Half-width, in units of τ, of the band beyond each clip point where the soft path is evaluated. */
    static final float SOFT_BAND = 20f;

    private final float tau;

    public LsfqQuantizer(Grid grid, TensorRole role, Granularity granularity, double tau) {
        super("alpha", grid, role, granularity, 0f);
        if (!(tau > 0) || Double.isInfinite(tau)) {
            throw new IllegalArgumentException("LSFQ temperature τ = " + tau + " must be positive");
        }
        this.tau = (float) tau;
    }

    public double tau() {
        return tau;
    }

    @Override
    float[] initialScales(float[] values, int groups) {
        return InitialScales.mseClips(values, groups, grid);
    }

    @Override
    double gradientScale(long valuesPerScale) {
        return 1 / Math.sqrt((double) valuesPerScale * grid.qp());
    }

    @Override
    NDArray quantize(NDArray x, NDArray alpha) {
        float lo = grid.signed() ? -1f : 0f;
        int q = grid.qp();
        NDArray u = x.div(alpha);
        NDArray soft = softClip(u.clip(lo - SOFT_BAND * tau, 1 + SOFT_BAND * tau));
        NDArray y = soft.add(u.clip(lo, 1f).sub(soft).stopGradient());
        return QuantOps.roundToCode(QuantOps.mul(y, q)).mul(QuantOps.div(alpha, q));
    }

    /**
     * Signed: {@code τ·[softplus((u+1)/τ) − softplus((u−1)/τ)] − 1}; unsigned:
     * {@code τ·[softplus(u/τ) − softplus((u−1)/τ)]}. Tends to {@code clamp(u, lo, 1)} as τ → 0.
     */
    NDArray softClip(NDArray u) {
        NDArray upper = QuantOps.softplus(QuantOps.div(u.sub(1f), tau));
        NDArray lower = QuantOps.softplus(QuantOps.div(grid.signed() ? u.add(1f) : u, tau));
        NDArray soft = QuantOps.mul(lower.sub(upper), tau);
        return grid.signed() ? soft.sub(1f) : soft;
    }

    /** α/Q per tensor or per channel. */
    @Override
    public float[] steps() {
        float[] a = scale.getArray().toFloatArray();
        for (int i = 0; i < a.length; i++) {
            a[i] /= grid.qp();
        }
        return a;
    }

    @Override
    public String toString() {
        return "Lsfq(" + role + ", " + grid + ", " + granularity + ", τ=" + tau + ")";
    }
}
