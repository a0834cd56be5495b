package io.lowbit.core.model;

import io.lowbit.core.arith.IntType;
import io.lowbit.core.arith.QuantizedType;
import java.util.List;
import java.util.Objects;

/**
 * What a node's output tensor holds: its shape, its code type, its zero-point(s) and the real scale(s) it stands for,
 * {@code real = scale·(code − zeroPoint)} ({@code docs/integer-semantics.md} §1–§2).
 *
 * <p>Normally there is one zero-point and one scale. The two exceptions of the spec are lists with one entry per
 * channel (axis 0): the network input's per-channel zero-points {@code Z_c} (§3), and the per-output-channel scales
 * {@code S_in·S_w[o]} of an int32 accumulator output (§15). The scales are informative — documentation, float
 * emulation, ONNX export and the argmax of per-channel logits — and never enter the integer arithmetic.
 *
 * @param shape      {@code (C, H, W)} or {@code (features)}
 * @param type       code type; {@code int32} only for accumulator outputs
 * @param zeroPoints one zero-point, or one per channel (network input only)
 * @param scales     one positive finite scale, or one per channel (accumulator outputs only)
 */
public record TensorInfo(Shape shape, IntType type, List<Integer> zeroPoints, List<Double> scales) {

    public TensorInfo {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(type, "type");
        zeroPoints = List.copyOf(zeroPoints);
        scales = List.copyOf(scales);
        int channels = shape.channels();
        if (zeroPoints.size() != 1 && zeroPoints.size() != channels) {
            throw new IllegalArgumentException("need one zero-point or one per channel (" + channels + "), got "
                    + zeroPoints.size());
        }
        for (int z : zeroPoints) {
            type.require(z, "zero-point");
        }
        if (scales.size() != 1 && scales.size() != channels) {
            throw new IllegalArgumentException("need one scale or one per channel (" + channels + "), got "
                    + scales.size());
        }
        for (double s : scales) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("scales must be finite and positive, got " + s);
            }
        }
    }

    /** The usual per-tensor case. */
    public static TensorInfo of(Shape shape, QuantizedType type, double scale) {
        return new TensorInfo(shape, type.type(), List.of(type.zeroPoint()), List.of(scale));
    }

    public boolean hasPerChannelZeroPoints() {
        return zeroPoints.size() > 1;
    }

    public boolean hasPerChannelScales() {
        return scales.size() > 1;
    }

    /** The zero-point of channel {@code channel} (axis 0). */
    public int zeroPoint(int channel) {
        return zeroPoints.size() == 1 ? zeroPoints.get(0) : zeroPoints.get(channel);
    }

    /** The scale of channel {@code channel} (axis 0). */
    public double scale(int channel) {
        return scales.size() == 1 ? scales.get(0) : scales.get(channel);
    }

    /** Type and zero-point of a per-tensor quantized tensor; throws for the per-channel network input. */
    public QuantizedType quantizedType() {
        if (hasPerChannelZeroPoints()) {
            throw new IllegalStateException("tensor has per-channel zero-points " + zeroPoints);
        }
        return new QuantizedType(type, zeroPoints.get(0));
    }

    /** Type and zero-point of channel {@code channel}. */
    public QuantizedType quantizedType(int channel) {
        return new QuantizedType(type, zeroPoint(channel));
    }

    /** Channel (axis 0) of the element at row-major position {@code flatIndex}. */
    public int channelOf(int flatIndex) {
        return flatIndex / (shape.elementCount() / shape.channels());
    }

    /** {@code scale·(code − zeroPoint)} of the element at {@code flatIndex}: informative, never used by the engine. */
    public double realValue(int flatIndex, int code) {
        int c = channelOf(flatIndex);
        return scale(c) * ((long) code - zeroPoint(c));
    }

    /** The same tensor with other scales (used by ops whose output inherits nothing but shape and type). */
    TensorInfo withScales(List<Double> newScales) {
        return new TensorInfo(shape, type, zeroPoints, newScales);
    }

    @Override
    public String toString() {
        return shape + " " + type + " z=" + (zeroPoints.size() == 1 ? zeroPoints.get(0) : zeroPoints)
                + " S=" + (scales.size() == 1 ? scales.get(0) : scales);
    }
}
