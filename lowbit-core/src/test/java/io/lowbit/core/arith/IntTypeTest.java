package io.lowbit.core.arith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** docs/integer-semantics.md §1 and §10, invariant 9. */
class IntTypeTest {

    @Test
    void rangesAndNames() {
        assertEquals(-128, IntType.INT8.min());
        assertEquals(127, IntType.INT8.max());
        assertEquals(0, IntType.UINT8.min());
        assertEquals(255, IntType.UINT8.max());
        assertEquals(Integer.MIN_VALUE, IntType.INT32.min());
        assertEquals(Integer.MAX_VALUE, IntType.INT32.max());
        assertEquals(-2, IntType.signed(2).min());
        assertEquals(1, IntType.signed(2).max());
        assertEquals(1, IntType.unsigned(1).max());
        assertEquals(Integer.MAX_VALUE, IntType.unsigned(31).max());
        assertEquals(IntType.unsigned(4), IntType.parse("uint4"));
        assertEquals(IntType.INT16, IntType.parse(" INT16 "));
        assertEquals("int3", IntType.signed(3).toString());
        assertThrows(IllegalArgumentException.class, () -> IntType.signed(1));
        assertThrows(IllegalArgumentException.class, () -> IntType.signed(33));
        assertThrows(IllegalArgumentException.class, () -> IntType.unsigned(32));
        assertThrows(IllegalArgumentException.class, () -> IntType.unsigned(0));
        assertThrows(IllegalArgumentException.class, () -> IntType.parse("i8"));
        assertThrows(IllegalArgumentException.class, () -> IntType.UINT8.require(256, "pixel"));
    }

    @Test
    void quantizedTypeCentres() {
        QuantizedType u8 = new QuantizedType(IntType.UINT8, 125);
        assertEquals(-125, u8.centredMin());
        assertEquals(130, u8.centredMax());
        assertEquals(130, u8.maxAbsCentred());
        assertEquals(-125, u8.centre(0));
        QuantizedType i32 = new QuantizedType(IntType.INT32, Integer.MAX_VALUE);
        assertEquals(-(1L << 32) + 1, i32.centredMin());
        assertThrows(IllegalArgumentException.class, () -> new QuantizedType(IntType.INT8, 128));
        assertThrows(IllegalArgumentException.class, () -> u8.centre(-1));
    }

    @Property(edgeCases = EdgeCasesMode.MIXIN)
    void saturationEqualsBigIntegerClamp(@ForAll long v, @ForAll @IntRange(min = 1, max = 32) int bits) {
        BigInteger bv = BigInteger.valueOf(v);
        if (bits >= 2) {
            BigInteger lo = BigInteger.ONE.shiftLeft(bits - 1).negate();
            BigInteger hi = BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE);
            assertEquals(bv.max(lo).min(hi).intValueExact(), Saturation.saturateSigned(v, bits));
            BigInteger wrapped = bv.add(BigInteger.ONE.shiftLeft(bits - 1)).mod(BigInteger.ONE.shiftLeft(bits)).add(lo);
            assertEquals(wrapped.intValueExact(), Saturation.wrapSigned(v, bits));
        }
        if (bits <= 31) {
            BigInteger hi = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
            assertEquals(bv.max(BigInteger.ZERO).min(hi).intValueExact(), Saturation.saturateUnsigned(v, bits));
        }
    }

    @Test
    void explicitEdges() {
        assertEquals(127, Saturation.saturateSigned(Long.MAX_VALUE, 8));
        assertEquals(-128, Saturation.saturateSigned(Long.MIN_VALUE, 8));
        assertEquals(Integer.MAX_VALUE, Saturation.saturate(1L << 40, IntType.INT32));
        assertEquals(-128, Saturation.wrapSigned(128, 8));
        assertEquals(-1, Saturation.wrapSigned(0xFFFF, 16));
        assertEquals(5, Saturation.clamp(5, 5, 5));
        assertThrows(IllegalArgumentException.class, () -> Saturation.clamp(0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> Saturation.wrapSigned(0, 33));
    }
}
