package io.lowbit.core.model;

import java.util.List;

/**
 * ResNet option-A shortcut ({@code docs/integer-semantics.md} §14): {@code y[c, i, j] = x[c − P, i·s, j·s]} for
 * {@code P ≤ c < P + inC}, else {@code Z} (real 0), with {@code P = (outC − inC)/2}; output
 * {@code (outC, ⌈H/s⌉, ⌈W/s⌉)} (PyTorch {@code x[:, :, ::s, ::s]}); type, zero-point and scale of the input.
 *
 * @param stride      subsampling step {@code s ≥ 1}
 * @param outChannels {@code outC ≥ inC} with {@code outC − inC} even
 */
public record ChannelPadSubsample(int stride, int outChannels) implements Op {

    public ChannelPadSubsample {
        if (stride < 1 || stride > Window.MAX_EXTENT) {
            throw new IllegalArgumentException("stride must be in [1, " + Window.MAX_EXTENT + "], got " + stride);
        }
        if (outChannels < 1) {
            throw new IllegalArgumentException("output channels must be ≥ 1, got " + outChannels);
        }
    }

    @Override
    public String kind() {
        return "channel_pad_subsample";
    }

    @Override
    public int arity() {
        return 1;
    }

    @Override
    public boolean inheritsScales() {
        return true;
    }

    /** {@code P = (outC − inC)/2}, the number of zero channels in front. */
    public int padFront(int inChannels) {
        return (outChannels - inChannels) / 2;
    }

    @Override
    public TensorInfo output(List<TensorInfo> inputs, List<Double> scales) {
        TensorInfo in = inputs.get(0);
        Rules.requireFeatureMap(in, "the input");
        Rules.requirePerTensorActivation(in, "the input");
        int inC = in.shape().channels();
        Rules.require(outChannels >= inC && (outChannels - inC) % 2 == 0, "output channels " + outChannels
                + " must be ≥ the input's " + inC + " and differ by an even number (" + Rules.SPEC + "§14)");
        Shape out = Shape.chw(outChannels, ceilDiv(in.shape().height(), stride), ceilDiv(in.shape().width(), stride));
        return new TensorInfo(out, in.type(), in.zeroPoints(), in.scales());
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
