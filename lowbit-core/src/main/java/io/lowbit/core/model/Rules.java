package io.lowbit.core.model;

import io.lowbit.core.arith.IntType;
import io.lowbit.core.arith.QuantizedType;
import java.util.List;

/** Checks shared by the ops; each throws {@link IllegalArgumentException} with the rule and its section. */
final class Rules {

    static final String SPEC = "docs/integer-semantics.md ";

    private Rules() {
    }

    /** Activation codes are 2..8-bit or 16-bit, signed or unsigned (§1). */
    static boolean isActivationType(IntType t) {
        return (t.bits() >= 2 && t.bits() <= 8) || t.bits() == 16;
    }

    static void requireActivationType(IntType t, String what) {
        if (!isActivationType(t)) {
            throw new IllegalArgumentException(what + " has type " + t + "; activations are (u)int2..(u)int8 or"
                    + " (u)int16, and int32 accumulator outputs may only be the model output (" + SPEC + "§1, §15)");
        }
    }

    /** Weight and codebook-level codes are signed 2..8-bit or 16-bit (§1). */
    static void requireWeightType(IntType t, String what) {
        if (!t.signed() || !((t.bits() >= 2 && t.bits() <= 8) || t.bits() == 16)) {
            throw new IllegalArgumentException(what + " type " + t + " is not a weight type; weights are int2..int8"
                    + " or int16 (" + SPEC + "§1)");
        }
    }

    /** An activation input with one zero-point; per-channel zero-points exist only on the network input (§3). */
    static QuantizedType requirePerTensorActivation(TensorInfo in, String what) {
        requireActivationType(in.type(), what);
        if (in.hasPerChannelZeroPoints()) {
            throw new IllegalArgumentException(what + " has per-channel zero-points, which only a conv2d may consume"
                    + " (" + SPEC + "§3)");
        }
        return in.quantizedType();
    }

    static void requireFeatureMap(TensorInfo in, String what) {
        if (!in.shape().isFeatureMap()) {
            throw new IllegalArgumentException(what + " has shape " + in.shape() + ", expected a (C, H, W) map");
        }
    }

    static void requireSingleScale(List<Double> scales, String what) {
        if (scales.size() != 1) {
            throw new IllegalArgumentException(what + " must have one scale, got " + scales.size()
                    + "; per-channel scales are allowed only on int32 accumulator outputs (" + SPEC + "§15)");
        }
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
