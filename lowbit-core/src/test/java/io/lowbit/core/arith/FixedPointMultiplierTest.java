package io.lowbit.core.arith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** docs/integer-semantics.md §7, invariants 2 and 3. */
class FixedPointMultiplierTest {

    private static final int TWO_30 = 1 << 30;

    private static void assertMultiplier(double scale, int m0, int n) {
        assertEquals(new FixedPointMultiplier(m0, n), FixedPointMultiplier.fromScale(scale), "scale " + scale);
    }

    /** Hand-derived (frexp, then round(f·2^31)); 1/3 matches gemmlowp/TFLite QuantizeMultiplier (1431655765, −1). */
    @Test
    void workedValues() {
        assertMultiplier(0.5, TWO_30, 0);
        assertMultiplier(0.75, 3 << 29, 0);
        assertMultiplier(1.0, TWO_30, -1);
        assertMultiplier(1.5, 3 << 29, -1);
        assertMultiplier(1.0 / 3, 1431655765, 1);
        assertMultiplier(0x1p-5, TWO_30, 4);
        assertMultiplier(0x1p-32, TWO_30, 31);
        assertMultiplier(0x1.8p29, 3 << 29, -30);
        assertMultiplier(0x1.8p30, 3 << 29, -31);
        // just below 1: rounds to 2^31 − 1, or carries into the next binade
        assertMultiplier(1 - 0x1p-31, Integer.MAX_VALUE, 0);
        assertMultiplier(1 - 0x1p-33, TWO_30, -1);
        assertMultiplier(1 - 0x1p-40, TWO_30, -1);
        // tiny: rounds up into range at the lower edge
        assertMultiplier(0x1p-32 * (1 - 0x1p-34), TWO_30, 31);
        assertEquals(0.75, FixedPointMultiplier.fromScale(0.75).toScale());
        assertEquals(31, FixedPointMultiplier.fromScale(0.75).totalRightShift());
    }

    @Test
    void rejectsScalesOutsideTheRange() {
        for (double bad : new double[] {0, -0.5, Double.NaN, Double.POSITIVE_INFINITY, Double.MIN_VALUE, 0x1p-33,
                0x1p-32 * (1 - 0x1p-30), 0x1p31, 0x1p31 * (1 - 0x1p-40), 1e300}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> FixedPointMultiplier.fromScale(bad), "scale " + bad);
            assertTrue(e.getMessage().contains("scale"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new FixedPointMultiplier(TWO_30 - 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new FixedPointMultiplier(-5, 0));
        assertThrows(IllegalArgumentException.class, () -> new FixedPointMultiplier(TWO_30, 32));
        assertThrows(IllegalArgumentException.class, () -> new FixedPointMultiplier(TWO_30, -32));
    }

    /** Log-uniform scales over the whole representable range: normalized result, relative error ≤ 2^−31 (exact). */
    @Property(edgeCases = EdgeCasesMode.MIXIN)
    void fromScaleRoundTripsWithin2PowMinus31(@ForAll @IntRange(min = -32, max = 30) int exponent,
            @ForAll @DoubleRange(min = 1.0, max = 2.0, maxIncluded = false) double mantissa) {
        double scale = Math.scalb(mantissa, exponent);
        FixedPointMultiplier m = FixedPointMultiplier.fromScale(scale);
        assertTrue(m.multiplierQ31() >= TWO_30);
        assertTrue(m.rightShift() >= -31 && m.rightShift() <= 31);
        BigDecimal exact = new BigDecimal(scale);
        BigDecimal error = Exact.scale(m).subtract(exact).abs();
        assertTrue(error.compareTo(exact.multiply(new BigDecimal(0x1p-31))) <= 0, () -> scale + " → " + m);
        assertEquals(Exact.scale(m).doubleValue(), m.toScale());
    }

    /** Every int32 accumulator, every normalized multiplier and shift, every mode: exact against BigInteger. */
    @Property(edgeCases = EdgeCasesMode.MIXIN)
    void multiplyIsTheExactRoundedProduct(@ForAll int acc,
            @ForAll @IntRange(min = 1 << 30, max = Integer.MAX_VALUE) int m0,
            @ForAll @IntRange(min = -31, max = 31) int n, @ForAll Rounding r) {
        FixedPointMultiplier m = new FixedPointMultiplier(m0, n);
        long expected = Exact.round(Exact.big(acc).multiply(Exact.big(m0)), Exact.pow2(31 + n), r).longValueExact();
        assertEquals(expected, m.multiply(acc, r), () -> acc + " × " + m + " " + r);
    }

    /** The corners of the input range, with the largest mantissa: the product magnitude is maximal here. */
    @Test
    void extremeAccumulators() {
        for (int n = -31; n <= 31; n++) {
            for (int m0 : new int[] {TWO_30, Integer.MAX_VALUE}) {
                FixedPointMultiplier m = new FixedPointMultiplier(m0, n);
                for (int acc : new int[] {Integer.MIN_VALUE, Integer.MIN_VALUE + 1, -1, 0, 1, Integer.MAX_VALUE}) {
                    for (Rounding r : Rounding.values()) {
                        long expected = Exact.round(Exact.big(acc).multiply(Exact.big(m0)), Exact.pow2(31 + n), r)
                                .longValueExact();
                        assertEquals(expected, m.multiply(acc, r), acc + " × " + m + " " + r);
                    }
                }
            }
        }
        assertEquals(Integer.MIN_VALUE + 1L,
                new FixedPointMultiplier(Integer.MAX_VALUE, 0).multiplyRoundHalfUp(Integer.MIN_VALUE));
        assertEquals(-1L << 61, new FixedPointMultiplier(TWO_30, -31).multiplyRoundHalfUp(Integer.MIN_VALUE));
    }

    /** Against the real product acc·M: within ½ + |acc|·M·2^−31 (rounding plus multiplier error). */
    @Property(edgeCases = EdgeCasesMode.MIXIN)
    void closeToTheRealProduct(@ForAll int acc, @ForAll @IntRange(min = -32, max = 30) int exponent,
            @ForAll @DoubleRange(min = 1.0, max = 2.0, maxIncluded = false) double mantissa) {
        double scale = Math.scalb(mantissa, exponent);
        FixedPointMultiplier m = FixedPointMultiplier.fromScale(scale);
        BigDecimal real = new BigDecimal(acc).multiply(new BigDecimal(scale));
        BigDecimal error = new BigDecimal(m.multiplyRoundHalfUp(acc)).subtract(real).abs();
        BigDecimal bound = new BigDecimal("0.5").add(real.abs().multiply(new BigDecimal(0x1p-31)));
        assertTrue(error.compareTo(bound) <= 0,
                () -> acc + " × " + scale + ": error " + error.round(MathContext.DECIMAL64) + " > " + bound);
    }

    @Property(edgeCases = EdgeCasesMode.MIXIN)
    void monotoneInTheAccumulator(@ForAll int a, @ForAll int b,
            @ForAll @IntRange(min = 1 << 30, max = Integer.MAX_VALUE) int m0,
            @ForAll @IntRange(min = -31, max = 31) int n, @ForAll Rounding r) {
        FixedPointMultiplier m = new FixedPointMultiplier(m0, n);
        int lo = Math.min(a, b);
        int hi = Math.max(a, b);
        assertTrue(m.multiply(lo, r) <= m.multiply(hi, r));
    }
}
