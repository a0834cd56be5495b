package io.lowbit.rtl.cosim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowbit.accel.config.AcceleratorConfig;
import io.lowbit.accel.config.AcceleratorConfigs;
import io.lowbit.core.arith.IntType;
import io.lowbit.core.arith.OutputClamp;
import io.lowbit.core.arith.QuantizedType;
import io.lowbit.core.arith.Rounding;
import io.lowbit.core.arith.ShiftRequantizer;
import io.lowbit.core.model.CodebookWeights;
import io.lowbit.core.model.Conv2d;
import io.lowbit.core.model.Input;
import io.lowbit.core.model.IntTensor;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.OutputStage;
import io.lowbit.core.model.Shape;
import io.lowbit.core.model.Window;
import io.lowbit.rtl.RtlTools;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Layer shapes NIN does not have, on a small odd configuration (PO = 2, PI = 3: a non-power-of-two adder tree,
 * partial input groups): 7×7 in two chunks, strides, asymmetric output sizes, padding, ROUND_HALF_UP, a non-zero
 * input zero-point, plain saturation instead of ReLU. Bit-exact with the engine, cycles as modelled.
 */
class SyntheticLayerCosimTest {

    @ParameterizedTest(name = "{0}x{0} stride {1} pad {2}, {3}->{4} channels, {5}x{6}")
    @CsvSource({"7, 1, 3, 4, 5, 9, 11", "7, 2, 3, 5, 3, 12, 10", "3, 2, 1, 7, 9, 11, 8", "5, 1, 2, 3, 4, 8, 8",
        "1, 1, 0, 8, 30, 6, 7", "3, 1, 0, 2, 13, 7, 9"})
    void randomLayer(int k, int stride, int pad, int inC, int outC, int h, int w) {
        SplittableRandom rng = new SplittableRandom(1000L * k + 100L * stride + inC * 10L + outC);
        IntegerModel model = model(rng, k, stride, pad, inC, outC, h, w);
        byte[] image = new byte[inC * h * w];
        for (int i = 0; i < image.length; i++) {
            image[i] = (byte) rng.nextInt(-128, 128);
        }
        LayerCosim cosim = new LayerCosim(smallConfig(), RtlTools.verilator(),
                Path.of("target", "cosim-synthetic", k + "x" + stride + "x" + inC + "x" + outC).toAbsolutePath());
        LayerCosimResult r = cosim.run(model, "conv", image);
        System.out.println("[LayerCosim] " + r.summary());
        assertEquals(0, r.mismatches(), r.summary());
        assertTrue(r.cyclesAsModelled(), r.summary());
    }

    /**
     * The preset with PO = 2, PI = 3, a 512-entry psum buffer (forces row tiles) and 4 requantizers per module (a
     * 1×1 window's 25 slots leave in 7 batches, the last one partial).
     */
    static AcceleratorConfig smallConfig() {
        String json = AcceleratorConfigs.toJson(AcceleratorConfigs.pynqZ2ClipQ())
                .replace("\"pynq-z2-clipq\"", "\"small-2x3\"")
                .replaceAll("\"convModules\"\\s*:\\s*4", "\"convModules\" : 2")
                .replaceAll("\"rcasPerModule\"\\s*:\\s*4", "\"rcasPerModule\" : 3")
                .replaceAll("\"psumBytesPerModule\"\\s*:\\s*\\d+", "\"psumBytesPerModule\" : 2048")
                .replaceAll("\"requantizersPerModule\"\\s*:\\s*\\d+", "\"requantizersPerModule\" : 4");
        AcceleratorConfig c = AcceleratorConfigs.parse(json, "small-2x3");
        assertEquals(2, c.convModules());
        assertEquals(3, c.rcasPerModule());
        assertEquals(4, c.requantizersPerModule());
        return c;
    }

    static IntegerModel model(SplittableRandom rng, int k, int stride, int pad, int inC, int outC, int h, int w) {
        var b = IntegerModel.builder("synthetic-" + k);
        b.input("input", Input.codes(Shape.chw(inC, h, w), new QuantizedType(IntType.INT8, 3)), 1.0 / 32);
        Window window = Window.square(k, stride, pad);
        List<Integer> levels = List.of(0, -rng.nextInt(4, 40), -rng.nextInt(1, 12), rng.nextInt(1, 40));
        int[] idx = new int[outC * inC * k * k];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = rng.nextDouble() < 0.2 ? 0 : rng.nextInt(1, 4);
        }
        int[] bias = new int[outC];
        for (int o = 0; o < outC; o++) {
            bias[o] = rng.nextInt(-3000, 3000);
        }
        ShiftRequantizer rq = new ShiftRequantizer(6, OutputClamp.saturating(IntType.INT8, 0), Rounding.ROUND_HALF_UP);
        Conv2d conv = new Conv2d(window, 1, new CodebookWeights(IntType.INT8, levels,
                IntTensor.of(Shape.of(outC, inC, k, k), idx)), IntTensor.vector(bias), new OutputStage.Shift(rq));
        b.node("conv", conv, 1.0 / 32, "input");
        return b.build("conv");
    }
}
