package io.lowbit.train.quant.learned;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;

/**
 * lowbit's reading of LSFQ (Bao et al. 2021: "learnable parameter soft clipping"; the formulas are ours, not the
 * authors', see {@code docs/quantization.md}): a learnable clip level {@code α > 0}, grid step {@code α/Q}.
 *
 * <p>Forward, exactly the hard quantizer: {@code q = (α/Q)·round(Q·clamp(v/α, lo, 1))}, {@code lo} = −1 signed,
 * 0 unsigned, {@code Q = Q_P}. Backward through a soft clamp of temperature τ (units of α):
 * {@code y = softclip(u) + stopGradient(clamp(u) − softclip(u))}, {@code u = v/α}, so
 * {@code ∂q/∂v = softclip'(u)} and {@code ∂q/∂α = round(Q·clamp(u))/Q − softclip'(u)·u}, the α gradient multiplied
 * by {@code g = 1/√(N·Q)} as LSQ's. The graph carries only that slope: the codes and
 * {@code softclip'(u) = σ((u − lo)/τ) − σ((u − 1)/τ)} are computed off the tape, and autograd records four products
 * and a sum on the activation: {@code qu = x·(Q/α)}, {@code t = qu·softclip'(u)},
 * {@code q = (t + stopGradient(code − t))·α/Q} — the gradients above, with two products where the α path through
 * {@code u} used to be a quotient (QAT step time, docs/results.md). Initial α: the MSE-best of
 * {0.30, 0.35, …, 1.00}·max|v| on the first data.
 */
public final class LsfqQuantizer extends ScaledQuantizer {

    private final float tau;
    private final boolean hardLower;

    public LsfqQuantizer(Grid grid, TensorRole role, Granularity granularity, double tau) {
        this(grid, role, granularity, tau, false);
    }

    /**
     * @param hardLower an unsigned grid's lower clip is hard ({@code lsfq:lower=hard}): the slope is
     *                  {@code σ((1 − u)/τ)} for {@code u > 0} and 0 below, instead of the two-sided soft clamp's
     *                  (whose slope at {@code u = 0} is ½); ignored for signed grids
     */
    public LsfqQuantizer(Grid grid, TensorRole role, Granularity granularity, double tau, boolean hardLower) {
        super("alpha", grid, role, granularity, 0f);
        if (!(tau > 0) || Double.isInfinite(tau)) {
            throw new IllegalArgumentException("LSFQ temperature τ = " + tau + " must be positive");
        }
        this.tau = (float) tau;
        this.hardLower = hardLower && !grid.signed();
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
        NDManager m = x.getManager();
        // qu = Q·u = x·(Q/α): a product, whose backward is two products (a quotient's takes five passes)
        NDArray qu = x.mul(QuantOps.constant(m, q).div(alpha));
        NDArray fixedQu = qu.stopGradient();
        // the codes, off the tape: round half up of Q·clamp(u, lo, 1)
        NDArray code = fixedQu.clip(lo * q, q).add(0.5f).floor();
        // value code (t − t + code), gradient softclip'(u) w.r.t. qu; then ×α/Q
        NDArray t = qu.mul(softClipSlope(fixedQu, q, lo));
        return t.add(code.sub(t).stopGradient()).mul(QuantOps.div(alpha, q));
    }

    /**
     * {@code softclip'(u) = σ((u − lo)/τ) − σ((u − 1)/τ)} at {@code u = qu/Q}, the derivative of the soft clamp
     * {@code τ·[softplus((u − lo)/τ) − softplus((u − 1)/τ)] + lo}, which tends to {@code clamp(u, lo, 1)} as τ → 0.
     * {@code qu} carries no gradient, so neither does the result (plain number ops are safe here).
     */
    NDArray softClipSlope(NDArray qu, int q, float lo) {
        NDArray z = qu.mul(1f / (q * tau)); // u/τ
        if (hardLower) { // 1[u > 0]·σ((1 − u)/τ): hard at 0, soft at the clip
            return Activation.sigmoid(z.neg().add(1f / tau)).mul(QuantOps.mask(qu.gt(0f)));
        }
        NDArray below = Activation.sigmoid(lo == 0f ? z : z.sub(lo / tau));
        return below.sub(Activation.sigmoid(z.sub(1f / tau)));
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
        return "Lsfq(" + role + ", " + grid + ", " + granularity + ", τ=" + tau + (hardLower ? ", hard at 0" : "") + ")";
    }
}
