package io.lowbit.rtl.cosim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lowbit.accel.config.AcceleratorConfigs;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.file.IntegerModelFile;
import io.lowbit.rtl.RtlTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Layers of the trained CLIP-Q NIN on the {@code pynq-z2-clipq} RTL with a real CIFAR-10 test image: bit-exact with
 * the integer engine, and the cycle counters exactly as {@link LayerCosimResult#cyclesAsModelled()} states.
 */
class LayerCosimTest {

    private static final int RECORD = 1 + 3 * 32 * 32;
    private static IntegerModel nin;

    @BeforeAll
    static void load() throws Exception {
        Path fixture = Path.of(System.getProperty("lowbit.ninFixture",
                "../lowbit-accel/src/test/resources/models/nin05-clipq.lbq"));
        nin = IntegerModelFile.read(fixture);
    }

    @ParameterizedTest
    @ValueSource(strings = {"conv1", "conv2"})
    void ninLayerIsBitExactAndTakesTheModelledCycles(String layer) throws Exception {
        byte[] records = Files.readAllBytes(cifarMiniTest());
        byte[] image = Arrays.copyOfRange(records, 1, RECORD);
        LayerCosim cosim = new LayerCosim(AcceleratorConfigs.pynqZ2ClipQ(), RtlTools.verilator(),
                Path.of("target", "cosim").toAbsolutePath());
        LayerCosimResult r = cosim.run(nin, layer, image);
        System.out.println("[LayerCosim] " + r.summary());
        assertTrue(r.rtl().done(), "the controller did not finish: " + r.summary());
        assertEquals(0, r.mismatches(), r.summary());
        assertEquals(r.simulator().streamCycles(), r.rtl().stream(), "stream cycles");
        assertTrue(r.cyclesAsModelled(), r.summary());
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
