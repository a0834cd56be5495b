package io.lowbit.rtl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code verilator --lint-only -Wall} is clean for the preset and for small and odd parallelisms. */
class VerilogLintTest {

    /**
     * Also words wider than the 64-bit DRAM beat: 4 × 12 (96-bit feature-map and weight words in 128-bit slots,
     * 192-bit result words in 256-bit slots) and 6 × 16 (128-bit feature-map words, 192-bit weight words whose
     * 256-bit slot's fourth beat is dropped); 3 × 8 has 48-bit weight words stored in 48-bit rows.
     */
    @ParameterizedTest
    @CsvSource({"4, 4", "1, 1", "1, 2", "2, 3", "3, 8", "4, 12", "6, 16"})
    void lintClean(int po, int pi) {
        RtlParameters p = RtlTools.preset().withParallelism(po, pi);
        GeneratedRtl rtl = RtlTools.generate(p, "lint-" + po + "x" + pi);
        assertEquals("", RtlTools.verilator().lint(rtl), "lint messages for PO=" + po + " PI=" + pi);
    }

    /**
     * Both PE styles, with and without packed multiplications (PACK products per DSP48 slice), with LUT (Booth) or
     * {@code *} (DSP) multipliers.
     */
    @ParameterizedTest
    @CsvSource({"false, 2, false", "true, 1, true", "true, 2, false", "true, 1, false", "false, 1, false"})
    void lintCleanForEveryPeStyleAndPacking(boolean multiplierPes, int pack, boolean lut) {
        RtlParameters p = RtlTools.preset().withParallelism(2, 3).withMultipliers(multiplierPes, pack);
        p = lut ? p : p.withLutMultipliers(false);
        GeneratedRtl rtl = RtlTools.generate(p, "lint-" + multiplierPes + "-" + pack + "-" + lut);
        assertEquals("", RtlTools.verilator().lint(rtl), "lint messages for " + p);
    }

    /** The pool unit alone (also inside the accelerator top, linted above), for several channels per word. */
    @ParameterizedTest
    @CsvSource({"4, 4", "1, 1", "2, 3", "3, 8"})
    void poolUnitLintClean(int po, int pi) {
        RtlParameters p = RtlTools.preset().withParallelism(po, pi);
        GeneratedRtl rtl = RtlTools.generate(p, "lint-pool-" + po + "x" + pi);
        assertEquals("", RtlTools.verilator().lintPoolUnit(rtl), "pool unit lint messages for PI=" + pi);
    }
}
