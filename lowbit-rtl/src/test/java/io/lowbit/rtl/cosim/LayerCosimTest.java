package io.lowbit.rtl.cosim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowbit.accel.Fixtures;
import io.lowbit.accel.config.AcceleratorConfigs;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.rtl.RtlTools;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Layers of the trained CLIP-Q NIN on the {@code pynq-z2-clipq} RTL with a real CIFAR-10 test image: bit-exact with
 * the integer engine, and the cycle counters exactly as {@link LayerCosimResult#cyclesAsModelled()} states.
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
}
