package io.lowbit.train.nn;

/**
 * Folds an inference-mode BatchNorm into the preceding convolution:
 * {@code W' = W·γ/√(σ²+ε)} per output channel and {@code b' = β − γ·μ/√(σ²+ε) (+ b·γ/√(σ²+ε))}.
 * Plain float arithmetic on host arrays, so export and tests share one definition.
 */
public final class BnFolding {

    private BnFolding() {
    }

    /** Folded weights and bias of one conv; {@code weight} is (outC, …) flattened row-major. */
    public record Folded(float[] weight, float[] bias) {
    }

    public static Folded fold(float[] weight, float[] biasOrNull, float[] gamma, float[] beta, float[] mean,
                              float[] var, float eps) {
        int outC = gamma.length;
        if (weight.length % outC != 0 || beta.length != outC || mean.length != outC || var.length != outC) {
            throw new IllegalArgumentException("BN folding: inconsistent shapes (weights " + weight.length
                    + ", channels " + outC + ")");
        }
        int perChannel = weight.length / outC;
        float[] w = new float[weight.length];
        float[] b = new float[outC];
        for (int c = 0; c < outC; c++) {
            double scale = gamma[c] / Math.sqrt((double) var[c] + eps);
            for (int i = 0; i < perChannel; i++) {
                w[c * perChannel + i] = (float) (weight[c * perChannel + i] * scale);
            }
            double bias0 = biasOrNull == null ? 0 : biasOrNull[c];
            b[c] = (float) (beta[c] + (bias0 - mean[c]) * scale);
        }
        return new Folded(w, b);
    }
}
