package io.lowbit.core.arith;

import static io.lowbit.core.arith.Rounding.FLOOR;
import static io.lowbit.core.arith.Rounding.ROUND_HALF_EVEN;
import static io.lowbit.core.arith.Rounding.ROUND_HALF_UP;
import static io.lowbit.core.arith.Rounding.TRUNCATE_TOWARD_ZERO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** docs/integer-semantics.md §6, invariant 1. */
class RoundingShiftTest {

    @Property(edgeCases = EdgeCasesMode.MIXIN)
    void equalsDecimalReferenceOverTheWholeRange(@ForAll @LongRange(min = -(1L << 62), max = 1L << 62) long v,
            @ForAll @IntRange(min = 0, max = 62) int s, @ForAll Rounding r) {
        assertEquals(Exact.roundDecimal(v, s, r).longValueExact(), RoundingShift.shiftRight(v, s, r),
                () -> r + " of " + v + " >> " + s);
    }

    @Property(edgeCases = EdgeCasesMode.MIXIN)
    void bothReferencesAgree(@ForAll @LongRange(min = -(1L << 62), max = 1L << 62) long v,
            @ForAll @IntRange(min = 0, max = 62) int s, @ForAll Rounding r) {
        assertEquals(Exact.roundDecimal(v, s, r), Exact.round(Exact.big(v), Exact.pow2(s), r));
    }

    /** Small values and shifts hit every tie and every remainder: exhaustive. */
    @Test
    void exhaustiveOnSmallValues() {
        for (Rounding r : Rounding.values()) {
            for (int s = 0; s <= 6; s++) {
                for (long v = -300; v <= 300; v++) {
                    assertEquals(Exact.round(Exact.big(v), Exact.pow2(s), r).longValueExact(),
                            RoundingShift.shiftRight(v, s, r), r + " " + v + ">>" + s);
                }
            }
        }
    }

    @Test
    void tiesGoWhereTheModeSays() {
        // ±2.5 and ±3.5 as v / 2
        assertEquals(3, RoundingShift.shiftRightRoundHalfUp(5, 1));
        assertEquals(-2, RoundingShift.shiftRightRoundHalfUp(-5, 1));
        assertEquals(2, RoundingShift.shiftRight(5, 1, ROUND_HALF_EVEN));
        assertEquals(4, RoundingShift.shiftRight(7, 1, ROUND_HALF_EVEN));
        assertEquals(-2, RoundingShift.shiftRight(-5, 1, ROUND_HALF_EVEN));
        assertEquals(-2, RoundingShift.shiftRight(-5, 1, TRUNCATE_TOWARD_ZERO));
        assertEquals(-3, RoundingShift.shiftRightFloor(-5, 1));
        assertEquals(-3, RoundingShift.shiftRight(-5, 1, FLOOR));
    }

    @Test
    void extremesDoNotOverflow() {
        long max = 1L << 62;
        assertEquals(1, RoundingShift.shiftRightRoundHalfUp(max, 62));
        assertEquals(-1, RoundingShift.shiftRightRoundHalfUp(-max, 62));
        assertEquals(0, RoundingShift.shiftRightRoundHalfUp(max - 1 - (1L << 61), 62));
        assertEquals(1, RoundingShift.shiftRightRoundHalfUp(1L << 61, 62));
        assertEquals(max, RoundingShift.shiftRight(max, 0, ROUND_HALF_EVEN));
        assertEquals(-1, RoundingShift.shiftRight(-max + 1, 62, FLOOR));
        assertEquals(0, RoundingShift.shiftRight(-max + 1, 62, TRUNCATE_TOWARD_ZERO));
    }

    @Test
    void rejectsOutOfRangeArguments() {
        assertThrows(IllegalArgumentException.class, () -> RoundingShift.shiftRight(1, 63, FLOOR));
        assertThrows(IllegalArgumentException.class, () -> RoundingShift.shiftRight(1, -1, FLOOR));
        assertThrows(IllegalArgumentException.class, () -> RoundingShift.shiftRight((1L << 62) + 1, 3, FLOOR));
        assertThrows(IllegalArgumentException.class, () -> RoundingShift.shiftRight(Long.MIN_VALUE, 3, ROUND_HALF_UP));
        assertThrows(NullPointerException.class, () -> RoundingShift.shiftRight(1, 1, null));
    }
}
