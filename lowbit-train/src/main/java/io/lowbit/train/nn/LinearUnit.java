package io.lowbit.train.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.function.UnaryOperator;

/**
 * Fully connected layer {@code y = x·Wᵀ + b} on a flattened input, with the same input and weight transform
 * slots as {@link ConvUnit}. Parameters: {@code weight} (out, in), {@code bias} (out).
 */
public final class LinearUnit extends AbstractBlock {

    private final String name;
    private final int inFeatures;
    private final int outFeatures;
    private final Parameter weight;
    private final Parameter bias;
    private Block inputTransform;
    private Block weightTransform;
    private UnaryOperator<NDArray> biasTransform;

    public LinearUnit(String name, int inFeatures, int outFeatures) {
        if (inFeatures < 1 || outFeatures < 1) {
            throw new IllegalArgumentException("invalid linear " + name + ": " + inFeatures + "→" + outFeatures);
        }
        this.name = name;
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(outFeatures, inFeatures)).build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(outFeatures)).build());
    }

    public String name() {
        return name;
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    public LinearUnit setInputTransform(Block transform) {
        inputTransform = addChildBlock("inputTransform", transform);
        return this;
    }

    /**
     * Installs a transform of the bias (after BN folding), applied after the weight transform has run, e.g.
     * rounding onto the accumulator grid that depends on the weights' grid.
     */
    public LinearUnit setBiasTransform(UnaryOperator<NDArray> transform) {
        biasTransform = transform;
        return this;
    }

    public LinearUnit setWeightTransform(Block transform) {
        weightTransform = addChildBlock("weightTransform", transform);
        return this;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return InferenceScope.run(training, inputs, () -> multiply(ps, inputs, training));
    }

    private NDList multiply(ParameterStore ps, NDList inputs, boolean training) {
        NDArray x = inputs.singletonOrThrow();
        x = x.reshape(x.getShape().get(0), -1);
        if (inputTransform != null) {
            x = inputTransform.forward(ps, new NDList(x), training).singletonOrThrow();
        }
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        if (weightTransform != null) {
            w = weightTransform.forward(ps, new NDList(StepLocal.copy(w, x.getManager())), training)
                    .singletonOrThrow();
        }
        NDArray b = ps.getValue(bias, x.getDevice(), training);
        if (biasTransform != null) {
            b = biasTransform.apply(StepLocal.copy(b, x.getManager()));
        }
        return Linear.linear(x, w, b);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        long features = in.size() / in.get(0);
        if (features != inFeatures) {
            throw new IllegalArgumentException("layer " + name + " expects " + inFeatures
                    + " input features, got " + in + " (" + features + ")");
        }
        return new Shape[] {new Shape(in.get(0), outFeatures)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape flat = new Shape(inputShapes[0].get(0), inFeatures);
        if (inputTransform != null) {
            inputTransform.initialize(manager, dataType, flat);
        }
        if (weightTransform != null) {
            weightTransform.initialize(manager, dataType, weight.getShape());
        }
    }

    @Override
    public String toString() {
        return "LinearUnit(" + name + ", " + inFeatures + "→" + outFeatures + ")";
    }
}
