package io.lowbit.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowbit.core.arith.IntType;
import io.lowbit.core.arith.QuantizedType;
import io.lowbit.core.model.Conv2d;
import io.lowbit.core.model.IntTensor;
import io.lowbit.core.model.IntegerWeights;
import io.lowbit.core.model.OutputStage;
import io.lowbit.core.model.Shape;
import io.lowbit.core.model.TensorInfo;
import io.lowbit.core.model.Window;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Assume;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link TiledConv2d} against {@link ReferenceEngine#conv2d}, raw int32 accumulators out (§15, so no requantization
 * can hide a difference), on both layouts and on chunkings from one {@code k} per chunk up: odd geometries (groups,
 * depthwise, strides, padding, channel counts that are no multiple of the tile or the vector width), and layers whose
 * sums leave float's exact integers — 16-bit inputs and weights, int and float chunks mixed — on random and on
 * extreme inputs, where partial sums reach the bound.
 */
class TiledConv2dTest {

    @Property(tries = 300, edgeCases = EdgeCasesMode.MIXIN)
    void anyGeometryMatchesTheReference(@ForAll @IntRange(min = 1, max = 4) int kH,
            @ForAll @IntRange(min = 1, max = 4) int kW, @ForAll @IntRange(min = 1, max = 3) int sH,
            @ForAll @IntRange(min = 1, max = 3) int sW, @ForAll @IntRange(min = 0, max = 2) int pT,
            @ForAll @IntRange(min = 0, max = 2) int pL, @ForAll @IntRange(min = 0, max = 2) int pB,
            @ForAll @IntRange(min = 0, max = 2) int pR, @ForAll @IntRange(min = 1, max = 9) int h,
            @ForAll @IntRange(min = 1, max = 9) int w, @ForAll @IntRange(min = 1, max = 12) int inC,
            @ForAll @IntRange(min = 0, max = 2) int grouping, @ForAll @IntRange(min = 1, max = 20) int outPerGroup,
            @ForAll long seed) {
        Assume.that(h + pT + pB >= kH && w + pL + pR >= kW);
        SplittableRandom rng = new SplittableRandom(seed);
        int groups = grouping == 2 ? inC : grouping == 1 && inC % 2 == 0 ? 2 : 1;
        QuantizedType in = new QuantizedType(IntType.UINT8, rng.nextInt(256));
        Layer layer = layer(new Window(kH, kW, sH, sW, pT, pL, pB, pR), inC, h, w, groups, groups * outPerGroup, in,
                IntType.INT8, rng, k -> rng.nextInt(4) == 0 ? 0 : rng.nextInt(-128, 128));
        layer.requireMatches(rng);
    }

    @Property(tries = 150, edgeCases = EdgeCasesMode.MIXIN)
    void sumsBeyondFloatsExactIntegersMatchTheReference(@ForAll @IntRange(min = 1, max = 3) int k,
            @ForAll @IntRange(min = 1, max = 6) int size, @ForAll @IntRange(min = 1, max = 3) int inC,
            @ForAll @IntRange(min = 1, max = 11) int outC, @ForAll boolean signedInput, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        QuantizedType in = signedInput ? new QuantizedType(IntType.INT16, rng.nextInt(-100, 101))
                : new QuantizedType(IntType.unsigned(16), rng.nextInt(0, 1000));
        // every third k has weights whose product with a 16-bit input passes 2^22 alone (an int chunk), the others
        // small ones (float chunks of a few k); |acc| ≤ 27·2^16·900 < 2^31
        Layer layer = layer(Window.square(k, 1, k / 2), inC, size, size, 1, outC, in, IntType.INT16, rng,
                j -> j % 3 == 0 ? rng.nextInt(-900, 901) : rng.nextInt(-20, 21));
        int[] codes = layer.conv.weights().decode().toArray();
        long d = in.maxAbsCentred();
        assertEquals(Arrays.stream(codes).anyMatch(c -> Math.abs(c) * d > ExactChunks.FLOAT_EXACT),
                layer.chunks(TiledConv2d.CHUNK).anyInt(), "int chunks exactly where a product may pass 2^22");
        layer.requireMatches(rng);
    }

    /** 256 products of 2^14 each: a float chunk whose sum is exactly 2^22, the largest the conversion allows. */
    @Test
    void aChunkReachingTheBoundIsExact() {
        SplittableRandom rng = new SplittableRandom(7);
        Layer layer = layer(Window.square(1, 1, 0), 256, 2, 3, 1, 9, new QuantizedType(IntType.INT8, 0), IntType.INT8,
                rng, k -> -128);
        ExactChunks chunks = layer.chunks(256);
        assertEquals(1, chunks.count());
        assertTrue(chunks.isFloat[0]);
        int[] lowest = new int[layer.in.shape().elementCount()];
        Arrays.fill(lowest, -128); // d = −128, w = −128: every sum is 256·2^14 = 2^22
        int[] got = layer.tiled(true, 256).apply(new int[][] {lowest}, Workers.SERIAL);
        assertEquals((1 << 22) + layer.conv.bias().toArray()[0], got[0]);
        assertArrayEquals(layer.reference(lowest), got);
        assertEquals(2, layer.chunks(255).count(), "2^22 + 2^14 needs a second chunk");
        layer.requireMatches(rng);
    }

    @Test
    void chunksNeverExceedTheirBound() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int trial = 0; trial < 200; trial++) {
            int groups = rng.nextInt(1, 4);
            int outPerGroup = rng.nextInt(1, 6);
            int k = rng.nextInt(1, 60);
            int[] w = new int[groups * outPerGroup * k];
            for (int i = 0; i < w.length; i++) {
                w[i] = rng.nextInt(8) == 0 ? rng.nextInt(-32767, 32768) : rng.nextInt(-128, 128);
            }
            long[][] d = new long[groups][k];
            for (long[] row : d) {
                Arrays.setAll(row, j -> rng.nextLong(1, 70000));
            }
            int maxLength = rng.nextInt(1, 40);
            ExactChunks chunks = ExactChunks.plan(w, d, outPerGroup, maxLength);
            assertEquals(0, chunks.start[0]);
            assertEquals(k, chunks.start[chunks.count()]);
            for (int c = 0; c < chunks.count(); c++) {
                assertTrue(chunks.start[c + 1] > chunks.start[c] && chunks.start[c + 1] - chunks.start[c] <= maxLength);
                for (int o = 0; o < groups * outPerGroup && chunks.isFloat[c]; o++) {
                    long bound = 0;
                    for (int j = chunks.start[c]; j < chunks.start[c + 1]; j++) {
                        bound += Math.abs((long) w[o * k + j]) * d[o / outPerGroup][j];
                    }
                    assertTrue(bound <= ExactChunks.FLOAT_EXACT, "chunk " + c + " of channel " + o + ": " + bound);
                }
            }
        }
    }

    @Test
    void inputsOutsideTheirTypeAreRejected() {
        SplittableRandom rng = new SplittableRandom(5);
        Layer layer = layer(Window.square(3, 1, 1), 2, 4, 4, 1, 8, new QuantizedType(IntType.unsigned(4), 3),
                IntType.INT8, rng, k -> rng.nextInt(-128, 128));
        int[] x = new int[layer.in.shape().elementCount()];
        x[5] = 16; // uint4 ends at 15
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> layer.tiled(true, TiledConv2d.CHUNK).apply(new int[][] {x}, Workers.SERIAL));
        assertTrue(e.getMessage().contains("outside its type"), e.getMessage());
    }

    @Test
    void theKernelFollowsTheChoice() {
        SplittableRandom rng = new SplittableRandom(9);
        Layer wide = layer(Window.square(3, 1, 1), 4, 5, 5, 1, 16, new QuantizedType(IntType.UINT8, 0), IntType.INT8,
                rng, k -> 1);
        Layer depthwise = layer(Window.square(3, 1, 1), 4, 5, 5, 4, 4, new QuantizedType(IntType.UINT8, 0),
                IntType.INT8, rng, k -> 1);
        assertTrue(ConvKernel.TILED.compile(wide.conv, wide.in, wide.out) instanceof TiledConv2d);
        assertTrue(ConvKernel.AXPY.compile(wide.conv, wide.in, wide.out) instanceof FastConv2d);
        assertTrue(ConvKernel.TILED.compile(depthwise.conv, depthwise.in, depthwise.out) instanceof FastConv2d);
    }

    private interface WeightOf {
        int at(int k);
    }

    /** One conv layer with accumulator outputs, its input and output descriptions. */
    private record Layer(Conv2d conv, TensorInfo in, TensorInfo out) {

        int[] reference(int[] x) {
            return ReferenceEngine.conv2d(conv, in, x, out);
        }

        TiledConv2d tiled(boolean direct, int maxChunk) {
            return tiled(direct, maxChunk, TiledConv2d.GROUP_BYTES);
        }

        TiledConv2d tiled(boolean direct, int maxChunk, int groupBytes) {
            return new TiledConv2d(conv, in, out, direct, maxChunk, groupBytes);
        }

        ExactChunks chunks(int maxChunk) {
            int taps = conv.window().kernelArea();
            int perGroup = conv.groupInChannels();
            int groups = conv.groups();
            long[][] d = new long[groups][perGroup * taps];
            for (int g = 0; g < groups; g++) {
                for (int j = 0; j < perGroup * taps; j++) {
                    d[g][j] = in.quantizedType(g * perGroup + j / taps).maxAbsCentred();
                }
            }
            return ExactChunks.plan(conv.weights().decode().toArray(), d, out.shape().channels() / groups, maxChunk);
        }

        /**
         * Both layouts (direct when stride 1), chunks of 1, 2, 5 and {@link TiledConv2d#CHUNK}, tiles summed one by
         * one, two by two (for one block) or all together, 1 and 2 threads.
         */
        void requireMatches(SplittableRandom rng) {
            List<int[]> inputs = new ArrayList<>();
            IntType type = in.type();
            int n = in.shape().elementCount();
            int[] lowest = new int[n];
            Arrays.fill(lowest, type.min());
            int[] highest = new int[n];
            Arrays.fill(highest, type.max());
            int[] random = new int[n];
            Arrays.setAll(random, i -> rng.nextInt(type.min(), type.max() + 1));
            int[] mixed = new int[n];
            Arrays.setAll(mixed, i -> rng.nextBoolean() ? type.min() : type.max());
            inputs.addAll(List.of(lowest, highest, random, mixed));
            boolean strided = conv.window().strideH() != 1 || conv.window().strideW() != 1;
            Workers two = new Workers(2);
            for (int[] x : inputs) {
                int[] want = reference(x);
                for (boolean direct : strided ? new boolean[] {false} : new boolean[] {false, true}) {
                    for (int chunk : new int[] {1, 2, 5, TiledConv2d.CHUNK}) {
                        for (int group : new int[] {0, 2 * FloatTile.ROWS * FloatTile.WIDTH * 4, Integer.MAX_VALUE}) {
                            TiledConv2d op = tiled(direct, chunk, group);
                            String what = op.describe() + ", " + conv.window() + ", groups " + conv.groups() + ", "
                                    + in + ", tile-group bytes " + group;
                            assertArrayEquals(want, op.apply(new int[][] {x}, Workers.SERIAL), what);
                            assertArrayEquals(want, op.apply(new int[][] {x}, two), what + ", 2 threads");
                        }
                    }
                }
            }
        }
    }

    private static Layer layer(Window window, int inC, int h, int w, int groups, int outC, QuantizedType inType,
            IntType weightType, SplittableRandom rng, WeightOf weight) {
        int perGroup = inC / groups;
        int taps = window.kernelArea();
        int[] codes = new int[outC * perGroup * taps];
        for (int o = 0; o < outC; o++) {
            for (int j = 0; j < perGroup * taps; j++) {
                codes[o * perGroup * taps + j] = weight.at(j);
            }
        }
        int[] bias = new int[outC];
        Arrays.setAll(bias, o -> rng.nextInt(-5000, 5001));
        Conv2d conv = new Conv2d(window, groups, new IntegerWeights(weightType,
                IntTensor.of(Shape.of(outC, perGroup, window.kernelH(), window.kernelW()), codes)),
                IntTensor.vector(bias), new OutputStage.Accumulator());
        List<Double> scales = new ArrayList<>();
        for (int o = 0; o < outC; o++) {
            scales.add(1e-4);
        }
        // a layer's input may be 16-bit (an earlier layer's output), a model's input not: described directly
        TensorInfo in = new TensorInfo(Shape.chw(inC, h, w), inType.type(), List.of(inType.zeroPoint()),
                List.of(0.01));
        return new Layer(conv, in, conv.output(List.of(in), scales));
    }
}
