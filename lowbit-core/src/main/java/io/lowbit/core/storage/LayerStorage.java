package io.lowbit.core.storage;

/**
 * Bits of one weighted layer. Weights are stored densely ({@code b} bits each) or sparsely
 * ({@link RelativeIndexEncoding}), whichever is smaller; the codebook and the int32 bias come on top.
 *
 * @param layer          node id
 * @param weights        number of weights
 * @param nonZero        weights whose code is not 0 (pruned weights are 0)
 * @param valueBits      bits of a dense index or code
 * @param denseBits      {@code weights · valueBits}
 * @param sparseBits     relative-index stream with the best gap width
 * @param gapBits        that gap width
 * @param codebookBits   the codebook's levels times their width (CLIP-Q), or the {@link CodeTable} of plain codes
 *                       that use few of their type's values; 0 for plain codes stored as they are
 * @param biasBits       {@code 32 · outChannels}
 */
public record LayerStorage(String layer, long weights, long nonZero, int valueBits, long denseBits, long sparseBits,
        int gapBits, long codebookBits, long biasBits) {

    public boolean sparseIsSmaller() {
        return sparseBits < denseBits;
    }

    /** Bits of the chosen encoding plus codebook and bias. */
    public long bits() {
        return Math.min(denseBits, sparseBits) + codebookBits + biasBits;
    }

    /** float32 weights and biases. */
    public long float32Bits() {
        return 32 * weights + biasBits;
    }

    public double compression() {
        return (double) float32Bits() / bits();
    }

    public double prunedFraction() {
        return 1 - (double) nonZero / weights;
    }
}
