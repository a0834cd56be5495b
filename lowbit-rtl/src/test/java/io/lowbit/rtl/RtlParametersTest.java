package io.lowbit.rtl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowbit.accel.config.AcceleratorConfigs;
import org.junit.jupiter.api.Test;

/** The parameters that decide the generated arithmetic: LUT multipliers and the pool unit's window sums. */
class RtlParametersTest {

    @Test
    void lutConfigurationsWriteTheirProductsAsLutLogic() {
        RtlParameters p = RtlTools.preset(); // multipliers: lut (the paper)
        assertTrue(p.lutMultipliers());
        assertTrue(RtlGenerator.params(p).contains("`define LOWBIT_LUT_MUL 1"));
        assertFalse(p.withLutMultipliers(false).lutMultipliers());
        assertFalse(p.withMultipliers(false, 2).lutMultipliers(), "packed products are DSP multiplications");
        assertThrows(IllegalArgumentException.class, () -> new RtlParameters("x", 1, 1, 25, 8, 8, 2, 32, 5, 64, 2,
                2, 2, 2, 2, false, 2, 8, true));
    }

    @Test
    void dspConfigurationsKeepTheirMultiplications() throws Exception {
        RtlParameters p = RtlParameters.of(AcceleratorConfigs.resolve("pynq-z2-clipq-dsp-packed"));
        assertFalse(p.lutMultipliers());
        assertTrue(RtlGenerator.params(p).contains("`define LOWBIT_LUT_MUL 0"));
    }

    /** 20-bit sums for 8-bit codes: every window of up to 2,056 positions of full-range terms, more with smaller ones. */
    @Test
    void poolWindowsBeyondTheSumWidthAreRejected() {
        RtlParameters p = RtlTools.preset();
        assertEquals(20, p.poolSumBits());
        p.checkPoolWindow("gap", 2048, 255);
        p.checkPoolWindow("gap", 4095, 128); // 524,160 <= 2^19 - 1
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.checkPoolWindow("gap", 2057, 255)); // 2,057 · 255 > 2^19 − 1
        assertTrue(e.getMessage().contains("20-bit window sums"), e.getMessage());
    }
}
