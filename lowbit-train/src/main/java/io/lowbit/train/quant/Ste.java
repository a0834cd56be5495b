package io.lowbit.train.quant;

import ai.djl.ndarray.NDArray;
import io.lowbit.core.arith.Rounding;

/**
 * Straight-through estimators as DJL expressions (DJL has no custom autograd functions in Java). On the gradient
 * path, multiply by constants held in arrays, never by a {@code Number} (see {@code learned/QuantOps}).
 */
public final class Ste {

    private Ste() {
    }

    /** Value of {@code quantized}, gradient of {@code x} (identity): {@code x + stopGradient(q − x)}. */
    public static NDArray straightThrough(NDArray x, NDArray quantized) {
        return x.add(quantized.sub(x).stopGradient());
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
