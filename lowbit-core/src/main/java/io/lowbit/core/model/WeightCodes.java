package io.lowbit.core.model;

import io.lowbit.core.arith.IntType;

/**
 * The integer weights of a {@link Conv2d} ({@code (outC, inC/groups, kH, kW)}) or {@link Linear} ({@code (outF, inF)})
 * layer, real value {@code S_w[o]·code} with zero-point 0 ({@code docs/integer-semantics.md} §1): either plain codes
 * ({@link IntegerWeights}) or per-layer codebook levels addressed by one index per weight ({@link CodebookWeights}).
 */
public sealed interface WeightCodes permits IntegerWeights, CodebookWeights {

    /** Shape of the weight tensor. */
    Shape shape();

    /** The weight code at row-major position {@code flatIndex}. */
    int code(int flatIndex);

    /** Type the codes belong to (the weight type, or the codebook's level type). */
    IntType codeType();

    /** Smallest code the layer can use: the {@code wlo} of the accumulator bound (§5). */
    int minCode();

    /** Largest code the layer can use: the {@code whi} of §5. */
    int maxCode();

    /** All codes, row-major, decoded. */
    default IntTensor decode() {
        int[] codes = new int[shape().elementCount()];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = code(i);
        }
        return IntTensor.of(shape(), codes);
    }
}
