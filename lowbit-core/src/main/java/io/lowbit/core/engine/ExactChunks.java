package io.lowbit.core.engine;

import java.util.Arrays;

/**
 * How {@link TiledConv2d} splits a layer's reduction {@code k = 0 ..< K} (input channel × tap, per group) into chunks,
 * and which chunks it may sum in {@code float}.
 *
 * <p><b>Why a float chunk is exact.</b> Every integer {@code n} with {@code |n| ≤ 2^24} is a {@code float}. In a chunk
 * {@code k0 ..< k1}, output channel {@code o} sums the products {@code w[o,k]·d[k]}, where {@code |d[k]| ≤ D[c]},
 * the largest {@code |x − Z_in[c]|} over the input type of channel {@code c} = the channel of {@code k} (§5's input
 * range; the engine checks each input lies in its type). So each product and every partial sum, in any order, is an
 * integer of magnitude at most {@code B(o) = Σ_{k0 ≤ k < k1} |w[o,k]|·D[c(k)]}. The chunk is a float chunk only if
 * {@code B(o) ≤ 2^22} ({@link #FLOAT_EXACT}) for <em>every</em> {@code o}: then the inputs and weights are exact floats, each multiply-add
 * (fused or not) has an exact result, so nothing rounds, and the chunk's float sum converts to the exact {@code int}.
 * Chunk sums are then added in {@code int}, exact modulo 2^32 and hence exact (the layer's true sum lies in int32,
 * §5), as in {@link FastConv2d}. This is §5's argument on a sub-sum with the actual weights instead of their range, so
 * it is never looser than the layer bound and usually much tighter: the random CLIP-Q-style NIN and VGG7 of
 * {@code lowbit bench-engine} fit 1,000–1,700 products in a float chunk (K ≤ 4,608).
 *
 * <p>A {@code k} whose product alone may exceed {@code 2^22} (16-bit codes, wide weights) starts an <em>int chunk</em>
 * ({@link IntTile}). Chunks are also cut at {@code maxLength}, so that a tile's inputs for one chunk stay in the L1
 * cache while the next output channels reuse them.
 */
final class ExactChunks {

    /**
     * Largest sum of integer magnitudes a float chunk may reach: {@code 2^22}. Float's exact integers end at
     * {@code 2^24}; the last two bits are given up for {@link FloatTile}'s exact conversion back to {@code int}.
     */
    static final long FLOAT_EXACT = 1L << 22;

    /** Chunk {@code i} is {@code start[i] ..< start[i + 1]}. */
    final int[] start;
    /** Whether chunk {@code i} is summed in float. */
    final boolean[] isFloat;

    private ExactChunks(int[] start, boolean[] isFloat) {
        this.start = start;
        this.isFloat = isFloat;
    }

    /**
     * The chunks of {@code 0 ..< K}: greedily as long as possible, each float chunk within {@link #FLOAT_EXACT} for
     * every output channel, each int chunk a run of terms that may exceed it alone.
     *
     * @param weight      {@code (outC, K)} row-major weight codes
     * @param maxAbsInput {@code (groups, K)}: the largest centred input magnitude term {@code k} of the group sees
     * @param outPerGroup output channels per group
     * @param maxLength   longest chunk (≥ 1)
     */
    static ExactChunks plan(int[] weight, long[][] maxAbsInput, int outPerGroup, int maxLength) {
        int groups = maxAbsInput.length;
        int k = maxAbsInput[0].length;
        int outC = groups * outPerGroup;
        if (weight.length != (long) outC * k || maxLength < 1) {
            throw new IllegalArgumentException("weights " + weight.length + " for " + outC + "×" + k);
        }
        int[] start = new int[k + 1];
        boolean[] isFloat = new boolean[k];
        int chunks = 0;
        long[] sum = new long[outC];
        int at = 0;
        while (at < k) {
            start[chunks] = at;
            boolean fl = largestTerm(weight, maxAbsInput, outPerGroup, at) <= FLOAT_EXACT;
            isFloat[chunks] = fl;
            Arrays.fill(sum, 0);
            int end = at;
            while (end < k && end - at < maxLength) {
                if (fl ? !addFits(weight, maxAbsInput, outPerGroup, end, sum)
                        : largestTerm(weight, maxAbsInput, outPerGroup, end) <= FLOAT_EXACT) {
                    break;
                }
                end++;
            }
            chunks++;
            at = end;
        }
        start[chunks] = k;
        return new ExactChunks(Arrays.copyOf(start, chunks + 1), Arrays.copyOf(isFloat, chunks));
    }

    int count() {
        return isFloat.length;
    }

    boolean anyFloat() {
        for (boolean f : isFloat) {
            if (f) {
                return true;
            }
        }
        return false;
    }

    boolean anyInt() {
        for (boolean f : isFloat) {
            if (!f) {
                return true;
            }
        }
        return false;
    }

    /** {@code max_o |w[o,k]|·D[c(k)]}. */
    private static long largestTerm(int[] weight, long[][] maxAbsInput, int outPerGroup, int k) {
        int len = maxAbsInput[0].length;
        long max = 0;
        for (int o = 0; o < weight.length / len; o++) {
            max = Math.max(max, Math.abs((long) weight[o * len + k]) * maxAbsInput[o / outPerGroup][k]);
        }
        return max;
    }

    /** Adds term {@code k} to every {@code sum[o]} if all stay within {@link #FLOAT_EXACT}; else changes nothing. */
    private static boolean addFits(int[] weight, long[][] maxAbsInput, int outPerGroup, int k, long[] sum) {
        int len = maxAbsInput[0].length;
        for (int o = 0; o < sum.length; o++) {
            if (sum[o] + Math.abs((long) weight[o * len + k]) * maxAbsInput[o / outPerGroup][k] > FLOAT_EXACT) {
                return false;
            }
        }
        for (int o = 0; o < sum.length; o++) {
            sum[o] += Math.abs((long) weight[o * len + k]) * maxAbsInput[o / outPerGroup][k];
        }
        return true;
    }
}
