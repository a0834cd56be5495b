package io.lowbit.core.engine;

import io.lowbit.core.arith.AveragePool;
import io.lowbit.core.model.AvgPool;
import io.lowbit.core.model.TensorInfo;
import io.lowbit.core.model.Window;

/**
 * Average pool (§12): the sum of {@code x − Z_in} over the window (padded positions hold {@code Z_in} and add 0, but
 * still count in the divisor, which {@link AveragePool} applies), then {@link AveragePool#averageOfCentredSum}.
 * Separable ({@link PoolGrid}, padding 0): row sums over {@code kW} columns, then column sums over {@code kH} of them —
 * integer addition, so the same sum as the reference's window walk. Every partial sum is a sum over part of a
 * window, no larger in magnitude than the window's bound, and the pool's construction rejects windows whose sum
 * could leave int32, so no step overflows.
 */
final class FastAvgPool implements CompiledOp {

    private final PoolGrid grid;
    private final AveragePool pool;
    private final int zeroPoint;

    FastAvgPool(AvgPool op, TensorInfo in, TensorInfo out) {
        grid = new PoolGrid(op.window(), in, out);
        pool = op.pool();
        zeroPoint = in.zeroPoint(0);
    }

    @Override
    public int[] apply(int[][] inputs, Workers workers) {
        int[] x = inputs[0];
        PoolGrid g = grid;
        Window w = g.window;
        int[] y = new int[g.channels * g.outH * g.outW];
        int[] cells = g.newGrid(0);
        int[] rowSum = new int[g.rows * g.stride];
        int[] colSum = new int[g.stride];
        for (int c = 0; c < g.channels; c++) {
            g.load(x, c, zeroPoint, cells);
            g.reduceRows(cells, rowSum, false);
            for (int oy = 0; oy < g.outH; oy++) {
                g.reduceColumns(rowSum, oy, colSum, false);
                int to = (c * g.outH + oy) * g.outW;
                for (int ox = 0; ox < g.outW; ox++) {
                    y[to + ox] = pool.averageOfCentredSum(colSum[ox * w.strideW()]);
                }
            }
        }
        return y;
    }
}
