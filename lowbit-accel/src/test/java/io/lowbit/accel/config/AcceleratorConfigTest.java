package io.lowbit.accel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AcceleratorConfigTest {

    @Test
    void paperPresetHas400PesAt111MHz() {
        AcceleratorConfig c = AcceleratorConfigs.pynqZ2ClipQ();
        assertEquals(4, c.convModules());
        assertEquals(4, c.rcasPerModule());
        assertEquals(25, c.pesPerRca());
        assertEquals(400, c.peakMacsPerCycle());
        assertEquals(88.8, c.peakGops(), 1e-9);
        assertEquals(8, c.activationBits());
        assertEquals(WeightDecoder.codebook(2), c.weightDecoder());
        assertEquals(4, c.weightDecoder().entries());
        assertEquals(2, c.adderTreeStages());
    }

    @Test
    void paperPresetFitsTheXc7z020BlockRam() {
        AcceleratorConfig c = AcceleratorConfigs.pynqZ2ClipQ();
        int blocks = c.buffers().bram36Blocks(c.convModules());
        assertTrue(blocks <= 140, blocks + " RAMB36 > 140 of the XC7Z020");
        assertTrue(c.buffers().totalBytes(c.convModules()) <= 630 * 1024);
    }

    @Test
    void jsonRoundTripIsIdentity() {
        for (String preset : AcceleratorConfigs.PRESETS) {
            AcceleratorConfig c = AcceleratorConfigs.preset(preset);
            assertEquals(c, AcceleratorConfigs.parse(AcceleratorConfigs.toJson(c), "round trip"));
        }
        assertEquals(Dataflow.STRIP, AcceleratorConfigs.pynqZ2ClipQ().dataflow());
        assertEquals(Dataflow.LINE_BUFFER, AcceleratorConfigs.preset("pynq-z2-clipq-linebuffer").dataflow());
    }

    @Test
    void plainDecoderParses() {
        String json = AcceleratorConfigs.toJson(AcceleratorConfigs.pynqZ2ClipQ())
                .replace("\"kind\" : \"codebook\",\n    \"indexBits\" : 2", "\"kind\" : \"plain\"")
                .replace("\"shift\"", "\"multiplier\"");
        // the preset names its PE style; plain weights cannot select codebook products
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> AcceleratorConfigs.parse(json,
                "t"));
        assertTrue(e.getMessage().contains("peStyle"), e.getMessage());
        AcceleratorConfig c = AcceleratorConfigs.parse(json.replace("\"codebook-select\"", "\"multiplier\""), "t");
        assertEquals(WeightDecoder.plain(), c.weightDecoder());
        assertEquals(RequantizerKind.MULTIPLIER, c.requantizer());
        assertEquals(PeStyle.MULTIPLIER, c.peStyle());
        // absent: multiplier PEs for plain weights, DSP multipliers
        AcceleratorConfig d = AcceleratorConfigs.parse(json.replace(",\n  \"peStyle\" : \"codebook-select\"", "")
                .replace(",\n  \"multipliers\" : \"lut\"", ""), "t");
        assertEquals(PeStyle.MULTIPLIER, d.peStyle());
        assertEquals(Multipliers.DSP, d.multipliers());
    }

    @Test
    void packedDspsNeedTwoProductsPerSlice() {
        String json = AcceleratorConfigs.toJson(AcceleratorConfigs.pynqZ2ClipQ()).replace("\"lut\"",
                "\"dsp-packed\"");
        assertEquals(2, AcceleratorConfigs.parse(json, "t").productsPerDsp());
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> AcceleratorConfigs.parse(
                json.replace("\"weightBits\" : 8", "\"weightBits\" : 12"), "t"));
        assertTrue(e.getMessage().contains("dsp-packed"), e.getMessage());
    }

    @Test
    void errorsNameTheSourceAndField() {
        String good = AcceleratorConfigs.toJson(AcceleratorConfigs.pynqZ2ClipQ());
        assertMessage(good.replace("\"convModules\" : 4", "\"convModules\" : 0"), "convModules = 0");
        assertMessage(good.replace("\"convModules\" : 4", "\"convModulez\" : 4"), "convModulez");
        assertMessage(good.replace("\"convModules\" : 4,", ""), "convModules");
        assertMessage(good.replace("\"indexBits\" : 2", "\"indexBits\" : 9"), "weightDecoder.indexBits = 9");
        assertMessage(good.replace("\"shift\"", "\"divider\""), "requantizer");
        assertMessage(good.replace("111.0", "-1"), "clockMHz");
        assertMessage(good.replace("\"featureMapBytes\" : 131072", "\"featureMapBytes\" : 1"),
                "buffers.featureMapBytes = 1");
        assertMessage(good.substring(0, good.length() / 2), "cfg.json");
        assertMessage("[]", "cfg.json");
        assertMessage("null", "empty");
    }

    @Test
    void requantizersDefaultToOnePerSlotAndAreBounded() {
        AcceleratorConfig paper = AcceleratorConfigs.pynqZ2ClipQ();
        assertEquals(5, paper.requantizersPerModule());
        assertEquals(5, paper.requantizerCycles(25)); // a 1×1 window: 25 slots through 5 requantizers
        assertEquals(1, paper.requantizerCycles(2));  // 3×3: 2 slots
        String good = AcceleratorConfigs.toJson(paper);
        AcceleratorConfig absent = AcceleratorConfigs.parse(good.replaceAll(",\\s*\"requantizersPerModule\"\\s*:\\s*5",
                ""), "absent");
        assertEquals(25, absent.requantizersPerModule());
        assertEquals(1, absent.requantizerCycles(25));
        assertEquals(25, AcceleratorConfigs.preset("pynq-z2-clipq-linebuffer").requantizersPerModule());
        assertMessage(good.replace("\"requantizersPerModule\" : 5", "\"requantizersPerModule\" : 26"),
                "requantizersPerModule = 26");
        String lineBuffer = AcceleratorConfigs.toJson(AcceleratorConfigs.preset("pynq-z2-clipq-linebuffer"));
        assertMessage(lineBuffer.replace("\"requantizersPerModule\" : 25", "\"requantizersPerModule\" : 5"),
                "strip dataflow only");
    }

    @Test
    void unknownPresetAndHugeFileAreRejected(@TempDir Path dir) throws Exception {
        var e = assertThrows(InvalidConfigException.class, () -> AcceleratorConfigs.resolve("pynq-z3"));
        assertTrue(e.getMessage().contains("pynq-z2-clipq"), e.getMessage());
        Path big = dir.resolve("big.json");
        Files.write(big, new byte[(int) AcceleratorConfigs.MAX_FILE_BYTES + 1]);
        e = assertThrows(InvalidConfigException.class, () -> AcceleratorConfigs.resolve(big.toString()));
        assertTrue(e.getMessage().contains("too large"), e.getMessage());
        Path ok = dir.resolve("ok.json");
        Files.writeString(ok, AcceleratorConfigs.toJson(AcceleratorConfigs.pynqZ2ClipQ()));
        assertEquals(AcceleratorConfigs.pynqZ2ClipQ(), AcceleratorConfigs.resolve(ok.toString()));
    }

    private static void assertMessage(String json, String expected) {
        var e = assertThrows(InvalidConfigException.class, () -> AcceleratorConfigs.parse(json, "cfg.json"));
        assertTrue(e.getMessage().contains("cfg.json"), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
