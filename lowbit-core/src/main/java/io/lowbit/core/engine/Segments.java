package io.lowbit.core.engine;

import java.util.Arrays;
import jdk.incubator.vector.IntVector;

/**
 * A layout of a layer's input as a list of copies — {@code out[dst + i] = x[src + i·step] − Z[c]} for {@code i < n}
 * — computed once per layer, so that laying out an image (a zero-padded grid, or im2col patches) is a flat loop, in
 * {@code int} or directly in {@code float}. Everything not copied stays 0, the centred padding (§2).
 */
final class Segments {

    private int count;
    private int[] channel = new int[16];
    private int[] src = new int[16];
    private int[] step = new int[16];
    private int[] dst = new int[16];
    private int[] length = new int[16];

    void add(int c, int from, int stride, int to, int n) {
        int last = count - 1;
        if (last >= 0 && stride == 1 && step[last] == 1 && channel[last] == c && src[last] + length[last] == from
                && dst[last] + length[last] == to) {
            length[last] += n; // contiguous on both sides (unpadded rows): one longer loop instead of many short ones
            return;
        }
        if (count == channel.length) {
            channel = Arrays.copyOf(channel, 2 * count);
            src = Arrays.copyOf(src, 2 * count);
            step = Arrays.copyOf(step, 2 * count);
            dst = Arrays.copyOf(dst, 2 * count);
            length = Arrays.copyOf(length, 2 * count);
        }
        channel[count] = c;
        src[count] = from;
        step[count] = stride;
        dst[count] = to;
        length[count] = n;
        count++;
    }

    Segments done() {
        channel = Arrays.copyOf(channel, count);
        src = Arrays.copyOf(src, count);
        step = Arrays.copyOf(step, count);
        dst = Arrays.copyOf(dst, count);
        length = Arrays.copyOf(length, count);
        return this;
    }

    /** Copies {@code x}, centred with the per-channel {@code zeroPoint}, into {@code out}; returns {@code out}. */
    int[] copy(int[] x, int[] zeroPoint, int[] out) {
        for (int s = 0; s < count; s++) {
            int z = zeroPoint[channel[s]];
            int from = src[s];
            int to = dst[s];
            int n = length[s];
            if (step[s] == 1) {
                for (int i = 0; i < n; i++) {
                    out[to + i] = x[from + i] - z;
                }
            } else {
                for (int i = 0; i < n; i++) {
                    out[to + i] = x[from + i * step[s]] - z;
                }
            }
        }
        return out;
    }

    /**
     * {@link #copy(int[], int[], int[])} into floats (exact: centred codes are far within float's 2^24). Contiguous
     * pieces go in vectors, converted by the exact bit trick of {@link FloatTile#drain} run backwards (for an integer
     * {@code |v| ≤ 2^22}, the float with bits {@code 0x4B400000 + v} is {@code 1.5·2^23 + v}): JDK 17's own
     * int-to-float vector conversion is not compiled to an instruction on every processor, and C2 leaves pieces as
     * short as a row scalar.
     */
    float[] copy(int[] x, int[] zeroPoint, float[] out) {
        int lanes = FloatTile.LANES;
        for (int s = 0; s < count; s++) {
            int z = zeroPoint[channel[s]];
            int from = src[s];
            int to = dst[s];
            int n = length[s];
            if (step[s] == 1) {
                int i = 0;
                for (int end = n - lanes; i <= end; i += lanes) {
                    IntVector.fromArray(FloatTile.INTS, x, from + i).add(FloatTile.MAGIC_BITS - z).reinterpretAsFloats()
                            .sub(FloatTile.MAGIC).intoArray(out, to + i);
                }
                for (; i < n; i++) {
                    out[to + i] = x[from + i] - z;
                }
            } else {
                for (int i = 0; i < n; i++) {
                    out[to + i] = x[from + i * step[s]] - z;
                }
            }
        }
        return out;
    }
}
