package io.lowbit.core.arith;

import java.util.Objects;

/**
 * The integer side of an affinely quantized tensor, {@code real = S·(code − zeroPoint)}: its code type and its
 * zero-point (the code of real 0, which is also the padding value). The scale {@code S} lives only in the export;
 * the integer graph never needs it ({@code docs/integer-semantics.md} §1–§2).
 */
public record QuantizedType(IntType type, int zeroPoint) {

    public QuantizedType {
        Objects.requireNonNull(type, "type");
        type.require(zeroPoint, "zero-point");
    }

    /** Smallest centred value {@code type.min − zeroPoint}; at least −(2^32 − 1), so it fits a long exactly. */
    public long centredMin() {
        return (long) type.min() - zeroPoint;
    }

    /** Largest centred value {@code type.max − zeroPoint}. */
    public long centredMax() {
        return (long) type.max() - zeroPoint;
    }

    /** {@code max|code − zeroPoint|} over the type. */
    public long maxAbsCentred() {
        return Math.max(-centredMin(), centredMax());
    }

    /** {@code code − zeroPoint}, after checking that {@code code} belongs to the type. */
    public long centre(int code) {
        return (long) type.require(code, "code") - zeroPoint;
    }

    @Override
    public String toString() {
        return type + "(z=" + zeroPoint + ")";
    }
}
