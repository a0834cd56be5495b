package io.lowbit.core.arith;

import java.util.Objects;

/**
 * Addition of two differently quantized tensors with one shared shift and one rounding,
 * {@code y = clamp(Z_out + round_r((A·(a − Z_a) + B·(b − Z_b)) / 2^s), lo, hi)} where {@code A/2^s ≈ S_a/S_out} and
 * {@code B/2^s ≈ S_b/S_out} ({@code docs/integer-semantics.md} §13). Inputs have at most 16 bits, so centred inputs
 * are below 2^16 in magnitude, each product below 2^47 and the sum below 2^48: exact in a long.
 */
public record ResidualAdd(QuantizedType a, QuantizedType b, int multiplierA, int multiplierB, int rightShift,
        OutputClamp output, Rounding rounding) {

    /** Widest input type. */
    public static final int MAX_INPUT_BITS = 16;

    public ResidualAdd {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(rounding, "rounding");
        if (a.type().bits() > MAX_INPUT_BITS || b.type().bits() > MAX_INPUT_BITS) {
            throw new IllegalArgumentException("residual add inputs may have at most " + MAX_INPUT_BITS
                    + " bits, got " + a.type() + " and " + b.type());
        }
        if (multiplierA < 1 || multiplierB < 1) {
            throw new IllegalArgumentException("multipliers must be in [1, 2^31 − 1], got " + multiplierA + " and "
                    + multiplierB);
        }
        if (rightShift < 0 || rightShift > RoundingShift.MAX_SHIFT) {
            throw new IllegalArgumentException("shift " + rightShift + " is outside [0, " + RoundingShift.MAX_SHIFT + "]");
        }
    }

    /**
     * Derives {@code A, B, s}: the larger of {@code S_a/S_out, S_b/S_out} becomes a normalized
     * {@link FixedPointMultiplier} (fixing {@code s}), the smaller is rounded half up to the same {@code 2^−s} grid.
     *
     * @throws IllegalArgumentException if a multiplier rounds to 0 (scales more than 2^31 apart) or the larger ratio
     *                                  is outside [2^−32, 2^31)
     */
    public static ResidualAdd fromScales(double scaleA, QuantizedType a, double scaleB, QuantizedType b,
            double scaleOut, OutputClamp output, Rounding rounding) {
        double ma = scaleA / scaleOut;
        double mb = scaleB / scaleOut;
        if (!(ma > 0) || !(mb > 0) || Double.isInfinite(ma) || Double.isInfinite(mb)) {
            throw new IllegalArgumentException("scales must be finite and positive: S_a=" + scaleA + ", S_b=" + scaleB
                    + ", S_out=" + scaleOut);
        }
        int shift = FixedPointMultiplier.fromScale(Math.max(ma, mb)).totalRightShift();
        long intA = Math.round(Math.scalb(ma, shift));
        long intB = Math.round(Math.scalb(mb, shift));
        if (intA == 0 || intB == 0) {
            throw new IllegalArgumentException("S_a=" + scaleA + " and S_b=" + scaleB + " are too far apart: one"
                    + " input would vanish (docs/integer-semantics.md §13)");
        }
        return new ResidualAdd(a, b, Math.toIntExact(intA), Math.toIntExact(intB), shift, output, rounding);
    }

    /** The output code for input codes {@code codeA} and {@code codeB} (each checked against its type). */
    public int add(int codeA, int codeB) {
        long sum = multiplierA * a.centre(codeA) + multiplierB * b.centre(codeB);
        return output.apply(RoundingShift.shiftRight(sum, rightShift, rounding));
    }
}
