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
 *   <li>{@link #codes}: codes quantized on the host (e.g. CLIP-Q's Q3.5 int8), one zero-point, no normalization.</li>
 * </ul>
 *
 * @param shape         {@code (C, H, W)}
 * @param type          code type, 2..8 bits
 * @param zeroPoints    {@code Z_c} per channel (pixels; one entry allowed if all are equal), or the one zero-point of
 *                      host-quantized codes
 * @param normalization the folded normalization, or {@code null} for host-quantized codes
 */
public record Input(Shape shape, IntType type, List<Integer> zeroPoints, PixelNormalization normalization)
        implements Op {

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
