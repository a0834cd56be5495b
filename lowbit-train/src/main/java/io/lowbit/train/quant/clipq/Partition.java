package io.lowbit.train.quant.clipq;

/**
 * The segment map of one layer after clipping: {@link #codeOf(float)} is the {@link PartitionMode} formula
 * (the specification), {@link #classify(float)} an equal but division-free version for the hot loop.
 *
 * <p>Why they are equal: on the survivor domain [min, c⁻] ∪ [c⁺, max], {@code codeOf} is non-decreasing in w
 * (IEEE subtraction and division by a constant are monotone, floor and clamp too, and every negative code is
 * ≤ every positive one). So with T[m] = the smallest float of the domain whose code is ≥ m, found by bisection
 * on the float bit patterns, code(w) = 1 + #{m ≥ 2 : T[m] ≤ w} for every survivor w.
 */
final class Partition {

    private final PartitionMode mode;
    private final int segments;          // 2^b − 1
    private final int half;              // 2^(b−1): per-sign negative segment count; codes 1..half are negative
    private final double cNeg;           // c⁻ (0 when nothing clipped)
    private final double cPos;           // c⁺ (0 when nothing clipped)
    private final double eNeg;           // most negative survivor (min)
    private final double sNeg;           // per-sign: negative interval width (< 0 or 0)
    private final double sPos;           // per-sign: positive interval width (≥ 0)
    private final double lNeg;           // global: length of the negative piece of the axis
    private final double sAll;           // global: interval width
    /** Padded to 2^b: {@code bounds[j] = T[j + 2]} for j &lt; 2^b − 2, then +∞. Sorted ascending. */
    private final float[] bounds;
    private final int steps;             // bisection steps of classify, = b

    /**
     * @param negSurvivors whether any negative survives clipping (then {@code min} is one of them)
     * @param posSurvivors whether any positive survives clipping (then {@code max} is one of them)
     */
    Partition(ClipQConfig config, float min, float clipNeg, float clipPos, float max, boolean negSurvivors,
              boolean posSurvivors) {
        mode = config.mode();
        segments = config.segmentCount();
        half = config.levelCount() >> 1;
        cNeg = clipNeg;
        cPos = clipPos;
        eNeg = min;
        sNeg = ((double) min - clipNeg) / half;
        sPos = half > 1 ? ((double) max - clipPos) / (half - 1) : 0;
        lNeg = negSurvivors ? (double) clipNeg - min : 0;
        double lPos = posSurvivors ? (double) max - clipPos : 0;
        sAll = (lNeg + lPos) / segments;

        steps = config.b();
        bounds = new float[config.levelCount()];
        java.util.Arrays.fill(bounds, Float.POSITIVE_INFINITY);
        float negHi = clipNeg < 0 ? clipNeg : -Float.MIN_VALUE;
        float posLo = clipPos > 0 ? clipPos : Float.MIN_VALUE;
        for (int m = 2; m <= segments; m++) {
            float t = Float.POSITIVE_INFINITY;
            if (negSurvivors && codeOf(negHi) >= m) {
                t = smallestWithCode(min, negHi, m);
            } else if (posSurvivors && codeOf(max) >= m) {
                t = smallestWithCode(posLo, max, m);
            }
            bounds[m - 2] = t;
        }
    }

    /** The specification: codebook index (1..2^b − 1) of a weight that survived clipping. */
    int codeOf(float w) {
        if (mode == PartitionMode.PER_SIGN_LINEAR) {
            return w > 0 ? half + 1 + segment((double) w - cPos, sPos, half - 1)
                         : half - segment((double) w - cNeg, sNeg, half);
        }
        double u = w < 0 ? (double) w - eNeg : lNeg + ((double) w - cPos);
        return 1 + segment(u, sAll, segments);
    }

    /** ⌊x / s⌋ clamped to [0, k − 1]; a zero width puts everything in the last segment. */
    static int segment(double x, double s, int k) {
        if (s == 0) {
            return k - 1;
        }
        double t = x / s;
        return t >= k - 1 ? k - 1 : Math.max(0, (int) Math.floor(t));
    }

    /** Same as {@link #codeOf(float)} for survivors: branch-free bisection over {@link #bounds}. */
    int classify(float w) {
        float[] bd = bounds;
        int pos = 0;
        for (int step = 1 << (steps - 1); step > 0; step >>= 1) {
            pos += bd[pos + step - 1] <= w ? step : 0;
        }
        return 1 + pos;
    }

    /** Smallest float f in [lo, hi] with codeOf(f) ≥ m, given codeOf(hi) ≥ m; lo and hi of one sign. */
    private float smallestWithCode(float lo, float hi, int m) {
        if (codeOf(lo) >= m) {
            return lo;
        }
        long a = sortable(lo);   // codeOf(a) < m
        long z = sortable(hi);   // codeOf(z) ≥ m
        while (z - a > 1) {
            long mid = (a + z) >> 1;
            if (codeOf(unsortable((int) mid)) >= m) {
                z = mid;
            } else {
                a = mid;
            }
        }
        return unsortable((int) z);
    }

    /** Float bits mapped to an int whose signed order is the float order (−0 just below +0). */
    private static int sortable(float f) {
        int bits = Float.floatToRawIntBits(f);
        return bits >= 0 ? bits : bits ^ 0x7FFFFFFF;
    }

    private static float unsortable(int s) {
        return Float.intBitsToFloat(s >= 0 ? s : s ^ 0x7FFFFFFF);
    }
}
