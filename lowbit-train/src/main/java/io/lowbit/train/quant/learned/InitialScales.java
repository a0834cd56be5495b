package io.lowbit.train.quant.learned;

/**
 * Host-side data-dependent initializations (no graph), on values grouped in contiguous blocks: one group per
 * tensor, or one per output channel of a (C, …) row-major weight. A group whose statistic is 0 (an all-zero
 * channel) falls back to the whole tensor's value; all-zero data give {@code null} (nothing to learn from yet).
 */
final class InitialScales {

    /** Activation initialization reads at most this many values of the first batch (an even stride sample). */
    static final int MAX_VALUES = 1 << 22;

    /** Clip candidates of the MSE search, as fractions of max|v|: 0.30, 0.35, …, 1.00 (k/20, k = 6..20). */
    static final double[] CLIP_FRACTIONS = clipFractions();

    private InitialScales() {
    }

    private static double[] clipFractions() {
        double[] f = new double[15];
        for (int k = 6; k <= 20; k++) {
            f[k - 6] = k / 20.0;
        }
        return f;
    }

    /** LSQ: {@code s = 2⟨|v|⟩/√Q_P} per group. */
    static float[] lsqSteps(float[] v, int groups, int qp) {
        double whole = 2 * meanAbs(v, 0, v.length) / Math.sqrt(qp);
        if (!(whole > 0 && Double.isFinite(whole))) {
            return null;
        }
        float[] out = new float[groups];
        int n = v.length / groups;
        for (int g = 0; g < groups; g++) {
            double s = 2 * meanAbs(v, g * n, (g + 1) * n) / Math.sqrt(qp);
            out[g] = (float) (s > 0 ? s : whole);
        }
        return out;
    }

    /**
     * LSFQ: per group the clip level {@code α = f·max|v|}, {@code f} ∈ {@link #CLIP_FRACTIONS}, minimizing the
     * squared error of the hard quantizer {@link #quantize}; ties go to the smaller α.
     */
    static float[] mseClips(float[] v, int groups, Grid grid) {
        double whole = bestClip(v, 0, v.length, grid);
        if (!(whole > 0 && Double.isFinite(whole))) {
            return null;
        }
        float[] out = new float[groups];
        int n = v.length / groups;
        for (int g = 0; g < groups; g++) {
            double a = bestClip(v, g * n, (g + 1) * n, grid);
            out[g] = (float) (a > 0 ? a : whole);
        }
        return out;
    }

    /** The best candidate clip of {@code v[from, to)}, or 0 if the values are all 0. */
    static double bestClip(float[] v, int from, int to, Grid grid) {
        double max = 0;
        for (int i = from; i < to; i++) {
            max = Math.max(max, Math.abs(v[i]));
        }
        if (max == 0) {
            return 0;
        }
        double best = 0;
        double bestErr = Double.POSITIVE_INFINITY;
        for (double f : CLIP_FRACTIONS) {
            double a = f * max;
            double err = squaredError(v, from, to, a, grid);
            if (err < bestErr) {
                bestErr = err;
                best = a;
            }
        }
        return best;
    }

    /** {@code Σ (v − q(v))²} over {@code v[from, to)} for clip level {@code alpha}. */
    static double squaredError(float[] v, int from, int to, double alpha, Grid grid) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            double d = v[i] - quantize(v[i], alpha, grid);
            sum += d * d;
        }
        return sum;
    }

    /**
     * The hard clip quantizer {@code q = (α/Q)·round_half_up(Q·clamp(v/α, lo, 1))}, {@code lo} = −1 signed, 0
     * unsigned, {@code Q = Q_P}: the scalar reference of LSFQ's forward.
     */
    static double quantize(double v, double alpha, Grid grid) {
        double lo = grid.signed() ? -1 : 0;
        double c = Math.min(1, Math.max(lo, v / alpha));
        int q = grid.qp();
        return Math.floor(q * c + 0.5) * alpha / q;
    }

    private static double meanAbs(float[] v, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += Math.abs(v[i]);
        }
        return to > from ? sum / (to - from) : 0;
    }
}
