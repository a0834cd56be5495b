package io.lowbit.core.arith;

/**
 * Explicit-width saturation (and, for hardware models only, wrapping) of 64-bit intermediates to {@code b}-bit
 * results, so no code relies on Java's silent {@code int} overflow ({@code docs/integer-semantics.md} §10).
 * Every input is a {@code long}; every result fits its stated width, hence an {@code int}.
 */
public final class Saturation {

    private Saturation() {
    }

    /** {@code min(hi, max(lo, value))}; requires {@code lo ≤ hi}. */
    public static int clamp(long value, int lo, int hi) {
        if (lo > hi) {
            throw new IllegalArgumentException("empty clamp range [" + lo + ", " + hi + "]");
        }
        return (int) Math.min(hi, Math.max(lo, value));
    }

    /** Clamps to {@code type}'s range [min, max]. */
    public static int saturate(long value, IntType type) {
        return clamp(value, type.min(), type.max());
    }

    /** Clamps to [−2^(b−1), 2^(b−1) − 1], 2 ≤ b ≤ 32. */
    public static int saturateSigned(long value, int bits) {
        return saturate(value, IntType.signed(bits));
    }

    /** Clamps to [0, 2^b − 1], 1 ≤ b ≤ 31. */
    public static int saturateUnsigned(long value, int bits) {
        return saturate(value, IntType.unsigned(bits));
    }

    /**
     * Two's-complement wrap to {@code bits} (2..32): keeps the low bits and sign-extends. Not part of lowbit's
     * semantics, which never wrap; it lets a hardware model state that a register is narrower than the spec.
     */
    public static int wrapSigned(long value, int bits) {
        IntType.signed(bits);
        int unused = 64 - bits;
        return (int) ((value << unused) >> unused);
    }
}
