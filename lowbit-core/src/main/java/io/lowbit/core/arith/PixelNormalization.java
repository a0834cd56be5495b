package io.lowbit.core.arith;

import java.util.Arrays;

/**
 * The network input: raw uint8 pixels {@code p} with the per-channel normalization {@code (p/255 − μ_c)/σ_c} folded
 * into the first layer ({@code docs/integer-semantics.md} §3). The mean is snapped to the pixel grid,
 * {@code Z_c = round_half_up(255·μ_c)}, so that {@code n_c = (p − Z_c)·(1/255)·(1/σ_c)} exactly: layer 1 takes
 * {@code uint8} codes with per-channel zero-point {@code Z_c} (also its padding value), input scale 1/255, and real
 * weights {@code w/σ_c}.
 *
 * @param mean per-channel mean of {@code p/255}, each in [0, 1]
 * @param std  per-channel standard deviation of {@code p/255}, each finite and positive
 */
public record PixelNormalization(double[] mean, double[] std) {

    /** Scale of the folded layer-1 input codes: one pixel step. */
    public static final double INPUT_SCALE = 1.0 / 255;

    public PixelNormalization {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("need one mean and one std per channel, got " + mean.length + " and "
                    + std.length);
        }
        for (int c = 0; c < mean.length; c++) {
            if (!(mean[c] >= 0 && mean[c] <= 1)) {
                throw new IllegalArgumentException("mean of channel " + c + " must be in [0, 1], got " + mean[c]);
            }
            if (!(std[c] > 0) || Double.isInfinite(std[c])) {
                throw new IllegalArgumentException("std of channel " + c + " must be finite and positive, got " + std[c]);
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PixelNormalization p && Arrays.equals(mean, p.mean) && Arrays.equals(std, p.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "PixelNormalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }

    public int channels() {
        return mean.length;
    }

    /** {@code Z_c = ⌊255·μ_c + ½⌋}: the pixel code of normalized 0, used for layer-1 padding. */
    public int zeroPoint(int channel) {
        return (int) Math.floor(255 * mean[channel] + 0.5);
    }

    /** The mean the model is trained with, {@code Z_c/255}. */
    public double snappedMean(int channel) {
        return zeroPoint(channel) / 255.0;
    }

    /** The layer-1 input type of channel {@code channel}: uint8 with zero-point {@code Z_c}. */
    public QuantizedType inputType(int channel) {
        return new QuantizedType(IntType.UINT8, zeroPoint(channel));
    }

    /** Factor {@code 1/σ_c} folded into the real layer-1 weights of input channel {@code channel}. */
    public double weightFactor(int channel) {
        return 1.0 / std[channel];
    }

    /** The normalized value the integer model represents, {@code (p − Z_c)/(255·σ_c)}. */
    public double normalized(int channel, int pixel) {
        return (IntType.UINT8.require(pixel, "pixel") - zeroPoint(channel)) / (255 * std[channel]);
    }
}
