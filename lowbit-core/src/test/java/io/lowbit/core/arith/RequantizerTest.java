package io.lowbit.core.arith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** docs/integer-semantics.md §8 and §10, invariant 4. */
@StatisticsReport(StatisticsReportMode.OFF)
class RequantizerTest {

    private static long reference(int acc, FixedPointMultiplier m, OutputClamp out, Rounding r) {
        BigInteger scaled = Exact.round(Exact.big(acc).multiply(Exact.big(m.multiplierQ31())),
                Exact.pow2(m.totalRightShift()), r);
        return Exact.clamp(scaled, out);
    }

    /**
     * Accumulators aimed at real outputs in [−400, 400] around a random zero-point of an int8 or uint4 output, so that
     * saturation at both ends, ReLU and inexact rounding all occur (checked by the coverage assertions).
     */
    @Property(edgeCases = EdgeCasesMode.MIXIN)
    void equalsBigIntegerReferenceAcrossTheOutputRange(
            @ForAll @IntRange(min = -24, max = 2) int exponent,
            @ForAll @DoubleRange(min = 1.0, max = 2.0, maxIncluded = false) double mantissa,
            @ForAll @DoubleRange(min = -400, max = 400) double target, @ForAll @IntRange(min = -3, max = 3) int jitter,
            @ForAll boolean narrowUnsigned, @ForAll @IntRange(min = -128, max = 127) int zero,
            @ForAll boolean relu, @ForAll Rounding r) {
        double scale = Math.scalb(mantissa, exponent);
        IntType type = narrowUnsigned ? IntType.unsigned(4) : IntType.INT8;
        int z = narrowUnsigned ? Math.floorMod(zero, 16) : zero;
        OutputClamp out = OutputClamp.saturating(type, z);
        if (relu) {
            out = out.relu();
        }
        double t = narrowUnsigned ? target / 16 : target;
        long wanted = Math.round(t / scale) + jitter;
        int acc = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, wanted));
        Requantizer q = Requantizer.fromScales(new double[] {1.0, scale}, out, r);
        FixedPointMultiplier m = q.multiplier(1);
        int y = q.requantize(acc, 1);
        assertEquals(reference(acc, m, out, r), y, () -> "acc " + acc + ", " + m + ", " + q.output() + ", " + r);

        BigInteger[] qr = Exact.big(acc).multiply(Exact.big(m.multiplierQ31())).divideAndRemainder(
                Exact.pow2(m.totalRightShift()));
        String where = y == out.lo() ? "low" : y == out.hi() ? "high" : "inside";
        Statistics.label("clamp").collect(where);
        Statistics.label("inexact").collect(qr[1].signum() != 0);
        Statistics.label("clamp").coverage(c -> {
            c.check("low").percentage(p -> p > 10);
            c.check("high").percentage(p -> p > 10);
            c.check("inside").percentage(p -> p > 10);
        });
        Statistics.label("inexact").coverage(c -> c.check(true).percentage(p -> p > 30));
    }

    /**
     * Exhaustive: every accumulator in [−2^16, 2^16] (all single products of 8-bit weights and 9-bit centred inputs,
     * and more) through a set of multipliers, int8 output with zero-point 5, in every mode.
     */
    @Test
    void exhaustiveOverSmallAccumulators() {
        OutputClamp out = OutputClamp.saturating(IntType.INT8, 5);
        for (double scale : new double[] {0.75, 1.0 / 3, 0x1p-5, 0.0123, 1.7}) {
            FixedPointMultiplier m = FixedPointMultiplier.fromScale(scale);
            for (Rounding r : Rounding.values()) {
                Requantizer q = new Requantizer(new FixedPointMultiplier[] {m}, out, r);
                for (int acc = -(1 << 16); acc <= 1 << 16; acc++) {
                    if (q.requantize(acc, 0) != reference(acc, m, out, r)) {
                        assertEquals(reference(acc, m, out, r), q.requantize(acc, 0), acc + " × " + m + " " + r);
                    }
                }
            }
        }
    }

    @Test
    void handWorkedValuesAtMThreeQuarters() {
        OutputClamp out = OutputClamp.saturating(IntType.INT8, 0);
        Requantizer halfUp = Requantizer.fromScales(new double[] {0.75}, out, Rounding.ROUND_HALF_UP);
        assertEquals(2, halfUp.requantize(3, 0)); // 2.25
        assertEquals(2, halfUp.requantize(2, 0)); // 1.5 → 2
        assertEquals(-1, halfUp.requantize(-2, 0)); // −1.5 → −1 (ties toward +∞)
        assertEquals(-2, Requantizer.fromScales(new double[] {0.75}, out, Rounding.FLOOR).requantize(-2, 0));
        assertEquals(-1, Requantizer.fromScales(new double[] {0.75}, out, Rounding.TRUNCATE_TOWARD_ZERO).requantize(-2, 0));
        assertEquals(-2, Requantizer.fromScales(new double[] {0.75}, out, Rounding.ROUND_HALF_EVEN).requantize(-2, 0));
        assertEquals(127, halfUp.requantize(Integer.MAX_VALUE, 0));
        assertEquals(-128, halfUp.requantize(Integer.MIN_VALUE, 0));
    }

    @Test
    void reluClampsAtTheZeroPointAndChannelsKeepTheirOwnMultiplier() {
        OutputClamp out = OutputClamp.saturating(IntType.UINT8, 10).relu();
        Requantizer q = Requantizer.fromScales(new double[] {0.5, 0.25}, out, Rounding.ROUND_HALF_UP);
        assertEquals(10, q.requantize(-1000, 0));
        assertEquals(10, q.requantize(-1, 1));
        assertEquals(60, q.requantize(100, 0));
        assertEquals(35, q.requantize(100, 1));
        assertEquals(255, q.requantize(1000, 0));
        assertEquals(2, q.channels());
        OutputClamp relu6 = OutputClamp.saturating(IntType.INT8, -20).relu().withMax(40);
        assertEquals(-20, relu6.lo());
        assertEquals(40, relu6.hi());
    }

    @Test
    void rejectsBadConfiguration() {
        OutputClamp out = OutputClamp.saturating(IntType.INT8, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Requantizer.fromScales(new double[] {0.5, 0x1p-40}, out, Rounding.ROUND_HALF_UP));
        assertTrue(e.getMessage().startsWith("output channel 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new Requantizer(new FixedPointMultiplier[0], out, Rounding.ROUND_HALF_UP));
        assertThrows(IllegalArgumentException.class, () -> new OutputClamp(IntType.INT8, 128, -128, 127));
        assertThrows(IllegalArgumentException.class, () -> new OutputClamp(IntType.UINT8, 0, 0, 256));
        assertThrows(IllegalArgumentException.class, () -> new OutputClamp(IntType.INT8, 0, 5, 4));
        assertThrows(IllegalArgumentException.class, () -> out.apply((1L << 62) + 1));
    }
}
