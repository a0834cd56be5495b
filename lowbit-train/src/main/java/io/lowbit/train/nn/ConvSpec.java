package io.lowbit.train.nn;

/**
 * Shape of one convolution unit: a square {@code kernel × kernel} convolution with symmetric zero padding,
 * optionally grouped (groups = inChannels = outChannels is a depthwise conv), followed by optional
 * BatchNorm and ReLU. {@code name} is the layer's stable name (used by per-layer quantization overrides,
 * export and reports).
 */
public record ConvSpec(String name, int inChannels, int outChannels, int kernel, int stride, int padding,
                       int groups, boolean batchNorm, boolean relu) {

    public ConvSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("layer name must be non-empty");
        }
        if (inChannels < 1 || outChannels < 1 || kernel < 1 || stride < 1 || padding < 0 || groups < 1) {
            throw new IllegalArgumentException("invalid conv " + name + ": in=" + inChannels + " out="
                    + outChannels + " k=" + kernel + " s=" + stride + " p=" + padding + " g=" + groups);
        }
        if (inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("conv " + name + ": channels " + inChannels + "→" + outChannels
                    + " not divisible by groups " + groups);
        }
    }

    /** A conv with "same" padding for odd kernels, BN and ReLU: the common case. */
    public static ConvSpec convBnRelu(String name, int in, int out, int kernel, int stride) {
        return new ConvSpec(name, in, out, kernel, stride, kernel / 2, 1, true, true);
    }

    public ConvSpec withRelu(boolean r) {
        return new ConvSpec(name, inChannels, outChannels, kernel, stride, padding, groups, batchNorm, r);
    }

    public boolean depthwise() {
        return groups > 1 && groups == inChannels && groups == outChannels;
    }

    public int outputSize(int inputSize) {
        return (inputSize + 2 * padding - kernel) / stride + 1;
    }

    /** Number of weights: outC · inC/groups · k². */
    public long weightCount() {
        return (long) outChannels * (inChannels / groups) * kernel * kernel;
    }

    /** Multiply-accumulates for one image whose input is {@code h × w}. */
    public long macs(int h, int w) {
        return weightCount() * outputSize(h) * outputSize(w);
    }
}
