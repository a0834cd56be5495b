package io.lowbit.train.quant;

import ai.djl.ndarray.NDArray;
import io.lowbit.core.arith.Rounding;

/** Straight-through estimators as DJL expressions (DJL has no custom autograd functions in Java). */
public final class Ste {

    private Ste() {
    }

    /** Value of {@code quantized}, gradient of {@code x} (identity): {@code x + stopGradient(q − x)}. */
    public static NDArray straightThrough(NDArray x, NDArray quantized) {
        return x.add(quantized.sub(x).stopGradient());
    }

    /** Value of {@code x}, gradient scaled by {@code g} (LSQ's gradient scale): {@code g·x + stopGradient((1−g)·x)}. */
    public static NDArray scaleGradient(NDArray x, double g) {
        return x.mul(g).add(x.mul(1 - g).stopGradient());
    }

    /** Rounds to integers under {@code mode}, with an identity gradient. */
    public static NDArray round(NDArray x, Rounding mode) {
        NDArray r = switch (mode) {
            case TRUNCATE_TOWARD_ZERO -> x.trunc();
            case FLOOR -> x.floor();
            case ROUND_HALF_UP -> x.add(0.5).floor();
            case ROUND_HALF_EVEN -> x.round();
        };
        return straightThrough(x, r);
    }
}
