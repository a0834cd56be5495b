package io.lowbit.train.quant.clipq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.lowbit.train.quant.Ste;

/**
 * CLIP-Q as a weight fake-quantizer: every forward pass (every minibatch, in training and evaluation alike)
 * re-runs {@link ClipQuantizer} on the current full-precision weights — clipping thresholds, segments, levels
 * and assignments all follow the shadow weights, so pruned weights can revive — and passes the gradient
 * straight through to the full-precision weights, as the authors' save/quantize/restore/step loop does
 * (papers.md §1.3). The quantization runs on the host (an O(n) pass, about 5 ms per million weights).
 */
public final class ClipQWeightQuantizer extends AbstractBlock {

    private final ClipQuantizer quantizer;
    private byte[] indexes = new byte[0];
    private float[] dequantized = new float[0];
    private ClipQResult last;

    public ClipQWeightQuantizer(ClipQConfig config) {
        this.quantizer = new ClipQuantizer(config);
    }

    public ClipQConfig config() {
        return quantizer.config();
    }

    /** The codebook and assignment of the most recent forward pass (for histograms and export), or null. */
    public ClipQResult lastResult() {
        return last;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray w = inputs.singletonOrThrow();
        float[] host = w.toFloatArray();
        if (indexes.length != host.length) {
            indexes = new byte[host.length];
            dequantized = new float[host.length];
        }
        last = quantizer.quantize(host, host.length, indexes);
        last.dequantizeInto(dequantized);
        NDArray q = w.getManager().create(dequantized, w.getShape());
        return new NDList(Ste.straightThrough(w, q));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    public String toString() {
        return "ClipQ(" + quantizer.config().toSpec() + ")";
    }
}
