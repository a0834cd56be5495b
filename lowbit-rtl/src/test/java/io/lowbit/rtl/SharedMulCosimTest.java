package io.lowbit.rtl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lowbit.accel.dsp.DspPacking;
import io.lowbit.accel.dsp.DspSlice;
import io.lowbit.rtl.sim.Verilator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * lowbit_shared_mul in Verilator over every input combination of the packed widths: every centred input times
 * every vector of {@code PACK} weights, packed into one multiplication, against the direct products
 * ({@code tb_shared_mul}); the Java model {@link DspPacking} is checked the same way in lowbit-accel. The LUT
 * multipliers ({@code multipliers: lut}: Booth partial-product sums) likewise, for even and odd weight widths.
 */
class SharedMulCosimTest {

    @ParameterizedTest(name = "{0}-bit activations, {1}-bit weights, {2} per multiplication, LUT {3}")
    @CsvSource({"8, 8, 2, false", "4, 4, 3, false", "2, 2, 6, false", "8, 8, 1, false", "8, 8, 1, true",
            "4, 5, 1, true", "2, 3, 1, true", "7, 2, 1, true"})
    void everyCombinationIsExact(int activationBits, int weightBits, int pack, boolean lut, @TempDir Path work)
            throws IOException {
        if (pack > 1) { // the densest packing a DSP48E1 takes, as the configuration would choose
            assertEquals(pack, DspPacking.maxCount(DspSlice.DSP48E1, activationBits + 1, weightBits));
        }
        RtlParameters p = new RtlParameters("shared-mul", 1, 1, 25, activationBits, weightBits, 2, 32, 25, 64, 2, 2,
                2, 2, 2, true, pack, RtlParameters.DEFAULT_BEAT_BYTES, lut);
        Path exe = RtlTools.verilator().build(RtlTools.generate(p, "shared-mul-" + activationBits + "x" + weightBits
                + "x" + pack + (lut ? "-lut" : "")), "tb_shared_mul");
        Verilator.run(exe, work, List.of(), 600);
        String out = Files.readString(work.resolve("shared_mul.out")).trim();
        long inputs = (1L << (activationBits + 1)) - 1;
        long vectors = 1L << (weightBits * pack);
        assertEquals("checked " + inputs * vectors * pack + " errors 0", out);
    }
}
