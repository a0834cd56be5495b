package io.lowbit.train.quant;

import ai.djl.nn.Block;
import io.lowbit.core.arith.FixedPointFormat;
import io.lowbit.core.arith.Rounding;
import java.util.Locale;
import java.util.Set;

/**
 * {@code fixed:fmt=Q3.5} (or {@code w=Q3.5,a=Q3.5}, {@code round=trunc|nearest}, {@code wexp=auto|k}): fixed-point
 * weights and activations, the "8-bit" baseline of the CLIP-Q paper's Table 6. Weights carry a per-layer power of
 * two ({@link WeightExponent}, default {@code auto}, as {@code clipq}; {@code wexp=0} is plain Q-format).
 * Activations are quantized where they are produced and at the network input, as the authors' code quantizes every
 * conv input.
 */
public final class FixedPointMethod implements QuantMethod {

    static final Set<String> KEYS = Set.of("fmt", "w", "a", "round", "wexp");

    @Override
    public String name() {
        return "fixed";
    }

    @Override
    public void validate(QuantScheme s) {
        s.requireOnly(KEYS);
        weightFormat(s);
        activationFormat(s);
        rounding(s);
        weightExponent(s);
    }

    static int weightExponent(QuantScheme s) {
        return WeightExponent.parse(s.get("wexp", "auto"), "fixed");
    }

    static FixedPointFormat weightFormat(QuantScheme s) {
        return FixedPointFormat.parse(s.get("w", s.get("fmt", "Q3.5")));
    }

    static FixedPointFormat activationFormat(QuantScheme s) {
        return FixedPointFormat.parse(s.get("a", s.get("fmt", "Q3.5")));
    }

    /** {@code round=trunc} (toward zero, the CLIP-Q authors' code; default) or {@code round=nearest} (half up). */
    public static Rounding rounding(QuantScheme s) {
        return switch (s.get("round", "trunc").toLowerCase(Locale.ROOT)) {
            case "trunc" -> Rounding.TRUNCATE_TOWARD_ZERO;
            case "nearest" -> Rounding.ROUND_HALF_UP;
            default -> throw new IllegalArgumentException(s.method() + ": round=" + s.get("round", "")
                    + " is not trunc or nearest");
        };
    }

    @Override
    public Block weightQuantizer(QuantScheme s, String layer, long weightCount) {
        return new ScaledFixedPointWeights(weightFormat(s), rounding(s), weightExponent(s));
    }

    @Override
    public Block activationQuantizer(QuantScheme s, String layer, boolean signed) {
        return new FixedPointQuantizer(activationFormat(s), activationRounding(s, layer, signed));
    }

    /**
     * The rounding of a requantized activation. Truncation (the CLIP-Q authors' code) is, in the hardware, a right
     * shift of the accumulator, which floors; the two differ only on negative values, i.e. on tensors without a
     * ReLU (a residual branch, MobileNetV2's linear bottleneck, an add without ReLU), where training therefore floors
     * as the integer model does (docs/quantization.md). The network input ({@code layer} "input") is converted by a
     * host table and keeps the configured rounding.
     */
    public static Rounding activationRounding(QuantScheme s, String layer, boolean signed) {
        Rounding r = rounding(s);
        return r == Rounding.TRUNCATE_TOWARD_ZERO && signed && !"input".equals(layer) ? Rounding.FLOOR : r;
    }

    @Override
    public boolean quantizesNetworkInput(QuantScheme s) {
        return true;
    }
}
