package io.lowbit.core.engine;

import io.lowbit.core.model.ChannelPadSubsample;
import io.lowbit.core.model.TensorInfo;
import java.util.Arrays;

/**
 * Option-A shortcut (§14): {@code P} channels of {@code Z} in front, the input subsampled by {@code s}, then
 * {@code Z} channels up to {@code outC}; a plain copy.
 */
final class FastChannelPadSubsample implements CompiledOp {

    private final int stride;
    private final int padFront;
    private final int zeroPoint;
    private final int inC;
    private final int inH;
    private final int inW;
    private final int outC;
    private final int outH;
    private final int outW;

    FastChannelPadSubsample(ChannelPadSubsample op, TensorInfo in, TensorInfo out) {
        stride = op.stride();
        inC = in.shape().channels();
        inH = in.shape().height();
        inW = in.shape().width();
        padFront = op.padFront(inC);
        zeroPoint = in.zeroPoint(0);
        outC = out.shape().channels();
        outH = out.shape().height();
        outW = out.shape().width();
    }

    @Override
    public int[] apply(int[][] inputs, Workers workers) {
        int[] x = inputs[0];
        int plane = outH * outW;
        int[] y = new int[outC * plane];
        Arrays.fill(y, 0, padFront * plane, zeroPoint);
        Arrays.fill(y, (padFront + inC) * plane, y.length, zeroPoint);
        int dst = padFront * plane;
        for (int c = 0; c < inC; c++) {
            for (int i = 0; i < outH; i++) {
                int row = (c * inH + i * stride) * inW;
                for (int j = 0; j < outW; j++) {
                    y[dst++] = x[row + j * stride];
                }
            }
        }
        return y;
    }
}
