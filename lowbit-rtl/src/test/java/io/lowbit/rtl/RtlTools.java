package io.lowbit.rtl;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lowbit.accel.config.AcceleratorConfigs;
import io.lowbit.rtl.sim.ExternalTool;
import io.lowbit.rtl.sim.Verilator;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assertions;

/**
 * Test access to the EDA tools: a test needing one is skipped with a message when it is missing, and fails when
 * {@code CI=true} (CI must install them).
 */
public final class RtlTools {

    private RtlTools() {
    }

    /** Tools whose absence was already announced on the console. */
    private static final Set<String> ANNOUNCED = ConcurrentHashMap.newKeySet();

    public static void require(String tool) {
        boolean present = ExternalTool.find(tool).isPresent();
        String why = tool + " is not on PATH: RTL co-simulation/synthesis skipped (apt-get install verilator yosys)";
        if ("true".equals(System.getenv("CI"))) {
            Assertions.assertTrue(present, why);
        } else {
            if (!present && ANNOUNCED.add(tool)) {
                // Maven's summary counts skipped tests without their reason; say it once where people look
                System.out.println("[lowbit] SKIPPED: " + why);
            }
            assumeTrue(present, why);
        }
    }

    public static Verilator verilator() {
        require("verilator");
        String dir = System.getProperty("lowbit.rtl.cache");
        return Verilator.onPath(dir != null ? Path.of(dir) : Verilator.defaultCache());
    }

    /** Sources for {@code p} under {@code target/generated-rtl/<tag>}. */
    public static GeneratedRtl generate(RtlParameters p, String tag) {
        return RtlGenerator.generate(p, Path.of("target", "generated-rtl", tag).toAbsolutePath());
    }

    public static RtlParameters preset() {
        return RtlParameters.of(AcceleratorConfigs.pynqZ2ClipQ());
    }
}
