package io.lowbit.core.arith;

import java.math.BigInteger;

/**
 * Worst-case range {@code [L, U]} of every partial sum of a layer's accumulator, in any summation order
 * ({@code docs/integer-semantics.md} §5): with {@code pmin/pmax} the extreme products of the weight-code range and
 * the centred input range, both widened to include 0, {@code L = min(0, biasMin) + K·pmin} and
 * {@code U = max(0, biasMax) + K·pmax}. Computed exactly with {@link BigInteger}.
 *
 * @param reductionLength {@code K = inC/groups · kH · kW} (linear: in-features), ≥ 1
 * @param weightMin       smallest weight code the layer actually uses
 * @param weightMax       largest weight code
 * @param inputMin        smallest centred input {@code x − Z_in}
 * @param inputMax        largest centred input
 * @param biasMin         smallest bias over the output channels
 * @param biasMax         largest bias
 */
public record AccumulatorBound(long reductionLength, long weightMin, long weightMax, long inputMin, long inputMax,
        long biasMin, long biasMax) {

    private static final BigInteger INT32_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
    private static final BigInteger INT32_MAX = BigInteger.valueOf(Integer.MAX_VALUE);

    public AccumulatorBound {
        if (reductionLength < 1) {
            throw new IllegalArgumentException("reduction length must be ≥ 1, got " + reductionLength);
        }
        requireOrdered("weight", weightMin, weightMax);
        requireOrdered("input", inputMin, inputMax);
        requireOrdered("bias", biasMin, biasMax);
    }

    /** {@code K = inChannels/groups · kernelH · kernelW}; {@code groups} must divide {@code inChannels}. */
    public static long reductionLength(int inChannels, int groups, int kernelH, int kernelW) {
        if (inChannels < 1 || groups < 1 || kernelH < 1 || kernelW < 1) {
            throw new IllegalArgumentException("channels, groups and kernel sizes must be ≥ 1, got inC=" + inChannels
                    + " groups=" + groups + " kernel=" + kernelH + "×" + kernelW);
        }
        if (inChannels % groups != 0) {
            throw new IllegalArgumentException("groups=" + groups + " does not divide inC=" + inChannels);
        }
        return (long) (inChannels / groups) * kernelH * kernelW;
    }

    /** The bound for inputs spanning the whole of {@code input}'s type, centred at its zero-point. */
    public static AccumulatorBound forLayer(long reductionLength, int weightMin, int weightMax, QuantizedType input,
            int biasMin, int biasMax) {
        return new AccumulatorBound(reductionLength, weightMin, weightMax, input.centredMin(), input.centredMax(),
                biasMin, biasMax);
    }

    /** L: no partial sum is smaller. */
    public BigInteger min() {
        BigInteger pmin = BigInteger.ZERO;
        for (BigInteger p : corners()) {
            pmin = pmin.min(p);
        }
        return BigInteger.valueOf(Math.min(0, biasMin)).add(BigInteger.valueOf(reductionLength).multiply(pmin));
    }

    /** U: no partial sum is larger. */
    public BigInteger max() {
        BigInteger pmax = BigInteger.ZERO;
        for (BigInteger p : corners()) {
            pmax = pmax.max(p);
        }
        return BigInteger.valueOf(Math.max(0, biasMax)).add(BigInteger.valueOf(reductionLength).multiply(pmax));
    }

    /** Smallest two's-complement width B with {@code [L, U] ⊆ [−2^(B−1), 2^(B−1) − 1]}. */
    public int requiredBits() {
        return Math.max(min().bitLength(), max().bitLength()) + 1;
    }

    public boolean fitsInt32() {
        return min().compareTo(INT32_MIN) >= 0 && max().compareTo(INT32_MAX) <= 0;
    }

    /**
     * Returns this bound if it fits int32; otherwise throws naming the layer, so export can reject it and the engine
     * can refuse the model.
     */
    public AccumulatorBound requireFitsInt32(String layer) {
        if (!fitsInt32()) {
            throw new ArithmeticException("layer '" + layer + "': accumulator range [" + min() + ", " + max()
                    + "] needs " + requiredBits() + " bits, more than int32 (K=" + reductionLength + ", weights ["
                    + weightMin + ", " + weightMax + "], centred inputs [" + inputMin + ", " + inputMax + "], bias ["
                    + biasMin + ", " + biasMax + "]; docs/integer-semantics.md §5)");
        }
        return this;
    }

    /** The four products of the range ends: the extreme products are among them. */
    private BigInteger[] corners() {
        BigInteger w0 = BigInteger.valueOf(weightMin);
        BigInteger w1 = BigInteger.valueOf(weightMax);
        BigInteger d0 = BigInteger.valueOf(inputMin);
        BigInteger d1 = BigInteger.valueOf(inputMax);
        return new BigInteger[] {w0.multiply(d0), w0.multiply(d1), w1.multiply(d0), w1.multiply(d1)};
    }

    private static void requireOrdered(String what, long lo, long hi) {
        if (lo > hi) {
            throw new IllegalArgumentException(what + " range [" + lo + ", " + hi + "] is empty");
        }
    }
}
