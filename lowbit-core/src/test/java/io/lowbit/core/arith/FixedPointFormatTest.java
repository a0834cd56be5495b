package io.lowbit.core.arith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

class FixedPointFormatTest {

    private static final FixedPointFormat Q = FixedPointFormat.Q3_5;

    @Test
    void q35RangeAndStep() {
        assertEquals(8, Q.totalBits());
        assertEquals(-128, Q.minCode());
        assertEquals(127, Q.maxCode());
        assertEquals(-4.0, Q.minValue());
        assertEquals(3.96875, Q.maxValue());
        assertEquals(1.0 / 32, Q.step());
        assertEquals(Q, FixedPointFormat.parse("Q3.5"));
        assertThrows(IllegalArgumentException.class, () -> FixedPointFormat.parse("3.5"));
        assertThrows(IllegalArgumentException.class, () -> new FixedPointFormat(0, 8));
    }

    /** The CLIP-Q levels of papers.md §1.2 truncated to Q3.5: −1.0286 → −1.0, −0.4 → −0.375, 0.9143 → 0.90625. */
    @Test
    void truncationTowardZeroAsTheAuthorsCode() {
        assertEquals(-1.0, Q.quantize(-1.0286, Rounding.TRUNCATE_TOWARD_ZERO));
        assertEquals(-0.375, Q.quantize(-0.4, Rounding.TRUNCATE_TOWARD_ZERO));
        assertEquals(0.90625, Q.quantize(0.9143, Rounding.TRUNCATE_TOWARD_ZERO));
        assertEquals(-0.40625, Q.quantize(-0.4, Rounding.FLOOR));
        assertEquals(-0.40625, Q.quantize(-0.4, Rounding.ROUND_HALF_UP));
        assertEquals(3.96875, Q.quantize(100, Rounding.TRUNCATE_TOWARD_ZERO));
        assertEquals(-4.0, Q.quantize(-100, Rounding.ROUND_HALF_UP));
        assertThrows(ArithmeticException.class, () -> Q.toCode(Double.NaN, Rounding.FLOOR));
    }

    @Test
    void tiesFollowTheirRule() {
        double half = Q.step() / 2;
        assertEquals(1, Q.toCode(half, Rounding.ROUND_HALF_UP));
        assertEquals(0, Q.toCode(-half, Rounding.ROUND_HALF_UP));
        assertEquals(0, Q.toCode(half, Rounding.ROUND_HALF_EVEN));
        assertEquals(2, Q.toCode(3 * half, Rounding.ROUND_HALF_EVEN));
    }

    @Property
    void everyModeStaysWithinOneStepAndInRange(@ForAll @DoubleRange(min = -3.9, max = 3.9) double x) {
        for (Rounding r : Rounding.values()) {
            double q = Q.quantize(x, r);
            assertTrue(Math.abs(q - x) < Q.step() + 1e-12, r + ": " + x + " → " + q);
            assertTrue(q >= Q.minValue() && q <= Q.maxValue());
        }
        assertTrue(Math.abs(Q.quantize(x, Rounding.TRUNCATE_TOWARD_ZERO)) <= Math.abs(x));
        assertTrue(Math.abs(Q.quantize(x, Rounding.ROUND_HALF_UP) - x) <= Q.step() / 2 + 1e-12);
    }
}
