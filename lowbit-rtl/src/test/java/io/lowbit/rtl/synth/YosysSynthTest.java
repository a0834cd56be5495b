package io.lowbit.rtl.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lowbit.rtl.RtlParameters;
import io.lowbit.rtl.RtlTools;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Yosys synthesis of one conv module's worth of the preset (PO = 1, PI = 1: 25 PEs, 25 psum banks, the module's
 * shared requantizers), with DSP multipliers, with Yosys's LUT multipliers ({@code -nodsp}) and with the preset's
 * LUT multipliers written in the Verilog ({@code multipliers: lut}) while DSPs are allowed; about a minute each.
 */
class YosysSynthTest {

    @ParameterizedTest(name = "dsp = {0}, LUT multipliers in the Verilog = {1}")
    @CsvSource({"true, false", "false, false", "true, true"})
    void smallConvUnitSynthesizes(boolean dsp, boolean lutMultipliers) throws Exception {
        RtlTools.require("yosys");
        RtlParameters p = RtlTools.preset().withParallelism(1, 1).withLutMultipliers(lutMultipliers);
        Path work = Files.createDirectories(Path.of("target", "synth", (dsp ? "dsp" : "nodsp")
                + (lutMultipliers ? "-lut" : "")).toAbsolutePath());
        SynthReport r = YosysSynth.onPath().synthesizeConvUnit(p, dsp, work);
        System.out.println("[YosysSynth] " + r.summary());
        String json = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(r);
        Files.writeString(work.resolve("synth.json"), json);
        assertEquals(r, new ObjectMapper().readValue(json, SynthReport.class));
        // one multiplier per RCA input and codebook level (the PEs select products): 4 DSPs, or none with -nodsp
        // or with the products written as LUT logic (which Yosys must not turn back into DSP48E1s)
        assertEquals(dsp && !lutMultipliers ? p.pi() * p.codebookEntries() : 0, r.dsps(), r.summary());
        assertTrue(r.luts() > 1000 && r.flipFlops() > 25 * 32, r.summary());
        assertTrue(r.bram36() > 0, "psum banks map to block RAM: " + r.summary());
    }

    /**
     * Packed DSPs: Yosys maps each packed multiplication (25-bit port A × 9-bit input) to one DSP48E1, so the
     * 9 multiplier PEs of an RCA take 5 DSPs and the 4 codebook products of a codebook-select RCA take 2. A 9-PE RCA
     * with shallow psum banks keeps the run short (the preset's 25-PE RCA: 13 DSPs, docs/results.md).
     */
    @ParameterizedTest(name = "multiplier PEs = {0}")
    @ValueSource(booleans = {true, false})
    void packedMultiplicationsTakeOneDspEach(boolean multiplierPes) throws Exception {
        RtlTools.require("yosys");
        RtlParameters p = new RtlParameters("packed", 1, 1, 9, 8, 8, 2, 32, 3, 64, 2, 2, 2, 2, 2, multiplierPes, 2);
        Path work = Files.createDirectories(Path.of("target", "synth", "packed-" + multiplierPes).toAbsolutePath());
        SynthReport r = YosysSynth.onPath().synthesizeConvUnit(p, true, work);
        System.out.println("[YosysSynth packed] " + r.summary());
        assertEquals(multiplierPes ? 5 : 2, r.dsps(), r.summary());
    }

    /**
     * The pool unit of the preset alone (PI = 4 lanes, the preset's 20-bit window sums): each lane's 10×31-bit
     * product of its new term and M0 takes two DSP48E1s, the four constant products of the address walks one each;
     * about 40 s.
     */
    @Test
    void poolUnitSynthesizes() throws Exception {
        RtlTools.require("yosys");
        Path work = Files.createDirectories(Path.of("target", "synth", "pool").toAbsolutePath());
        RtlParameters p = RtlTools.preset();
        SynthReport r = YosysSynth.onPath().synthesizePoolUnit(p, p.poolSumBits(), true, work);
        System.out.println("[YosysSynth pool] " + r.summary());
        assertEquals(YosysSynth.POOL_UNIT, r.top());
        assertTrue(r.luts() > 500 && r.dsps() >= 4 && r.bram36() == 0, r.summary());
    }

    /**
     * The whole accelerator ({@code lowbit_accel}: sequencer, DMA, controller, conv unit, writer, pool unit and
     * every memory) of a small instance: PO = 1, PI = 4, 9 PEs, 3 requantizers (2 feature-map banks of 2 sub-banks
     * per buffer), memories deep enough to be block RAM (4,096 feature-map words per buffer, 512 instructions,
     * 4,096 weight words); about 2 minutes. Each group of large memories must map to block RAM, and {@code sta}
     * gives a logic-only arrival time.
     */
    @Test
    void smallAcceleratorSynthesizes() throws Exception {
        RtlTools.require("yosys");
        RtlParameters p = new RtlParameters("small-accel", 1, 4, 9, 8, 8, 2, 32, 3, 64, 512, 4096, 512, 4096, 64);
        Path work = Files.createDirectories(Path.of("target", "synth", "accel").toAbsolutePath());
        SynthReport r = YosysSynth.onPath().synthesizeAccelerator(p, true, work);
        System.out.println("[YosysSynth accel] " + r.summary());
        String json = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(r);
        Files.writeString(work.resolve("synth.json"), json);
        assertEquals(r, new ObjectMapper().readValue(json, SynthReport.class));
        assertEquals(YosysSynth.ACCELERATOR, r.top());
        assertTrue(r.luts() > 1000 && r.flipFlops() > 500, r.summary());
        // 2 buffers × 2 banks × 2 sub-banks of 1,024 32-bit words: one RAMB36 each
        assertEquals(8.0, r.bramByMemory().getOrDefault("feature-map buffers", 0.0), r.summary());
        // 512 stored instructions of 163 bits (InstructionFormat): 5 RAMB18, and the sequencer's 9-bit copy
        assertTrue(r.bramByMemory().getOrDefault("instruction memory", 0.0) >= 2.5, r.summary());
        assertTrue(r.bramByMemory().getOrDefault("weight banks", 0.0) > 0, r.summary());
        assertEquals(r.bram36(), r.bramByMemory().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9,
                r.summary());
        assertTrue(r.logicArrivalNs() != null && r.logicArrivalNs() > 1, r.summary());
    }
}
