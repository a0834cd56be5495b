package io.lowbit.rtl.cosim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowbit.accel.Fixtures;
import io.lowbit.accel.config.AcceleratorConfigs;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.rtl.RtlTools;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The whole trained CLIP-Q NIN (9 conv layers, 3 pools) in one simulation of the {@code pynq-z2-clipq} RTL on a
 * CIFAR-10 test image: every layer's output and the int16 logits bit-exact with the integer engine, every layer in
 * its modelled cycles and the run in their sum plus the sequencer's.
 */
class NetworkCosimTest {

    @Test
    void ninRunsInOneSimulationBitExactInTheModelledCycles() throws Exception {
        IntegerModel nin = Fixtures.nin05ClipQ();
        NetworkCosim cosim = new NetworkCosim(AcceleratorConfigs.pynqZ2ClipQ(), RtlTools.verilator(),
                Path.of("target", "cosim-network").toAbsolutePath());
        NetworkCosimResult r = cosim.run(nin, Fixtures.cifarMiniTestImage(0));
        System.out.println("[NetworkCosim] " + r.summary());
        assertEquals(12, r.layers().size());
        assertEquals(10, r.outputElements());
        assertTrue(r.bitExact(), r.summary());
        assertTrue(r.cyclesAsModelled(), r.summary());
    }
}
