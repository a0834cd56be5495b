package io.lowbit.accel;

import io.lowbit.core.arith.AveragePool;
import io.lowbit.core.arith.FixedPointMultiplier;
import io.lowbit.core.arith.IntType;
import io.lowbit.core.arith.OutputClamp;
import io.lowbit.core.arith.QuantizedType;
import io.lowbit.core.arith.Rounding;
import io.lowbit.core.arith.ShiftRequantizer;
import io.lowbit.core.model.AvgPool;
import io.lowbit.core.model.CodebookWeights;
import io.lowbit.core.model.Conv2d;
import io.lowbit.core.model.Input;
import io.lowbit.core.model.IntTensor;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.IntegerModelBuilder;
import io.lowbit.core.model.MaxPool;
import io.lowbit.core.model.Shape;
import io.lowbit.core.model.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * CLIP-Q-shaped integer models for accelerator tests: Q3.5 int8 input, 2-bit codebook weights (entry 0 pruned, three
 * int8 levels), the CLIP-Q shift requantizer (ReLU, {@code >> 5}, clamp to Q3.5) and the exported NIN's final global
 * sum, as {@code lowbit export} writes them for a CLIP-Q NIN.
 */
public final class TestNets {

    private TestNets() {
    }

    /** Layers of the paper's NIN (papers.md §1.4): {outC, kernel} per conv, 0 = 2×2 max pool. */
    private static final int[][] NIN = {{96, 3}, {160, 1}, {192, 1}, {0, 0}, {96, 3}, {192, 1}, {192, 1}, {0, 0},
        {384, 3}, {192, 1}, {10, 1}};

    /** NIN on 32×32 CIFAR images with channel widths scaled by {@code width} (the last conv keeps 10 classes). */
    public static IntegerModel nin(double width, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        IntegerModelBuilder b = IntegerModel.builder("nin-clipq-random");
        QuantizedType q35 = new QuantizedType(IntType.INT8, 0);
        b.input("input", Input.codes(Shape.chw(3, 32, 32), q35), 1.0 / 32);
        String prev = "input";
        int c = 3;
        int convs = 0;
        int pools = 0;
        for (int i = 0; i < NIN.length; i++) {
            if (NIN[i][0] == 0) {
                String id = "pool" + ++pools;
                b.node(id, new MaxPool(Window.square(2, 2, 0)), prev);
                prev = id;
                continue;
            }
            boolean last = i == NIN.length - 1;
            int outC = last ? 10 : Math.max(1, (int) Math.round(NIN[i][0] * width));
            int k = NIN[i][1];
            String id = "conv" + ++convs;
            b.node(id, conv(rng, c, outC, Window.square(k, 1, k / 2), 1), 1.0 / 32, prev);
            prev = id;
            c = outC;
        }
        AveragePool sum = new AveragePool(64, b.info(prev).quantizedType(),
                new FixedPointMultiplier(FixedPointMultiplier.MIN_MULTIPLIER_Q31, -1),
                OutputClamp.saturating(IntType.INT16, 0), Rounding.FLOOR);
        b.node("gap", new AvgPool(Window.global(8, 8), sum), 1.0 / 32 / 64, prev);
        return b.build("gap");
    }

    /** VGG7 ("VGG-Small", papers.md §5.1): 128-128-M-256-256-M-512-512-M-FC, widths scaled, CLIP-Q weights. */
    public static IntegerModel vgg7(double width, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        IntegerModelBuilder b = IntegerModel.builder("vgg7-clipq-random");
        b.input("input", Input.codes(Shape.chw(3, 32, 32), new QuantizedType(IntType.INT8, 0)), 1.0 / 32);
        String prev = "input";
        int c = 3;
        int[] plan = {128, 128, 0, 256, 256, 0, 512, 512, 0};
        int convs = 0;
        for (int p : plan) {
            String id;
            if (p == 0) {
                id = "pool" + convs;
                b.node(id, new MaxPool(Window.square(2, 2, 0)), prev);
            } else {
                int outC = Math.max(1, (int) Math.round(p * width));
                id = "conv" + ++convs;
                b.node(id, conv(rng, c, outC, Window.square(3, 1, 1), 1), 1.0 / 32, prev);
                c = outC;
            }
            prev = id;
        }
        Conv2d probe = conv(rng, c * 16, 10, Window.square(1, 1, 0), 1);
        b.node("fc", new io.lowbit.core.model.Linear(
                new CodebookWeights(IntType.INT8, ((CodebookWeights) probe.weights()).levels(),
                        IntTensor.of(Shape.of(10, c * 16), ((CodebookWeights) probe.weights()).indexes().toArray())),
                probe.bias(), new io.lowbit.core.model.OutputStage.Accumulator()), 1.0, prev);
        return b.build("fc");
    }

    /** A chain of CLIP-Q convolutions ({@code kernels[i]}, same padding) on a 32×32 Q3.5 image. */
    public static IntegerModel convChain(SplittableRandom rng, int[] channels, int[] kernels) {
        IntegerModelBuilder b = IntegerModel.builder("conv-chain");
        b.input("input", Input.codes(Shape.chw(3, 32, 32), new QuantizedType(IntType.INT8, 0)), 1.0 / 32);
        String prev = "input";
        int c = 3;
        for (int i = 0; i < channels.length; i++) {
            String id = "conv" + (i + 1);
            b.node(id, conv(rng, c, channels[i], Window.square(kernels[i], 1, kernels[i] / 2), 1), 1.0 / 32, prev);
            prev = id;
            c = channels[i];
        }
        return b.build(prev);
    }

    /** A CLIP-Q conv: pruned fraction about 0.2, three random non-zero Q3.5 levels, small bias. */
    public static Conv2d conv(SplittableRandom rng, int inC, int outC, Window window, int groups) {
        List<Integer> levels = new ArrayList<>(List.of(0));
        levels.add(-rng.nextInt(4, 40));
        levels.add(-rng.nextInt(1, 12));
        levels.add(rng.nextInt(1, 40));
        int n = outC * (inC / groups) * window.kernelArea();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = rng.nextDouble() < 0.2 ? 0 : rng.nextInt(1, 4);
        }
        int[] bias = new int[outC];
        for (int o = 0; o < outC; o++) {
            bias[o] = rng.nextInt(-2000, 2000);
        }
        Shape shape = Shape.of(outC, inC / groups, window.kernelH(), window.kernelW());
        return new Conv2d(window, groups, new CodebookWeights(IntType.INT8, levels, IntTensor.of(shape, idx)),
                IntTensor.vector(bias), new io.lowbit.core.model.OutputStage.Shift(ShiftRequantizer.clipQ()));
    }

    /** A random image of Q3.5 codes over the whole int8 range. */
    public static byte[] image(IntegerModel model, SplittableRandom rng) {
        byte[] image = new byte[model.inputNode().output().shape().elementCount()];
        for (int i = 0; i < image.length; i++) {
            image[i] = (byte) rng.nextInt(-128, 128);
        }
        return image;
    }
}
