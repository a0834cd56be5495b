package io.lowbit.train.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.lowbit.core.arith.FixedPointFormat;
import io.lowbit.core.arith.Rounding;

/**
 * Fixed-point weights with a per-layer power-of-two scale (the {@code fixed} method's weights): {@code w·2^k} is
 * clipped to the format and rounded to its grid, then scaled back, so the weights lie on {@code 2^−(f + k)}
 * ({@link WeightExponent}; k = 0 is plain {@link FixedPointQuantizer}). Gradient: straight through inside the range.
 */
public final class ScaledFixedPointWeights extends AbstractBlock implements FixedPointWeights {

    private final FixedPointFormat format;
    private final Rounding rounding;
    private final int exponent;
    private int lastExponent;

    /** @param exponent k, or {@link WeightExponent#AUTO} to choose it from the largest weight every pass */
    public ScaledFixedPointWeights(FixedPointFormat format, Rounding rounding, int exponent) {
        if (exponent != WeightExponent.AUTO && (exponent < WeightExponent.MIN || exponent > WeightExponent.MAX)) {
            throw new IllegalArgumentException("fixed: wexp=" + exponent + " is outside [" + WeightExponent.MIN
                    + ", " + WeightExponent.MAX + "]");
        }
        this.format = format;
        this.rounding = rounding;
        this.exponent = exponent;
        this.lastExponent = exponent == WeightExponent.AUTO ? 0 : exponent;
    }

    public FixedPointFormat format() {
        return format;
    }

    public Rounding rounding() {
        return rounding;
    }

    /** k, or {@link WeightExponent#AUTO}. */
    public int exponent() {
        return exponent;
    }

    /** f + k of the most recent forward pass. */
    @Override
    public int fractionBits() {
        return format.fractionBits() + lastExponent;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray w = inputs.singletonOrThrow();
        int k = exponent == WeightExponent.AUTO ? WeightExponent.forMax(w.abs().max().getFloat(), format) : exponent;
        lastExponent = k;
        // constants as arrays of the step's manager (DJL 0.35.1 frees mul(Number) scalars before backward);
        // every factor is a power of two, so scaling is exact
        NDArray up = w.getManager().create((float) Math.scalb(1.0, k));
        NDArray lsbs = w.getManager().create((float) Math.scalb(1.0, format.fractionBits()));
        NDArray down = w.getManager().create((float) Math.scalb(1.0, -k - format.fractionBits()));
        NDArray clipped = w.mul(up).clip(format.minValue(), format.maxValue());
        return new NDList(Ste.round(clipped.mul(lsbs), rounding).mul(down));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    public String toString() {
        return "ScaledFixedPoint(" + format + ", " + rounding + ", wexp="
                + (exponent == WeightExponent.AUTO ? "auto" : Integer.toString(exponent)) + ")";
    }
}
