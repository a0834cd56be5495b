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
 * Fake quantization to a fixed-point format Qm.n: values are clipped to the format's range and rounded to its
 * grid. Gradient: straight through inside the range, zero outside (the clipped STE of the CLIP-Q authors'
 * {@code NbitActive}). Used for weights and activations of the {@code fixed} method and for CLIP-Q activations.
 */
public final class FixedPointQuantizer extends AbstractBlock implements FixedPointWeights {

    private final FixedPointFormat format;
    private final Rounding rounding;

    public FixedPointQuantizer(FixedPointFormat format, Rounding rounding) {
        this.format = format;
        this.rounding = rounding;
    }

    public FixedPointFormat format() {
        return format;
    }

    public Rounding rounding() {
        return rounding;
    }

    @Override
    public int fractionBits() {
        return format.fractionBits();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        // The LSB weight is an array of the step's manager, not a Number: DJL 0.35.1 frees a mul(Number) scalar
        // before the backward pass reads it (see quant/learned/QuantOps).
        NDArray lsbs = x.getManager().create((float) Math.scalb(1.0, format.fractionBits()));
        NDArray clipped = x.clip(format.minValue(), format.maxValue());
        return new NDList(Ste.round(clipped.mul(lsbs), rounding).div(lsbs));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    public String toString() {
        return "FixedPoint(" + format + ", " + rounding + ")";
    }
}
