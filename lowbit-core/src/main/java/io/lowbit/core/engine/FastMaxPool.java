package io.lowbit.core.engine;

import io.lowbit.core.model.TensorInfo;
import io.lowbit.core.model.Window;

/**
 * Max pool (§11): the largest code of each window, the window clipped to the map once per row and column instead
 * of testing every position (padded positions are excluded, and every window holds a real one).
 */
final class FastMaxPool implements CompiledOp {

    private final Window window;
    private final int channels;
    private final int inH;
    private final int inW;
    private final int outH;
    private final int outW;

    FastMaxPool(Window window, TensorInfo in, TensorInfo out) {
        this.window = window;
        channels = in.shape().channels();
        inH = in.shape().height();
        inW = in.shape().width();
        outH = out.shape().height();
        outW = out.shape().width();
    }

    @Override
    public int[] apply(int[][] inputs, Workers workers) {
        int[] x = inputs[0];
        int[] y = new int[channels * outH * outW];
        int dst = 0;
        for (int c = 0; c < channels; c++) {
            for (int oy = 0; oy < outH; oy++) {
                int top = oy * window.strideH() - window.padTop();
                int rowFrom = Math.max(0, top);
                int rowTo = Math.min(inH, top + window.kernelH());
                for (int ox = 0; ox < outW; ox++) {
                    int left = ox * window.strideW() - window.padLeft();
                    int colFrom = Math.max(0, left);
                    int colTo = Math.min(inW, left + window.kernelW());
                    int max = Integer.MIN_VALUE;
                    for (int r = rowFrom; r < rowTo; r++) {
                        int row = (c * inH + r) * inW;
                        for (int col = colFrom; col < colTo; col++) {
                            max = Math.max(max, x[row + col]);
                        }
                    }
                    y[dst++] = max;
                }
            }
        }
        return y;
    }
}
