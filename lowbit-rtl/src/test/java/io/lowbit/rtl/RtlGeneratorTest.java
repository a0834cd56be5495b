package io.lowbit.rtl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowbit.accel.config.AcceleratorConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generation from a configuration, without any EDA tool. */
class RtlGeneratorTest {

    @Test
    void presetParameters() {
        RtlParameters p = RtlTools.preset();
        assertEquals(4, p.po());
        assertEquals(4, p.pi());
        assertEquals(25, p.pes());
        assertEquals(1024, p.psumEntries());     // 4,096 B of 32-bit partial sums per module
        assertEquals(32, p.weightWordBits());   // 16 two-bit indexes per preload word
        assertEquals(8, p.fmBanks());           // a batch: 5 requantizers × 4 modules = 20 channels, ≤ 6 groups
        assertEquals(8192, p.fmBankDepth());     // ⌈49,152 / 8⌉ = 6,144 words (the larger buffer), rounded up
        assertEquals(4096, p.fmBankWords(0));    // what a bank's memories hold: buffer 0, 32 BRAM36
        assertEquals(6144, p.fmBankWords(1));    // buffer 1, 48 BRAM36
        assertEquals(64, p.resultWordBits());    // 4 lanes of 16 bits
        assertEquals(6, p.drainCycles());        // ⌈log2 4⌉ + 4
        assertEquals(32768, p.fmDepth());        // buffer 0: 131,072 B of 4-channel words
        assertEquals(49152, p.fmDepth1());       // buffer 1: 196,608 B
    }

    @Test
    void writesSourcesWithAStableHash(@TempDir Path a, @TempDir Path b) throws Exception {
        GeneratedRtl x = RtlGenerator.generate(RtlTools.preset(), a);
        GeneratedRtl y = RtlGenerator.generate(RtlTools.preset(), b);
        assertEquals(x.hash(), y.hash());
        assertEquals(RtlGenerator.MODULES.size() + 2, x.sources().size());
        String params = Files.readString(a.resolve(RtlGenerator.PARAMS_FILE));
        assertTrue(params.contains("`define LOWBIT_PO 4") && params.contains("`define LOWBIT_PSUM_ENTRIES 1024"),
                params);
        assertTrue(Files.readString(x.top()).contains("module lowbit_accel ("));
        GeneratedRtl z = RtlGenerator.generate(RtlTools.preset().withParallelism(1, 2), a.resolve("small"));
        assertNotEquals(x.hash(), z.hash());
    }

    @Test
    void rejectsWhatTheRtlDoesNotImplement() {
        String plain = AcceleratorConfigs.toJson(AcceleratorConfigs.pynqZ2ClipQ())
                .replaceAll("\"weightDecoder\"\\s*:\\s*\\{[^}]*\\}", "\"weightDecoder\" : {\"kind\" : \"plain\"}")
                .replace("\"codebook-select\"", "\"multiplier\""); // plain weights need multiplier PEs
        var config = AcceleratorConfigs.parse(plain, "plain");
        var e = assertThrows(IllegalArgumentException.class, () -> RtlParameters.of(config));
        assertTrue(e.getMessage().contains("codebook"), e.getMessage());
    }
}
