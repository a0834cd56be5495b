package io.lowbit.train.quant.learned;

import io.lowbit.train.quant.QuantScheme;
import java.util.Locale;

/** One learned scale per tensor, or one per output channel (dimension 0 of a weight tensor). */
public enum Granularity {
    TENSOR, CHANNEL;

    /** The spec key. */
    public static final String KEY = "gran";
    /** Its value when a spec leaves it out. */
    public static final String DEFAULT = "tensor";

    /** The {@code gran=tensor|channel} key of a scheme; {@code tensor} when absent. */
    static Granularity of(QuantScheme s) {
        String v = s.get(KEY, DEFAULT);
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "tensor" -> TENSOR;
            case "channel" -> CHANNEL;
            default -> throw new IllegalArgumentException(s.method() + ": gran=" + v + " is not tensor or channel");
        };
    }
}
