package io.lowbit.accel.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowbit.accel.Fixtures;
import io.lowbit.accel.config.AcceleratorConfigs;
import io.lowbit.core.engine.ReferenceEngine;
import io.lowbit.core.model.CodebookWeights;
import io.lowbit.core.model.Conv2d;
import io.lowbit.core.model.IntegerModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Golden test on a real trained model: the CLIP-Q NIN fixture ({@code src/test/resources/models/README.md}) on the
 * paper preset, with real CIFAR-10 test images, bit-exact with the integer engine node by node and output by output.
 */
class TrainedNinGoldenTest {

    private static IntegerModel nin;

    @BeforeAll
    static void load() {
        nin = Fixtures.nin05ClipQ();
    }

    @Test
    void fixtureIsTheTrainedClipQNin() {
        assertTrue(nin.fingerprint().startsWith("f1e877e55005b85a"), nin.fingerprint());
        long codebookConvs = nin.nodes().stream().filter(n -> n.op() instanceof Conv2d c
                && c.weights() instanceof CodebookWeights cb && cb.levels().size() == 4).count();
        assertEquals(9, codebookConvs);
    }

    @Test
    void cifarTestImagesAreBitExactOnThePaperPreset() throws Exception {
        CycleSimulator sim = new CycleSimulator(AcceleratorConfigs.pynqZ2ClipQ(), nin);
        ReferenceEngine reference = new ReferenceEngine();
        int images = 24;
        for (int i = 0; i < images; i++) {
            byte[] image = Fixtures.cifarMiniTestImage(i);
            if (i < 2) {
                CycleSimulatorTest.assertSameNodes(nin, sim, image);
            } else {
                assertArrayEquals(reference.run(nin, image), sim.run(image), "image " + i);
            }
        }
        Timing t = sim.timing();
        assertTrue(t.totalCycles() > 0 && t.gops() > 0 && t.gops() < 88.8);
    }
}
