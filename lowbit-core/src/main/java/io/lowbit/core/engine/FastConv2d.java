package io.lowbit.core.engine;

import io.lowbit.core.model.Conv2d;
import io.lowbit.core.model.TensorInfo;
import io.lowbit.core.model.Window;
import java.util.Arrays;

/**
 * Convolution (§4, grouped and depthwise included) as loops the JIT vectorizes, all in {@code int}: the <em>axpy</em>
 * kernel. {@link TiledConv2d} is about three times faster on CLIP-Q NIN and VGG7 layers; this one stays for
 * depthwise-like layers (few output channels per group, which a tile would mostly waste) and as
 * {@link ConvKernel#AXPY}, the A/B baseline of {@code lowbit bench-engine}.
 *
 * <p>Each input channel is centred ({@code x − Z_in[c]}) once per image into a zero-padded plane, the <em>grid</em>
 * of {@code rows × Wp} positions ({@code Wp} = padded width); padding then costs nothing (padded positions hold
 * {@code Z_in}, centred 0, §2). Every sum is then {@code S[p] += w0·a[p] + w1·b[p] + w2·c[p] + w3·d[p]} over four
 * input rows, each array indexed by the loop variable alone — the form C2's superword pass turns into AVX2 code on
 * JDK 17; an offset index ({@code a[p + k]}) or more than four inputs keeps the loop scalar, about five times slower.
 * Zero weights (pruned codebook entries) are left out of the per-channel lists. Two layouts:
 * <ul>
 *   <li><em>patches</em> (1×1 kernels, and layers whose patch matrix is small, e.g. the first layer): the rows are the
 *       {@code inC·kH·kW} shifted copies of the planes over the output positions (im2col; for a 1×1 stride-1 kernel
 *       without padding, the planes themselves), and {@code acc[o]} is one weighted sum of rows;</li>
 *   <li><em>taps</em> (everything else, where im2col would leave the cache): for output channel {@code o} and tap
 *       {@code t = (i, j)} a scratch row collects {@code S_t[p] = Σ_c w[o, c, i, j]·plane_c[p]} over the grid, and
 *       {@code acc[o, y, x] = bias[o] + Σ_t S_t[(y·sH + i)·Wp + x·sW + j]} — §4's sum regrouped.</li>
 * </ul>
 *
 * <p>Accumulation is in {@code int}, which is exact: Java's {@code int} arithmetic is arithmetic modulo 2^32, so
 * however the products are grouped the result is the true sum modulo 2^32, and the true sum lies in int32 because
 * the model proved {@code [L, U] ⊆ int32} for the layer (§5, {@code AccumulatorBound}); a residue modulo 2^32 in
 * int32 is the number itself. (§5 even bounds every partial sum, so nothing wraps on the way.) The reference engine
 * sums the same products in a {@code long} and narrows with {@code toIntExact}.
 */
final class FastConv2d implements CompiledOp {

    /** Largest patch matrix, in ints: 256 KiB, about half of a core's L2 cache. */
    static final int PATCH_LIMIT = 1 << 16;

    private final int inC;
    private final int inH;
    private final int inW;
    private final int outC;
    private final int outH;
    private final int outW;
    private final int strideH;
    private final int strideW;
    private final int padTop;
    private final int padLeft;
    private final int gridWidth;
    private final int gridSize;
    private final int taps;
    private final int[] tapOffset;
    private final int[] zeroPoint;
    private final boolean patches;
    /** Sums per output channel: 1 (patches) or one per tap. */
    private final int segments;
    /** Sum {@code s} of channel {@code o} has the non-zero weights {@code first[o·segments + s] ..< (next one)}. */
    private final int[] first;
    /** The row each entry multiplies: {@code c·taps + t} (patches) or the channel {@code c} (taps). */
    private final int[] row;
    private final int[] weight;
    private final int[] bias;
    private final FastOutputStage stage;

    /** The layout that suits the layer: patches for 1×1 kernels and patch matrices within {@link #PATCH_LIMIT}. */
    FastConv2d(Conv2d op, TensorInfo in, TensorInfo out) {
        this(op, in, out, prefersPatches(op, in, out));
    }

    /** The given layout: patches (im2col) or per-tap sums; both give the same outputs. */
    FastConv2d(Conv2d op, TensorInfo in, TensorInfo out, boolean patches) {
        Window w = op.window();
        inC = in.shape().channels();
        inH = in.shape().height();
        inW = in.shape().width();
        outC = out.shape().channels();
        outH = out.shape().height();
        outW = out.shape().width();
        strideH = w.strideH();
        strideW = w.strideW();
        padTop = w.padTop();
        padLeft = w.padLeft();
        gridWidth = w.padLeft() + inW + w.padRight();
        gridSize = ((outH - 1) * strideH + w.kernelH()) * gridWidth; // the rows some output reads
        taps = w.kernelArea();
        tapOffset = new int[taps];
        for (int t = 0; t < taps; t++) {
            tapOffset[t] = t / w.kernelW() * gridWidth + t % w.kernelW();
        }
        zeroPoint = new int[inC];
        for (int c = 0; c < inC; c++) {
            zeroPoint[c] = in.zeroPoint(c);
        }
        this.patches = patches;
        segments = patches ? 1 : taps;
        int perGroup = op.groupInChannels();
        int outPerGroup = outC / op.groups();
        int[] codes = op.weights().decode().toArray(); // (outC, inC/G, kH, kW)
        int nonZero = (int) Arrays.stream(codes).filter(code -> code != 0).count();
        first = new int[outC * segments + 1];
        row = new int[nonZero];
        weight = new int[nonZero];
        int k = 0;
        for (int o = 0; o < outC; o++) {
            int group = o / outPerGroup;
            for (int t = 0; t < taps; t++) {
                if (!patches || t == 0) {
                    first[o * segments + (patches ? 0 : t)] = k;
                }
                for (int ci = 0; ci < perGroup; ci++) {
                    int code = codes[(o * perGroup + ci) * taps + t];
                    if (code != 0) {
                        int c = group * perGroup + ci;
                        row[k] = patches ? c * taps + t : c;
                        weight[k] = code;
                        k++;
                    }
                }
            }
        }
        first[outC * segments] = k;
        bias = op.bias().toArray();
        stage = FastOutputStage.of(op.outputStage(), outC);
    }

    private static boolean prefersPatches(Conv2d op, TensorInfo in, TensorInfo out) {
        long taps = op.window().kernelArea();
        long positions = (long) out.shape().height() * out.shape().width();
        return taps == 1 || in.shape().channels() * taps * positions <= PATCH_LIMIT;
    }

    @Override
    public int[] apply(int[][] inputs, Workers workers) {
        int[][] planes = centredPlanes(inputs[0]);
        int[][] rows = patches ? patchRows(planes) : planes;
        int positions = outH * outW;
        int[] y = new int[outC * positions];
        workers.forEach(outC, () -> new int[segments + 1][patches ? positions : gridSize], (sums, o) -> {
            int[] acc = sums[segments];
            if (patches) {
                Arrays.fill(acc, 0);
                accumulate(acc, rows, first[o], first[o + 1], positions);
            } else {
                sumTaps(o, planes, sums, acc);
            }
            stage.applyRow(acc, positions, bias[o], o, y, o * positions);
        });
        return y;
    }

    /** {@code x − Z_in[c]} of each channel on its zero-padded grid (rows no output reads are left out). */
    private int[][] centredPlanes(int[] x) {
        int rows = gridSize / gridWidth;
        int[][] planes = new int[inC][gridSize];
        for (int c = 0; c < inC; c++) {
            int[] plane = planes[c];
            int z = zeroPoint[c];
            for (int r = 0; r < inH && r + padTop < rows; r++) {
                int src = (c * inH + r) * inW;
                int dst = (r + padTop) * gridWidth + padLeft;
                for (int col = 0; col < inW; col++) {
                    plane[dst + col] = x[src + col] - z;
                }
            }
        }
        return planes;
    }

    /** Row {@code c·taps + t}: what tap {@code t} of channel {@code c} sees at each output position (im2col). */
    private int[][] patchRows(int[][] planes) {
        int positions = outH * outW;
        if (gridSize == positions) { // 1×1 kernel, stride 1, no padding: the grid is the output
            return planes;
        }
        int[][] rows = new int[inC * taps][positions];
        for (int c = 0; c < inC; c++) {
            for (int t = 0; t < taps; t++) {
                int[] r = rows[c * taps + t];
                for (int oy = 0; oy < outH; oy++) {
                    int src = oy * strideH * gridWidth + tapOffset[t];
                    for (int ox = 0; ox < outW; ox++) {
                        r[oy * outW + ox] = planes[c][src + ox * strideW];
                    }
                }
            }
        }
        return rows;
    }

    /** {@code acc[y, x] = Σ_t S_t[(y·sH + i)·Wp + x·sW + j]}, each {@code S_t} summed over the grid first. */
    private void sumTaps(int o, int[][] planes, int[][] sums, int[] acc) {
        Arrays.fill(acc, 0);
        for (int t = 0; t < taps; t++) {
            int from = first[o * taps + t];
            int to = first[o * taps + t + 1];
            if (from == to) {
                continue;
            }
            int[] sum = sums[t];
            Arrays.fill(sum, 0);
            accumulate(sum, planes, from, to, gridSize);
            for (int oy = 0; oy < outH; oy++) {
                int src = oy * strideH * gridWidth + tapOffset[t];
                int dst = oy * outW;
                for (int ox = 0; ox < outW; ox++) {
                    acc[dst + ox] += sum[src + ox * strideW];
                }
            }
        }
    }

    /** {@code sum[p] += Σ_k weight[k]·rows[row[k]][p]} over entries {@code from ..< to}, four at a time. */
    private void accumulate(int[] sum, int[][] rows, int from, int to, int n) {
        int k = from;
        for (; k + 4 <= to; k += 4) {
            madd4(sum, n, weight[k], rows[row[k]], weight[k + 1], rows[row[k + 1]], weight[k + 2], rows[row[k + 2]],
                    weight[k + 3], rows[row[k + 3]]);
        }
        switch (to - k) {
            case 3 -> madd3(sum, n, weight[k], rows[row[k]], weight[k + 1], rows[row[k + 1]], weight[k + 2],
                    rows[row[k + 2]]);
            case 2 -> madd2(sum, n, weight[k], rows[row[k]], weight[k + 1], rows[row[k + 1]]);
            case 1 -> madd1(sum, n, weight[k], rows[row[k]]);
            default -> { }
        }
    }

    private static void madd4(int[] s, int n, int w0, int[] x0, int w1, int[] x1, int w2, int[] x2, int w3,
            int[] x3) {
        for (int p = 0; p < n; p++) {
            s[p] += w0 * x0[p] + w1 * x1[p] + w2 * x2[p] + w3 * x3[p];
        }
    }

    private static void madd3(int[] s, int n, int w0, int[] x0, int w1, int[] x1, int w2, int[] x2) {
        for (int p = 0; p < n; p++) {
            s[p] += w0 * x0[p] + w1 * x1[p] + w2 * x2[p];
        }
    }

    private static void madd2(int[] s, int n, int w0, int[] x0, int w1, int[] x1) {
        for (int p = 0; p < n; p++) {
            s[p] += w0 * x0[p] + w1 * x1[p];
        }
    }

    private static void madd1(int[] s, int n, int w0, int[] x0) {
        for (int p = 0; p < n; p++) {
            s[p] += w0 * x0[p];
        }
    }
}
