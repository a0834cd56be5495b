package io.lowbit.train.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * {@code y = [ReLU](main(x) + shortcut(x))}. The shortcut is the identity, a projection (a 1×1
 * {@link ConvUnit} with BN and no ReLU), or He et al.'s "option A" for CIFAR ResNets: spatial subsampling by
 * the stride and zero channels added ({@code ⌊(outC − inC)/2⌋} before, the rest after), which adds no parameters.
 */
public final class ResidualBlock extends AbstractBlock {

    public enum Shortcut { IDENTITY, PROJECTION, ZERO_PAD }

    private final String name;
    private final SequentialBlock main;
    private final Shortcut shortcut;
    private final ConvUnit projection;
    private final int stride;
    private final int inChannels;
    private final int outChannels;
    private final boolean reluAfterAdd;
    private Block outputTransform;

    /**
     * @param main     the residual branch; its output must have {@code outChannels} channels
     * @param stride   the spatial stride of the main branch (used by the shortcut)
     */
    public ResidualBlock(String name, SequentialBlock main, Shortcut shortcut, int inChannels, int outChannels,
                         int stride, boolean reluAfterAdd) {
        this.name = name;
        this.shortcut = shortcut;
        this.stride = stride;
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.reluAfterAdd = reluAfterAdd;
        this.main = addChildBlock("main", main);
        switch (shortcut) {
            case IDENTITY -> {
                if (stride != 1 || inChannels != outChannels) {
                    throw new IllegalArgumentException(name + ": identity shortcut needs stride 1 and equal channels");
                }
                projection = null;
            }
            case PROJECTION -> projection = addChildBlock("shortcut", new ConvUnit(
                    new ConvSpec(name + ".shortcut", inChannels, outChannels, 1, stride, 0, 1, true, false)));
            case ZERO_PAD -> {
                if (outChannels < inChannels) {
                    throw new IllegalArgumentException(name + ": zero-pad shortcut needs outC ≥ inC");
                }
                projection = null;
            }
            default -> throw new AssertionError(shortcut);
        }
    }

    public String name() {
        return name;
    }

    /** Installs the activation transform applied after the add (and ReLU); only before initialization. */
    public ResidualBlock setOutputTransform(Block transform) {
        outputTransform = addChildBlock("outputTransform", transform);
        return this;
    }

    public SequentialBlock main() {
        return main;
    }

    public Shortcut shortcut() {
        return shortcut;
    }

    /** The projection conv of a {@link Shortcut#PROJECTION} shortcut, else {@code null}. */
    public ConvUnit projection() {
        return projection;
    }

    public int stride() {
        return stride;
    }

    public boolean reluAfterAdd() {
        return reluAfterAdd;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return InferenceScope.run(training, inputs, () -> addBranches(ps, inputs, training));
    }

    private NDList addBranches(ParameterStore ps, NDList inputs, boolean training) {
        NDArray x = inputs.singletonOrThrow();
        NDArray y = main.forward(ps, inputs, training).singletonOrThrow();
        NDArray s = switch (shortcut) {
            case IDENTITY -> x;
            case PROJECTION -> projection.forward(ps, inputs, training).singletonOrThrow();
            case ZERO_PAD -> zeroPad(x);
        };
        NDArray sum = y.add(s);
        NDArray out = reluAfterAdd ? Activation.relu(sum) : sum;
        if (outputTransform != null) {
            out = outputTransform.forward(ps, new NDList(out), training).singletonOrThrow();
        }
        return new NDList(out);
    }

    private NDArray zeroPad(NDArray x) {
        NDArray sub = stride == 1 ? x : x.get(":, :, ::" + stride + ", ::" + stride);
        int before = (outChannels - inChannels) / 2;
        int after = outChannels - inChannels - before;
        if (before + after == 0) {
            return sub;
        }
        Shape s = sub.getShape();
        NDList parts = new NDList();
        if (before > 0) {
            parts.add(sub.getManager().zeros(new Shape(s.get(0), before, s.get(2), s.get(3)), sub.getDataType()));
        }
        parts.add(sub);
        parts.add(sub.getManager().zeros(new Shape(s.get(0), after, s.get(2), s.get(3)), sub.getDataType()));
        return NDArrays.concat(parts, 1);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return main.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        main.initialize(manager, dataType, inputShapes);
        if (projection != null) {
            projection.initialize(manager, dataType, inputShapes);
        }
        if (outputTransform != null) {
            outputTransform.initialize(manager, dataType, getOutputShapes(inputShapes));
        }
    }
}
