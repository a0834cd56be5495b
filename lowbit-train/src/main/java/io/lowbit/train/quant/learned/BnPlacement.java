package io.lowbit.train.quant.learned;

import ai.djl.nn.Block;
import io.lowbit.train.quant.QuantScheme;
import java.util.Locale;

/**
 * Where {@code pact} and {@code dorefa} put a conv's BatchNorm in training, the spec key {@code bn}:
 * {@code fold} (default) trains on the BN-folded deployment graph with {@link FoldedDorefaWeightQuantizer};
 * {@code after} keeps BN after the conv on the scale-free {@link DorefaWeightQuantizer} (UltraNet's way, and every
 * run before {@code bn} existed; export then folds BN into the per-channel scale, not bit-exact).
 */
public enum BnPlacement {
    FOLD, AFTER;

    /** The spec key. */
    public static final String KEY = "bn";
    /** Its value when a spec leaves it out. */
    public static final String DEFAULT = "fold";

    static BnPlacement of(QuantScheme s) {
        String v = s.get(KEY, DEFAULT);
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "fold" -> FOLD;
            case "after" -> AFTER;
            default -> throw new IllegalArgumentException(s.method() + ": bn=" + v + " is not fold or after");
        };
    }

    /** The DoReFa weight quantizer of this placement. */
    Block weightQuantizer(QuantScheme s) {
        int bits = Bits.weights(s);
        return this == FOLD ? new FoldedDorefaWeightQuantizer(bits, DorefaLevels.of(s))
                : new DorefaWeightQuantizer(bits);
    }
}
