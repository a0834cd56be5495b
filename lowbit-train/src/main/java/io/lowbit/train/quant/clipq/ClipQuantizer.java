package io.lowbit.train.quant.clipq;

import io.lowbit.core.arith.FixedPointFormat;
import java.util.Arrays;

/**
 * CLIP-Q pruning-quantization of one layer's flattened full-precision weights (papers.md §1.2, §1.3, §2.1):
 * clip per sign, partition the survivors into 2^b − 1 segments, replace each by its segment's mean, optionally
 * round the means to fixed point. The training loop calls it every minibatch on the shadow weights (papers.md
 * §1.3, §2.3); export reads the indexes and codebook of the final call.
 *
 * <p>Definition, for weights w[0..n):
 * <ol>
 *   <li><b>Clipping.</b> Exact zeros (±0) stay 0 and belong to neither sign. Of the n⁺ positives, the
 *       P_z = {@link ClipQConfig#pruneCount(int) ⌈p·n⁺⌉} first in (value, index) order are set to 0; of the n⁻
 *       negatives, the N_z = ⌈p·n⁻⌉ first in (|value|, index) order. Ties at the threshold thus clip the lowest
 *       indexes first, so exactly P_z and N_z are clipped. c⁺ / c⁻ is the last clipped value of its sign, 0 if
 *       none was clipped.</li>
 *   <li><b>Partitioning</b> of the survivors as the {@link PartitionMode} says.</li>
 *   <li><b>Averaging.</b> A segment's mean is Σw / count, summed in double in index order; an empty segment gets
 *       0 (the authors' +1e-7 denominator) and no weight refers to it.</li>
 *   <li><b>Level</b> = the mean rounded to float; with a level format, that float rounded to the format with the
 *       configured rounding, saturating (the authors round the float32 tensor, papers.md §1.3 step 5).</li>
 * </ol>
 *
 * <p>Cost: O(n + 2^b·b·32), no sort. One pass builds a histogram of the magnitude bits' top 11 bits per sign,
 * which places each clipping threshold in one bucket; a second pass gathers that bucket, where two 10-bit radix
 * rounds find the exact threshold; a third pass classifies each weight against at most 2^b − 2 precomputed float
 * bounds and accumulates the sums. Scratch arrays live in this object and are reused: an instance is <b>not</b>
 * thread-safe; use one per thread.
 */
public final class ClipQuantizer {

    private static final int MAGNITUDE = 0x7FFFFFFF;
    private static final int NON_FINITE = 0x7F800000;     // smallest magnitude bit pattern of ±Inf / NaN
    private static final int TOP_SHIFT = 20;               // top digit: 8 exponent + 3 mantissa bits
    private static final int TOP_BUCKETS = 1 << 11;        // per sign; negatives at offset TOP_BUCKETS
    private static final int LOW_BITS = 10;                // two further digits cover the 20 low bits
    private static final int LOW_MASK = (1 << LOW_BITS) - 1;

    private final ClipQConfig config;
    private final int[] topHistogram = new int[2 * TOP_BUCKETS];
    private final int[] lowHistogram = new int[1 << LOW_BITS];
    private int[] gatheredPositive = new int[64];
    private int[] gatheredNegative = new int[64];
    private final double[] sums;
    private final int[] counts;
    private int belowInBucket;     // second result of selectInBucket

    public ClipQuantizer(ClipQConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("CLIP-Q config must be given");
        }
        this.config = config;
        this.sums = new double[config.levelCount()];
        this.counts = new int[config.levelCount()];
    }

    public ClipQConfig config() {
        return config;
    }

    /** Quantizes all of {@code weights} into a result that owns a fresh index array. */
    public ClipQResult quantize(float[] weights) {
        if (weights == null) {
            throw new IllegalArgumentException("weights must be given");
        }
        return quantize(weights, weights.length, new byte[weights.length]);
    }

    /**
     * Quantizes {@code weights[0..n)}, writing one unsigned index per weight into {@code indexesOut[0..n)}; the
     * result refers to {@code indexesOut} without copying it. {@code weights} is only read. Allocates only the
     * small codebook arrays (and grows scratch on first use).
     *
     * @throws IllegalArgumentException if a weight is NaN or infinite (naming the first), or the arrays are short
     */
    public ClipQResult quantize(float[] weights, int n, byte[] indexesOut) {
        if (weights == null || indexesOut == null) {
            throw new IllegalArgumentException("weights and index output must be given");
        }
        if (n < 0 || n > weights.length || n > indexesOut.length) {
            throw new IllegalArgumentException("n = " + n + " must be in [0, min(weights " + weights.length
                    + ", indexes " + indexesOut.length + ")]");
        }

        // Pass 1: per-sign histogram of magnitude bits, extremes, zero counts, finiteness.
        int[] hist = topHistogram;
        Arrays.fill(hist, 0);
        int maxKey = 0;
        int maxBits = 0;               // bit pattern of the largest positive (signed-int order = float order)
        int maxNegativeKey = 0;        // magnitude bits of the most negative weight
        int positiveZeros = 0;
        int negativeZeros = 0;
        for (int i = 0; i < n; i++) {
            int bits = Float.floatToRawIntBits(weights[i]);
            int key = bits & MAGNITUDE;
            hist[((bits >>> 31) << 11) | (key >>> TOP_SHIFT)]++;
            maxKey = Math.max(maxKey, key);
            maxBits = Math.max(maxBits, bits);
            maxNegativeKey = Math.max(maxNegativeKey, (bits >> 31) & key);
            positiveZeros += bits == 0 ? 1 : 0;
            negativeZeros += bits == 0x80000000 ? 1 : 0;
        }
        if (maxKey >= NON_FINITE) {
            throw nonFinite(weights, n);
        }
        int positives = -positiveZeros;
        int negatives = -negativeZeros;
        for (int j = 0; j < TOP_BUCKETS; j++) {
            positives += hist[j];
            negatives += hist[TOP_BUCKETS + j];
        }
        int prunePositive = config.pruneCount(positives);
        int pruneNegative = config.pruneCount(negatives);

        // Locate each threshold's top bucket; pass 2 gathers that bucket; radix rounds finish the selection.
        hist[0] -= positiveZeros;
        hist[TOP_BUCKETS] -= negativeZeros;
        int bucketPositive = -1;
        int rankPositive = prunePositive;    // 1-based rank of c⁺ among positives, then within its bucket
        int belowPositive = 0;               // positives with a smaller magnitude than c⁺
        if (prunePositive > 0) {
            bucketPositive = 0;
            while (rankPositive > hist[bucketPositive]) {
                rankPositive -= hist[bucketPositive];
                belowPositive += hist[bucketPositive];
                bucketPositive++;
            }
        }
        int bucketNegative = -1;
        int rankNegative = pruneNegative;
        int belowNegative = 0;
        if (pruneNegative > 0) {
            bucketNegative = TOP_BUCKETS;
            while (rankNegative > hist[bucketNegative]) {
                rankNegative -= hist[bucketNegative];
                belowNegative += hist[bucketNegative];
                bucketNegative++;
            }
        }
        int thresholdPositive = 0;
        int thresholdNegative = 0;
        if (prunePositive > 0 || pruneNegative > 0) {
            int[] gp = gatheredPositive = grow(gatheredPositive, bucketPositive < 0 ? 0 : hist[bucketPositive]);
            int[] gn = gatheredNegative = grow(gatheredNegative, bucketNegative < 0 ? 0 : hist[bucketNegative]);
            int np = 0;
            int nn = 0;
            for (int i = 0; i < n; i++) {
                int bits = Float.floatToRawIntBits(weights[i]);
                int key = bits & MAGNITUDE;
                int bucket = ((bits >>> 31) << 11) | (key >>> TOP_SHIFT);
                if (bucket == bucketPositive && key != 0) {
                    gp[np++] = key;
                } else if (bucket == bucketNegative && key != 0) {
                    gn[nn++] = key;
                }
            }
            if (prunePositive > 0) {
                thresholdPositive = selectInBucket(gp, np, rankPositive);
                belowPositive += belowInBucket;
            }
            if (pruneNegative > 0) {
                thresholdNegative = selectInBucket(gn, nn, rankNegative);
                belowNegative += belowInBucket;
            }
        }
        float clipPositive = Float.intBitsToFloat(thresholdPositive);
        float clipNegative = thresholdNegative == 0 ? 0f : -Float.intBitsToFloat(thresholdNegative);
        float max = positives > 0 ? Float.intBitsToFloat(maxBits) : 0f;
        float min = negatives > 0 ? -Float.intBitsToFloat(maxNegativeKey) : 0f;
        Partition partition = new Partition(config, min, clipNegative, clipPositive, max,
                negatives > pruneNegative, positives > prunePositive);

        // Pass 3: clip, classify, accumulate. A weight is clipped when its magnitude is below its sign's
        // threshold, or equal to it while that sign still has ties to clip; zeros are below every limit (≥ 1).
        int lowPositive = prunePositive > 0 ? thresholdPositive : 1;
        int lowNegative = pruneNegative > 0 ? thresholdNegative : 1;
        int tiePositive = prunePositive > 0 ? thresholdPositive : -1;
        int tieNegative = pruneNegative > 0 ? thresholdNegative : -1;
        int tiesPositive = prunePositive - belowPositive;
        int tiesNegative = pruneNegative - belowNegative;
        double[] sum = sums;
        int[] count = counts;
        Arrays.fill(sum, 0);
        Arrays.fill(count, 0);
        for (int i = 0; i < n; i++) {
            float w = weights[i];
            int bits = Float.floatToRawIntBits(w);
            int key = bits & MAGNITUDE;
            boolean negative = bits < 0;
            int code = partition.classify(w);
            if (key < (negative ? lowNegative : lowPositive)) {
                code = 0;
            } else if (key == (negative ? tieNegative : tiePositive)) {
                if (negative && tiesNegative > 0) {
                    tiesNegative--;
                    code = 0;
                } else if (!negative && tiesPositive > 0) {
                    tiesPositive--;
                    code = 0;
                }
            }
            indexesOut[i] = (byte) code;
            sum[code] += w;
            count[code]++;
        }

        int k = config.levelCount();
        double[] means = new double[k];
        float[] levels = new float[k];
        FixedPointFormat format = config.levelFormat();
        int[] codes = format == null ? null : new int[k];
        for (int m = 1; m < k; m++) {
            means[m] = count[m] > 0 ? sum[m] / count[m] : 0.0;
            float level = (float) means[m];
            if (format != null) {
                codes[m] = format.toCode(level, config.levelRounding());
                level = (float) format.toReal(codes[m]);
            }
            levels[m] = level;
        }
        return new ClipQResult(config, n, levels, means, codes, indexesOut, clipPositive, clipNegative,
                positives, negatives, prunePositive, pruneNegative, count);
    }

    /**
     * The {@code rank}-th smallest (1-based) of {@code a[0..len)}, keys sharing their top 11 bits, by two radix
     * rounds on the low 20 bits; leaves in {@link #belowInBucket} how many keys are strictly smaller. Reorders a.
     */
    private int selectInBucket(int[] a, int len, int rank) {
        int below = 0;
        int[] h = lowHistogram;
        for (int shift = LOW_BITS; shift >= 0; shift -= LOW_BITS) {
            Arrays.fill(h, 0);
            for (int i = 0; i < len; i++) {
                h[(a[i] >>> shift) & LOW_MASK]++;
            }
            int digit = 0;
            while (rank > h[digit]) {
                rank -= h[digit];
                below += h[digit];
                digit++;
            }
            int kept = 0;
            for (int i = 0; i < len; i++) {
                if (((a[i] >>> shift) & LOW_MASK) == digit) {
                    a[kept++] = a[i];
                }
            }
            len = kept;
        }
        belowInBucket = below;
        return a[0];
    }

    private static int[] grow(int[] a, int size) {
        return a.length >= size ? a : new int[Math.max(size, a.length + (a.length >> 1))];
    }

    private static IllegalArgumentException nonFinite(float[] weights, int n) {
        int bad = 0;
        while (bad < n && Float.isFinite(weights[bad])) {
            bad++;
        }
        return new IllegalArgumentException("CLIP-Q needs finite weights, but weights[" + bad + "] = "
                + weights[bad] + " (of " + n + "); the layer has probably diverged");
    }
}
