package io.lowbit.core.arith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** docs/integer-semantics.md §12, invariant 8. */
class AveragePoolTest {

    private static AveragePool sameScale(int count, QuantizedType t) {
        return AveragePool.fromScales(count, 0.05, t, 0.05, OutputClamp.saturating(t), Rounding.ROUND_HALF_UP);
    }

    /**
     * For S_out = S_in, Z_out = Z_in and an odd or power-of-two window, the multiplier gives exactly
     * round_half_up(sum / count): every sum a window of 8-bit codes can have, exhaustively.
     */
    @Test
    void equalsExactDivisionForOddAndPowerOfTwoWindows() {
        for (QuantizedType t : new QuantizedType[] {new QuantizedType(IntType.UINT8, 0),
                new QuantizedType(IntType.INT8, -3), new QuantizedType(IntType.UINT8, 125)}) {
            for (int count : new int[] {1, 4, 9, 16, 25, 49, 64}) {
                AveragePool pool = sameScale(count, t);
                for (long sum = count * t.centredMin(); sum <= count * t.centredMax(); sum++) {
                    long exact = Exact.clamp(Exact.round(Exact.big(sum), Exact.big(count), Rounding.ROUND_HALF_UP),
                            pool.output());
                    if (exact != pool.averageOfCentredSum((int) sum)) {
                        assertEquals(exact, pool.averageOfCentredSum((int) sum), t + " count " + count + " sum " + sum);
                    }
                }
            }
        }
    }

    /** Other even windows (e.g. 6×6 = 36, 12) can differ, but only on exact ties and only by one. */
    @Test
    void otherEvenWindowsDifferOnlyOnTies() {
        QuantizedType t = new QuantizedType(IntType.UINT8, 0);
        for (int count : new int[] {12, 36}) {
            AveragePool pool = sameScale(count, t);
            for (int sum = 0; sum <= count * 255; sum++) {
                long exact = Exact.round(Exact.big(sum), Exact.big(count), Rounding.ROUND_HALF_UP).longValueExact();
                long got = pool.averageOfCentredSum(sum);
                if (got != exact) {
                    assertEquals(count / 2, sum % count, "count " + count + " sum " + sum);
                    assertEquals(1, Math.abs(got - exact));
                }
            }
        }
    }

    @Test
    void windowsIncludePaddingAndGlobalPooling() {
        QuantizedType t = new QuantizedType(IntType.UINT8, 10);
        AveragePool pool3 = sameScale(9, t);
        // a corner window of a padded 3×3 pool: 4 real values, 5 padded positions holding Z_in = 10
        int[] corner = {10, 10, 10, 10, 50, 60, 10, 70, 80};
        assertEquals(10 + Math.round((40 + 50 + 60 + 70) / 9.0f), pool3.average(corner)); // 220/9 = 24.4 → 34
        AveragePool gap = sameScale(64, t);
        int[] all100 = new int[64];
        Arrays.fill(all100, 100);
        assertEquals(100, gap.average(all100));
        all100[0] = 132; // +32/64 = +0.5 → rounds up
        assertEquals(101, gap.average(all100));
        assertThrows(IllegalArgumentException.class, () -> pool3.average(new int[8]));
        assertThrows(IllegalArgumentException.class, () -> pool3.average(new int[] {0, 0, 0, 0, 0, 0, 0, 0, 256}));
    }

    @Test
    void rejectsWindowsWhoseSumLeavesInt32() {
        QuantizedType i16 = new QuantizedType(IntType.INT16, 0);
        OutputClamp out = OutputClamp.saturating(i16);
        AveragePool ok = AveragePool.fromScales(65535, 1, i16, 1, out, Rounding.ROUND_HALF_UP);
        assertEquals(65535, ok.windowCount());
        assertThrows(IllegalArgumentException.class,
                () -> AveragePool.fromScales(65536, 1, i16, 1, out, Rounding.ROUND_HALF_UP));
        assertThrows(IllegalArgumentException.class,
                () -> AveragePool.fromScales(0, 1, i16, 1, out, Rounding.ROUND_HALF_UP));
    }

    /** Different output scale and zero-point: equals the §8 reference for the derived multiplier. */
    @Property(edgeCases = EdgeCasesMode.MIXIN)
    void rescalingPoolEqualsReference(@ForAll @IntRange(min = 1, max = 64) int count,
            @ForAll @DoubleRange(min = 0.1, max = 10) double ratio, @ForAll @IntRange(min = -128, max = 127) int zIn,
            @ForAll @IntRange(min = -128, max = 127) int zOut, @ForAll("sumFraction") double where,
            @ForAll Rounding r) {
        QuantizedType in = new QuantizedType(IntType.INT8, zIn);
        OutputClamp out = OutputClamp.saturating(IntType.INT8, zOut);
        AveragePool pool = AveragePool.fromScales(count, ratio, in, 1.0, out, r);
        int sum = (int) Math.round(count * (in.centredMin() + where * (in.centredMax() - in.centredMin())));
        FixedPointMultiplier m = pool.multiplier();
        assertEquals(FixedPointMultiplier.fromScale(ratio / count), m);
        long expected = Exact.clamp(Exact.round(Exact.big(sum).multiply(Exact.big(m.multiplierQ31())),
                Exact.pow2(m.totalRightShift()), r), out);
        assertEquals(expected, pool.averageOfCentredSum(sum));
        assertTrue(expected >= -128 && expected <= 127);
    }

    @Provide
    Arbitrary<Double> sumFraction() {
        return Arbitraries.doubles().between(0, 1);
    }
}
