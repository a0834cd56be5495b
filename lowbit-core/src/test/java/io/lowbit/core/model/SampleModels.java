package io.lowbit.core.model;

import io.lowbit.core.arith.AveragePool;
import io.lowbit.core.arith.FixedPointMultiplier;
import io.lowbit.core.arith.IntType;
import io.lowbit.core.arith.OutputClamp;
import io.lowbit.core.arith.PixelNormalization;
import io.lowbit.core.arith.QuantizedType;
import io.lowbit.core.arith.Requantizer;
import io.lowbit.core.arith.ResidualAdd;
import io.lowbit.core.arith.Rounding;
import io.lowbit.core.arith.ShiftRequantizer;
import java.util.List;
import java.util.Map;

/** A small model using every op, weight form and output stage, with full metadata: the file-format test subject. */
public final class SampleModels {

    private SampleModels() {
    }

    public static final PixelNormalization CIFAR10 = new PixelNormalization(new double[] {0.4914, 0.4822, 0.4465},
            new double[] {0.2470, 0.2435, 0.2616});

    /**
     * input 3×8×8 pixels → conv 3×3 (int4, per-channel requantize, ReLU) → max pool → depthwise codebook conv with
     * shift requantization → residual add → option-A shortcut → avg pool 3×3/2 pad 1 → global avg pool... → linear
     * int32 logits with per-class scales.
     */
    public static IntegerModel everyOp() {
        int[] w1 = new int[4 * 3 * 3 * 3];
        for (int i = 0; i < w1.length; i++) {
            w1[i] = (i * 5 + 3) % 15 - 7;
        }
        QuantizedType u8 = new QuantizedType(IntType.UINT8, 0);
        OutputClamp relu8 = OutputClamp.saturating(IntType.UINT8, 0).relu();
        Requantizer rq1 = Requantizer.fromScales(new double[] {0.011, 0.013, 0.017, 0.019}, relu8,
                Rounding.ROUND_HALF_UP);
        Conv2d conv1 = new Conv2d(Window.square(3, 1, 1), 1, new IntegerWeights(IntType.signed(4),
                IntTensor.of(Shape.of(4, 3, 3, 3), w1)), IntTensor.vector(100, -200, 300, -400),
                new OutputStage.Requantize(rq1));
        int[] idx = new int[4 * 9];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = (i * 7) % 4;
        }
        Conv2d dw = new Conv2d(Window.square(3, 1, 1), 4, new CodebookWeights(IntType.INT8, List.of(0, -20, 13, 40),
                IntTensor.of(Shape.of(4, 1, 3, 3), idx)), IntTensor.vector(0, 32, -32, 64),
                new OutputStage.Shift(new ShiftRequantizer(5, OutputClamp.saturating(IntType.UINT8, 0).relu(),
                        Rounding.FLOOR)));
        ResidualAdd add = ResidualAdd.fromScales(0.05, u8, 0.04, u8, 0.06, relu8, Rounding.ROUND_HALF_UP);
        AveragePool avg = AveragePool.fromScales(9, 0.06, u8, 0.05, OutputClamp.saturating(IntType.signed(6), -3),
                Rounding.ROUND_HALF_EVEN);
        QuantizedType s6 = new QuantizedType(IntType.signed(6), -3);
        AveragePool gap = new AveragePool(4, s6, FixedPointMultiplier.fromScale(0.25),
                OutputClamp.saturating(IntType.signed(6), -3), Rounding.ROUND_HALF_UP);
        int[] fc = new int[10 * 6];
        for (int i = 0; i < fc.length; i++) {
            fc[i] = (i * 11) % 255 - 127;
        }
        Linear linear = new Linear(new IntegerWeights(IntType.INT8, IntTensor.of(Shape.of(10, 6), fc)),
                IntTensor.vector(1, -2, 3, -4, 5, -6, 7, -8, 9, -10), new OutputStage.Accumulator());
        List<String> classes = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse",
                "ship", "truck");
        ModelMetadata meta = new ModelMetadata("every-op", "hand-written test model",
                Map.of("commit", "0123abc", "accuracy", "0.1"), classes);
        return IntegerModel.builder(meta)
                .input("input", Input.pixels(CIFAR10, 8, 8))
                .node("conv1", conv1, 0.05, "input")
                .node("pool1", new MaxPool(Window.square(2, 2, 0)), "conv1")
                .node("dw", dw, 0.04, "pool1")
                .node("add", new Add(add), 0.06, "pool1", "dw")
                .node("shortcut", new ChannelPadSubsample(1, 6), "add")
                .node("avg", new AvgPool(Window.square(3, 2, 1), avg), 0.05, "shortcut")
                .node("gap", AvgPool.global(2, 2, gap), 0.05, "avg")
                .node("fc", linear, List.of(1e-3, 2e-3, 3e-3, 4e-3, 5e-3, 6e-3, 7e-3, 8e-3, 9e-3, 1e-2), "gap")
                .build();
    }
}
