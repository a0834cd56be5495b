package io.lowbit.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.lowbit.core.model.Add;
import io.lowbit.core.model.AvgPool;
import io.lowbit.core.model.ChannelPadSubsample;
import io.lowbit.core.model.CodebookWeights;
import io.lowbit.core.model.Conv2d;
import io.lowbit.core.model.Input;
import io.lowbit.core.model.IntTensor;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.IntegerWeights;
import io.lowbit.core.model.Linear;
import io.lowbit.core.model.MaxPool;
import io.lowbit.core.model.OutputStage;
import io.lowbit.core.model.Shape;
import io.lowbit.core.model.Window;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tiny models whose outputs are computed by hand (in the comments), one or more per op, each exercising the rule of
 * its docs/integer-semantics.md section that an implementation is most likely to get wrong.
 */
class ReferenceEngineOpsTest {

    private final ReferenceEngine engine = new ReferenceEngine();

    private static byte[] bytes(int... codes) {
        byte[] b = new byte[codes.length];
        for (int i = 0; i < codes.length; i++) {
            b[i] = (byte) codes[i];
        }
        return b;
    }

    private static IntegerWeights int8(Shape shape, int... codes) {
        return new IntegerWeights(IntType.INT8, IntTensor.of(shape, codes));
    }

    private static OutputStage requantize(double m, OutputClamp out, Rounding r) {
        return new OutputStage.Requantize(new Requantizer(new FixedPointMultiplier[] {FixedPointMultiplier.fromScale(m)},
                out, r));
    }

    /** §4, §8: 1×1 conv, two input channels, M = 0.75 exactly, uint8 output with Z = 3, a tie and a saturation. */
    @Test
    void conv1x1WithKnownMultiplierRoundsHalfUpAndSaturates() {
        for (Rounding r : List.of(Rounding.ROUND_HALF_UP, Rounding.ROUND_HALF_EVEN)) {
            IntegerModel m = IntegerModel.builder("conv1x1")
                    .input("x", Input.codes(Shape.chw(2, 1, 2), new QuantizedType(IntType.UINT8, 10)), 1.0)
                    .node("conv", new Conv2d(Window.square(1, 1, 0), 1, int8(Shape.of(1, 2, 1, 1), 3, -2),
                            IntTensor.vector(4), requantize(0.75, OutputClamp.saturating(IntType.UINT8, 3), r)), 0.5,
                            "x")
                    .build();
            // position 0: acc = 4 + 3·(20 − 10) − 2·(4 − 10) = 46; 46·0.75 = 34.5 → 35 (half up) or 34 (even); + 3
            // position 1: acc = 4 + 3·0 − 2·(30 − 10) = −36; −27 + 3 = −24 → saturates at 0
            int[] y = engine.run(m, bytes(20, 10, 4, 30));
            assertArrayEquals(new int[] {r == Rounding.ROUND_HALF_UP ? 38 : 37, 0}, y, r.name());
        }
    }

    /** §2, §4: 3×3, padding 1, input zero-point 100: padded taps contribute w·(Z − Z) = 0, not w·(0 − Z). */
    @Test
    void conv3x3PadsWithTheNonzeroZeroPoint() {
        int[] w = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        IntegerModel m = IntegerModel.builder("pad")
                .input("x", Input.codes(Shape.chw(1, 2, 2), new QuantizedType(IntType.UINT8, 100)), 1.0)
                .node("conv", new Conv2d(Window.square(3, 1, 1), 1, int8(Shape.of(1, 1, 3, 3), w),
                        IntTensor.vector(0), new OutputStage.Accumulator()), 1.0, "x")
                .build();
        // centred input [[10, −10], [0, 30]];
        // (0,0): 5·10 + 6·(−10) + 8·0 + 9·30 = 260    (0,1): 4·10 + 5·(−10) + 7·0 + 8·30 = 230
        // (1,0): 2·10 + 3·(−10) + 5·0 + 6·30 = 170    (1,1): 1·10 + 2·(−10) + 4·0 + 5·30 = 140
        assertArrayEquals(new int[] {260, 230, 170, 140}, engine.run(m, bytes(110, 90, 100, 130)));
    }

    /** §3: normalized pixel input with per-channel Z_c = (100, 50); padding of layer 1 is Z_c per channel. */
    @Test
    void firstLayerUsesPerChannelPixelZeroPoints() {
        PixelNormalization norm = new PixelNormalization(new double[] {100 / 255.0, 50 / 255.0},
                new double[] {0.25, 0.25});
        int[] w = new int[18];
        java.util.Arrays.fill(w, 7);
        w[4] = 2; // centre tap of channel 0
        w[13] = 3; // centre tap of channel 1
        IntegerModel m = IntegerModel.builder("pixels")
                .input("x", Input.pixels(norm, 1, 1))
                .node("conv", new Conv2d(Window.square(3, 1, 1), 1, int8(Shape.of(1, 2, 3, 3), w),
                        IntTensor.vector(1), new OutputStage.Accumulator()), 1.0, "x")
                .build();
        assertEquals(List.of(100, 50), m.inputNode().output().zeroPoints());
        // 1 + 2·(120 − 100) + 3·(40 − 50) = 11; the eight padded taps of weight 7 contribute nothing
        assertArrayEquals(new int[] {11}, engine.run(m, bytes(120, 40)));
    }

    /** §4 depthwise: groups = C, each output channel sees only its own input channel; padding 1 left and right. */
    @Test
    void depthwiseConvUsesOneInputChannelPerGroup() {
        IntegerModel m = IntegerModel.builder("dw")
                .input("x", Input.codes(Shape.chw(2, 1, 3), new QuantizedType(IntType.INT8, 0)), 1.0)
                .node("dw", new Conv2d(new Window(1, 3, 1, 1, 0, 1, 0, 1), 2,
                        int8(Shape.of(2, 1, 1, 3), 1, 2, 3, -1, 0, 1), IntTensor.vector(0, 100),
                        new OutputStage.Accumulator()), 1.0, "x")
                .build();
        // channel 0 [1 2 3] * [1 2 3]: 2·1+3·2 = 8, 1+4+9 = 14, 1·2+2·3 = 8
        // channel 1 [4 5 6] * [−1 0 1] + 100: 5 → 105, −4+6 → 102, −5 → 95
        assertArrayEquals(new int[] {8, 14, 8, 105, 102, 95}, engine.run(m, bytes(1, 2, 3, 4, 5, 6)));
    }

    /** §11: padding is excluded from the max, even when every real value is below the zero-point. */
    @Test
    void maxPoolExcludesPadding() {
        IntegerModel m = IntegerModel.builder("max")
                .input("x", Input.codes(Shape.chw(1, 3, 3), new QuantizedType(IntType.INT8, -5)), 1.0)
                .node("pool", new MaxPool(new Window(2, 2, 2, 2, 0, 0, 1, 1)), "x")
                .build();
        int[] y = engine.run(m, bytes(-9, 2, -3, 4, -5, 6, -7, -8, -10));
        assertArrayEquals(new int[] {4, 6, -7, -10}, y);
        assertEquals(m.inputNode().output().quantizedType(), m.outputNode().output().quantizedType());
    }

    /** §12: 3×3/2 pad 1 (nin-lin) divides by 9 whatever the number of real positions (count_include_pad). */
    @Test
    void avgPoolCountsPaddedPositionsInTheDivisor() {
        QuantizedType t = new QuantizedType(IntType.UINT8, 10);
        AveragePool pool = AveragePool.fromScales(9, 1.0, t, 1.0, OutputClamp.saturating(t), Rounding.ROUND_HALF_UP);
        IntegerModel m = IntegerModel.builder("avg")
                .input("x", Input.codes(Shape.chw(1, 4, 4), t), 1.0)
                .node("pool", new AvgPool(Window.square(3, 2, 1), pool), 1.0, "x")
                .build();
        int[] d = {9, 18, 0, 0, 27, 36, 0, 0, 0, 0, 0, 0, 0, 0, 0, 90};
        int[] codes = new int[16];
        for (int i = 0; i < 16; i++) {
            codes[i] = d[i] + 10;
        }
        // sums 90, 54, 63, 126 over 9 positions → 10, 6, 7, 14; + Z = 10
        assertArrayEquals(new int[] {20, 16, 17, 24}, engine.run(m, bytes(codes)));
    }

    /** §12 global: one window over the whole map; −1.5 rounds half up to −1. */
    @Test
    void globalAvgPoolAveragesEachChannel() {
        QuantizedType t = new QuantizedType(IntType.INT8, 0);
        AveragePool pool = new AveragePool(4, t, FixedPointMultiplier.fromScale(0.25), OutputClamp.saturating(t),
                Rounding.ROUND_HALF_UP);
        IntegerModel m = IntegerModel.builder("gap")
                .input("x", Input.codes(Shape.chw(2, 2, 2), t), 1.0)
                .node("gap", AvgPool.global(2, 2, pool), 1.0, "x")
                .build();
        assertEquals(Shape.chw(2, 1, 1), m.outputNode().output().shape());
        // channel 0: 11/4 = 2.75 → 3; channel 1: −6/4 = −1.5 → −1
        assertArrayEquals(new int[] {3, -1}, engine.run(m, bytes(1, 2, 3, 5, -1, -2, -2, -1)));
    }

    /** §13: y = clamp(Z_out + round_half_up(0.5·d + 0.25·d), Z_out, 127) with Z_out = 2 and ReLU. */
    @Test
    void residualAddSharesOneShiftAndAppliesRelu() {
        QuantizedType t = new QuantizedType(IntType.INT8, 0);
        ResidualAdd add = ResidualAdd.fromScales(0.5, t, 0.25, t, 1.0,
                OutputClamp.saturating(IntType.INT8, 2).relu(), Rounding.ROUND_HALF_UP);
        assertEquals(1 << 30, add.multiplierA());
        assertEquals(1 << 29, add.multiplierB());
        assertEquals(31, add.rightShift());
        IntegerModel m = IntegerModel.builder("add")
                .input("x", Input.codes(Shape.chw(1, 1, 4), t), 0.5)
                .node("same", new MaxPool(Window.square(1, 1, 0)), "x")
                .node("add", new Add(add), 1.0, "x", "same")
                .build();
        // 0.75·d for d = −4, 1, 2, 6: −3, 0.75, 1.5, 4.5 → −3, 1, 2, 5; + 2, ReLU at 2
        assertArrayEquals(new int[] {2, 3, 4, 7}, engine.run(m, bytes(-4, 1, 2, 6)));
    }

    /** §14: option A: stride-2 subsample, (outC − inC)/2 zero channels on each side filled with Z (real 0). */
    @Test
    void optionAShortcutSubsamplesAndPadsChannelsWithTheZeroPoint() {
        IntegerModel m = IntegerModel.builder("shortcut")
                .input("x", Input.codes(Shape.chw(2, 3, 3), new QuantizedType(IntType.INT8, -1)), 1.0)
                .node("sc", new ChannelPadSubsample(2, 4), "x")
                .build();
        assertEquals(Shape.chw(4, 2, 2), m.outputNode().output().shape());
        int[] y = engine.run(m, bytes(0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18));
        assertArrayEquals(new int[] {-1, -1, -1, -1, 0, 2, 6, 8, 10, 12, 16, 18, -1, -1, -1, -1}, y);
    }

    /** §4, §15: linear int32 logits; the predicted class uses the per-class scales. */
    @Test
    void linearEmitsInt32LogitsAndPredictsWithPerClassScales() {
        IntegerModel m = IntegerModel.builder("fc")
                .input("x", Input.codes(Shape.chw(1, 1, 3), new QuantizedType(IntType.UINT8, 128)), 1.0)
                .node("fc", new Linear(int8(Shape.of(2, 3), 1, 2, 3, -1, 0, 1), IntTensor.vector(10, 3),
                        new OutputStage.Accumulator()), List.of(1.0, 3.0), "x")
                .build();
        // d = (1, −1, 2): 10 + 1 − 2 + 6 = 15; 3 − 1 + 0 + 2 = 4
        assertArrayEquals(new int[] {15, 4}, engine.run(m, bytes(129, 127, 130)));
        assertEquals(0, engine.predict(m, bytes(129, 127, 130))); // 15·1 > 4·3
        // d = (0, 0, 0): logits 10·1 = 10 and 3·3 = 9 → class 0; d = (0, 0, 1): 13 vs 4·3 = 12 → 0
        // d = (−1, 0, 1): 10 − 1 + 3 = 12 vs (3 + 1 + 1)·3 = 15 → class 1, although acc 12 > 5
        assertArrayEquals(new int[] {12, 5}, engine.run(m, bytes(127, 128, 129)));
        assertEquals(1, engine.predict(m, bytes(127, 128, 129)));
    }

    /** §15: ties go to the lowest index, with one scale (argmax of codes) and with per-class scales. */
    @Test
    void topClassBreaksTiesTowardTheLowestIndex() {
        IntegerModel one = IntegerModel.builder("tie")
                .input("x", Input.codes(Shape.chw(1, 1, 1), new QuantizedType(IntType.UINT8, 0)), 1.0)
                .node("fc", new Linear(int8(Shape.of(3, 1), 0, 0, 0), IntTensor.vector(0, 0, 0),
                        new OutputStage.Accumulator()), 1.0, "x")
                .build();
        assertEquals(1, one.topClass(new int[] {-5, 7, 7}));
        assertEquals(0, one.topClass(new int[] {0, 0, 0}));
        IntegerModel scaled = IntegerModel.builder("tie2")
                .input("x", Input.codes(Shape.chw(1, 1, 1), new QuantizedType(IntType.UINT8, 0)), 1.0)
                .node("fc", new Linear(int8(Shape.of(3, 1), 0, 0, 0), IntTensor.vector(0, 0, 0),
                        new OutputStage.Accumulator()), List.of(2.0, 1.0, 0.5), "x")
                .build();
        assertEquals(0, scaled.topClass(new int[] {2, 4, 8})); // all real logits 4
        assertEquals(2, scaled.topClass(new int[] {2, 4, 9}));
    }

    /**
     * §1, §9: CLIP-Q codebook conv on Q3.5 input: levels {0, −20, 13, 40} (0, −0.625, 0.40625, 1.25), indexes
     * (3, 1) → weights (40, −20), bias 3000 in Q.10, then ReLU, floor shift by 5, saturation at 127.
     */
    @Test
    void clipQCodebookConvWithShiftRequantizer() {
        CodebookWeights w = new CodebookWeights(IntType.INT8, List.of(0, -20, 13, 40),
                IntTensor.of(Shape.of(1, 1, 1, 2), 3, 1));
        assertEquals(2, w.indexBits());
        IntegerModel m = IntegerModel.builder("clipq")
                .input("x", Input.codes(Shape.chw(1, 1, 4), new QuantizedType(IntType.INT8, 0)), 0x1p-5)
                .node("conv", new Conv2d(new Window(1, 2, 1, 1, 0, 0, 0, 0), 1, w, IntTensor.vector(3000),
                        new OutputStage.Shift(ShiftRequantizer.clipQ())), 0x1p-5, "x")
                .build();
        // 3000 + 40·32 − 20·16 = 3960 → ⌊123.75⌋ = 123; 3000 + 40·16 + 20·40 = 4440 → 138 → 127;
        // 3000 − 40·40 − 20·100 = −600 → ⌊−18.75⌋ = −19 → ReLU 0
        assertArrayEquals(new int[] {123, 127, 0}, engine.run(m, bytes(32, 16, -40, 100)));
    }

    @Test
    void rejectsImagesOfTheWrongSizeOrOutsideTheInputType() {
        IntegerModel m = IntegerModel.builder("cifar")
                .input("x", Input.codes(Shape.chw(3, 32, 32), new QuantizedType(IntType.UINT8, 128)), 1.0)
                .node("pool", new MaxPool(Window.square(2, 2, 0)), "x")
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> engine.run(m, new byte[3000]));
        assertTrue(e.getMessage().contains("3000 bytes") && e.getMessage().contains("3072")
                && e.getMessage().contains("(3×32×32)"), e.getMessage());
        assertThrows(NullPointerException.class, () -> engine.run(m, null));
        assertEquals(3 * 16 * 16, engine.run(m, new byte[3072]).length);

        IntegerModel narrow = IntegerModel.builder("uint4")
                .input("x", Input.codes(Shape.chw(1, 2, 2), new QuantizedType(IntType.unsigned(4), 0)), 1.0)
                .node("pool", new MaxPool(Window.square(2, 2, 0)), "x")
                .build();
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> engine.run(narrow, bytes(1, 2, 16, 3)));
        assertTrue(e2.getMessage().contains("byte 2") && e2.getMessage().contains("uint4"), e2.getMessage());
    }

    @Test
    void observerSeesEveryNodeInOrderWithItsShape() {
        IntegerModel m = IntegerModel.builder("obs")
                .input("x", Input.codes(Shape.chw(2, 3, 3), new QuantizedType(IntType.INT8, -1)), 1.0)
                .node("sc", new ChannelPadSubsample(2, 4), "x")
                .node("pool", new MaxPool(Window.square(2, 2, 0)), "sc")
                .build();
        Map<String, IntTensor> all = engine.runAllNodes(m, new byte[18]);
        assertEquals(List.of("x", "sc", "pool"), List.copyOf(all.keySet()));
        assertEquals(Shape.chw(4, 2, 2), all.get("sc").shape());
        assertArrayEquals(engine.run(m, new byte[18]), all.get("pool").toArray());
    }
}
