package io.lowbit.core.model;

import io.lowbit.core.arith.IntType;
import java.util.Objects;

/**
 * Plain signed weight codes ({@code docs/integer-semantics.md} §1): {@code codes} row-major in the layer's weight
 * shape, each in {@code type} (int2..int8 or int16; symmetric or full range).
 *
 * @param type  declared weight type
 * @param codes {@code (outC, inC/groups, kH, kW)} or {@code (outF, inF)}, each in {@code type}
 */
public record IntegerWeights(IntType type, IntTensor codes) implements WeightCodes {

    public IntegerWeights {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(codes, "codes");
        Rules.requireWeightType(type, "weight");
        int lo = codes.min();
        int hi = codes.max();
        if (!type.contains(lo) || !type.contains(hi)) {
            throw new IllegalArgumentException("weight codes span [" + lo + ", " + hi + "], outside " + type + " ["
                    + type.min() + ", " + type.max() + "] (" + Rules.SPEC + "§1)");
        }
    }

    @Override
    public Shape shape() {
        return codes.shape();
    }

    @Override
    public int code(int flatIndex) {
        return codes.get(flatIndex);
    }

    @Override
    public IntType codeType() {
        return type;
    }

    @Override
    public int minCode() {
        return codes.min();
    }

    @Override
    public int maxCode() {
        return codes.max();
    }
}
