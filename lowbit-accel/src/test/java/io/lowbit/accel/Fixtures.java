package io.lowbit.accel;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.file.IntegerModelFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assertions;

/**
 * Real data for golden tests, shared by the accelerator's, the RTL's and the CLI's tests (test-jar): the trained
 * CLIP-Q NIN fixture ({@code src/test/resources/models/README.md}) and CIFAR-10 mini test images.
 */
public final class Fixtures {

    /** Bytes of one CIFAR-10 binary record: a label byte and 3×32×32 pixels. */
    public static final int RECORD = 1 + 3 * 32 * 32;

    private Fixtures() {
    }

    /** The trained CLIP-Q NIN, width 0.5. */
    public static IntegerModel nin05ClipQ() {
        try (InputStream in = Fixtures.class.getResourceAsStream("/models/nin05-clipq.lbq")) {
            return IntegerModelFile.fromBytes(in.readAllBytes(), "nin05-clipq.lbq");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The pixels of CIFAR-10 mini test image {@code i}. */
    public static byte[] cifarMiniTestImage(int i) throws IOException {
        byte[] records = Files.readAllBytes(cifarMiniTest());
        return Arrays.copyOfRange(records, i * RECORD + 1, (i + 1) * RECORD);
    }

    /**
     * The CIFAR-10 mini test batch under {@code $LOWBIT_SHARED_DATA} (surefire points it at {@code ../shared/data});
     * without it a developer's run skips, and CI ({@code CI=true}) fails.
     */
    public static Path cifarMiniTest() {
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
