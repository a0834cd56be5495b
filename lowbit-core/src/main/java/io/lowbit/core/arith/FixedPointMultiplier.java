package io.lowbit.core.arith;

import java.util.Objects;

/**
 * A positive real multiplier {@code M = multiplierQ31 · 2^−(31 + rightShift)} with a Q31 mantissa in [2^30, 2^31),
 * i.e. [½, 1), and {@code rightShift = n ∈ [−31, 31]}: the Jacob et al. (2018) {@code M = M0·2^−n}
 * ({@code docs/integer-semantics.md} §7). Representable scales are [2^−32, 2^31).
 *
 * <p>{@link #multiply} takes an {@code int} accumulator, so {@code |acc · M0| ≤ 2^31·(2^31 − 1) < 2^62} holds by
 * its type and the single rounding shift of §6 cannot overflow.
 */
public record FixedPointMultiplier(int multiplierQ31, int rightShift) {

    /** Smallest mantissa, 2^30 (= ½ in Q31). */
    public static final int MIN_MULTIPLIER_Q31 = 1 << 30;
    public static final int MIN_RIGHT_SHIFT = -31;
    public static final int MAX_RIGHT_SHIFT = 31;

    public FixedPointMultiplier {
        if (multiplierQ31 < MIN_MULTIPLIER_Q31) {
            throw new IllegalArgumentException("multiplierQ31 " + multiplierQ31
                    + " is not normalized: it must lie in [2^30, 2^31 − 1]");
        }
        if (rightShift < MIN_RIGHT_SHIFT || rightShift > MAX_RIGHT_SHIFT) {
            throw new IllegalArgumentException("rightShift " + rightShift + " is outside [" + MIN_RIGHT_SHIFT + ", "
                    + MAX_RIGHT_SHIFT + "]");
        }
    }

    /**
     * The multiplier nearest {@code scale} (frexp, mantissa rounded half up to 31 bits, carry renormalized).
     * Relative error ≤ 2^−31.
     *
     * @throws IllegalArgumentException if {@code scale} is not finite and positive, or rounds outside [2^−32, 2^31)
     */
    public static FixedPointMultiplier fromScale(double scale) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("a requantization scale must be finite and positive, got " + scale);
        }
        int exponent = Math.getExponent(scale) + 1; // scale = f·2^exponent with f ∈ [½, 1) (frexp)
        int n = -exponent;
        if (n > MAX_RIGHT_SHIFT + 1 || n < MIN_RIGHT_SHIFT) {
            throw outOfRange(scale);
        }
        long m0 = Math.round(Math.scalb(scale, 31 + n)); // exact product, rounded half up (positive)
        if (m0 == 1L << 31) {
            m0 = MIN_MULTIPLIER_Q31;
            n -= 1;
        }
        if (n > MAX_RIGHT_SHIFT || n < MIN_RIGHT_SHIFT) {
            throw outOfRange(scale);
        }
        return new FixedPointMultiplier((int) m0, n);
    }

    private static IllegalArgumentException outOfRange(double scale) {
        return new IllegalArgumentException("requantization scale " + scale + " is outside the representable range"
                + " [2^-32, 2^31) (docs/integer-semantics.md §7); below 2^-32 every output would equal the zero-point,"
                + " which means the export is broken");
    }

    /** Total right shift {@code 31 + rightShift}, in [0, 62]. */
    public int totalRightShift() {
        return 31 + rightShift;
    }

    /** The real value {@code M0·2^−(31+n)}, exact in a double. */
    public double toScale() {
        return Math.scalb((double) multiplierQ31, -totalRightShift());
    }

    /** {@code round_r(acc · M0 / 2^(31+n))}, exact; the result's magnitude is below 2^62. */
    public long multiply(int acc, Rounding rounding) {
        Objects.requireNonNull(rounding, "rounding");
        return RoundingShift.shiftRight((long) acc * multiplierQ31, totalRightShift(), rounding);
    }

    /** {@link #multiply} with {@link Rounding#ROUND_HALF_UP}, the default of §8. */
    public long multiplyRoundHalfUp(int acc) {
        return multiply(acc, Rounding.ROUND_HALF_UP);
    }

    @Override
    public String toString() {
        return "M0=" + multiplierQ31 + "·2^-" + totalRightShift() + " (≈" + toScale() + ")";
    }
}
