package io.lowbit.train.quant.learned;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * DoReFa activations as UltraNet (papers.md §3.3): {@code a_q = round(clamp(x, 0, 1)·n)/n}, {@code n = 2^k − 1}.
 * Gradient: straight through the round, autograd's clamp (1 on [0, 1], clip points included, 0 outside). Signed
 * tensors (no ReLU before them) use the symmetric {@code clamp(x, −1, 1)}, {@code n = 2^(k−1) − 1}. No parameters.
 */
public final class DorefaActivationQuantizer extends AbstractBlock implements GridQuantizer {

    private final Grid grid;

    public DorefaActivationQuantizer(Grid grid) {
        this.grid = grid;
    }

    @Override
    public Grid grid() {
        return grid;
    }

    /** 1/n. */
    @Override
    public float[] steps() {
        return new float[] {1f / grid.qp()};
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        int n = grid.qp();
        NDArray clamped = x.clip(grid.signed() ? -1f : 0f, 1f);
        return new NDList(QuantOps.div(QuantOps.roundToCode(QuantOps.mul(clamped, n)), n));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    public String toString() {
        return "DorefaActivations(" + grid + ")";
    }
}
