package io.lowbit.core.arith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.TreeSet;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** docs/integer-semantics.md §5, invariant 6. */
class AccumulatorBoundTest {

    /**
     * Every reachable partial sum, by enumeration: each of the K taps is either not yet added or adds some w·d,
     * the bias is either not yet added or any value of its range.
     */
    private static TreeSet<Long> partialSums(int k, int wlo, int whi, int dlo, int dhi, int blo, int bhi) {
        TreeSet<Long> products = new TreeSet<>();
        for (long w = wlo; w <= whi; w++) {
            for (long d = dlo; d <= dhi; d++) {
                products.add(w * d);
            }
        }
        TreeSet<Long> sums = new TreeSet<>();
        sums.add(0L);
        for (long b = blo; b <= bhi; b++) {
            sums.add(b);
        }
        for (int tap = 0; tap < k; tap++) {
            TreeSet<Long> next = new TreeSet<>(sums);
            for (long s : sums) {
                for (long p : products) {
                    next.add(s + p);
                }
            }
            sums = next;
        }
        return sums;
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.MIXIN)
    void equalsBruteForceAndIsAttained(@ForAll @IntRange(min = 1, max = 3) int k,
            @ForAll @IntRange(min = -4, max = 4) int w1, @ForAll @IntRange(min = -4, max = 4) int w2,
            @ForAll @IntRange(min = -5, max = 5) int d1, @ForAll @IntRange(min = -5, max = 5) int d2,
            @ForAll @IntRange(min = -6, max = 6) int b1, @ForAll @IntRange(min = -6, max = 6) int b2) {
        int wlo = Math.min(w1, w2), whi = Math.max(w1, w2);
        int dlo = Math.min(d1, d2), dhi = Math.max(d1, d2);
        int blo = Math.min(b1, b2), bhi = Math.max(b1, b2);
        AccumulatorBound bound = new AccumulatorBound(k, wlo, whi, dlo, dhi, blo, bhi);
        TreeSet<Long> sums = partialSums(k, wlo, whi, dlo, dhi, blo, bhi);
        assertEquals(BigInteger.valueOf(sums.first()), bound.min());
        assertEquals(BigInteger.valueOf(sums.last()), bound.max());
        // implied by the simpler symmetric bound K·max|w|·max|d| + max|b|
        long simple = (long) k * Math.max(-wlo, whi) * Math.max(-dlo, dhi) + Math.max(-blo, bhi);
        assertTrue(bound.min().negate().longValueExact() <= simple && bound.max().longValueExact() <= simple);
    }

    @Property(edgeCases = EdgeCasesMode.MIXIN)
    void requiredBitsIsMinimal(@ForAll @LongRange(min = 1, max = 1L << 40) long k,
            @ForAll @IntRange(min = -40000, max = 40000) int w, @ForAll @IntRange(min = -70000, max = 70000) int d,
            @ForAll int bias) {
        AccumulatorBound b = new AccumulatorBound(k, Math.min(0, w), Math.max(0, w), Math.min(0, d), Math.max(0, d),
                Math.min(0, bias), Math.max(0, bias));
        int bits = b.requiredBits();
        BigInteger lo = BigInteger.ONE.shiftLeft(bits - 1).negate();
        BigInteger hi = BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE);
        assertTrue(b.min().compareTo(lo) >= 0 && b.max().compareTo(hi) <= 0);
        if (bits > 1) {
            assertTrue(b.min().compareTo(lo.shiftRight(1)) < 0 || b.max().compareTo(hi.shiftRight(1)) > 0);
        }
        assertEquals(bits <= 32, b.fitsInt32());
    }

    @Test
    void typicalLayers() {
        // NIN 5×5 conv over 192 channels, int8 weights, uint8 activations, bias within ±2^20: 29 bits
        long k = AccumulatorBound.reductionLength(192, 1, 5, 5);
        AccumulatorBound nin = AccumulatorBound.forLayer(k, -127, 127, new QuantizedType(IntType.UINT8, 0),
                -(1 << 20), 1 << 20);
        assertEquals(BigInteger.valueOf(1048576 + 4800L * 127 * 255), nin.max());
        assertEquals(nin.max().negate(), nin.min());
        assertEquals(29, nin.requiredBits());
        assertSame(nin, nin.requireFitsInt32("nin.conv4"));
        // CLIP-Q: Q3.5 codebook codes × post-ReLU Q3.5 activations, 3×3 over 192 channels
        AccumulatorBound clipQ = new AccumulatorBound(AccumulatorBound.reductionLength(192, 1, 3, 3), -128, 127,
                0, 127, -(1 << 15), 1 << 15);
        assertEquals(BigInteger.valueOf(-(1 << 15) - 1728L * 128 * 127), clipQ.min());
        assertTrue(clipQ.fitsInt32());
        // int16 weights over 576 taps do not fit
        AccumulatorBound wide = AccumulatorBound.forLayer(576, -32768, 32767, new QuantizedType(IntType.UINT8, 0),
                0, 0);
        assertFalse(wide.fitsInt32());
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> wide.requireFitsInt32("conv3"));
        assertTrue(e.getMessage().contains("layer 'conv3'") && e.getMessage().contains(wide.requiredBits() + " bits")
                && e.getMessage().contains("K=576"), e.getMessage());
        // a bias alone can break int32 only through its own range; 1 tap of int32 × int32 needs 64 bits
        AccumulatorBound huge = AccumulatorBound.forLayer(1, Integer.MIN_VALUE, Integer.MAX_VALUE,
                new QuantizedType(IntType.INT32, 0), Integer.MIN_VALUE, Integer.MAX_VALUE);
        assertEquals(BigInteger.ONE.shiftLeft(62).add(BigInteger.valueOf(Integer.MAX_VALUE)), huge.max());
    }

    @Test
    void reductionLengthOfGroupedAndDepthwiseConvolutions() {
        assertEquals(9, AccumulatorBound.reductionLength(32, 32, 3, 3));
        assertEquals(144, AccumulatorBound.reductionLength(64, 4, 3, 3));
        assertEquals(512, AccumulatorBound.reductionLength(512, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> AccumulatorBound.reductionLength(30, 4, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> AccumulatorBound.reductionLength(0, 1, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> new AccumulatorBound(0, 0, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new AccumulatorBound(1, 1, 0, 0, 0, 0, 0));
    }
}
