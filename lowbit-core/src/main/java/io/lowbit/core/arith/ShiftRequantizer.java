package io.lowbit.core.arith;

import java.util.Objects;

/**
 * Multiplier-free requantization by a power of two, {@code y = clamp(Z_out + round_r(acc / 2^s), lo, hi)} with
 * {@code s ∈ [0, 31]} ({@code docs/integer-semantics.md} §9). The CLIP-Q preset ({@link #clipQ()}) is the authors'
 * RTL number path: Q.10 accumulator → ReLU → floor shift by 5 → saturate to Q3.5 code 0x7F.
 */
public record ShiftRequantizer(int rightShift, OutputClamp output, Rounding rounding) {

    public static final int MAX_RIGHT_SHIFT = 31;

    public ShiftRequantizer {
        if (rightShift < 0 || rightShift > MAX_RIGHT_SHIFT) {
            throw new IllegalArgumentException("shift " + rightShift + " is outside [0, " + MAX_RIGHT_SHIFT + "]");
        }
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(rounding, "rounding");
    }

    /**
     * Activations in {@code activation} times weights in {@code weight} (products and bias with fa + fw fraction
     * bits) to {@code output}: shift {@code fa + fw − fo}, zero-point 0, saturation to the output format.
     */
    public static ShiftRequantizer forFormats(FixedPointFormat activation, FixedPointFormat weight,
            FixedPointFormat output, boolean relu, Rounding rounding) {
        int shift = activation.fractionBits() + weight.fractionBits() - output.fractionBits();
        if (shift < 0) {
            throw new IllegalArgumentException(output + " has more fraction bits than " + activation + " × " + weight
                    + " products; shift requantization only shifts right");
        }
        OutputClamp clamp = OutputClamp.saturating(IntType.signed(output.totalBits()), 0);
        return new ShiftRequantizer(shift, relu ? clamp.relu() : clamp, rounding);
    }

    /** CLIP-Q hardware: Q3.5 × Q3.5 → Q.10, ReLU, {@code >> 5} with FLOOR, clamp to [0, 127] (papers.md §1.7). */
    public static ShiftRequantizer clipQ() {
        return forFormats(FixedPointFormat.Q3_5, FixedPointFormat.Q3_5, FixedPointFormat.Q3_5, true, Rounding.FLOOR);
    }

    /** The output code for accumulator {@code acc}; any {@code int} is valid. */
    public int requantize(int acc) {
        return output.apply(RoundingShift.shiftRight(acc, rightShift, rounding));
    }

    /** The same map as a general multiplier {@code 2^−s = 2^30 · 2^−(31 + s − 1)}, for {@link Requantizer}. */
    public FixedPointMultiplier asFixedPointMultiplier() {
        return new FixedPointMultiplier(FixedPointMultiplier.MIN_MULTIPLIER_Q31, rightShift - 1);
    }
}
