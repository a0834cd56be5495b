package io.lowbit.train.quant.learned;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * DoReFa weights in the symmetric form UltraNet uses (papers.md §3.3, §4.4):
 * {@code ŵ = tanh(w)/max|tanh(w)|}, {@code w_q = round(ŵ·Q)/Q}, {@code Q = 2^(k−1) − 1}, codes in
 * {@code [−Q, Q]} with 0 a code (zero-point 0). Original DoReFa, {@code 2·quant_k(tanh(w)/(2·max|tanh(w)|) + ½) − 1},
 * has 2^k levels and no zero for even level counts, which the integer semantics cannot express. Gradient:
 * straight through the round; through tanh and the (per-tensor) max as autograd gives. No parameters.
 */
public final class DorefaWeightQuantizer extends AbstractBlock implements GridQuantizer {

    private final Grid grid;

    public DorefaWeightQuantizer(int bits) {
        this.grid = new Grid(bits, true);
    }

    @Override
    public Grid grid() {
        return grid;
    }

    /** 1/Q: the values are the codes over Q. */
    @Override
    public float[] steps() {
        return new float[] {1f / grid.qp()};
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray t = x.tanh();
        // max|tanh| ≥ 1e-12: an all-zero tensor quantizes to zeros instead of 0/0
        NDArray normalized = t.div(t.abs().max().clip(1e-12f, Float.MAX_VALUE));
        int q = grid.qp();
        return new NDList(QuantOps.div(QuantOps.roundToCode(QuantOps.mul(normalized, q)), q));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    public String toString() {
        return "DorefaWeights(" + grid + ")";
    }
}
