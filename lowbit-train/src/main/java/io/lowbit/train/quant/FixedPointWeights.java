package io.lowbit.train.quant;

/**
 * A weight quantizer whose output lies on a power-of-two grid: weights are codes × 2^−{@link #fractionBits()}
 * as of the most recent forward pass. With activations on a 2^−fa grid, products and sums — the accumulator —
 * lie on 2^−(fa + fw), which is where the integer model keeps the bias.
 */
public interface FixedPointWeights {

    /** fw of the most recent forward pass (it can change from pass to pass, e.g. CLIP-Q's exponent). */
    int fractionBits();

    /** False when this quantizer's configuration has no fixed-point grid (e.g. CLIP-Q with float levels). */
    default boolean onGrid() {
        return true;
    }
}
