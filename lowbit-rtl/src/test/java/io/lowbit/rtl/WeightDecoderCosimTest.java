package io.lowbit.rtl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lowbit.rtl.sim.Verilator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The codebook decoder returns level {@code index} for every index, with signed levels over the whole int8 range. */
class WeightDecoderCosimTest {

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void everyIndexSelectsItsLevel(int indexBits, @TempDir Path work) throws IOException {
        RtlParameters preset = RtlTools.preset();
        RtlParameters p = new RtlParameters("decoder-b" + indexBits, 1, 1, preset.pes(), 8, 8, indexBits, 32,
                preset.pes(), 64, 2, 2, 2, 2, 2);
        Path exe = RtlTools.verilator().build(RtlTools.generate(p, "decoder-b" + indexBits), "tb_decoder");
        SplittableRandom rng = new SplittableRandom(indexBits);
        int n = 1 << indexBits;
        int[] levels = new int[n];
        StringBuilder s = new StringBuilder();
        for (int e = 0; e < n; e++) {
            levels[e] = e == 0 ? 0 : e == 1 ? -128 : e == 2 ? 127 : rng.nextInt(-128, 128);
            s.append(String.format("%02x%n", levels[e] & 0xFF));
        }
        Files.writeString(work.resolve("decoder.in"), s);
        Verilator.run(exe, work, List.of(), 60);
        List<String> out = Files.readAllLines(work.resolve("decoder.out"));
        assertEquals(n, out.size());
        for (int e = 0; e < n; e++) {
            assertEquals(levels[e], Integer.parseInt(out.get(e).trim()), "index " + e);
        }
    }
}
