package io.lowbit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SizeBudgetTest {

    private static final Map<String, Long> WEIGHTS = new LinkedHashMap<>();

    static {
        WEIGHTS.put("conv1", 1000L);
        WEIGHTS.put("conv2", 100_000L);
        WEIGHTS.put("conv3", 500L);
    }

    @Test
    void aLayerMaySpendWhatEarlierLayersSaved() {
        SizeBudget b = new SizeBudget(1.0, WEIGHTS);
        // uniform p = 0.2, b = 2: dense 2-bit indexes (sparse would be 0.8·6 bits) + 4 levels of 8 bits
        assertEquals(2 * 1000 + 32, SizeBudget.uniformBits(1000));
        assertEquals(2 * 101_500 + 3 * 32, b.totalBits());
        Map<String, double[]> chosen = new LinkedHashMap<>();
        assertEquals(SizeBudget.uniformBits(1000), b.allowance("conv1", chosen), 1e-9, "nothing saved yet");
        assertTrue(b.fits("conv1", new double[] {0.5, 2}, chosen), "pruning at 2 bits costs nothing");
        assertFalse(b.fits("conv1", new double[] {0.0, 3}, chosen), "3 bits need savings elsewhere");
        chosen.put("conv2", new double[] {0.9, 2}); // sparse: 0.1·100000·(2 + 4) + 32 bits
        double saved = SizeBudget.uniformBits(100_000) - (0.1 * 100_000 * 6 + 32);
        assertEquals(SizeBudget.uniformBits(500) + saved, b.allowance("conv3", chosen), 1e-6);
        assertTrue(b.fits("conv3", new double[] {0.0, 4}, chosen));
        assertEquals(b.totalBits() - saved, b.bits(chosen), 1e-6);
        assertTrue(new SizeBudget(1.5, WEIGHTS).fits("conv1", new double[] {0.0, 3}, Map.of()));
    }

    @Test
    void aBudgetBelowTheUniformSettingIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SizeBudget(0.9, WEIGHTS));
        assertTrue(e.getMessage().contains("must be ≥ 1"), e.getMessage());
    }
}
