package io.lowbit.core.engine;

import static org.junit.jupiter.api.Assertions.fail;

import io.lowbit.core.arith.AveragePool;
import io.lowbit.core.arith.FixedPointMultiplier;
import io.lowbit.core.arith.IntType;
import io.lowbit.core.arith.OutputClamp;
import io.lowbit.core.arith.PixelNormalization;
import io.lowbit.core.arith.QuantizedType;
import io.lowbit.core.arith.Requantizer;
import io.lowbit.core.arith.Rounding;
import io.lowbit.core.model.AvgPool;
import io.lowbit.core.model.Conv2d;
import io.lowbit.core.model.Input;
import io.lowbit.core.model.IntTensor;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.IntegerModelBuilder;
import io.lowbit.core.model.IntegerWeights;
import io.lowbit.core.model.MaxPool;
import io.lowbit.core.model.OutputStage;
import io.lowbit.core.model.RandomModels;
import io.lowbit.core.model.Shape;
import io.lowbit.core.model.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import net.jqwik.api.Assume;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Window geometry is where a fast convolution goes wrong (its padded grid, strides, kernels wider than the map):
 * one conv — or pool — of any kernel, stride and asymmetric padding on maps from 1×1 to wider than a vector (the
 * vector paths and their scalar tails), against the reference,
 * node by node, on a random image and on the extreme codes.
 */
class FastEngineGeometryTest {

    private final ReferenceEngine reference = new ReferenceEngine();
    private final FastEngine fast = new FastEngine(2);

    @Property(tries = 400, edgeCases = EdgeCasesMode.MIXIN)
    void convolutionsOfAnyGeometryMatch(@ForAll @IntRange(min = 1, max = 4) int kH,
            @ForAll @IntRange(min = 1, max = 4) int kW, @ForAll @IntRange(min = 1, max = 3) int sH,
            @ForAll @IntRange(min = 1, max = 3) int sW, @ForAll @IntRange(min = 0, max = 3) int pT,
            @ForAll @IntRange(min = 0, max = 3) int pL, @ForAll @IntRange(min = 0, max = 3) int pB,
            @ForAll @IntRange(min = 0, max = 3) int pR, @ForAll @IntRange(min = 1, max = 24) int h,
            @ForAll @IntRange(min = 1, max = 24) int w, @ForAll @IntRange(min = 1, max = 6) int inC,
            @ForAll @IntRange(min = 0, max = 2) int grouping, @ForAll boolean pixels, @ForAll long seed) {
        Assume.that(h + pT + pB >= kH && w + pL + pR >= kW);
        SplittableRandom rng = new SplittableRandom(seed);
        int groups = grouping == 2 ? inC : grouping == 1 && inC % 2 == 0 ? 2 : 1;
        int outC = groups * rng.nextInt(1, 4);
        Window window = new Window(kH, kW, sH, sW, pT, pL, pB, pR);
        int perGroup = inC / groups;
        int[] codes = new int[outC * perGroup * kH * kW];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = rng.nextInt(4) == 0 ? 0 : rng.nextInt(-7, 8);
        }
        int[] bias = new int[outC];
        double[] scales = new double[outC];
        for (int o = 0; o < outC; o++) {
            bias[o] = rng.nextInt(-2000, 2001);
            scales[o] = (0.5 + rng.nextDouble()) / (8 * Math.sqrt(codes.length / outC + 1.0));
        }
        OutputClamp clamp = OutputClamp.saturating(IntType.INT8, rng.nextInt(-20, 21));
        Conv2d conv = new Conv2d(window, groups, new IntegerWeights(IntType.signed(4),
                IntTensor.of(Shape.of(outC, perGroup, kH, kW), codes)), IntTensor.vector(bias),
                new OutputStage.Requantize(Requantizer.fromScales(scales, clamp, Rounding.ROUND_HALF_UP)));
        IntegerModel model = input(inC, h, w, pixels, rng).node("conv", conv, 0.1, "x").build();
        requireSameNodes(model, rng);
        FastEngineTest.requireBothConvLayouts(model, RandomModels.image(model, rng));
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.MIXIN)
    void poolsOfAnyGeometryMatch(@ForAll @IntRange(min = 1, max = 4) int kH,
            @ForAll @IntRange(min = 1, max = 4) int kW, @ForAll @IntRange(min = 1, max = 3) int sH,
            @ForAll @IntRange(min = 1, max = 3) int sW, @ForAll @IntRange(min = 0, max = 3) int pT,
            @ForAll @IntRange(min = 0, max = 3) int pL, @ForAll @IntRange(min = 0, max = 3) int pB,
            @ForAll @IntRange(min = 0, max = 3) int pR, @ForAll @IntRange(min = 1, max = 40) int h,
            @ForAll @IntRange(min = 1, max = 40) int w, @ForAll boolean average, @ForAll long seed) {
        Assume.that(pT < kH && pB < kH && pL < kW && pR < kW && h + pT + pB >= kH && w + pL + pR >= kW);
        SplittableRandom rng = new SplittableRandom(seed);
        Window window = new Window(kH, kW, sH, sW, pT, pL, pB, pR);
        IntegerModelBuilder b = input(rng.nextInt(1, 4), h, w, false, rng);
        QuantizedType in = b.info("x").quantizedType();
        if (average) {
            AveragePool pool = new AveragePool(window.kernelArea(), in,
                    FixedPointMultiplier.fromScale((0.5 + rng.nextDouble()) / window.kernelArea()),
                    OutputClamp.saturating(IntType.unsigned(6), rng.nextInt(0, 64)), Rounding.ROUND_HALF_UP);
            b.node("pool", new AvgPool(window, pool), 0.1, "x");
        } else {
            b.node("pool", new MaxPool(window), "x");
        }
        requireSameNodes(b.build(), rng);
    }

    /** uint8 codes with one zero-point, or raw pixels with per-channel zero-points (§3). */
    private static IntegerModelBuilder input(int channels, int h, int w, boolean pixels, SplittableRandom rng) {
        IntegerModelBuilder b = IntegerModel.builder("geometry");
        if (pixels) {
            double[] mean = new double[channels];
            double[] std = new double[channels];
            for (int c = 0; c < channels; c++) {
                mean[c] = rng.nextDouble();
                std[c] = 0.2;
            }
            return b.input("x", Input.pixels(new PixelNormalization(mean, std), h, w));
        }
        QuantizedType type = new QuantizedType(IntType.UINT8, rng.nextInt(256));
        return b.input("x", Input.codes(Shape.chw(channels, h, w), type), 0.02);
    }

    private void requireSameNodes(IntegerModel model, SplittableRandom rng) {
        List<byte[]> images = new ArrayList<>(FastEngineTest.extremeImages(model));
        images.add(RandomModels.image(model, rng));
        for (byte[] image : images) {
            Optional<NodeMismatch> m = EngineComparison.firstMismatch(reference, fast, model, image);
            if (m.isPresent()) {
                fail(m.get().toString());
            }
        }
    }
}
