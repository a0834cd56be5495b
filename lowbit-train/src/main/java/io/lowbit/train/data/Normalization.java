package io.lowbit.train.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * Per-channel normalization of 8-bit pixels: {@code (p / 255 − mean[c]) / std[c]}.
 *
 * <p>The formula is fixed on purpose: it is affine in {@code p}, so the integer inference engine can fold it into the
 * first convolution and feed raw uint8 pixels. Changing it here would silently break that folding.
 *
 * @param mean per-channel mean of {@code p / 255} (R, G, B)
 * @param std  per-channel standard deviation of {@code p / 255}, all positive
 */
public record Normalization(float[] mean, float[] std) implements InputEncoding {

    /**
     * CIFAR-10 training-set statistics with each mean snapped to the pixel grid: (125, 123, 114)/255 instead of
     * (0.4914, 0.4822, 0.4465)·255 = (125.3, 123.0, 113.9). Real 0 of the normalized input is then the integer
     * pixel value Z_c, so the first conv's zero padding is exactly "pad with Z_c" in the integer engine
     * ({@code docs/integer-semantics.md}, first layer).
     */
    public static final Normalization CIFAR10 = new Normalization(
            new float[] {125 / 255f, 123 / 255f, 114 / 255f}, new float[] {0.2470f, 0.2435f, 0.2616f});

    /** CIFAR-100 statistics, means snapped likewise: (0.5071, 0.4865, 0.4409)·255 ≈ (129, 124, 112). */
    public static final Normalization CIFAR100 = new Normalization(
            new float[] {129 / 255f, 124 / 255f, 112 / 255f}, new float[] {0.2673f, 0.2564f, 0.2762f});

    /** Validates the arrays and copies them, so that the constants cannot be changed through them. */
    public Normalization {
        Objects.requireNonNull(mean, "mean");
        Objects.requireNonNull(std, "std");
        if (mean.length != LabeledImages.CHANNELS || std.length != LabeledImages.CHANNELS) {
            throw new IllegalArgumentException("need " + LabeledImages.CHANNELS + " means and standard deviations, got "
                    + mean.length + " and " + std.length);
        }
        for (float s : std) {
            if (!(s > 0) || Float.isInfinite(s)) {
                throw new IllegalArgumentException("standard deviations must be positive and finite: "
                        + Arrays.toString(std));
            }
        }
        for (float m : mean) {
            if (!Float.isFinite(m)) {
                throw new IllegalArgumentException("means must be finite: " + Arrays.toString(mean));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** The statistics to use for a dataset (the mini set is a CIFAR-10 subset and uses CIFAR-10's). */
    public static Normalization forDataset(DatasetName name) {
        return switch (Objects.requireNonNull(name, "name")) {
            case CIFAR10, CIFAR10_MINI -> CIFAR10;
            case CIFAR100 -> CIFAR100;
        };
    }

    /** A copy of the means. */
    @Override
    public float[] mean() {
        return mean.clone();
    }

    /** A copy of the standard deviations. */
    @Override
    public float[] std() {
        return std.clone();
    }

    /**
     * Normalizes one pixel, evaluated in float exactly as written: {@code ((pixel / 255f) - mean[c]) / std[c]}.
     *
     * @param channel      0 = red, 1 = green, 2 = blue
     * @param pixel0to255  the raw value
     */
    public float apply(int channel, int pixel0to255) {
        Objects.checkIndex(channel, LabeledImages.CHANNELS);
        if (pixel0to255 < 0 || pixel0to255 > 255) {
            throw new IllegalArgumentException("pixel value must be in 0..255, got " + pixel0to255);
        }
        return ((pixel0to255 / 255f) - mean[channel]) / std[channel];
    }

    /** The normalized pixel, {@link #apply}: what a network without an input quantizer of its own is fed. */
    @Override
    public float value(int channel, int pixel0to255) {
        return apply(channel, pixel0to255);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization other && Arrays.equals(mean, other.mean) && Arrays.equals(std, other.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
