package io.lowbit.train.quant.learned;

import io.lowbit.train.quant.QuantScheme;
import java.util.Locale;

/**
 * The weight levels of {@code pact} and {@code dorefa}, the spec key {@code wgrid} (docs/quantization.md#dorefa):
 * {@code symmetric} (default), UltraNet's {@code 2^k − 1} levels with 0 among them, codes in {@code [−Q, Q]},
 * {@code Q = 2^(k−1) − 1}; or {@code dorefa}, the original DoReFa's {@code 2^k} levels
 * {@code (2c − L)/L}, {@code L = 2^k − 1}, which have no zero: stored as the odd integers of {@code [−L, L]}, a
 * (k+1)-bit signed type. At 2 bits the symmetric grid is ternary with its threshold at half the channel's largest
 * weight, where most weights round to 0; DoReFa's four levels are what the PACT paper trained at 2 bits.
 */
public enum DorefaLevels {
    SYMMETRIC, DOREFA;

    /** The spec key. */
    public static final String KEY = "wgrid";
    /** Its value when a spec leaves it out. */
    public static final String DEFAULT = "symmetric";

    static DorefaLevels of(QuantScheme s) {
        String v = s.get(KEY, DEFAULT);
        DorefaLevels levels = switch (v.toLowerCase(Locale.ROOT)) {
            case "symmetric" -> SYMMETRIC;
            case "dorefa" -> DOREFA;
            default -> throw new IllegalArgumentException(s.method() + ": wgrid=" + v + " is not symmetric or dorefa");
        };
        if (levels == DOREFA) {
            if (BnPlacement.of(s) != BnPlacement.FOLD) {
                throw new IllegalArgumentException(s.method() + ": wgrid=dorefa needs bn=fold (the levels are"
                        + " integers only with the per-channel step of the folded weights)");
            }
            if (Bits.weights(s) >= Grid.MAX_BITS) {
                throw new IllegalArgumentException(s.method() + ": wgrid=dorefa stores w-bit levels in w+1 bits, so"
                        + " w is at most " + (Grid.MAX_BITS - 1) + ", got " + Bits.weights(s));
            }
        }
        return levels;
    }
}
