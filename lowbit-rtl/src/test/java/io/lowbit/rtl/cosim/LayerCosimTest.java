package io.lowbit.rtl.cosim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowbit.accel.Fixtures;
import io.lowbit.accel.config.AcceleratorConfig;
import io.lowbit.accel.config.AcceleratorConfigs;
import io.lowbit.accel.config.Multipliers;
import io.lowbit.accel.config.PeStyle;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.rtl.RtlTools;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Layers of the trained CLIP-Q NIN on the {@code pynq-z2-clipq} RTL (and on the design {@code lowbit dse} chose) with
 * a real CIFAR-10 test image: bit-exact with the integer engine, and the cycle counters exactly as
 * {@link LayerCosimResult#cyclesAsModelled()} states.
 */
class LayerCosimTest {

    private static IntegerModel nin;

    @BeforeAll
    static void load() {
        nin = Fixtures.nin05ClipQ();
    }

    @ParameterizedTest
    @ValueSource(strings = {"conv1", "conv2"})
    void ninLayerIsBitExactAndTakesTheModelledCycles(String layer) throws Exception {
        byte[] image = Fixtures.cifarMiniTestImage(0);
        LayerCosim cosim = new LayerCosim(AcceleratorConfigs.pynqZ2ClipQ(), RtlTools.verilator(),
                Path.of("target", "cosim").toAbsolutePath());
        LayerCosimResult r = cosim.run(nin, layer, image);
        System.out.println("[LayerCosim] " + r.summary());
        assertTrue(r.rtl().done(), "the controller did not finish: " + r.summary());
        assertEquals(0, r.mismatches(), r.summary());
        assertEquals(r.simulator().streamCycles(), r.rtl().stream(), "stream cycles");
        assertTrue(r.cyclesAsModelled(), r.summary());
    }

    /**
     * The other PE style and packed DSPs (docs/accelerator.md §7): the paper's multiplier PEs with two products per
     * DSP48E1 ({@code pynq-z2-clipq-dsp-packed}) on the 3×3 first layer, and codebook-select PEs whose codebook
     * products are packed two per DSP on a 1×1 layer. The same outputs and the same cycles as the integer engine and
     * the simulator.
     */
    @ParameterizedTest
    @CsvSource({"multiplier, conv1", "codebook-select, conv2"})
    void packedDspsAndMultiplierPesAreBitExact(String style, String layer) throws Exception {
        AcceleratorConfig packed = AcceleratorConfigs.preset("pynq-z2-clipq-dsp-packed");
        if (style.equals("codebook-select")) {
            packed = packed.withMultipliers("pynq-z2-clipq-select-packed", PeStyle.CODEBOOK_SELECT,
                    Multipliers.DSP_PACKED);
        }
        assertEquals(2, packed.productsPerDsp());
        LayerCosim cosim = new LayerCosim(packed, RtlTools.verilator(), Path.of("target", "cosim-" + style)
                .toAbsolutePath());
        LayerCosimResult r = cosim.run(nin, layer, Fixtures.cifarMiniTestImage(1));
        System.out.println("[LayerCosim " + packed.name() + "] " + r.summary());
        assertTrue(r.rtl().done(), "the controller did not finish: " + r.summary());
        assertEquals(0, r.mismatches(), r.summary());
        assertTrue(r.cyclesAsModelled(), r.summary());
    }

    /**
     * The design {@code lowbit dse} chose for the XC7Z020 (3 modules × 16 RCAs × 18 PEs, 3 requantizers per module:
     * docs/results.md#design-space-exploration) on a 1×1 layer, where its shared requantizers stall the stream.
     */
    @Test
    void theDseBestDesignIsBitExactAndTakesTheModelledCycles() throws Exception {
        AcceleratorConfig best;
        try (InputStream in = LayerCosimTest.class.getResourceAsStream("/configs/dse-3x16x18-r3-xc7z020.json")) {
            best = AcceleratorConfigs.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    "dse-3x16x18-r3-xc7z020.json");
        }
        LayerCosim cosim = new LayerCosim(best, RtlTools.verilator(), Path.of("target", "cosim-dse").toAbsolutePath());
        LayerCosimResult r = cosim.run(nin, "conv2", Fixtures.cifarMiniTestImage(0));
        System.out.println("[LayerCosim dse] " + r.summary());
        assertEquals(0, r.mismatches(), r.summary());
        assertTrue(r.rtl().stall() > r.rtl().stream(), "shared requantizers stall a 1×1 layer: " + r.summary());
        assertTrue(r.cyclesAsModelled(), r.summary());
    }
}
