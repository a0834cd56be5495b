package io.lowbit.train.quant.clipq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowbit.core.arith.FixedPointFormat;
import io.lowbit.core.arith.Rounding;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ClipQConfigTest {

    @Test
    void paperHardwarePreset() {
        ClipQConfig c = ClipQConfig.paperHardware();
        assertEquals(new ClipQConfig(0.2, 2, PartitionMode.PER_SIGN_LINEAR, FixedPointFormat.Q3_5,
                Rounding.TRUNCATE_TOWARD_ZERO), c);
        assertEquals(4, c.levelCount());
        assertEquals(3, c.segmentCount());
        assertEquals(c, ClipQConfig.parse("paper"));
        assertEquals(0.4, ClipQConfig.parse("authors").p());
    }

    @Test
    void parsesTheDocumentedSpecAndRoundTrips() {
        ClipQConfig c = ClipQConfig.parse("p=0.2,b=2,mode=per-sign,fmt=Q3.5,round=trunc");
        assertEquals(ClipQConfig.paperHardware(), c);
        assertEquals("p=0.2,b=2,mode=per-sign,fmt=Q3.5,round=trunc", c.toSpec());
        assertEquals(c, ClipQConfig.parse("p=0.2,b=2,fmt=Q3.5"));   // the project's quant-spec form
        ClipQConfig g = ClipQConfig.parse(" p = 0.25 , b = 3 , mode = GLOBAL ");
        assertEquals(ClipQConfig.of(0.25, 3, PartitionMode.GLOBAL_LINEAR), g);
        assertNull(g.levelFormat());
        assertEquals(Rounding.ROUND_HALF_UP, ClipQConfig.parse("p=0,b=2,mode=global,fmt=Q3.5,round=half-up")
                .levelRounding());
    }

    @Property(tries = 100)
    void toSpecRoundTrips(@ForAll @IntRange(min = 0, max = 99) int percent, @ForAll @IntRange(min = 2, max = 8) int b,
                          @ForAll PartitionMode mode, @ForAll Rounding rounding, @ForAll boolean fixed) {
        ClipQConfig c = new ClipQConfig(percent / 100.0, b, mode, fixed ? FixedPointFormat.Q3_5 : null, rounding);
        assertEquals(c, ClipQConfig.parse(c.toSpec()));
    }

    @Test
    void rejectsBadSpecsNamingTheProblem() {
        assertMessage("unknown key 'q'", () -> ClipQConfig.parse("p=0.2,b=2,mode=global,q=1"));
        assertMessage("given twice", () -> ClipQConfig.parse("p=0.2,p=0.3,b=2,mode=global"));
        assertMessage("missing b=", () -> ClipQConfig.parse("p=0.2,mode=global"));
        assertMessage("not a number", () -> ClipQConfig.parse("p=x,b=2,mode=global"));
        assertMessage("not key=value", () -> ClipQConfig.parse("p=0.2,b=2,global"));
        assertMessage("partition mode 'diagonal'", () -> ClipQConfig.parse("p=0.2,b=2,mode=diagonal"));
        assertMessage("rounding 'up'", () -> ClipQConfig.parse("p=0.2,b=2,mode=global,round=up"));
    }

    @Test
    void validatesArguments() {
        assertMessage("p = 1.0 must be in [0, 1)", () -> ClipQConfig.of(1.0, 2, PartitionMode.GLOBAL_LINEAR));
        assertMessage("p = -0.1", () -> ClipQConfig.of(-0.1, 2, PartitionMode.GLOBAL_LINEAR));
        assertMessage("p = NaN", () -> ClipQConfig.of(Double.NaN, 2, PartitionMode.GLOBAL_LINEAR));
        assertMessage("b = 0 must be in 1..8", () -> ClipQConfig.of(0.2, 0, PartitionMode.GLOBAL_LINEAR));
        assertMessage("b = 9", () -> ClipQConfig.of(0.2, 9, PartitionMode.GLOBAL_LINEAR));
        assertMessage("per-sign partition needs b ≥ 2", () -> ClipQConfig.of(0.2, 1, PartitionMode.PER_SIGN_LINEAR));
        assertMessage("mode must be given", () -> ClipQConfig.of(0.2, 2, null));
        assertMessage("rounding must be given", () -> new ClipQConfig(0.2, 2, PartitionMode.GLOBAL_LINEAR, null, null));
        assertEquals(2, ClipQConfig.of(0.2, 1, PartitionMode.GLOBAL_LINEAR).levelCount());
    }

    /** p is read as a decimal: ⌈0.07·100⌉ = 7 although 0.07 * 100 = 7.000000000000001 in double. */
    @Test
    void pruneCountIsTheCeilingOfTheDecimalProduct() {
        assertEquals(7.000000000000001, 0.07 * 100);
        assertEquals(7, ClipQConfig.of(0.07, 2, PartitionMode.GLOBAL_LINEAR).pruneCount(100));
        assertEquals(1, ClipQConfig.of(0.1, 2, PartitionMode.GLOBAL_LINEAR).pruneCount(10));
        assertEquals(2, ClipQConfig.paperHardware().pruneCount(9));    // ⌈1.8⌉
        assertEquals(4, ClipQConfig.paperHardware().pruneCount(16));   // ⌈3.2⌉
        assertEquals(1, ClipQConfig.paperHardware().pruneCount(1));
        assertEquals(0, ClipQConfig.paperHardware().pruneCount(0));
        assertEquals(0, ClipQConfig.of(0, 2, PartitionMode.GLOBAL_LINEAR).pruneCount(1_000_000));
        assertEquals(60_000, ClipQConfig.paperHardware().pruneCount(300_000));
    }

    private static void assertMessage(String expectedPart, Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(expectedPart), () -> "message '" + ex.getMessage() + "' lacks '"
                + expectedPart + "'");
    }
}
