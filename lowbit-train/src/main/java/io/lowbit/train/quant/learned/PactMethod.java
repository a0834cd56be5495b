package io.lowbit.train.quant.learned;

import ai.djl.nn.Block;
import io.lowbit.train.quant.QuantMethod;
import io.lowbit.train.quant.QuantScheme;
import java.util.Set;

/**
 * {@code pact:w=4,a=4,alpha0=10}: {@link PactQuantizer} activations with DoReFa-style weights
 * ({@link DorefaWeightQuantizer}), as in the PACT paper. The weights are normalized by max|tanh|, which discards
 * their scale, so BN is not folded: weights are quantized before BN as in DoReFa/UltraNet, and export folds BN
 * into the per-channel multiplier. PACT's L2 penalty on α ({@code alphadecay}, default
 * {@value PactQuantizer#DEFAULT_ALPHA_DECAY}) is applied by the optimizer as a decay of α.
 */
public final class PactMethod implements QuantMethod {

    static final Set<String> KEYS = Set.of("w", "a", "alpha0", "alphadecay");

    @Override
    public String name() {
        return "pact";
    }

    @Override
    public void validate(QuantScheme s) {
        s.requireOnly(KEYS);
        Bits.weights(s);
        Bits.activations(s);
        alpha0(s);
        alphaDecay(s);
    }

    static double alphaDecay(QuantScheme s) {
        return s.doubleParam("alphadecay", PactQuantizer.DEFAULT_ALPHA_DECAY, 0, 1);
    }

    static float alpha0(QuantScheme s) {
        return (float) s.doubleParam("alpha0", PactQuantizer.DEFAULT_ALPHA0, 1e-2, 1e3);
    }

    @Override
    public Block weightQuantizer(QuantScheme s, String layer, long weightCount) {
        return new DorefaWeightQuantizer(Bits.weights(s));
    }

    @Override
    public Block activationQuantizer(QuantScheme s, String layer, boolean signed) {
        return new PactQuantizer(new Grid(Bits.activations(s), signed), alpha0(s), alphaDecay(s));
    }

    @Override
    public boolean foldsBatchNorm(QuantScheme s) {
        return false;
    }
}
