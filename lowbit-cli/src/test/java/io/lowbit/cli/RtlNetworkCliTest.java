package io.lowbit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lowbit rtl cosim --network}: the whole NIN in one RTL simulation (docs/rtl.md §3). */
class RtlNetworkCliTest {

    @TempDir
    Path tmp;

    @Test
    void rtlCosimRunsTheWholeNetwork() throws Exception {
        boolean verilator = io.lowbit.rtl.sim.ExternalTool.find("verilator").isPresent();
        if ("true".equals(System.getenv("CI"))) {
            Assertions.assertTrue(verilator, "verilator is not on PATH");
        } else {
            assumeTrue(verilator, "verilator is not on PATH: RTL co-simulation skipped");
        }
        Path lbq = tmp.resolve("nin.lbq");
        try (var in = RtlNetworkCliTest.class.getResourceAsStream("/models/nin05-clipq.lbq")) {
            Files.write(lbq, in.readAllBytes());
        }
        Path json = tmp.resolve("network.json");
        CliTest.Run r = CliTest.lowbit("rtl", "cosim", lbq.toString(), "--network", "--dataset", "cifar10-mini",
                "--data-dir", CliTest.sharedData().toString(), "--work-dir", tmp.resolve("w").toString(),
                "--json-out", json.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("bit-exact with the integer engine") && r.out().contains("cycles as modelled"),
                r.out());
        JsonNode result = new ObjectMapper().readTree(json.toFile());
        assertEquals(12, result.get("layers").size());
        assertEquals(0, result.get("outputMismatches").asInt());
        assertEquals(result.get("modelledCycles").asLong(), result.get("rtlCycles").asLong());

        CliTest.Run both = CliTest.lowbit("rtl", "cosim", lbq.toString(), "--network", "--layers", "conv1",
                "--dataset", "cifar10-mini", "--data-dir", CliTest.sharedData().toString());
        assertEquals(2, both.code());
        assertTrue(both.err().contains("--network"), both.err());
    }
}
