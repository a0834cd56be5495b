package io.lowbit.core.arith;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Test references written from the definitions of docs/integer-semantics.md §6 with {@link BigInteger} and
 * {@link BigDecimal}, sharing no code with the production classes.
 */
final class Exact {

    private Exact() {
    }

    static BigInteger big(long v) {
        return BigInteger.valueOf(v);
    }

    static BigInteger pow2(int s) {
        return BigInteger.ONE.shiftLeft(s);
    }

    /** {@code round_r(num / den)} for {@code den > 0}, by integer division and remainder comparison. */
    static BigInteger round(BigInteger num, BigInteger den, Rounding r) {
        if (den.signum() <= 0) {
            throw new IllegalArgumentException("den must be positive");
        }
        BigInteger[] qr = num.divideAndRemainder(den); // quotient toward zero, remainder with the sign of num
        BigInteger floor = qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
        BigInteger rem = num.subtract(floor.multiply(den)); // in [0, den)
        int twiceRemVsDen = rem.shiftLeft(1).compareTo(den);
        return switch (r) {
            case FLOOR -> floor;
            case TRUNCATE_TOWARD_ZERO -> qr[0];
            case ROUND_HALF_UP -> twiceRemVsDen >= 0 ? floor.add(BigInteger.ONE) : floor;
            case ROUND_HALF_EVEN -> twiceRemVsDen > 0 || (twiceRemVsDen == 0 && floor.testBit(0))
                    ? floor.add(BigInteger.ONE) : floor;
        };
    }

    /** {@code round_r(v / 2^s)} via an exact decimal quotient and {@link RoundingMode}; an independent second reference. */
    static BigInteger roundDecimal(long v, int s, Rounding r) {
        BigDecimal x = new BigDecimal(v).divide(new BigDecimal(pow2(s))); // exact: 2^s divides a power of ten
        return switch (r) {
            case FLOOR -> x.setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
            case TRUNCATE_TOWARD_ZERO -> x.setScale(0, RoundingMode.DOWN).toBigIntegerExact();
            case ROUND_HALF_UP -> x.add(new BigDecimal("0.5")).setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
            case ROUND_HALF_EVEN -> x.setScale(0, RoundingMode.HALF_EVEN).toBigIntegerExact();
        };
    }

    /** {@code clamp(z + v, lo, hi)} in BigInteger. */
    static long clamp(BigInteger v, OutputClamp out) {
        BigInteger y = v.add(big(out.zeroPoint()));
        return y.max(big(out.lo())).min(big(out.hi())).longValueExact();
    }

    /** {@code M0·2^−(31+n)} as an exact decimal. */
    static BigDecimal scale(FixedPointMultiplier m) {
        return new BigDecimal(m.multiplierQ31()).divide(new BigDecimal(pow2(m.totalRightShift())));
    }
}
