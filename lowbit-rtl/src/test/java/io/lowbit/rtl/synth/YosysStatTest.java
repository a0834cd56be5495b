package io.lowbit.rtl.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Parsing a Yosys {@code stat} listing (no Yosys needed). */
class YosysStatTest {

    private static final String STAT = """
            12. Printing statistics.

            === lowbit_conv_unit ===

               Number of wires:               7561
               Number of memories:               0
               Number of cells:              17912
                 CARRY4                        830
                 DSP48E1                        25
                 FDRE                         3665
                 FDSE                            5
                 LUT1                          400
                 LUT6                         4480
                 MUXF7                         752
                 RAM32M                          3
                 RAMB18E1                       21
                 RAMB36E1                       10
                 SRL16E                         33
            """;

    @Test
    void countsResourceClasses() {
        SynthReport r = YosysStat.report(STAT, "lowbit_conv_unit", "xc7", true, 1, 1, 25, 1.5);
        assertEquals(4880, r.luts());
        assertEquals(3670, r.flipFlops());
        assertEquals(25, r.dsps());
        assertEquals(20.5, r.bram36());
        assertEquals(3, r.lutrams());
        assertEquals(33, r.srls());
        assertEquals(830, r.carries());
        assertEquals(752L, r.cells().get("MUXF7"));
    }

    @Test
    void rejectsTextWithoutCells() {
        assertThrows(IllegalArgumentException.class, () -> YosysStat.report("nothing", "t", "xc7", true, 1, 1, 25, 0));
    }
}
