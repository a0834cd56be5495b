package io.lowbit.rtl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code verilator --lint-only -Wall} is clean for the preset and for small and odd parallelisms. */
class VerilogLintTest {

    @ParameterizedTest
    @CsvSource({"4, 4", "1, 1", "1, 2", "2, 3", "3, 8"})
    void lintClean(int po, int pi) {
        RtlParameters p = RtlTools.preset().withParallelism(po, pi);
        GeneratedRtl rtl = RtlTools.generate(p, "lint-" + po + "x" + pi);
        assertEquals("", RtlTools.verilator().lint(rtl), "lint messages for PO=" + po + " PI=" + pi);
    }
}
