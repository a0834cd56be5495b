package io.lowbit.train.quant.clipq;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.lowbit.train.quant.FixedPointWeights;
import io.lowbit.train.quant.Ste;

/**
 * CLIP-Q as a weight fake-quantizer: every forward pass (every minibatch, in training and evaluation alike)
 * re-runs {@link ClipQuantizer} on the current full-precision weights — clipping thresholds, segments, levels
 * and assignments all follow the shadow weights, so pruned weights can revive — and passes the gradient
 * straight through to the full-precision weights, as the authors' save/quantize/restore/step loop does
 * (papers.md §1.3). The quantization runs on the host (an O(n) pass, about 5 ms per million weights).
 */
public final class ClipQWeightQuantizer extends AbstractBlock implements FixedPointWeights {

    /** {@code wexp=auto}: choose the exponent from the layer's largest weight every pass. */
    public static final int AUTO_EXPONENT = io.lowbit.train.quant.WeightExponent.AUTO;
    /** Range of the per-layer weight exponent k. */
    public static final int MIN_EXPONENT = io.lowbit.train.quant.WeightExponent.MIN;
    public static final int MAX_EXPONENT = io.lowbit.train.quant.WeightExponent.MAX;

    private final ClipQuantizer quantizer;
    private final int fixedExponent;
    private byte[] indexes = new byte[0];
    private float[] scaled = new float[0];
    private float[] dequantized = new float[0];
    private ClipQResult last;
    private int lastExponent;

    /**
     * @param weightExponent per-layer power-of-two exponent k: the codebook levels are fixed-point codes of
     *                       {@code w·2^k} (0 is the paper's plain Q3.5), or {@link #AUTO_EXPONENT}
     */
    public ClipQWeightQuantizer(ClipQConfig config, int weightExponent) {
        if (weightExponent != AUTO_EXPONENT && (weightExponent < MIN_EXPONENT || weightExponent > MAX_EXPONENT)) {
            throw new IllegalArgumentException("clipq: wexp=" + weightExponent + " is outside [" + MIN_EXPONENT + ", "
                    + MAX_EXPONENT + "]");
        }
        this.quantizer = new ClipQuantizer(config);
        this.fixedExponent = weightExponent;
    }

    /**
     * The largest k in [{@value #MIN_EXPONENT}, {@value #MAX_EXPONENT}] with {@code max|w|·2^k} inside the level
     * format's range, so the levels use the format's resolution: BN folding scales a layer's weights by γ/σ, and
     * a 3×3 layer of NIN ends with |w'| ≤ 0.13, where most Q3.5 levels would truncate to 0. A power of two costs
     * the hardware nothing (the requantization shift grows by k). Without a level format, 0.
     */
    public static int autoExponent(float[] w, ClipQConfig config) {
        return config.levelFormat() == null ? 0 : io.lowbit.train.quant.WeightExponent.auto(w, config.levelFormat());
    }

    @Override
    public boolean onGrid() {
        return quantizer.config().levelFormat() != null;
    }

    /** Levels are codes × 2^−(n + k) for the level format Qm.n; none without a level format. */
    @Override
    public int fractionBits() {
        if (quantizer.config().levelFormat() == null) {
            throw new IllegalStateException("CLIP-Q without a level format has no fixed-point grid");
        }
        return quantizer.config().levelFormat().fractionBits() + lastExponent;
    }

    /** The exponent k of the most recent forward pass. */
    public int lastExponent() {
        return lastExponent;
    }

    /** The configured exponent, or {@link #AUTO_EXPONENT}. */
    public int weightExponent() {
        return fixedExponent;
    }

    public ClipQConfig config() {
        return quantizer.config();
    }

    /**
     * The codebook and assignment of the most recent forward pass (for histograms and export), or null; its
     * levels are those of {@code w·2^k}, k = {@link #lastExponent()}.
     */
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
            scaled = new float[host.length];
            dequantized = new float[host.length];
        }
        int k = fixedExponent == AUTO_EXPONENT ? autoExponent(host, quantizer.config()) : fixedExponent;
        float up = (float) Math.scalb(1.0, k);
        float down = (float) Math.scalb(1.0, -k);
        for (int i = 0; i < host.length; i++) {
            scaled[i] = host[i] * up; // powers of two: exact
        }
        last = quantizer.quantize(scaled, scaled.length, indexes);
        lastExponent = k;
        last.dequantizeInto(dequantized);
        for (int i = 0; i < dequantized.length; i++) {
            dequantized[i] *= down;
        }
        NDArray q = w.getManager().create(dequantized, w.getShape());
        return new NDList(Ste.straightThrough(w, q));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    public String toString() {
        return "ClipQ(" + quantizer.config().toSpec() + ", wexp="
                + (fixedExponent == AUTO_EXPONENT ? "auto" : Integer.toString(fixedExponent)) + ")";
    }
}
