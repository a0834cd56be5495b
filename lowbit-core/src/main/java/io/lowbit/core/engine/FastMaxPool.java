package io.lowbit.core.engine;

import io.lowbit.core.model.TensorInfo;
import io.lowbit.core.model.Window;
import jdk.incubator.vector.IntVector;

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
        Window w = g.window;
        int[] y = new int[g.channels * g.outH * g.outW];
        int[] cells = g.newGrid(Integer.MIN_VALUE);
        int[] rowMax = new int[g.rows * g.stride];
        int[] colMax = new int[g.stride];
        int lanes = PoolGrid.INTS.length();
        for (int c = 0; c < g.channels; c++) {
            g.load(x, c, 0, cells);
            for (int r = 0; r < g.rows; r++) {
                int src = r * g.cols;
                for (int j = 0; j < g.stride; j += lanes) {
                    IntVector v = IntVector.fromArray(PoolGrid.INTS, cells, src + j);
                    for (int t = 1; t < w.kernelW(); t++) {
                        v = v.max(IntVector.fromArray(PoolGrid.INTS, cells, src + t + j));
                    }
                    v.intoArray(rowMax, r * g.stride + j);
                }
            }
            for (int oy = 0; oy < g.outH; oy++) {
                int top = oy * w.strideH() * g.stride;
                for (int j = 0; j < g.stride; j += lanes) {
                    IntVector v = IntVector.fromArray(PoolGrid.INTS, rowMax, top + j);
                    for (int t = 1; t < w.kernelH(); t++) {
                        v = v.max(IntVector.fromArray(PoolGrid.INTS, rowMax, top + t * g.stride + j));
                    }
                    v.intoArray(colMax, j);
                }
                g.pick(colMax, y, (c * g.outH + oy) * g.outW);
            }
        }
        return y;
    }
}
