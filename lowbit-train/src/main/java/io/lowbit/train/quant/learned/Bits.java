package io.lowbit.train.quant.learned;

import io.lowbit.train.quant.QuantScheme;

/** The {@code w=BITS} and {@code a=BITS} keys every method of this package takes (default 4, range 2..8). */
final class Bits {

    static final int DEFAULT = 4;

    private Bits() {
    }

    static int weights(QuantScheme s) {
        return s.intParam("w", DEFAULT, Grid.MIN_BITS, Grid.MAX_BITS);
    }

    static int activations(QuantScheme s) {
        return s.intParam("a", DEFAULT, Grid.MIN_BITS, Grid.MAX_BITS);
    }
}
