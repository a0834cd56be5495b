package io.lowbit.train.quant.learned;

import io.lowbit.core.arith.IntType;

/**
 * The integer codes of a b-bit uniform quantizer: signed grids are symmetric, {@code [−(2^(b−1)−1), 2^(b−1)−1]}
 * (zero-point 0, the most negative code of the type unused), unsigned grids are {@code [0, 2^b−1]}. Real values
 * are {@code step·code}.
 */
public record Grid(int bits, boolean signed) {

    public static final int MIN_BITS = 2;
    public static final int MAX_BITS = 8;

    public Grid {
        if (bits < MIN_BITS || bits > MAX_BITS) {
            throw new IllegalArgumentException("a uniform grid has " + MIN_BITS + ".." + MAX_BITS + " bits, got "
                    + bits);
        }
    }

    /** Largest code Q_P: 2^(b−1) − 1 signed, 2^b − 1 unsigned. */
    public int qp() {
        return signed ? (1 << (bits - 1)) - 1 : (1 << bits) - 1;
    }

    /** Magnitude of the smallest code Q_N: Q_P signed (symmetric), 0 unsigned. */
    public int qn() {
        return signed ? qp() : 0;
    }

    /** The integer type holding the codes ({@code intb} or {@code uintb}). */
    public IntType type() {
        return new IntType(bits, signed);
    }

    @Override
    public String toString() {
        return (signed ? "±" : "0..") + qp();
    }
}
