package io.lowbit.core.arith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import net.jqwik.api.statistics.StatisticsReport.StatisticsReportMode;
import org.junit.jupiter.api.Test;

/** docs/integer-semantics.md §13, invariant 7. */
@StatisticsReport(StatisticsReportMode.OFF)
class ResidualAddTest {

    private static long reference(ResidualAdd add, int a, int b) {
        BigInteger sum = Exact.big(add.multiplierA()).multiply(Exact.big((long) a - add.a().zeroPoint()))
                .add(Exact.big(add.multiplierB()).multiply(Exact.big((long) b - add.b().zeroPoint())));
        return Exact.clamp(Exact.round(sum, Exact.pow2(add.rightShift()), add.rounding()), add.output());
    }

    /** Equal scales: the add is exact, {@code clamp(Z_out + (a − Z_a) + (b − Z_b))}, for every pair of int8 codes. */
    @Test
    void equalScalesAddExactly() {
        QuantizedType qa = new QuantizedType(IntType.INT8, 3);
        QuantizedType qb = new QuantizedType(IntType.INT8, -7);
        OutputClamp out = OutputClamp.saturating(IntType.INT8, 1);
        ResidualAdd add = ResidualAdd.fromScales(0.1, qa, 0.1, qb, 0.1, out, Rounding.ROUND_HALF_UP);
        assertEquals(1 << 30, add.multiplierA());
        assertEquals(1 << 30, add.multiplierB());
        assertEquals(30, add.rightShift());
        for (int a = -128; a <= 127; a++) {
            for (int b = -128; b <= 127; b++) {
                assertEquals(Saturation.saturateSigned(1 + (a - 3) + (b + 7), 8), add.add(a, b), a + " + " + b);
            }
        }
    }

    /**
     * Random types (2..16 bits), zero-points, scale ratios within 2^±8 and codes: equals the BigInteger reference;
     * with an int32 output (no clamping) it is within ½ + (|d_a| + |d_b|)·2^−(s+1) of the real sum.
     */
    @Property(edgeCases = EdgeCasesMode.MIXIN)
    void equalsReferenceAndStaysWithinTheErrorBound(@ForAll @IntRange(min = 2, max = 16) int bitsA,
            @ForAll @IntRange(min = 2, max = 16) int bitsB, @ForAll boolean signedA, @ForAll boolean signedB,
            @ForAll @DoubleRange(min = 0, max = 1) double za, @ForAll @DoubleRange(min = 0, max = 1) double zb,
            @ForAll @DoubleRange(min = 0, max = 1) double ca, @ForAll @DoubleRange(min = 0, max = 1) double cb,
            @ForAll @DoubleRange(min = -8, max = 8) double log2Ma, @ForAll @DoubleRange(min = -8, max = 8) double log2Mb,
            @ForAll @IntRange(min = -100, max = 100) int zOut, @ForAll boolean relu, @ForAll Rounding r) {
        IntType ta = new IntType(bitsA, signedA);
        IntType tb = new IntType(bitsB, signedB);
        QuantizedType qa = new QuantizedType(ta, pick(ta, za));
        QuantizedType qb = new QuantizedType(tb, pick(tb, zb));
        int a = pick(ta, ca);
        int b = pick(tb, cb);
        double ma = Math.pow(2, log2Ma);
        double mb = Math.pow(2, log2Mb);
        OutputClamp out8 = OutputClamp.saturating(IntType.INT8, zOut);
        out8 = relu ? out8.relu() : out8;
        ResidualAdd add = ResidualAdd.fromScales(ma * 0.02, qa, mb * 0.02, qb, 0.02, out8, r);
        int y = add.add(a, b);
        assertEquals(reference(add, a, b), y, () -> add + " a=" + a + " b=" + b);
        Statistics.label("int8 output").collect(y == add.output().lo() ? "low" : y == add.output().hi() ? "high"
                : "inside");
        Statistics.label("int8 output").coverage(c -> {
            c.check("inside").percentage(p -> p > 5);
            c.check("high").percentage(p -> p > 5);
            c.check("low").percentage(p -> p > 5);
        });

        ResidualAdd wide = ResidualAdd.fromScales(ma * 0.02, qa, mb * 0.02, qb, 0.02,
                OutputClamp.saturating(IntType.INT32, 0), r);
        long da = (long) a - qa.zeroPoint();
        long db = (long) b - qb.zeroPoint();
        BigDecimal real = new BigDecimal(ma * 0.02 / 0.02).multiply(new BigDecimal(da))
                .add(new BigDecimal(mb * 0.02 / 0.02).multiply(new BigDecimal(db)));
        BigDecimal bound = new BigDecimal(r == Rounding.ROUND_HALF_UP || r == Rounding.ROUND_HALF_EVEN ? "0.5" : "1")
                .add(new BigDecimal(Math.abs(da) + Math.abs(db)).multiply(new BigDecimal(Math.scalb(1.0,
                        -wide.rightShift() - 1))));
        BigDecimal error = new BigDecimal(wide.add(a, b)).subtract(real).abs();
        assertTrue(error.compareTo(bound) <= 0, () -> "error " + error + " > " + bound);
    }

    private static int pick(IntType t, double fraction) {
        return (int) Math.round(t.min() + fraction * ((double) t.max() - t.min()));
    }

    @Test
    void theLargerRatioIsTheNormalizedMultiplier() {
        QuantizedType t = new QuantizedType(IntType.INT8, 0);
        OutputClamp out = OutputClamp.saturating(t);
        ResidualAdd add = ResidualAdd.fromScales(0.3, t, 0.05, t, 0.2, out, Rounding.ROUND_HALF_UP);
        FixedPointMultiplier big = FixedPointMultiplier.fromScale(0.3 / 0.2);
        assertEquals(big.multiplierQ31(), add.multiplierA());
        assertEquals(big.totalRightShift(), add.rightShift());
        assertEquals(Math.round(Math.scalb(0.25, add.rightShift())), add.multiplierB());
        // 1.5·10 + 0.25·(−20) = 10
        assertEquals(10, add.add(10, -20));
        // 1.5·1 + 0.25·1 = 1.75 → 2;  1.5·(−1) + 0 = −1.5 → −1 (half up)
        assertEquals(2, add.add(1, 1));
        assertEquals(-1, add.add(-1, 0));
    }

    @Test
    void rejectsWideInputsAndVanishingScales() {
        QuantizedType i8 = new QuantizedType(IntType.INT8, 0);
        QuantizedType i32 = new QuantizedType(IntType.INT32, 0);
        OutputClamp out = OutputClamp.saturating(i8);
        assertThrows(IllegalArgumentException.class,
                () -> ResidualAdd.fromScales(1, i32, 1, i8, 1, out, Rounding.ROUND_HALF_UP));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ResidualAdd.fromScales(1, i8, 0x1p-40, i8, 1, out, Rounding.ROUND_HALF_UP));
        assertTrue(e.getMessage().contains("too far apart"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ResidualAdd.fromScales(0, i8, 1, i8, 1, out, Rounding.ROUND_HALF_UP));
        assertThrows(IllegalArgumentException.class,
                () -> ResidualAdd.fromScales(1, i8, 1, i8, Double.NaN, out, Rounding.ROUND_HALF_UP));
        ResidualAdd add = ResidualAdd.fromScales(1, i8, 1, i8, 1, out, Rounding.ROUND_HALF_UP);
        assertThrows(IllegalArgumentException.class, () -> add.add(128, 0));
    }
}
