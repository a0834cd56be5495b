package io.lowbit.train.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.lowbit.core.arith.FixedPointFormat;
import io.lowbit.core.arith.Rounding;
import io.lowbit.train.data.Normalization;
import io.lowbit.train.nn.ConvUnit;

/**
 * The training graph's float32 arithmetic, replayed on the host in the same operation order, so export sees
 * bit-identical weights, biases and codes:
 * <ul>
 *   <li>{@link #foldBn(ConvUnit)}: {@code ConvUnit}'s FOLDED forward, {@code scale = γ / sqrt(σ² + ε)},
 *       {@code W' = W·scale[o]}, {@code b' = β − μ·scale}, evaluated <em>on the DJL engine</em> with the same ops
 *       and shapes as training. PyTorch's float32 {@code sqrt} is not correctly rounded (1 ULP off for ~17 % of
 *       inputs, measured), so the pure-Java {@link #foldBn(float[], float[], float[], float[], float[])} (correctly
 *       rounded float steps) can differ from training by 1 ULP and is kept only as the reference formula;</li>
 *   <li>{@link #code}: {@code FixedPointQuantizer}'s {@code round_r(clip(x, min, max)·2^f)} in float32, with
 *       {@code Ste.round}'s formulas (half up is {@code floor(x + 0.5f)} in float).</li>
 * </ul>
 * The learned methods do not quantize the network input in the training graph; their input table is
 * {@link io.lowbit.train.data.InputCodes}, shared by the data pipeline that feeds training and by export.
 */
public final class HostFloat {

    private HostFloat() {
    }

    /** Folded float32 weights ((outC, …) row-major) and bias of one conv. */
    public record Folded(float[] weight, float[] bias) {
    }

    /**
     * The folded weights and bias exactly as {@code ConvUnit}'s FOLDED forward computes them: the same NDArray ops,
     * in the same order, on the same engine, with the same shapes.
     */
    public static Folded foldBn(ConvUnit unit) {
        int outC = unit.spec().outChannels();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray gamma = m.create(unit.gamma().getArray().toFloatArray());
            NDArray var = m.create(unit.runningVar().getArray().toFloatArray());
            NDArray beta = m.create(unit.beta().getArray().toFloatArray());
            NDArray mean = m.create(unit.runningMean().getArray().toFloatArray());
            NDArray w = m.create(unit.weight().getArray().toFloatArray(), unit.weight().getArray().getShape());
            NDArray scale = gamma.div(var.add(ConvUnit.BN_EPS).sqrt());
            float[] wf = w.mul(scale.reshape(outC, 1, 1, 1)).toFloatArray();
            float[] bf = beta.sub(mean.mul(scale)).toFloatArray();
            return new Folded(wf, bf);
        }
    }

    /**
     * The fold with correctly rounded float32 steps ({@code t = σ² + ε}, {@code sq = (float) sqrt(t)},
     * {@code scale = γ / sq}, …): the reference formula; may differ from the engine by 1 ULP (see above).
     */
    public static Folded foldBn(float[] weight, float[] gamma, float[] beta, float[] mean, float[] var) {
        int outC = gamma.length;
        if (weight.length % outC != 0 || beta.length != outC || mean.length != outC || var.length != outC) {
            throw new IllegalArgumentException("BN fold: inconsistent shapes (weights " + weight.length
                    + ", channels " + outC + ")");
        }
        int per = weight.length / outC;
        float[] w = new float[weight.length];
        float[] b = new float[outC];
        for (int o = 0; o < outC; o++) {
            float t = var[o] + ConvUnit.BN_EPS;
            float sq = (float) Math.sqrt(t); // correctly rounded float sqrt (double sqrt of a float, then rounded)
            float scale = gamma[o] / sq;
            for (int i = 0; i < per; i++) {
                w[o * per + i] = weight[o * per + i] * scale;
            }
            float ms = mean[o] * scale;
            b[o] = beta[o] - ms;
        }
        return new Folded(w, b);
    }

    /** The code {@code FixedPointQuantizer(format, rounding)} gives {@code x}, in float32 as the training graph. */
    public static int code(float x, FixedPointFormat format, Rounding rounding) {
        float lo = (float) format.minValue();
        float hi = (float) format.maxValue();
        float clipped = Math.min(hi, Math.max(lo, x));
        float scaled = clipped * (float) Math.scalb(1.0, format.fractionBits());
        float r = switch (rounding) {
            case TRUNCATE_TOWARD_ZERO -> scaled < 0 ? (float) Math.ceil(scaled) : (float) Math.floor(scaled);
            case FLOOR -> (float) Math.floor(scaled);
            case ROUND_HALF_UP -> (float) Math.floor(scaled + 0.5f);
            case ROUND_HALF_EVEN -> (float) Math.rint(scaled);
        };
        return (int) r;
    }

    /**
     * The host quantization table of the network input: {@code table[c·256 + p] = code(normalization.apply(c, p))},
     * exactly the training graph's input quantizer applied to the normalized pixel.
     */
    public static int[] inputTable(Normalization normalization, int channels, FixedPointFormat format,
            Rounding rounding) {
        int[] table = new int[channels * 256];
        for (int c = 0; c < channels; c++) {
            for (int p = 0; p < 256; p++) {
                table[c * 256 + p] = code(normalization.apply(c, p), format, rounding);
            }
        }
        return table;
    }
}
