package io.lowbit.core.arith;

import java.util.Objects;

/**
 * Division by 2^s with one exact rounding, {@code round_r(value / 2^s)} ({@code docs/integer-semantics.md} §6).
 * Input range {@code |value| ≤ 2^62}, {@code 0 ≤ s ≤ 62}; then {@code value + 2^(s−1) < 2^63}, so no step can
 * overflow a long. The result has magnitude ≤ 2^62.
 */
public final class RoundingShift {

    /** Largest accepted magnitude of the dividend. */
    public static final long MAX_ABS_VALUE = 1L << 62;
    /** Largest accepted shift. */
    public static final int MAX_SHIFT = 62;

    private RoundingShift() {
    }

    /** {@code round_r(value / 2^shift)} under {@code rounding}. */
    public static long shiftRight(long value, int shift, Rounding rounding) {
        Objects.requireNonNull(rounding, "rounding");
        check(value, shift);
        if (shift == 0) {
            return value;
        }
        return switch (rounding) {
            case FLOOR -> value >> shift;
            case ROUND_HALF_UP -> (value + (1L << (shift - 1))) >> shift;
            case TRUNCATE_TOWARD_ZERO -> value >= 0 ? value >> shift : -((-value) >> shift);
            case ROUND_HALF_EVEN -> {
                long floor = value >> shift;
                long remainder = value & ((1L << shift) - 1);
                long half = 1L << (shift - 1);
                yield remainder > half || (remainder == half && (floor & 1) != 0) ? floor + 1 : floor;
            }
        };
    }

    /** {@code ⌊value / 2^shift + ½⌋}: add half an LSB, then shift arithmetically. Ties go toward +∞. */
    public static long shiftRightRoundHalfUp(long value, int shift) {
        return shiftRight(value, shift, Rounding.ROUND_HALF_UP);
    }

    /** {@code ⌊value / 2^shift⌋}: the plain arithmetic shift. */
    public static long shiftRightFloor(long value, int shift) {
        return shiftRight(value, shift, Rounding.FLOOR);
    }

    private static void check(long value, int shift) {
        if (shift < 0 || shift > MAX_SHIFT) {
            throw new IllegalArgumentException("shift " + shift + " is outside [0, " + MAX_SHIFT + "]");
        }
        if (value > MAX_ABS_VALUE || value < -MAX_ABS_VALUE) {
            throw new IllegalArgumentException("value " + value + " exceeds 2^62 in magnitude");
        }
    }
}
