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
 * <p>Cost: O(n) in three passes, no sort, plus O(2^16 + 2^b·32) per call. Float bit patterns order like
 * magnitudes within a sign, so (1) a histogram of the top 12 bits (sign, exponent, 3 mantissa bits) puts each
 * clipping threshold and each extreme in one bucket; (2) a pass gathers those buckets, where two 10-bit radix
 * rounds find the exact thresholds; (3) a 2^16-entry table maps the top 16 bits of a weight to its code wherever
 * that is constant over the slot, the few weights in slots holding a boundary (a threshold, where ties are
 * resolved in index order, or a partition bound) take the exact path, and the same pass accumulates the sums.
 * Scratch arrays live in this object and are reused: an instance is <b>not</b> thread-safe; use one per thread.
 */
public final class ClipQuantizer {

    private static final int MAGNITUDE = 0x7FFFFFFF;
    private static final int BUCKET_SHIFT = 20;              // pass 1-2 buckets: bits >>> 20
    private static final int BUCKETS = 1 << 12;              // negatives from NEGATIVE_BUCKET on
    private static final int NEGATIVE_BUCKET = BUCKETS >> 1;
    private static final int NON_FINITE_BUCKET = 0x7F8;      // +Inf >>> 20: this bucket and above hold Inf / NaN
    private static final int LOW_BITS = 10;                  // two radix rounds cover the 20 bits below a bucket
    private static final int LOW_MASK = (1 << LOW_BITS) - 1;
    private static final int SLOT_SHIFT = 16;                // pass 3 code table: bits >>> 16
    private static final int NEGATIVE_SLOT = 1 << 15;
    private static final short EXACT = -1;                   // table entry: slot holds a boundary, classify exactly
    private static final int POS_THRESHOLD = 1;              // pass 2 bucket flags
    private static final int NEG_THRESHOLD = 2;
    private static final int POS_EXTREME = 4;
    private static final int NEG_EXTREME = 8;

    private final ClipQConfig config;
    private final int[] histogram = new int[BUCKETS];
    private final byte[] bucketFlags = new byte[BUCKETS];
    private final short[] codeTable = new short[1 << 16];   // codes reach 255, so not bytes
    private final int[] lowHistogram = new int[1 << LOW_BITS];
    private int[] gatheredPositive = new int[64];
    private int[] gatheredNegative = new int[64];
    private final double[] sums;
    private final int[] counts;

    // Per-call state, set by the passes in order.
    private int positives;
    private int negatives;
    private int positiveZeros;
    private int negativeZeros;
    private int thresholdPositive;     // magnitude bits of c⁺, 0 when nothing is clipped
    private int thresholdNegative;
    private int belowPositive;         // positives with magnitude bits < thresholdPositive
    private int belowNegative;
    private int maxPositiveKey;        // magnitude bits of the largest positive / most negative weight
    private int maxNegativeKey;
    private int belowInBucket;         // second result of selectInBucket

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
        histogramPass(weights, n);
        int prunePositive = config.pruneCount(positives);
        int pruneNegative = config.pruneCount(negatives);
        thresholdAndExtremesPass(weights, n, prunePositive, pruneNegative);

        float clipPositive = Float.intBitsToFloat(thresholdPositive);
        float clipNegative = -Float.intBitsToFloat(thresholdNegative) + 0f;   // + 0f: no −0
        float max = Float.intBitsToFloat(maxPositiveKey);
        float min = -Float.intBitsToFloat(maxNegativeKey) + 0f;
        Partition partition = new Partition(config, min, clipNegative, clipPositive, max,
                negatives > pruneNegative, positives > prunePositive);
        classifyPass(weights, n, indexesOut, partition, prunePositive, pruneNegative);

        int k = config.levelCount();
        double[] means = new double[k];
        float[] levels = new float[k];
        FixedPointFormat format = config.levelFormat();
        int[] codes = format == null ? null : new int[k];
        for (int m = 1; m < k; m++) {
            means[m] = counts[m] > 0 ? sums[m] / counts[m] : 0.0;
            float level = (float) means[m];
            if (format != null) {
                codes[m] = format.toCode(level, config.levelRounding());
                level = (float) format.toReal(codes[m]);
            }
            levels[m] = level;
        }
        return new ClipQResult(config, n, levels, means, codes, indexesOut, clipPositive, clipNegative,
                positives, negatives, prunePositive, pruneNegative, counts);
    }

    /** Pass 1: bucket histogram; rejects non-finite weights; counts each sign (±0 excluded). */
    private void histogramPass(float[] weights, int n) {
        int[] hist = histogram;
        Arrays.fill(hist, 0);
        for (int i = 0; i < n; i++) {
            hist[Float.floatToRawIntBits(weights[i]) >>> BUCKET_SHIFT]++;
        }
        for (int j = NON_FINITE_BUCKET; j < NEGATIVE_BUCKET; j++) {
            if (hist[j] + hist[NEGATIVE_BUCKET + j] > 0) {
                throw nonFinite(weights, n);
            }
        }
        positiveZeros = 0;
        negativeZeros = 0;
        if (hist[0] + hist[NEGATIVE_BUCKET] > 0) {     // ±0 share bucket 0 with tiny subnormals: count them
            for (int i = 0; i < n; i++) {
                int bits = Float.floatToRawIntBits(weights[i]);
                positiveZeros += bits == 0 ? 1 : 0;
                negativeZeros += bits == Integer.MIN_VALUE ? 1 : 0;
            }
        }
        int pos = -positiveZeros;
        int neg = -negativeZeros;
        for (int j = 0; j < NON_FINITE_BUCKET; j++) {
            pos += hist[j];
            neg += hist[NEGATIVE_BUCKET + j];
        }
        positives = pos;
        negatives = neg;
    }

    /**
     * Pass 2: the exact clipping thresholds (the prune-th smallest magnitude of each sign) and extremes, from the
     * buckets that hold them.
     */
    private void thresholdAndExtremesPass(float[] weights, int n, int prunePositive, int pruneNegative) {
        int[] hist = histogram;
        hist[0] -= positiveZeros;
        hist[NEGATIVE_BUCKET] -= negativeZeros;
        byte[] flags = bucketFlags;
        Arrays.fill(flags, (byte) 0);
        thresholdPositive = 0;
        thresholdNegative = 0;
        maxPositiveKey = 0;
        maxNegativeKey = 0;
        belowPositive = 0;
        belowNegative = 0;
        if (positives + negatives == 0) {
            return;
        }
        int rankPositive = prunePositive;    // 1-based rank of c⁺ among positives, then within its bucket
        int bucketPositive = -1;
        if (prunePositive > 0) {
            bucketPositive = 0;
            while (rankPositive > hist[bucketPositive]) {
                rankPositive -= hist[bucketPositive];
                belowPositive += hist[bucketPositive++];
            }
            flags[bucketPositive] |= POS_THRESHOLD;
        }
        int rankNegative = pruneNegative;
        int bucketNegative = -1;
        if (pruneNegative > 0) {
            bucketNegative = NEGATIVE_BUCKET;
            while (rankNegative > hist[bucketNegative]) {
                rankNegative -= hist[bucketNegative];
                belowNegative += hist[bucketNegative++];
            }
            flags[bucketNegative] |= NEG_THRESHOLD;
        }
        if (positives > 0) {
            int j = NON_FINITE_BUCKET - 1;
            while (hist[j] == 0) {
                j--;
            }
            flags[j] |= POS_EXTREME;
        }
        if (negatives > 0) {
            int j = NEGATIVE_BUCKET + NON_FINITE_BUCKET - 1;
            while (hist[j] == 0) {
                j--;
            }
            flags[j] |= NEG_EXTREME;
        }
        int[] gp = gatheredPositive = grow(gatheredPositive, bucketPositive < 0 ? 0 : hist[bucketPositive]);
        int[] gn = gatheredNegative = grow(gatheredNegative, bucketNegative < 0 ? 0 : hist[bucketNegative]);
        int np = 0;
        int nn = 0;
        int maxPos = 0;
        int maxNeg = 0;
        for (int i = 0; i < n; i++) {
            int bits = Float.floatToRawIntBits(weights[i]);
            int flag = flags[bits >>> BUCKET_SHIFT];
            if (flag != 0) {
                int key = bits & MAGNITUDE;
                if ((flag & POS_THRESHOLD) != 0 && key != 0) {
                    gp[np++] = key;
                }
                if ((flag & NEG_THRESHOLD) != 0 && key != 0) {
                    gn[nn++] = key;
                }
                if ((flag & POS_EXTREME) != 0) {
                    maxPos = Math.max(maxPos, key);
                }
                if ((flag & NEG_EXTREME) != 0) {
                    maxNeg = Math.max(maxNeg, key);
                }
            }
        }
        maxPositiveKey = maxPos;
        maxNegativeKey = maxNeg;
        if (prunePositive > 0) {
            thresholdPositive = selectInBucket(gp, np, rankPositive);
            belowPositive += belowInBucket;
        }
        if (pruneNegative > 0) {
            thresholdNegative = selectInBucket(gn, nn, rankNegative);
            belowNegative += belowInBucket;
        }
    }

    /**
     * Pass 3: codes and sums. A weight is clipped when its magnitude bits are below its sign's threshold (zeros
     * are below every limit, which is ≥ 1), or equal to it while that sign has ties left to clip; a survivor gets
     * the partition's code. The table answers for every slot of 2^16 bit patterns without a boundary inside.
     */
    private void classifyPass(float[] weights, int n, byte[] out, Partition partition, int prunePositive,
                              int pruneNegative) {
        int lowPositive = prunePositive > 0 ? thresholdPositive : 1;
        int lowNegative = pruneNegative > 0 ? thresholdNegative : 1;
        short[] table = codeTable;
        fillCodeTable(table, 0, lowPositive, prunePositive > 0, partition.positiveBounds, partition.basePositive, 1);
        fillCodeTable(table, NEGATIVE_SLOT, lowNegative, pruneNegative > 0, partition.negativeBounds,
                partition.baseNegative, -1);
        int tiesPositive = prunePositive - belowPositive;
        int tiesNegative = pruneNegative - belowNegative;
        double[] sum = sums;
        int[] count = counts;
        Arrays.fill(sum, 0);
        Arrays.fill(count, 0);
        for (int i = 0; i < n; i++) {
            float w = weights[i];
            int bits = Float.floatToRawIntBits(w);
            int code = table[bits >>> SLOT_SHIFT];
            if (code == EXACT) {
                int key = bits & MAGNITUDE;
                if (bits < 0) {
                    if (key < lowNegative) {
                        code = 0;
                    } else if (key == lowNegative && tiesNegative > 0) {
                        tiesNegative--;
                        code = 0;
                    } else {
                        code = partition.survivorCode(key, true);
                    }
                } else {
                    if (key < lowPositive) {
                        code = 0;
                    } else if (key == lowPositive && tiesPositive > 0) {
                        tiesPositive--;
                        code = 0;
                    } else {
                        code = partition.survivorCode(key, false);
                    }
                }
            }
            out[i] = (byte) code;
            sum[code] += w;
            count[code]++;
        }
    }

    /**
     * Fills one sign's half of the code table: keys below {@code low} → 0, then {@code base + direction·j} from
     * bound j − 1 on; slots that contain a boundary other than at their first key, and the threshold's slot when
     * ties are possible, are marked {@link #EXACT}.
     */
    private static void fillCodeTable(short[] table, int offset, int low, boolean ties, int[] bounds, int base,
                                      int direction) {
        int from = 0;
        int code = 0;
        for (int j = -1; j <= bounds.length; j++) {
            int to = j == bounds.length ? Integer.MAX_VALUE : (j < 0 ? low : bounds[j]);   // region [from, to)
            if (to > from) {
                Arrays.fill(table, offset + (from >>> SLOT_SHIFT), offset + ((to - 1) >>> SLOT_SHIFT) + 1,
                        (short) code);
            }
            from = Math.max(from, to);
            code = base + direction * (j + 1);
        }
        if (ties || (low & 0xFFFF) != 0) {
            table[offset + (low >>> SLOT_SHIFT)] = EXACT;
        }
        for (int bound : bounds) {
            if ((bound & 0xFFFF) != 0) {
                table[offset + (bound >>> SLOT_SHIFT)] = EXACT;
            }
        }
    }

    /**
     * The {@code rank}-th smallest (1-based) of {@code a[0..len)}, non-negative ints equal above bit 19, by two
     * radix rounds on the low 20 bits; leaves in {@link #belowInBucket} how many are strictly smaller. Reorders a.
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
