package io.lowbit.cli;

import io.lowbit.core.arith.AveragePool;
import io.lowbit.core.arith.FixedPointMultiplier;
import io.lowbit.core.arith.IntType;
import io.lowbit.core.arith.OutputClamp;
import io.lowbit.core.arith.QuantizedType;
import io.lowbit.core.arith.Rounding;
import io.lowbit.core.arith.ShiftRequantizer;
import io.lowbit.core.engine.FastEngine;
import io.lowbit.core.model.AvgPool;
import io.lowbit.core.model.CodebookWeights;
import io.lowbit.core.model.Conv2d;
import io.lowbit.core.model.Input;
import io.lowbit.core.model.IntTensor;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.IntegerModelBuilder;
import io.lowbit.core.model.Linear;
import io.lowbit.core.model.MaxPool;
import io.lowbit.core.model.ModelMetadata;
import io.lowbit.core.model.OutputStage;
import io.lowbit.core.model.Shape;
import io.lowbit.core.model.Window;
import io.lowbit.train.data.Normalization;
import io.lowbit.train.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The {@code nin} or {@code vgg7} of docs/models.md as an integer model with random CLIP-Q-style weights — per-layer 4-entry int8
 * codebooks with about a quarter of the weights pruned to 0, shift requantization with ReLU, a Q3.5 input quantized
 * from raw pixels by a host table — so that {@code lowbit bench-engine} can time the engines without a trained
 * model. Biases and shifts are calibrated on random images so that every layer's activations spread over the codes
 * instead of vanishing or saturating (an equality check on all-zero layers would check little); the numbers mean
 * nothing, the work per image is the real NIN's.
 */
final class RandomNetwork {

    private static final QuantizedType Q3_5 = new QuantizedType(IntType.INT8, 0);
    private static final double SCALE = 0x1p-5;
    private static final int CLASSES = 10;
    private static final int SIDE = 32;
    /** Spread of each layer's requantized accumulators, in output codes. */
    private static final double TYPICAL_ACTIVATION = 32;
    private static final int CALIBRATION_IMAGES = 2;

    private final ModelSpec spec;
    private final SplittableRandom rng;
    private final IntegerModelBuilder builder;
    private final List<byte[]> calibration = new ArrayList<>();
    private final FastEngine engine = new FastEngine();
    /** Channels and side of the map the next layer reads. */
    private int channels = 3;
    private int side = SIDE;

    private RandomNetwork(String arch, double width, long seed) {
        spec = ModelSpec.of(arch, width, CLASSES);
        rng = new SplittableRandom(seed);
        builder = IntegerModel.builder(new ModelMetadata("random-" + spec.label(), spec.label() + " with random CLIP-Q-style "
                + "weights (seed " + seed + ") for lowbit bench-engine", Map.of("seed", Long.toString(seed)),
                List.of()));
    }

    /** The random NIN of width multiplier {@code width}. */
    static IntegerModel build(double width, long seed) {
        return build("nin", width, seed);
    }

    /** The random {@code arch} ({@code nin} or {@code vgg7}) of width multiplier {@code width}. */
    static IntegerModel build(String arch, double width, long seed) {
        RandomNetwork n = new RandomNetwork(arch, width, seed);
        return switch (arch) {
            case "nin" -> n.nin();
            case "vgg7" -> n.vgg7();
            default -> throw new IllegalArgumentException("no random '" + arch + "': choose nin or vgg7");
        };
    }

    /** VGG-Small: 128-128-M-256-256-M-512-512-M-FC, 3×3 "same" convs, int32 logits from the linear layer. */
    private IntegerModel vgg7() {
        String x = input();
        x = conv("conv1", x, spec.channels(128), 3);
        x = conv("conv2", x, spec.channels(128), 3);
        x = maxPool("pool1", x);
        x = conv("conv3", x, spec.channels(256), 3);
        x = conv("conv4", x, spec.channels(256), 3);
        x = maxPool("pool2", x);
        x = conv("conv5", x, spec.channels(512), 3);
        x = conv("conv6", x, spec.channels(512), 3);
        x = maxPool("pool3", x);
        int inF = channels * side * side;
        int[] indexes = new int[CLASSES * inF];
        for (int i = 0; i < indexes.length; i++) {
            indexes[i] = rng.nextInt(4) == 0 ? 0 : rng.nextInt(1, 4);
        }
        CodebookWeights weights = new CodebookWeights(IntType.INT8, List.of(0, level(), level(), level()),
                IntTensor.of(Shape.of(CLASSES, inF), indexes));
        builder.node("fc", new Linear(weights, IntTensor.vector(new int[CLASSES]), new OutputStage.Accumulator()),
                SCALE * SCALE, x);
        return builder.build("fc");
    }

    private IntegerModel nin() {
        String x = input();
        x = conv("conv1", x, spec.channels(96), 3);
        x = conv("conv2", x, spec.channels(160), 1);
        x = conv("conv3", x, spec.channels(192), 1);
        x = maxPool("pool1", x);
        x = conv("conv4", x, spec.channels(96), 3);
        x = conv("conv5", x, spec.channels(192), 1);
        x = conv("conv6", x, spec.channels(192), 1);
        x = avgPool("pool2", x, Window.square(2, 2, 0));
        x = conv("conv7", x, spec.channels(384), 3);
        x = conv("conv8", x, spec.channels(192), 1);
        x = conv("conv9", x, CLASSES, 1);
        x = avgPool("gap", x, Window.global(side, side));
        return builder.build(x);
    }

    /** Raw pixels in, {@code table[c][p] = clamp(round(32·(p/255 − μ_c)/σ_c))}: CIFAR-10 normalization in Q3.5. */
    private String input() {
        int[] table = new int[channels * Input.PIXEL_VALUES];
        for (int c = 0; c < channels; c++) {
            for (int p = 0; p < Input.PIXEL_VALUES; p++) {
                long code = Math.round(Normalization.CIFAR10.apply(c, p) / SCALE);
                table[c * Input.PIXEL_VALUES + p] = (int) Math.max(Q3_5.type().min(),
                        Math.min(Q3_5.type().max(), code));
            }
        }
        for (int k = 0; k < CALIBRATION_IMAGES; k++) {
            byte[] pixels = new byte[channels * SIDE * SIDE];
            rng.nextBytes(pixels);
            calibration.add(pixels);
        }
        builder.input("input", Input.hostQuantized(Shape.chw(channels, SIDE, SIDE), Q3_5,
                IntTensor.of(Shape.of(channels, Input.PIXEL_VALUES), table)), SCALE);
        return "input";
    }

    /**
     * {@code k×k} stride 1, padding {@code k/2} ("same"), ReLU; bias and shift calibrated as BN and CLIP-Q's
     * per-layer exponent would: each channel's accumulator centred a little above 0, its spread shifted down to
     * about 32 codes.
     */
    private String conv(String id, String in, int outC, int kernel) {
        List<Integer> levels = List.of(0, level(), level(), level());
        int[] indexes = new int[outC * channels * kernel * kernel];
        for (int i = 0; i < indexes.length; i++) {
            indexes[i] = rng.nextInt(4) == 0 ? 0 : rng.nextInt(1, 4);
        }
        CodebookWeights weights = new CodebookWeights(IntType.INT8, levels,
                IntTensor.of(Shape.of(outC, channels, kernel, kernel), indexes));
        Window window = Window.square(kernel, 1, kernel / 2);
        double[][] stats = accumulatorStats(in, new Conv2d(window, 1, weights, IntTensor.vector(new int[outC]),
                new OutputStage.Accumulator()));
        double spread = 0;
        int[] bias = new int[outC];
        for (int o = 0; o < outC; o++) {
            spread += stats[1][o] / outC;
            bias[o] = (int) Math.round(-stats[0][o] + stats[1][o] * (rng.nextDouble() - 0.25));
        }
        int shift = (int) Math.max(0, Math.min(ShiftRequantizer.MAX_RIGHT_SHIFT,
                Math.round(Math.log(spread / TYPICAL_ACTIVATION) / Math.log(2))));
        OutputStage stage = new OutputStage.Shift(new ShiftRequantizer(shift, OutputClamp.saturating(Q3_5).relu(),
                Rounding.FLOOR));
        builder.node(id, new Conv2d(window, 1, weights, IntTensor.vector(bias), stage), SCALE, in);
        channels = outC;
        return id;
    }

    /**
     * Mean and standard deviation per output channel of {@code probe}'s accumulators on the calibration images:
     * the model so far computes the probe's input codes, a one-layer model the accumulators.
     */
    private double[][] accumulatorStats(String in, Conv2d probe) {
        IntegerModel upToIn = builder.build(in);
        IntegerModel layer = IntegerModel.builder("probe")
                .input("x", Input.codes(builder.info(in).shape(), Q3_5), SCALE)
                .node("conv", probe, SCALE, "x").build();
        int outC = probe.outChannels();
        double[] sum = new double[outC];
        double[] sumSquares = new double[outC];
        int plane = layer.outputNode().output().shape().elementCount() / outC;
        for (byte[] image : calibration) {
            int[] codes = engine.run(upToIn, image);
            byte[] bytes = new byte[codes.length];
            for (int i = 0; i < codes.length; i++) {
                bytes[i] = (byte) codes[i];
            }
            int[] acc = engine.run(layer, bytes);
            for (int i = 0; i < acc.length; i++) {
                sum[i / plane] += acc[i];
                sumSquares[i / plane] += (double) acc[i] * acc[i];
            }
        }
        double n = (double) plane * calibration.size();
        double[][] stats = new double[2][outC];
        for (int o = 0; o < outC; o++) {
            stats[0][o] = sum[o] / n;
            stats[1][o] = Math.sqrt(Math.max(1, sumSquares[o] / n - stats[0][o] * stats[0][o]));
        }
        return stats;
    }

    private int level() {
        int magnitude = rng.nextInt(1, 65);
        return rng.nextBoolean() ? magnitude : -magnitude;
    }

    private String maxPool(String id, String in) {
        builder.node(id, new MaxPool(Window.square(2, 2, 0)), in);
        side /= 2;
        return id;
    }

    private String avgPool(String id, String in, Window window) {
        AveragePool pool = new AveragePool(window.kernelArea(), Q3_5,
                FixedPointMultiplier.fromScale(1.0 / window.kernelArea()), OutputClamp.saturating(Q3_5),
                Rounding.ROUND_HALF_UP);
        builder.node(id, new AvgPool(window, pool), SCALE, in);
        side = window.outputHeight(side);
        return id;
    }
}
