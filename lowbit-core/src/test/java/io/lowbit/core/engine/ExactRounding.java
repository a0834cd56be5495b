package io.lowbit.core.engine;

import io.lowbit.core.arith.Rounding;
import java.math.BigInteger;

/** {@code round_r(num / den)} from the definitions of docs/integer-semantics.md §6, by BigInteger division. */
final class ExactRounding {

    private ExactRounding() {
    }

    static BigInteger round(BigInteger num, BigInteger den, Rounding r) {
        BigInteger[] qr = num.divideAndRemainder(den); // toward zero
        BigInteger floor = qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
        BigInteger rem = num.subtract(floor.multiply(den));
        int twice = rem.shiftLeft(1).compareTo(den);
        return switch (r) {
            case FLOOR -> floor;
            case TRUNCATE_TOWARD_ZERO -> qr[0];
            case ROUND_HALF_UP -> twice >= 0 ? floor.add(BigInteger.ONE) : floor;
            case ROUND_HALF_EVEN -> twice > 0 || (twice == 0 && floor.testBit(0)) ? floor.add(BigInteger.ONE) : floor;
        };
    }

    static BigInteger pow2(int s) {
        return BigInteger.ONE.shiftLeft(s);
    }

    static int clamp(BigInteger v, int lo, int hi) {
        return v.max(BigInteger.valueOf(lo)).min(BigInteger.valueOf(hi)).intValueExact();
    }
}
