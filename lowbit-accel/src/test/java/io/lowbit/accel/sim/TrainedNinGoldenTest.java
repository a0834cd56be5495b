package io.lowbit.accel.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lowbit.accel.config.AcceleratorConfigs;
import io.lowbit.core.engine.ReferenceEngine;
import io.lowbit.core.model.CodebookWeights;
import io.lowbit.core.model.Conv2d;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.file.IntegerModelFile;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Golden test on a real trained model: the CLIP-Q NIN fixture ({@code src/test/resources/models/README.md}) on the
 * paper preset, with real CIFAR-10 test images, bit-exact with the integer engine node by node and output by output.
 */
class TrainedNinGoldenTest {

    private static final int RECORD = 1 + 3 * 32 * 32;
    private static IntegerModel nin;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = TrainedNinGoldenTest.class.getResourceAsStream("/models/nin05-clipq.lbq")) {
            nin = IntegerModelFile.fromBytes(in.readAllBytes(), "nin05-clipq.lbq");
        }
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
        byte[] records = Files.readAllBytes(cifarMiniTest());
        CycleSimulator sim = new CycleSimulator(AcceleratorConfigs.pynqZ2ClipQ(), nin);
        ReferenceEngine reference = new ReferenceEngine();
        int images = 24;
        for (int i = 0; i < images; i++) {
            byte[] image = Arrays.copyOfRange(records, i * RECORD + 1, (i + 1) * RECORD);
            if (i < 2) {
                CycleSimulatorTest.assertSameNodes(nin, sim, image);
            } else {
                assertArrayEquals(reference.run(nin, image), sim.run(image), "image " + i);
            }
        }
        Timing t = sim.timing();
        assertTrue(t.totalCycles() > 0 && t.gops() > 0 && t.gops() < 88.8);
    }

    /** The CIFAR-10 mini test batch under {@code $LOWBIT_SHARED_DATA}; in CI its absence is a failure. */
    static Path cifarMiniTest() {
        String dir = System.getenv("LOWBIT_SHARED_DATA");
        Path file = dir == null ? null : Path.of(dir, "cifar-10-mini", "test_batch.bin");
        boolean present = file != null && Files.isRegularFile(file);
        String why = "real CIFAR data not found: set LOWBIT_SHARED_DATA to a folder holding cifar-10-mini/ "
                + "(currently " + dir + ")";
        if ("true".equals(System.getenv("CI"))) {
            Assertions.assertTrue(present, why);
        } else {
            assumeTrue(present, why);
        }
        return file;
    }
}
