package io.lowbit.train.quant.clipq;

import java.util.Arrays;

/**
 * One layer after CLIP-Q: a codebook of 2^b levels and one index per weight (papers.md §1.2 step 4, §1.3).
 *
 * <p>Codebook order: {@code levels[0] = 0} (exact zeros and clipped weights); {@code levels[1..2^b − 1]} are the
 * segment levels in ascending order of their segment's position on the weight axis. For b = 2 per-sign this is
 * exactly the authors' hardware encoding (papers.md §1.3 "Hardware export encoding"): 0 → zero, 1 → most-negative
 * segment, 2 → near-zero negative segment, 3 → positive segment. An empty segment has level 0 and no weight
 * refers to it, so levels of non-empty segments are ascending.
 *
 * <p>Ownership: the small arrays are copied in and out, so they cannot be changed through this object. {@link
 * #indexes()} is <b>not</b> copied: it is the array the quantizer wrote, which is the caller's own array when it
 * came from {@link ClipQuantizer#quantize(float[], int, byte[])} (and is then overwritten by the caller's next
 * call with it). Only its first {@link #size()} entries belong to this result.
 *
 * @param config         the hyperparameters used
 * @param size           number of weights n
 * @param levels         (2^b) codebook values as the forward pass sees them: fixed-point values when the config
 *                       has a level format, else the float-rounded means
 * @param means          (2^b) exact segment means in double before any rounding; 0 for index 0 and empty segments
 * @param levelCodes     (2^b) two's-complement codes of {@code levels} in the config's level format, or
 *                       {@code null} when it has none
 * @param indexes        (≥ size) unsigned b-bit codebook index per weight, read with {@link #index(int)}
 * @param clipPositive   c⁺: largest clipped positive weight, 0 when none was clipped
 * @param clipNegative   c⁻: most negative clipped negative weight, 0 when none was clipped
 * @param positives      n⁺, number of weights &gt; 0 (before clipping)
 * @param negatives      n⁻, number of weights &lt; 0 (before clipping)
 * @param prunedPositive ⌈p·n⁺⌉, positives clipped to 0
 * @param prunedNegative ⌈p·n⁻⌉, negatives clipped to 0
 * @param levelCounts    (2^b) weights per index; {@code levelCounts[0]} = exact zeros + clipped weights
 */
public record ClipQResult(ClipQConfig config, int size, float[] levels, double[] means, int[] levelCodes,
                          byte[] indexes, float clipPositive, float clipNegative, int positives, int negatives,
                          int prunedPositive, int prunedNegative, int[] levelCounts) {

    public ClipQResult {
        int k = config.levelCount();
        if (levels.length != k || means.length != k || levelCounts.length != k
                || (levelCodes != null && levelCodes.length != k)) {
            throw new IllegalArgumentException("codebook arrays must have 2^b = " + k + " entries");
        }
        if (size < 0 || indexes.length < size) {
            throw new IllegalArgumentException("indexes (" + indexes.length + ") shorter than size " + size);
        }
        levels = levels.clone();
        means = means.clone();
        levelCodes = levelCodes == null ? null : levelCodes.clone();
        levelCounts = levelCounts.clone();
    }

    /** A copy of the codebook. */
    @Override
    public float[] levels() {
        return levels.clone();
    }

    /** A copy of the segment means. */
    @Override
    public double[] means() {
        return means.clone();
    }

    /** A copy of the fixed-point codes, or {@code null} when the config has no level format. */
    @Override
    public int[] levelCodes() {
        return levelCodes == null ? null : levelCodes.clone();
    }

    /** A copy of the per-index weight counts. */
    @Override
    public int[] levelCounts() {
        return levelCounts.clone();
    }

    /** The backing index array itself, not a copy (see the class comment); entries past {@link #size()} are not ours. */
    @Override
    public byte[] indexes() {
        return indexes;
    }

    public float level(int index) {
        return levels[index];
    }

    public int levelCount(int index) {
        return levelCounts[index];
    }

    /** Codebook index of weight {@code i}, in [0, 2^b). */
    public int index(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("weight " + i + " of " + size);
        }
        return indexes[i] & 0xFF;
    }

    /** Writes {@code levels[index(i)]} into {@code out[i]} for i &lt; size; {@code out} may be the input weights. */
    public void dequantizeInto(float[] out) {
        if (out.length < size) {
            throw new IllegalArgumentException("output has " + out.length + " entries, need " + size);
        }
        float[] lv = levels;
        byte[] ix = indexes;
        for (int i = 0; i < size; i++) {
            out[i] = lv[ix[i] & 0xFF];
        }
    }

    /** The dequantized weights in a new array of length {@link #size()}. */
    public float[] dequantize() {
        float[] out = new float[size];
        dequantizeInto(out);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClipQResult r && config.equals(r.config) && size == r.size
                && Arrays.equals(levels, r.levels) && Arrays.equals(means, r.means)
                && Arrays.equals(levelCodes, r.levelCodes)
                && Arrays.equals(indexes, 0, size, r.indexes, 0, r.size)
                && Float.compare(clipPositive, r.clipPositive) == 0 && Float.compare(clipNegative, r.clipNegative) == 0
                && positives == r.positives && negatives == r.negatives && prunedPositive == r.prunedPositive
                && prunedNegative == r.prunedNegative && Arrays.equals(levelCounts, r.levelCounts);
    }

    @Override
    public int hashCode() {
        int h = config.hashCode() * 31 + size;
        h = h * 31 + Arrays.hashCode(levels);
        for (int i = 0; i < size; i++) {
            h = h * 31 + indexes[i];
        }
        return h;
    }

    @Override
    public String toString() {
        return "ClipQResult[" + config.toSpec() + ", n=" + size + ", levels=" + Arrays.toString(levels)
                + ", counts=" + Arrays.toString(levelCounts) + ", c⁺=" + clipPositive + ", c⁻=" + clipNegative
                + ", pruned +" + prunedPositive + "/" + positives + " −" + prunedNegative + "/" + negatives + "]";
    }
}
