package io.lowbit.train.quant.learned;

import io.lowbit.core.arith.Rounding;
import io.lowbit.train.data.InputCodes;

/**
 * The grid of the network input when training feeds the first layer the integer model's input codes
 * ({@link InputCodes}, code·step from a table on the raw pixel): a constant step, no parameters, nothing to train.
 * It lets the first layer round its bias onto {@code S_in·S_w[o]} like the others ({@link LearnedGridBias}).
 */
public final class InputGrid implements GridQuantizer {

    private final InputCodes codes;

    public InputGrid(InputCodes codes) {
        this.codes = codes;
    }

    @Override
    public Grid grid() {
        return new Grid(codes.bits(), true);
    }

    @Override
    public float[] steps() {
        return new float[] {codes.step()};
    }

    /** The table rounds half up ({@link InputCodes}). */
    @Override
    public Rounding rounding() {
        return Rounding.ROUND_HALF_UP;
    }
}
