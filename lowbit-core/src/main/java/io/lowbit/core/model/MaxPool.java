package io.lowbit.core.model;

import java.util.List;
import java.util.Objects;

/**
 * Max pool ({@code docs/integer-semantics.md} §11): {@code y = max} of the codes in the window, padded positions
 * excluded; output type, zero-point and scale equal the input's; no arithmetic.
 *
 * @param window kernel, stride and padding; every padding smaller than the kernel
 */
public record MaxPool(Window window) implements Op {

    public MaxPool {
        Objects.requireNonNull(window, "window");
        window.requirePoolPadding();
    }

    @Override
    public String kind() {
        return "max_pool";
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public boolean inheritsScales() {
        return true;
    }

    @Override
    public TensorInfo output(List<TensorInfo> inputs, List<Double> scales) {
        TensorInfo in = inputs.get(0);
        Rules.requireFeatureMap(in, "the input");
        Rules.requirePerTensorActivation(in, "the input");
        Shape out = Shape.chw(in.shape().channels(), window.outputHeight(in.shape().height()),
                window.outputWidth(in.shape().width()));
        return new TensorInfo(out, in.type(), in.zeroPoints(), in.scales());
    }
}
