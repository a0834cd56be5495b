package io.lowbit.core.engine;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The microkernel of {@link TiledConv2d} in {@code float}: one tile of {@link #ROWS} output channels × {@link #WIDTH}
 * positions, its {@code 8 × 2} vector accumulators held in registers while the reduction runs over a chunk of
 * {@code k} (input channel × tap), one FMA per accumulator per {@code k} — 16 FMAs for 2 loads of inputs and 8
 * weight broadcasts, where the axpy kernel it replaces loads and stores its sums for every four products. (Measured
 * on AVX-512 in L1: 8×2, 4×4, 6×2 and 4×3 tiles all run at about 110–120 G MAC/s per core, 2×6 and 12×1 at 80–100;
 * 8×2 has the finest position granularity, 32, so small maps waste least.)
 *
 * <p>It is exact only for chunks whose partial sums provably stay within {@code ±2^22} ({@link ExactChunks} decides,
 * the argument is there): then every product and every partial sum is an integer a {@code float} represents exactly,
 * so no FMA rounds, and the final conversion to {@code int} is exact too.
 */
final class FloatTile {

    /** The widest vector the processor has (16 floats with AVX-512, 8 with AVX2). */
    static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    /** Integers of the same lane count, for the conversion. */
    static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, FLOATS.vectorShape());
    static final int LANES = FLOATS.length();
    /** Output channels per tile (register rows). */
    static final int ROWS = 8;
    /** Positions per tile: two vectors. */
    static final int WIDTH = 2 * LANES;

    private FloatTile() {
    }

    /**
     * {@code tile[i·WIDTH + q] = Σ_{k0 ≤ k < k1} w[wAt + k·ROWS + i]·x[offset[k] + p + q]} for {@code i < ROWS},
     * {@code q < WIDTH}; {@link #drain} then moves the tile into the {@code int} sums.
     */
    static void accumulate(float[] x, int[] offset, int k0, int k1, float[] w, int wAt, int p, float[] tile) {
        FloatVector a00 = FloatVector.zero(FLOATS);
        FloatVector a01 = a00;
        FloatVector a10 = a00;
        FloatVector a11 = a00;
        FloatVector a20 = a00;
        FloatVector a21 = a00;
        FloatVector a30 = a00;
        FloatVector a31 = a00;
        FloatVector a40 = a00;
        FloatVector a41 = a00;
        FloatVector a50 = a00;
        FloatVector a51 = a00;
        FloatVector a60 = a00;
        FloatVector a61 = a00;
        FloatVector a70 = a00;
        FloatVector a71 = a00;
        for (int k = k0; k < k1; k++) {
            int from = offset[k] + p;
            FloatVector x0 = FloatVector.fromArray(FLOATS, x, from);
            FloatVector x1 = FloatVector.fromArray(FLOATS, x, from + LANES);
            int wk = wAt + k * ROWS;
            FloatVector w0 = FloatVector.broadcast(FLOATS, w[wk]);
            a00 = x0.fma(w0, a00);
            a01 = x1.fma(w0, a01);
            FloatVector w1 = FloatVector.broadcast(FLOATS, w[wk + 1]);
            a10 = x0.fma(w1, a10);
            a11 = x1.fma(w1, a11);
            FloatVector w2 = FloatVector.broadcast(FLOATS, w[wk + 2]);
            a20 = x0.fma(w2, a20);
            a21 = x1.fma(w2, a21);
            FloatVector w3 = FloatVector.broadcast(FLOATS, w[wk + 3]);
            a30 = x0.fma(w3, a30);
            a31 = x1.fma(w3, a31);
            FloatVector w4 = FloatVector.broadcast(FLOATS, w[wk + 4]);
            a40 = x0.fma(w4, a40);
            a41 = x1.fma(w4, a41);
            FloatVector w5 = FloatVector.broadcast(FLOATS, w[wk + 5]);
            a50 = x0.fma(w5, a50);
            a51 = x1.fma(w5, a51);
            FloatVector w6 = FloatVector.broadcast(FLOATS, w[wk + 6]);
            a60 = x0.fma(w6, a60);
            a61 = x1.fma(w6, a61);
            FloatVector w7 = FloatVector.broadcast(FLOATS, w[wk + 7]);
            a70 = x0.fma(w7, a70);
            a71 = x1.fma(w7, a71);
        }
        // intoArray, not a helper taking the vectors: a call C2 does not inline would box each vector on the heap
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

    /**
     * {@code acc[at + i·stride + q] (+)= tile[i·WIDTH + q]}, stored when {@code first}, added otherwise; the tile holds
     * integers within {@code ±2^22}. JDK 17 has no vector float-to-int conversion on x86 (the Vector API falls back to
     * boxed Java code), so the conversion is the classic exact one: for an integer {@code |f| ≤ 2^22},
     * {@code f + 1.5·2^23} is an integer in {@code [2^23, 2^24]}, where floats are spaced 1 apart (2^24 itself is a
     * float), so the addition is exact and the float's bits are {@code 0x4B400000 + f}.
     */
    static void drain(float[] tile, int[] acc, int at, int stride, boolean first) {
        for (int i = 0; i < ROWS; i++) {
            for (int q = 0; q < WIDTH; q += LANES) {
                IntVector v = FloatVector.fromArray(FLOATS, tile, i * WIDTH + q).add(MAGIC).reinterpretAsInts()
                        .sub(MAGIC_BITS);
                int to = at + i * stride + q;
                if (first) { // two paths: a vector merged from two branches would be boxed (C2, JDK 17)
                    v.intoArray(acc, to);
                } else {
                    v.add(IntVector.fromArray(INTS, acc, to)).intoArray(acc, to);
                }
            }
        }
    }

    /** {@code 1.5·2^23} and its bits. */
    static final float MAGIC = 12582912.0f;
    static final int MAGIC_BITS = 0x4B400000;
}
