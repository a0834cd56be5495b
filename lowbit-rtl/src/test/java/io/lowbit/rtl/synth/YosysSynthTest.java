package io.lowbit.rtl.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lowbit.rtl.RtlParameters;
import io.lowbit.rtl.RtlTools;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Yosys synthesis of one conv module's worth of the preset (PO = 1, PI = 1: 25 PEs, 25 psum banks, the module's
 * shared requantizers), with DSP multipliers and with LUT multipliers ({@code -nodsp}); about a minute each.
 */
class YosysSynthTest {

    @ParameterizedTest(name = "dsp = {0}")
    @ValueSource(booleans = {true, false})
    void smallConvUnitSynthesizes(boolean dsp) throws Exception {
        RtlTools.require("yosys");
        RtlParameters p = RtlTools.preset().withParallelism(1, 1);
        Path work = Files.createDirectories(Path.of("target", "synth", dsp ? "dsp" : "nodsp").toAbsolutePath());
        SynthReport r = YosysSynth.onPath().synthesizeConvUnit(p, dsp, work);
        System.out.println("[YosysSynth] " + r.summary());
        String json = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(r);
        Files.writeString(work.resolve("synth.json"), json);
        assertEquals(r, new ObjectMapper().readValue(json, SynthReport.class));
        // one multiplier per RCA input and codebook level (the PEs select products): 4 DSPs, or none with -nodsp
        assertEquals(dsp ? p.pi() * p.codebookEntries() : 0, r.dsps(), r.summary());
        assertTrue(r.luts() > 1000 && r.flipFlops() > 25 * 32, r.summary());
        assertTrue(r.bram36() > 0, "psum banks map to block RAM: " + r.summary());
    }
}
