package io.lowbit.core.engine;

import io.lowbit.core.arith.AveragePool;
import io.lowbit.core.model.AvgPool;
import io.lowbit.core.model.TensorInfo;
import io.lowbit.core.model.Window;

/**
 * Average pool (§12): the sum of {@code x − Z_in} over the window clipped to the map (padded positions hold
 * {@code Z_in} and add 0, but still count in the divisor, which {@link AveragePool} applies), then
 * {@link AveragePool#averageOfCentredSum}. The sum is exact in {@code int}: the pool's construction rejects windows
 * whose sum could leave int32.
 */
final class FastAvgPool implements CompiledOp {

    private final Window window;
    private final AveragePool pool;
    private final int zeroPoint;
    private final int channels;
    private final int inH;
    private final int inW;
    private final int outH;
    private final int outW;

    FastAvgPool(AvgPool op, TensorInfo in, TensorInfo out) {
        window = op.window();
        pool = op.pool();
        zeroPoint = in.zeroPoint(0);
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
                    int sum = 0;
                    for (int r = rowFrom; r < rowTo; r++) {
                        int row = (c * inH + r) * inW;
                        for (int col = colFrom; col < colTo; col++) {
                            sum += x[row + col] - zeroPoint;
                        }
                    }
                    y[dst++] = pool.averageOfCentredSum(sum);
                }
            }
        }
        return y;
    }
}
