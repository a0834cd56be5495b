package io.lowbit.core.arith;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signed two's-complement fixed point Qm.n: {@code m} integer bits including the sign and {@code n} fraction
 * bits, so a code {@code c} in [−2^(m+n−1), 2^(m+n−1) − 1] stands for {@code c · 2^−n}. Q3.5, the CLIP-Q FPGA
 * format, is 8 bits covering [−4, 3.96875] in steps of 1/32. Conversion from reals saturates at the ends.
 */
public record FixedPointFormat(int integerBits, int fractionBits) {

    /** 8-bit weights and activations of the CLIP-Q accelerator (Cheng et al. 2022). */
    public static final FixedPointFormat Q3_5 = new FixedPointFormat(3, 5);

    private static final Pattern SYNTAX = Pattern.compile("[Qq](\\d+)\\.(\\d+)");

    public FixedPointFormat {
        if (integerBits < 1 || fractionBits < 0 || integerBits + fractionBits < 2 || integerBits + fractionBits > 32) {
            throw new IllegalArgumentException("fixed-point format Q" + integerBits + "." + fractionBits
                    + " must have ≥ 1 integer bit (the sign) and 2..32 bits in all");
        }
    }

    /** Parses "Q3.5" (m integer bits including sign, n fraction bits). */
    public static FixedPointFormat parse(String text) {
        Matcher m = SYNTAX.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a fixed-point format; write Qm.n, e.g. Q3.5");
        }
        return new FixedPointFormat(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    public int totalBits() {
        return integerBits + fractionBits;
    }

    /** Value of one LSB, 2^−n. */
    public double step() {
        return Math.scalb(1.0, -fractionBits);
    }

    public int minCode() {
        return (int) -(1L << (totalBits() - 1));
    }

    public int maxCode() {
        return (int) ((1L << (totalBits() - 1)) - 1);
    }

    public double minValue() {
        return toReal(minCode());
    }

    public double maxValue() {
        return toReal(maxCode());
    }

    public double toReal(int code) {
        return Math.scalb((double) code, -fractionBits);
    }

    /** The code nearest {@code x} under {@code rounding}, saturated to the format's range; NaN is an error. */
    public int toCode(double x, Rounding rounding) {
        if (Double.isNaN(x)) {
            throw new ArithmeticException("NaN cannot be converted to " + this);
        }
        double scaled = Math.scalb(x, fractionBits);
        double r = switch (rounding) {
            case TRUNCATE_TOWARD_ZERO -> scaled < 0 ? Math.ceil(scaled) : Math.floor(scaled);
            case FLOOR -> Math.floor(scaled);
            case ROUND_HALF_UP -> Math.floor(scaled + 0.5);
            case ROUND_HALF_EVEN -> Math.rint(scaled);
        };
        return (int) Math.max(minCode(), Math.min(maxCode(), r));
    }

    /** {@code toReal(toCode(x, rounding))}: the value the hardware will see. */
    public double quantize(double x, Rounding rounding) {
        return toReal(toCode(x, rounding));
    }

    @Override
    public String toString() {
        return "Q" + integerBits + "." + fractionBits;
    }
}
