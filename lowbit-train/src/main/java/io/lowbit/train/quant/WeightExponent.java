package io.lowbit.train.quant;

import io.lowbit.core.arith.FixedPointFormat;

/**
 * The per-layer power-of-two weight scale {@code 2^−k} of the {@code fixed} and {@code clipq} methods: weights are
 * quantized as {@code w·2^k} in the format, so that a layer whose BN-folded weights are small (|w'| ≤ 0.13 in NIN's
 * 3×3 layers) still uses the format's resolution. A power of two costs the hardware nothing: the requantization
 * shift grows by k.
 */
public final class WeightExponent {

    /** {@code wexp=auto}: choose k from the layer's largest weight every pass. */
    public static final int AUTO = Integer.MIN_VALUE;
    public static final int MIN = -8;
    public static final int MAX = 16;

    private WeightExponent() {
    }

    /** The largest k in [{@value #MIN}, {@value #MAX}] with {@code max|w|·2^k} inside the format's range. */
    public static int auto(float[] w, FixedPointFormat format) {
        double max = 0;
        for (float v : w) {
            max = Math.max(max, Math.abs(v));
        }
        return forMax(max, format);
    }

    /** {@link #auto} for a known {@code max|w|}. */
    public static int forMax(double max, FixedPointFormat format) {
        if (max == 0) {
            return 0;
        }
        double limit = format.maxValue();
        int k = (int) Math.floor(Math.log(limit / max) / Math.log(2));
        while (k > MIN && Math.scalb(max, k) > limit) {
            k--;
        }
        while (k < MAX && Math.scalb(max, k + 1) <= limit) {
            k++;
        }
        return Math.max(MIN, Math.min(MAX, k));
    }

    /** Parses {@code wexp=auto|k}. */
    public static int parse(String text, String method) {
        if (text.equalsIgnoreCase("auto")) {
            return AUTO;
        }
        try {
            int k = Integer.parseInt(text.trim());
            if (k < MIN || k > MAX) {
                throw new IllegalArgumentException(method + ": wexp=" + k + " is outside [" + MIN + ", " + MAX + "]");
            }
            return k;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(method + ": wexp=" + text + " is not auto or an integer", e);
        }
    }
}
