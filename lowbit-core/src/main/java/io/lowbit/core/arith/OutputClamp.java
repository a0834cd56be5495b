package io.lowbit.core.arith;

import java.util.Objects;

/**
 * The last step of every requantizing operation: add the output zero-point, then clamp to {@code [lo, hi]} inside
 * the output type ({@code docs/integer-semantics.md} §10). Saturation is {@code [type.min, type.max]}; ReLU is
 * {@code lo = max(lo, zeroPoint)}, the code of real 0.
 */
public record OutputClamp(IntType type, int zeroPoint, int lo, int hi) {

    /** Largest magnitude accepted by {@link #apply}: the output bound of {@link RoundingShift}. */
    public static final long MAX_ABS_CENTRED = RoundingShift.MAX_ABS_VALUE;

    public OutputClamp {
        Objects.requireNonNull(type, "type");
        type.require(zeroPoint, "output zero-point");
        type.require(lo, "clamp lower bound");
        type.require(hi, "clamp upper bound");
        if (lo > hi) {
            throw new IllegalArgumentException("empty clamp range [" + lo + ", " + hi + "]");
        }
    }

    /** Saturation to the whole type. */
    public static OutputClamp saturating(IntType type, int zeroPoint) {
        return new OutputClamp(type, zeroPoint, type.min(), type.max());
    }

    /** Saturation to the whole type of {@code output}. */
    public static OutputClamp saturating(QuantizedType output) {
        return saturating(output.type(), output.zeroPoint());
    }

    /** This clamp followed by ReLU: nothing below the code of real 0. */
    public OutputClamp relu() {
        return new OutputClamp(type, zeroPoint, Math.max(lo, zeroPoint), hi);
    }

    /** This clamp with the upper bound lowered to {@code maxCode} (e.g. ReLU6). */
    public OutputClamp withMax(int maxCode) {
        return new OutputClamp(type, zeroPoint, lo, Math.min(hi, maxCode));
    }

    /**
     * {@code clamp(zeroPoint + centred, lo, hi)}; {@code |centred| ≤ 2^62}, so the sum is exact in a long.
     */
    public int apply(long centred) {
        if (centred > MAX_ABS_CENTRED || centred < -MAX_ABS_CENTRED) {
            throw new IllegalArgumentException("centred value " + centred + " exceeds 2^62 in magnitude");
        }
        return (int) Math.min(hi, Math.max(lo, zeroPoint + centred));
    }
}
