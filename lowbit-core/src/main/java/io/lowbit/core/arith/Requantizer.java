package io.lowbit.core.arith;

import java.util.Arrays;
import java.util.Objects;

/**
 * Per-output-channel requantization of int32 accumulators, {@code y = clamp(Z_out + round_r(acc·M[o]), lo, hi)}
 * with {@code M[o] = S_in·S_w[o]/S_out} as {@link FixedPointMultiplier}s ({@code docs/integer-semantics.md} §8).
 * Every {@code int} accumulator is a valid input; nothing can overflow (§7).
 */
public final class Requantizer {

    private final FixedPointMultiplier[] multipliers;
    private final OutputClamp output;
    private final Rounding rounding;

    /**
     * @param multipliers one per output channel, at least one
     * @param output      output zero-point and clamp range (saturation, ReLU)
     * @param rounding    the model's requantization rounding; {@link Rounding#ROUND_HALF_UP} by default
     */
    public Requantizer(FixedPointMultiplier[] multipliers, OutputClamp output, Rounding rounding) {
        Objects.requireNonNull(multipliers, "multipliers");
        if (multipliers.length == 0) {
            throw new IllegalArgumentException("a requantizer needs at least one output channel");
        }
        this.multipliers = multipliers.clone();
        for (int o = 0; o < this.multipliers.length; o++) {
            Objects.requireNonNull(this.multipliers[o], "multiplier of channel " + o);
        }
        this.output = Objects.requireNonNull(output, "output");
        this.rounding = Objects.requireNonNull(rounding, "rounding");
    }

    /** One multiplier per entry of {@code realScales} (each {@code S_in·S_w[o]/S_out}), via {@link FixedPointMultiplier#fromScale}. */
    public static Requantizer fromScales(double[] realScales, OutputClamp output, Rounding rounding) {
        FixedPointMultiplier[] m = new FixedPointMultiplier[realScales.length];
        for (int o = 0; o < m.length; o++) {
            try {
                m[o] = FixedPointMultiplier.fromScale(realScales[o]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("output channel " + o + ": " + e.getMessage(), e);
            }
        }
        return new Requantizer(m, output, rounding);
    }

    /** The output code of accumulator {@code acc} of output channel {@code channel}. */
    public int requantize(int acc, int channel) {
        return output.apply(multipliers[channel].multiply(acc, rounding));
    }

    public int channels() {
        return multipliers.length;
    }

    public FixedPointMultiplier multiplier(int channel) {
        return multipliers[channel];
    }

    public OutputClamp output() {
        return output;
    }

    public Rounding rounding() {
        return rounding;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Requantizer r && Arrays.equals(multipliers, r.multipliers) && output.equals(r.output)
                && rounding == r.rounding;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(multipliers), output, rounding);
    }

    @Override
    public String toString() {
        return "Requantizer[" + multipliers.length + " channels, " + output + ", " + rounding + "]";
    }
}
