package io.lowbit.core.engine;

import io.lowbit.core.model.TensorInfo;
import io.lowbit.core.model.Window;
import java.util.Arrays;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The geometry shared by {@link FastMaxPool} and {@link FastAvgPool}: each channel is laid onto a grid of exactly the
 * rows and columns its windows read ({@code (out − 1)·stride + kernel}), padding filled with a value that cannot
 * change the result (the smallest int for max, 0 for a sum of centred codes), so that a pool is separable — a sliding
 * reduction along each grid row, then along columns — done in whole vectors (Java Vector API; C2 leaves loops as
 * short as a pooled row scalar), instead of a window walk per output. Rows of reductions are {@link #stride} ints
 * apart, a whole number of vectors: the lanes past {@link #spans} hold whatever the padding and the next row give,
 * and are never read as outputs.
 */
final class PoolGrid {

    static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;

    final int channels;
    final int inH;
    final int inW;
    final int outH;
    final int outW;
    final Window window;
    /** Grid rows and columns: what the windows read. */
    final int rows;
    final int cols;
    /** Columns of a row after the sliding reduction along it: the window's start columns, {@code cols − kW + 1}. */
    final int spans;
    /** {@link #spans} rounded up to whole vectors: the row length of reductions. */
    final int stride;
    /** Lane {@code i} reads column {@code i·strideW}: the window starts of {@link #pick}. */
    private final int[] strided;

    PoolGrid(Window window, TensorInfo in, TensorInfo out) {
        this.window = window;
        channels = in.shape().channels();
        inH = in.shape().height();
        inW = in.shape().width();
        outH = out.shape().height();
        outW = out.shape().width();
        rows = (outH - 1) * window.strideH() + window.kernelH();
        cols = (outW - 1) * window.strideW() + window.kernelW();
        spans = cols - window.kernelW() + 1;
        stride = (spans + INTS.length() - 1) / INTS.length() * INTS.length();
        strided = new int[INTS.length()];
        for (int i = 0; i < strided.length; i++) {
            strided[i] = i * window.strideW();
        }
    }

    /**
     * Every grid row reduced (maximum, or sum) over the {@code kW} columns from each start: {@code rowBuf[r·stride +
     * j]} for column start {@code j}. The flag is the same for a whole call, so the JIT hoists the branch out of the
     * loop.
     */
    void reduceRows(int[] cells, int[] rowBuf, boolean max) {
        int kW = window.kernelW();
        for (int r = 0; r < rows; r++) {
            int src = r * cols;
            for (int j = 0; j < stride; j += INTS.length()) {
                IntVector v = IntVector.fromArray(INTS, cells, src + j);
                for (int t = 1; t < kW; t++) {
                    IntVector u = IntVector.fromArray(INTS, cells, src + t + j);
                    v = max ? v.max(u) : v.add(u);
                }
                v.intoArray(rowBuf, r * stride + j);
            }
        }
    }

    /** Output row {@code oy}: the {@code kH} reduced rows of its windows reduced into {@code colBuf}, per start. */
    void reduceColumns(int[] rowBuf, int oy, int[] colBuf, boolean max) {
        int top = oy * window.strideH() * stride;
        int kH = window.kernelH();
        for (int j = 0; j < stride; j += INTS.length()) {
            IntVector v = IntVector.fromArray(INTS, rowBuf, top + j);
            for (int t = 1; t < kH; t++) {
                IntVector u = IntVector.fromArray(INTS, rowBuf, top + t * stride + j);
                v = max ? v.max(u) : v.add(u);
            }
            v.intoArray(colBuf, j);
        }
    }

    /** {@code y[to + ox] = reduced[ox·strideW]} for {@code ox < outW}: the columns where windows start. */
    void pick(int[] reduced, int[] y, int to) {
        int sW = window.strideW();
        int ox = 0;
        for (int end = outW - INTS.length(); ox <= end; ox += INTS.length()) {
            IntVector.fromArray(INTS, reduced, ox * sW, strided, 0).intoArray(y, to + ox);
        }
        for (; ox < outW; ox++) {
            y[to + ox] = reduced[ox * sW];
        }
    }

    /** A grid filled with {@code padding}; {@link #load} overwrites the same interior for every channel. */
    int[] newGrid(int padding) {
        int[] grid = new int[rows * cols + stride + window.kernelW()]; // the last row's whole vectors read past it
        Arrays.fill(grid, padding);
        return grid;
    }

    /** Channel {@code c} of {@code x}, minus {@code subtract}, onto the grid's interior. */
    void load(int[] x, int c, int subtract, int[] grid) {
        int colFrom = Math.max(0, -window.padLeft()); // input columns that land on the grid
        int colTo = Math.min(inW, cols - window.padLeft());
        for (int r = 0; r < inH; r++) {
            int gr = r + window.padTop();
            if (gr < 0 || gr >= rows) {
                continue;
            }
            int src = (c * inH + r) * inW;
            int dst = gr * cols + window.padLeft();
            int col = colFrom;
            for (int end = colTo - INTS.length(); col <= end; col += INTS.length()) { // rows are short: no arraycopy
                IntVector.fromArray(INTS, x, src + col).sub(subtract).intoArray(grid, dst + col);
            }
            for (; col < colTo; col++) {
                grid[dst + col] = x[src + col] - subtract;
            }
        }
    }
}
