package io.lowbit.train.quant.learned;

import ai.djl.nn.Block;
import io.lowbit.train.quant.QuantMethod;
import io.lowbit.train.quant.QuantScheme;
import java.util.Map;
import java.util.Set;

/**
 * {@code lsq:w=4,a=4,gran=tensor}: {@link LsqQuantizer} on BN-folded weights (symmetric signed grid, step per
 * tensor or per output channel) and on every produced activation (unsigned after ReLU, else symmetric signed).
 */
public final class LsqMethod implements QuantMethod {

    static final Set<String> KEYS = Set.of("w", "a", Granularity.KEY);

    @Override
    public String name() {
        return "lsq";
    }

    @Override
    public Map<String, String> defaults() {
        return Map.of(Granularity.KEY, Granularity.DEFAULT);
    }

    @Override
    public void validate(QuantScheme s) {
        s.requireOnly(KEYS);
        Bits.weights(s);
        Bits.activations(s);
        Granularity.of(s);
    }

    @Override
    public Block weightQuantizer(QuantScheme s, String layer, long weightCount) {
        return new LsqQuantizer(new Grid(Bits.weights(s), true), TensorRole.WEIGHT, Granularity.of(s));
    }

    @Override
    public Block activationQuantizer(QuantScheme s, String layer, boolean signed) {
        return new LsqQuantizer(new Grid(Bits.activations(s), signed), TensorRole.ACTIVATION, Granularity.TENSOR);
    }
}
