package io.lowbit.train;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;

/**
 * Where tests find the real CIFAR files: {@code $LOWBIT_SHARED_DATA} (surefire points it at
 * {@code ../shared/data}). Without it a developer's run skips the tests that need real images, saying why; in CI
 * ({@code CI=true}) a missing data set is a failure, never a silent skip.
 */
public final class TestData {

    private TestData() {
    }

    /** The folder holding {@code cifar-10-mini/} (and, where present, {@code cifar-10-batches-bin/}). */
    public static Path sharedData() {
        String dir = System.getenv("LOWBIT_SHARED_DATA");
        boolean present = dir != null && Files.isDirectory(Path.of(dir, "cifar-10-mini"));
        String why = "real CIFAR data not found: set LOWBIT_SHARED_DATA to a folder holding cifar-10-mini/ "
                + "(currently " + dir + ")";
        if ("true".equals(System.getenv("CI"))) {
            Assertions.assertTrue(present, why);
        } else {
            assumeTrue(present, why);
        }
        return Path.of(dir).toAbsolutePath().normalize();
    }
}
