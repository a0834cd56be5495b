package io.lowbit.core.arith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** docs/integer-semantics.md §9, invariant 5. */
class ShiftRequantizerTest {

    private static final ShiftRequantizer CLIP_Q = ShiftRequantizer.clipQ();

    /** The VSD RTL's number path (papers.md §1.7) on its 16-bit psum, written as the hardware tests bits. */
    private static int vsdRtl(int psum16) {
        if ((psum16 & 0x8000) != 0) {
            return 0; // ReLU
        }
        if ((psum16 & 0xF000) != 0) {
            return 0x7F; // any of bits [15:12] set
        }
        return (psum16 >> 5) & 0xFF; // sum[12:5]
    }

    @Test
    void clipQPresetEqualsTheVsdRtlOnEvery16BitAccumulator() {
        for (int acc = Short.MIN_VALUE; acc <= Short.MAX_VALUE; acc++) {
            assertEquals(vsdRtl(acc & 0xFFFF), CLIP_Q.requantize(acc), "acc " + acc);
        }
    }

    /** papers.md §1.7 examples in Q.10: 3.97 → 0x7F, 4.0 and beyond saturate, negatives → 0, 1.0 → 0x20. */
    @Test
    void clipQExamples() {
        assertEquals(5, CLIP_Q.rightShift());
        assertEquals(0x7F, CLIP_Q.requantize((int) Math.round(3.97 * 1024)));
        assertEquals(0x7F, CLIP_Q.requantize(4 * 1024));
        assertEquals(0x7F, CLIP_Q.requantize(100 * 1024));
        assertEquals(0x7F, CLIP_Q.requantize(Integer.MAX_VALUE));
        assertEquals(0, CLIP_Q.requantize(-1));
        assertEquals(0, CLIP_Q.requantize(-512));
        assertEquals(0, CLIP_Q.requantize(Integer.MIN_VALUE));
        assertEquals(0x20, CLIP_Q.requantize(1024));
        assertEquals(0x20, CLIP_Q.requantize(1024 + 31)); // floor, not round
        assertEquals(0x21, CLIP_Q.requantize(1024 + 32));
        // a dot product: bias 0.25 (Q.10 = 256) + 1.0·0.5 + (−1.0)·0.25 + 3.96875·0.125, Q3.5 codes
        int acc = 256 + 32 * 16 + (-32) * 8 + 127 * 4;
        assertEquals(1020 >> 5, CLIP_Q.requantize(acc)); // 0.99609375 → 0.96875 (code 31)
    }

    /** Any shift, any int accumulator, any mode: equals §8 with M = 2^−s (M0 = 2^30, n = s − 1). */
    @Property(edgeCases = EdgeCasesMode.MIXIN)
    void equalsTheGeneralRequantizerWithAPowerOfTwo(@ForAll int acc, @ForAll @IntRange(min = 0, max = 31) int s,
            @ForAll Rounding r, @ForAll @IntRange(min = -128, max = 127) int zero, @ForAll boolean relu) {
        OutputClamp out = OutputClamp.saturating(IntType.INT8, zero);
        out = relu ? out.relu() : out;
        ShiftRequantizer shift = new ShiftRequantizer(s, out, r);
        Requantizer general = new Requantizer(new FixedPointMultiplier[] {shift.asFixedPointMultiplier()}, out, r);
        long expected = Exact.clamp(Exact.round(Exact.big(acc), Exact.pow2(s), r), out);
        assertEquals(expected, shift.requantize(acc));
        assertEquals(expected, general.requantize(acc, 0));
    }

    @Test
    void formatsGiveTheShift() {
        FixedPointFormat q17 = new FixedPointFormat(1, 7);
        FixedPointFormat q44 = new FixedPointFormat(4, 4);
        ShiftRequantizer s = ShiftRequantizer.forFormats(FixedPointFormat.Q3_5, q17, q44, false, Rounding.ROUND_HALF_UP);
        assertEquals(8, s.rightShift());
        assertEquals(-128, s.output().lo());
        assertEquals(127, s.output().hi());
        assertThrows(IllegalArgumentException.class, () -> ShiftRequantizer.forFormats(FixedPointFormat.Q3_5,
                FixedPointFormat.Q3_5, new FixedPointFormat(2, 11), true, Rounding.FLOOR));
        assertThrows(IllegalArgumentException.class,
                () -> new ShiftRequantizer(32, OutputClamp.saturating(IntType.INT8, 0), Rounding.FLOOR));
    }
}
