package io.lowbit.core.model;

import io.lowbit.core.arith.IntType;
import java.util.List;
import java.util.Objects;

/**
 * Codebook weights, the CLIP-Q hardware form ({@code docs/integer-semantics.md} §1): one per-layer table of
 * {@code 2^b} level codes and one {@code b}-bit index per weight; weight {@code = levels[index]}. Entry 0 is 0 (the
 * pruned weights). CLIP-Q on the FPGA: {@code b = 2}, four int8 levels in Q3.5 ({@code 2^−5·code}).
 *
 * @param levelType type of the level codes (int2..int8 or int16), e.g. int8 for Q3.5
 * @param levels    {@code 2^b} level codes, {@code 1 ≤ b ≤ 8}, {@code levels[0] = 0}
 * @param indexes   one index in {@code [0, 2^b)} per weight, row-major in the layer's weight shape
 */
public record CodebookWeights(IntType levelType, List<Integer> levels, IntTensor indexes) implements WeightCodes {

    public static final int MAX_INDEX_BITS = 8;

    public CodebookWeights {
        Objects.requireNonNull(levelType, "levelType");
        levels = List.copyOf(levels);
        Objects.requireNonNull(indexes, "indexes");
        Rules.requireWeightType(levelType, "codebook level");
        int n = levels.size();
        if (n < 2 || n > 1 << MAX_INDEX_BITS || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("a codebook has 2^b levels with 1 ≤ b ≤ " + MAX_INDEX_BITS + ", got " + n
                    + " (" + Rules.SPEC + "§1)");
        }
        for (int i = 0; i < n; i++) {
            levelType.require(levels.get(i), "codebook level " + i);
        }
        if (levels.get(0) != 0) {
            throw new IllegalArgumentException("codebook entry 0 must be 0 (pruned weights), got " + levels.get(0)
                    + " (" + Rules.SPEC + "§1)");
        }
        if (indexes.min() < 0 || indexes.max() >= n) {
            throw new IllegalArgumentException("codebook indexes span [" + indexes.min() + ", " + indexes.max()
                    + "], outside [0, " + (n - 1) + "]");
        }
    }

    /** {@code b}: bits per index. */
    public int indexBits() {
        return Integer.numberOfTrailingZeros(levels.size());
    }

    @Override
    public Shape shape() {
        return indexes.shape();
    }

    @Override
    public int code(int flatIndex) {
        return levels.get(indexes.get(flatIndex));
    }

    @Override
    public IntType codeType() {
        return levelType;
    }

    /** The codebook's minimum (≤ 0 since entry 0 is 0), whether or not an index uses it (§5). */
    @Override
    public int minCode() {
        return levels.stream().mapToInt(Integer::intValue).min().orElseThrow();
    }

    @Override
    public int maxCode() {
        return levels.stream().mapToInt(Integer::intValue).max().orElseThrow();
    }
}
