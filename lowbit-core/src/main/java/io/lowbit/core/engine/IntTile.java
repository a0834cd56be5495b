package io.lowbit.core.engine;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloatTile}'s tile in {@code int}, for the chunks of a layer whose products or partial sums may leave
 * {@link FloatTile}'s exact range ({@code ±2^22}; 16-bit codes, or wide weights): the same tile and data layout,
 * {@code int} multiplies (slower than FMAs, rarely needed). Exact for the reason {@link FastConv2d} gives: {@code int}
 * arithmetic is arithmetic modulo 2^32 and §5 proves the layer's true sums lie in int32.
 */
final class IntTile {

    private static final VectorSpecies<Integer> INTS = FloatTile.INTS;
    private static final int LANES = FloatTile.LANES;
    private static final int WIDTH = FloatTile.WIDTH;

    private IntTile() {
    }

    /** {@link FloatTile#accumulate} on {@code int} inputs and weights. */
    static void accumulate(int[] x, int[] offset, int k0, int k1, int[] w, int wAt, int p, int[] tile) {
        IntVector a00 = IntVector.zero(INTS);
        IntVector a01 = a00;
        IntVector a10 = a00;
        IntVector a11 = a00;
        IntVector a20 = a00;
        IntVector a21 = a00;
        IntVector a30 = a00;
        IntVector a31 = a00;
        IntVector a40 = a00;
        IntVector a41 = a00;
        IntVector a50 = a00;
        IntVector a51 = a00;
        IntVector a60 = a00;
        IntVector a61 = a00;
        IntVector a70 = a00;
        IntVector a71 = a00;
        for (int k = k0; k < k1; k++) {
            int from = offset[k] + p;
            IntVector x0 = IntVector.fromArray(INTS, x, from);
            IntVector x1 = IntVector.fromArray(INTS, x, from + LANES);
            int wk = wAt + k * FloatTile.ROWS;
            int w0 = w[wk];
            a00 = a00.add(x0.mul(w0));
            a01 = a01.add(x1.mul(w0));
            int w1 = w[wk + 1];
            a10 = a10.add(x0.mul(w1));
            a11 = a11.add(x1.mul(w1));
            int w2 = w[wk + 2];
            a20 = a20.add(x0.mul(w2));
            a21 = a21.add(x1.mul(w2));
            int w3 = w[wk + 3];
            a30 = a30.add(x0.mul(w3));
            a31 = a31.add(x1.mul(w3));
            int w4 = w[wk + 4];
            a40 = a40.add(x0.mul(w4));
            a41 = a41.add(x1.mul(w4));
            int w5 = w[wk + 5];
            a50 = a50.add(x0.mul(w5));
            a51 = a51.add(x1.mul(w5));
            int w6 = w[wk + 6];
            a60 = a60.add(x0.mul(w6));
            a61 = a61.add(x1.mul(w6));
            int w7 = w[wk + 7];
            a70 = a70.add(x0.mul(w7));
            a71 = a71.add(x1.mul(w7));
        }
        a00.intoArray(tile, 0);
        a01.intoArray(tile, LANES);
        a10.intoArray(tile, WIDTH);
        a11.intoArray(tile, WIDTH + LANES);
        a20.intoArray(tile, 2 * WIDTH);
        a21.intoArray(tile, 2 * WIDTH + LANES);
        a30.intoArray(tile, 3 * WIDTH);
        a31.intoArray(tile, 3 * WIDTH + LANES);
        a40.intoArray(tile, 4 * WIDTH);
        a41.intoArray(tile, 4 * WIDTH + LANES);
        a50.intoArray(tile, 5 * WIDTH);
        a51.intoArray(tile, 5 * WIDTH + LANES);
        a60.intoArray(tile, 6 * WIDTH);
        a61.intoArray(tile, 6 * WIDTH + LANES);
        a70.intoArray(tile, 7 * WIDTH);
        a71.intoArray(tile, 7 * WIDTH + LANES);
    }

    /** {@code acc[at + i·stride + q] (+)= tile[i·WIDTH + q]}, as {@link FloatTile#drain}. */
    static void drain(int[] tile, int[] acc, int at, int stride, boolean first) {
        for (int i = 0; i < FloatTile.ROWS; i++) {
            for (int q = 0; q < WIDTH; q += LANES) {
                IntVector v = IntVector.fromArray(INTS, tile, i * WIDTH + q);
                int to = at + i * stride + q;
                if (first) {
                    v.intoArray(acc, to);
                } else {
                    v.add(IntVector.fromArray(INTS, acc, to)).intoArray(acc, to);
                }
            }
        }
    }
}
