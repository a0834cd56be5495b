package io.lowbit.train.quant.clipq;

/**
 * The segment map of one layer after clipping: {@link #codeOf(float)} is the {@link PartitionMode} formula
 * (the specification); {@link #positiveBounds} and {@link #negativeBounds} turn it into integer compares of
 * magnitude bits for the hot loop.
 *
 * <p>Why they agree: on the survivor domain [min, c⁻] ∪ [c⁺, max], {@code codeOf} is non-decreasing in w
 * (IEEE subtraction and division by a constant are monotone, floor and clamp too, and every negative code is
 * ≤ every positive one). So with T[m] = the smallest float of the domain whose code is ≥ m, found by bisection
 * on the float bit patterns, code(w) = #{m : T[m] ≤ w} + const on each sign; on the positive side magnitude bits
 * order like w, on the negative side inversely.
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
    /**
     * Survivor classification by magnitude bits ("keys"), for the hot loop. A positive survivor's code is
     * {@code basePositive + #{j : positiveBounds[j] ≤ key}}, a negative one's {@code baseNegative − #{j :
     * negativeBounds[j] ≤ key}}. Both arrays are ascending and every bound exceeds the clipping threshold's key.
     */
    final int[] positiveBounds;
    final int[] negativeBounds;
    final int basePositive;              // code of the smallest positive survivor magnitude
    final int baseNegative;              // code of the smallest negative survivor magnitude

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

        // T[m] = smallest float of the survivor domain with code ≥ m, found by bisection (see the class comment).
        float negHi = clipNeg < 0 ? clipNeg : -Float.MIN_VALUE;
        float posLo = clipPos > 0 ? clipPos : Float.MIN_VALUE;
        int[] positive = new int[segments];
        int[] negative = new int[segments];
        int nPos = 0;
        int nNeg = 0;
        int basePos = posSurvivors ? codeOf(posLo) : 0;
        int baseNeg = negSurvivors ? codeOf(negHi) : 0;
        int lowestNeg = negSurvivors ? codeOf(min) : 0;
        int highestPos = posSurvivors ? codeOf(max) : 0;
        for (int m = 2; m <= segments; m++) {
            if (m > lowestNeg && m <= baseNeg) {
                // code(w) ≥ m ⟺ w ≥ T ⟺ |w| ≤ |T|: magnitudes ≥ |T| + 1 lose one step from baseNeg
                negative[nNeg++] = (Float.floatToRawIntBits(smallestWithCode(min, negHi, m)) & 0x7FFFFFFF) + 1;
            }
            if (m > basePos && m <= highestPos) {
                positive[nPos++] = Float.floatToRawIntBits(smallestWithCode(posLo, max, m));
            }
        }
        java.util.Arrays.sort(negative, 0, nNeg);
        positiveBounds = java.util.Arrays.copyOf(positive, nPos);
        negativeBounds = java.util.Arrays.copyOf(negative, nNeg);
        basePositive = basePos;
        baseNegative = baseNeg;
    }

    /** {@link #codeOf(float)} of a survivor from its magnitude bits and sign, via the bounds. */
    int survivorCode(int key, boolean negative) {
        int[] bounds = negative ? negativeBounds : positiveBounds;
        int below = 0;
        while (below < bounds.length && bounds[below] <= key) {
            below++;
        }
        return negative ? baseNegative - below : basePositive + below;
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
