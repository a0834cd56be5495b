package io.lowbit.core.engine;

import io.lowbit.core.model.TensorInfo;
import io.lowbit.core.model.Window;

/**
 * Max pool (§11): the largest code of each window, padded positions excluded (every window holds a real one, so a
 * padding of the smallest int never wins). Separable ({@link PoolGrid}): the maximum over {@code kW} columns at every
 * column start, then over {@code kH} of those rows, then the strided columns are picked — max is associative, so the
 * result is the window's maximum, as the reference computes it.
 */
final class FastMaxPool implements CompiledOp {

    private final PoolGrid grid;

    FastMaxPool(Window window, TensorInfo in, TensorInfo out) {
        grid = new PoolGrid(window, in, out);
    }

    @Override
    public int[] apply(int[][] inputs, Workers workers) {
        int[] x = inputs[0];
        PoolGrid g = grid;
        int[] y = new int[g.channels * g.outH * g.outW];
        int[] cells = g.newGrid(Integer.MIN_VALUE);
        int[] rowMax = new int[g.rows * g.stride];
        int[] colMax = new int[g.stride];
        for (int c = 0; c < g.channels; c++) {
            g.load(x, c, 0, cells);
            g.reduceRows(cells, rowMax, true);
            for (int oy = 0; oy < g.outH; oy++) {
                g.reduceColumns(rowMax, oy, colMax, true);
                g.pick(colMax, y, (c * g.outH + oy) * g.outW);
            }
        }
        return y;
    }
}
