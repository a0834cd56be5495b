package io.lowbit.core.model;

import io.lowbit.core.arith.IntType;
import io.lowbit.core.arith.PixelNormalization;
import io.lowbit.core.arith.QuantizedType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The network input ({@code docs/integer-semantics.md} §3): a {@code (C, H, W)} image of at most 8-bit codes, one
 * byte per code, channel planes in order (CIFAR: 3×32×32). Two forms:
 * <ul>
 *   <li>{@link #pixels}: raw uint8 pixels with the {@link PixelNormalization} folded into layer 1; per-channel
 *       zero-points {@code Z_c = round_half_up(255·μ_c)}, scale {@code 1/255};</li>
 *   <li>{@link #codes}: codes quantized on the host (e.g. CLIP-Q's Q3.5 int8), one zero-point, no normalization;
 *       optionally with a <em>host quantization table</em> ({@link #hostQuantized}): the engine then takes raw uint8
 *       pixels and looks each code up, {@code code = table[c][pixel]}, before the first layer.</li>
 * </ul>
 *
 * @param shape         {@code (C, H, W)}
 * @param type          code type, 2..8 bits
 * @param zeroPoints    {@code Z_c} per channel (pixels; one entry allowed if all are equal), or the one zero-point of
 *                      host-quantized codes
 * @param normalization the folded normalization, or {@code null} for host-quantized codes
 * @param hostTable     {@code null}, or (host-quantized codes only) the {@code (C, 256)} table of the code of each
 *                      raw pixel value per channel, every entry in {@code type}
 */
public record Input(Shape shape, IntType type, List<Integer> zeroPoints, PixelNormalization normalization,
                    IntTensor hostTable) implements Op {

    /** Number of raw pixel values a host quantization table maps (uint8). */
    public static final int PIXEL_VALUES = 256;

    /** An input without a host quantization table. */
    public Input(Shape shape, IntType type, List<Integer> zeroPoints, PixelNormalization normalization) {
        this(shape, type, zeroPoints, normalization, null);
    }

    public Input {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(type, "type");
        zeroPoints = List.copyOf(zeroPoints);
        if (!shape.isFeatureMap()) {
            throw new IllegalArgumentException("the input must be a (C, H, W) image, got " + shape);
        }
        if (type.bits() < 2 || type.bits() > 8) {
            throw new IllegalArgumentException("input codes are one byte each: 2..8 bits, got " + type
                    + " (" + Rules.SPEC + "§1, §3)");
        }
        if (zeroPoints.size() != 1 && zeroPoints.size() != shape.channels()) {
            throw new IllegalArgumentException("the input needs one zero-point or one per channel ("
                    + shape.channels() + "), got " + zeroPoints.size());
        }
        for (int z : zeroPoints) {
            type.require(z, "input zero-point");
        }
        if (normalization == null && zeroPoints.size() > 1) {
            throw new IllegalArgumentException("per-channel zero-points belong to a normalized pixel input only; host"
                    + " codes have one zero-point (" + Rules.SPEC + "§3)");
        }
        if (normalization != null) {
            if (!type.equals(IntType.UINT8)) {
                throw new IllegalArgumentException("a normalized pixel input is uint8, got " + type + " ("
                        + Rules.SPEC + "§3)");
            }
            if (normalization.channels() != shape.channels()) {
                throw new IllegalArgumentException("normalization has " + normalization.channels()
                        + " channels, the input " + shape.channels());
            }
            List<Integer> expected = zeroPointsOf(normalization);
            List<Integer> given = zeroPoints.size() == 1 ? java.util.Collections.nCopies(shape.channels(),
                    zeroPoints.get(0)) : zeroPoints;
            if (!given.equals(expected)) {
                throw new IllegalArgumentException("input zero-points " + zeroPoints + " differ from Z_c = "
                        + "round_half_up(255·mean) = " + expected + " (" + Rules.SPEC + "§3)");
            }
            zeroPoints = expected;
        }
        if (hostTable != null) {
            if (normalization != null) {
                throw new IllegalArgumentException("a host quantization table belongs to host-quantized codes, not"
                        + " to a normalized pixel input (" + Rules.SPEC + "§3)");
            }
            if (!hostTable.shape().equals(Shape.of(shape.channels(), PIXEL_VALUES))) {
                throw new IllegalArgumentException("the host quantization table must have shape (" + shape.channels()
                        + ", " + PIXEL_VALUES + "), got " + hostTable.shape());
            }
            for (int i = 0; i < hostTable.size(); i++) {
                if (!type.contains(hostTable.get(i))) {
                    throw new IllegalArgumentException("host quantization table entry [" + i / PIXEL_VALUES + "]["
                            + i % PIXEL_VALUES + "] = " + hostTable.get(i) + " is outside the input type " + type);
                }
            }
        }
    }

    /**
     * Host-quantized codes computed from raw uint8 pixels by a per-channel table: the engine reads pixels and feeds
     * {@code table[c][pixel]} (shape {@code (C, 256)}) to the first layer (§3).
     */
    public static Input hostQuantized(Shape shape, QuantizedType type, IntTensor table) {
        return new Input(shape, type.type(), List.of(type.zeroPoint()), null, java.util.Objects.requireNonNull(table,
                "table"));
    }

    /** The code the host quantization table gives raw pixel {@code pixel} (0..255) of channel {@code channel}. */
    public int tableCode(int channel, int pixel) {
        return hostTable.get(channel * PIXEL_VALUES + pixel);
    }

    /** Raw uint8 pixels of a {@code channels×height×width} image with {@code normalization} folded into layer 1. */
    public static Input pixels(PixelNormalization normalization, int height, int width) {
        return new Input(Shape.chw(normalization.channels(), height, width), IntType.UINT8,
                zeroPointsOf(normalization), normalization);
    }

    /** Codes quantized on the host, e.g. Q3.5 int8 with zero-point 0 for the CLIP-Q reproduction (§3). */
    public static Input codes(Shape shape, QuantizedType type) {
        return new Input(shape, type.type(), List.of(type.zeroPoint()), null);
    }

    private static List<Integer> zeroPointsOf(PixelNormalization normalization) {
        List<Integer> z = new ArrayList<>();
        for (int c = 0; c < normalization.channels(); c++) {
            z.add(normalization.zeroPoint(c));
        }
        return List.copyOf(z);
    }

    @Override
    public String kind() {
        return "input";
    }

    @Override
    public int arity() {
        return 0;
    }

    /** With a normalization the scale must be {@code 1/255} (§3). */
    @Override
    public TensorInfo output(List<TensorInfo> inputs, List<Double> scales) {
        Rules.requireSingleScale(scales, "the input");
        if (normalization != null && scales.get(0) != PixelNormalization.INPUT_SCALE) {
            throw new IllegalArgumentException("a normalized pixel input has scale 1/255, got " + scales.get(0)
                    + " (" + Rules.SPEC + "§3)");
        }
        return new TensorInfo(shape, type, zeroPoints, scales);
    }
}
