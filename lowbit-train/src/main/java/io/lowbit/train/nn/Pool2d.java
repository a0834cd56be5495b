package io.lowbit.train.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Max or average pooling with a square window, floor rounding of the output size, and (for average pooling)
 * zero padding counted in the divisor, so that the integer engine can implement it as a sum and a constant
 * divisor. {@code global} pools the whole map to (N, C).
 */
public final class Pool2d extends AbstractBlock {

    public enum Kind { MAX, AVG }

    private final String name;
    private final Kind kind;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final boolean global;
    private Block outputTransform;

    private Pool2d(String name, Kind kind, int kernel, int stride, int padding, boolean global) {
        this.name = name;
        this.kind = kind;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.global = global;
    }

    public static Pool2d max(String name, int kernel, int stride, int padding) {
        return new Pool2d(name, Kind.MAX, kernel, stride, padding, false);
    }

    public static Pool2d avg(String name, int kernel, int stride, int padding) {
        return new Pool2d(name, Kind.AVG, kernel, stride, padding, false);
    }

    /** Global average pooling to (N, C). */
    public static Pool2d globalAvg(String name) {
        return new Pool2d(name, Kind.AVG, 0, 0, 0, true);
    }

    public String name() {
        return name;
    }

    /** Installs the activation transform applied to the pooled output; only before initialization. */
    public Pool2d setOutputTransform(Block transform) {
        outputTransform = addChildBlock("outputTransform", transform);
        return this;
    }

    public Kind kind() {
        return kind;
    }

    public int kernel() {
        return kernel;
    }

    public int stride() {
        return stride;
    }

    public int padding() {
        return padding;
    }

    public boolean global() {
        return global;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray y;
        if (global) {
            y = Pool.globalAvgPool2d(x);
        } else {
            Shape k = new Shape(kernel, kernel);
            Shape s = new Shape(stride, stride);
            Shape p = new Shape(padding, padding);
            y = kind == Kind.MAX ? Pool.maxPool2d(x, k, s, p, false) : Pool.avgPool2d(x, k, s, p, false, true);
        }
        if (outputTransform != null) {
            y = outputTransform.forward(ps, new NDList(y), training).singletonOrThrow();
        }
        return new NDList(y);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        if (global) {
            return new Shape[] {new Shape(in.get(0), in.get(1))};
        }
        long h = (in.get(2) + 2L * padding - kernel) / stride + 1;
        long w = (in.get(3) + 2L * padding - kernel) / stride + 1;
        return new Shape[] {new Shape(in.get(0), in.get(1), h, w)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (outputTransform != null) {
            outputTransform.initialize(manager, dataType, getOutputShapes(inputShapes));
        }
    }

    @Override
    public String toString() {
        return global ? "GlobalAvgPool(" + name + ")"
                : kind + "Pool(" + name + ", k=" + kernel + ", s=" + stride + ", p=" + padding + ")";
    }
}
