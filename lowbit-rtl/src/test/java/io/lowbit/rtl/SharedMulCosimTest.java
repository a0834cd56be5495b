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
 * ({@code tb_shared_mul}); the Java model {@link DspPacking} is checked the same way in lowbit-accel.
 */
class SharedMulCosimTest {

    @ParameterizedTest(name = "{0}-bit activations, {1}-bit weights, {2} per multiplication")
    @CsvSource({"8, 8, 2", "4, 4, 3", "2, 2, 6", "8, 8, 1"})
    void everyCombinationIsExact(int activationBits, int weightBits, int pack, @TempDir Path work) throws IOException {
        if (pack > 1) { // the densest packing a DSP48E1 takes, as the configuration would choose
            assertEquals(pack, DspPacking.maxCount(DspSlice.DSP48E1, activationBits + 1, weightBits));
        }
        RtlParameters p = new RtlParameters("shared-mul", 1, 1, 25, activationBits, weightBits, 2, 32, 25, 64, 2, 2,
                2, 2, 2, true, pack);
        Path exe = RtlTools.verilator().build(RtlTools.generate(p, "shared-mul-" + activationBits + "x" + weightBits
                + "x" + pack), "tb_shared_mul");
        Verilator.run(exe, work, List.of(), 600);
        String out = Files.readString(work.resolve("shared_mul.out")).trim();
        long inputs = (1L << (activationBits + 1)) - 1;
        long vectors = 1L << (weightBits * pack);
        assertEquals("checked " + inputs * vectors * pack + " errors 0", out);
    }
}
