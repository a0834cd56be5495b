package io.lowbit.train.quant.learned;

import ai.djl.nn.Block;
import io.lowbit.train.quant.QuantMethod;
import io.lowbit.train.quant.QuantScheme;
import java.util.Map;
import java.util.Set;

/**
 * {@code lsfq:w=4,a=4,gran=tensor,tau=0.1,lower=soft}: lowbit's reading of LSFQ ({@link LsfqQuantizer}) on BN-folded
 * weights (clip level per tensor or per output channel) and on every produced activation; {@code lower=hard} makes
 * the unsigned activations' lower clip hard (docs/quantization.md).
 */
public final class LsfqMethod implements QuantMethod {

    static final String LOWER = "lower";
    static final String DEFAULT_LOWER = "soft";
    static final Set<String> KEYS = Set.of("w", "a", Granularity.KEY, "tau", LOWER);
    static final double DEFAULT_TAU = 0.1;
    static final double MIN_TAU = 1e-3;
    static final double MAX_TAU = 10;

    @Override
    public String name() {
        return "lsfq";
    }

    @Override
    public Map<String, String> defaults() {
        return Map.of(Granularity.KEY, Granularity.DEFAULT, "tau", String.valueOf(DEFAULT_TAU), LOWER, DEFAULT_LOWER);
    }

    @Override
    public void validate(QuantScheme s) {
        s.requireOnly(KEYS);
        Bits.weights(s);
        Bits.activations(s);
        Granularity.of(s);
        tau(s);
        hardLower(s);
    }

    /** {@code lower=soft} (default: the two-sided soft clamp) or {@code hard}. */
    static boolean hardLower(QuantScheme s) {
        String v = s.get(LOWER, DEFAULT_LOWER);
        return switch (v) {
            case "soft" -> false;
            case "hard" -> true;
            default -> throw new IllegalArgumentException("lsfq: lower=" + v + " is not soft or hard");
        };
    }

    static double tau(QuantScheme s) {
        return s.doubleParam("tau", DEFAULT_TAU, MIN_TAU, MAX_TAU);
    }

    @Override
    public Block weightQuantizer(QuantScheme s, String layer, long weightCount) {
        return new LsfqQuantizer(new Grid(Bits.weights(s), true), TensorRole.WEIGHT, Granularity.of(s), tau(s));
    }

    @Override
    public Block activationQuantizer(QuantScheme s, String layer, boolean signed) {
        return new LsfqQuantizer(new Grid(Bits.activations(s), signed), TensorRole.ACTIVATION, Granularity.TENSOR,
                tau(s), hardLower(s));
    }
}
