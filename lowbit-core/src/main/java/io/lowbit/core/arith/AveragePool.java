package io.lowbit.core.arith;

import java.util.Objects;

/**
 * Average pool and global average pool: {@code y = clamp(Z_out + round_r(sum·M), lo, hi)} where {@code sum} is the
 * int32 sum of {@code x − Z_in} over all {@code windowCount = kH·kW} window positions (padded positions hold
 * {@code Z_in}, so they count in the divisor: {@code count_include_pad = true}) and
 * {@code M = S_in/(windowCount·S_out)} ({@code docs/integer-semantics.md} §12). Construction rejects windows whose
 * sum could leave int32.
 */
public record AveragePool(int windowCount, QuantizedType input, FixedPointMultiplier multiplier, OutputClamp output,
        Rounding rounding) {

    public AveragePool {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(multiplier, "multiplier");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(rounding, "rounding");
        if (windowCount < 1) {
            throw new IllegalArgumentException("window count must be ≥ 1, got " + windowCount);
        }
        if ((long) windowCount * input.maxAbsCentred() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a window of " + windowCount + " " + input + " values can sum beyond"
                    + " int32 (docs/integer-semantics.md §12)");
        }
    }

    /** The pool with {@code M = inputScale / (windowCount · outputScale)}. */
    public static AveragePool fromScales(int windowCount, double inputScale, QuantizedType input, double outputScale,
            OutputClamp output, Rounding rounding) {
        if (windowCount < 1) {
            throw new IllegalArgumentException("window count must be ≥ 1, got " + windowCount);
        }
        FixedPointMultiplier m = FixedPointMultiplier.fromScale(inputScale / (windowCount * outputScale));
        return new AveragePool(windowCount, input, m, output, rounding);
    }

    /** The output for one window of codes, padded positions given as {@code Z_in}; length must be the window count. */
    public int average(int[] windowCodes) {
        if (windowCodes.length != windowCount) {
            throw new IllegalArgumentException("window has " + windowCodes.length + " codes, expected " + windowCount);
        }
        long sum = 0;
        for (int code : windowCodes) {
            sum += input.centre(code); // |sum| ≤ windowCount·max|x − Z_in| ≤ 2^31 − 1 by construction
        }
        return averageOfCentredSum((int) sum);
    }

    /** The output for a precomputed window sum of {@code x − Z_in}. */
    public int averageOfCentredSum(int sum) {
        return output.apply(multiplier.multiply(sum, rounding));
    }
}
