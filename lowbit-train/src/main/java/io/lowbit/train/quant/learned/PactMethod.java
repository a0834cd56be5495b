package io.lowbit.train.quant.learned;

import ai.djl.nn.Block;
import io.lowbit.train.quant.QuantMethod;
import io.lowbit.train.quant.QuantScheme;
import java.util.Map;
import java.util.Set;

/**
 * {@code pact:w=4,a=4,alpha0=10,bn=fold}: {@link PactQuantizer} activations with DoReFa-style weights, as in the
 * PACT paper. {@code bn=fold} (default) quantizes the BN-folded weights keeping their scale
 * ({@link FoldedDorefaWeightQuantizer}), the deployment graph; {@code bn=after} keeps BN after the conv on
 * scale-free weights ({@link DorefaWeightQuantizer}), see {@link BnPlacement}. PACT's L2 penalty on α
 * ({@code alphadecay}, default {@value PactQuantizer#DEFAULT_ALPHA_DECAY}) is applied by the optimizer as a decay
 * of α.
 */
public final class PactMethod implements QuantMethod {

    static final Set<String> KEYS = Set.of("w", "a", "alpha0", "alphadecay", BnPlacement.KEY, DorefaLevels.KEY);

    @Override
    public String name() {
        return "pact";
    }

    @Override
    public Map<String, String> defaults() {
        return Map.of("alpha0", String.valueOf(PactQuantizer.DEFAULT_ALPHA0),
                "alphadecay", String.valueOf(PactQuantizer.DEFAULT_ALPHA_DECAY),
                BnPlacement.KEY, BnPlacement.DEFAULT, DorefaLevels.KEY, DorefaLevels.DEFAULT);
    }

    @Override
    public void validate(QuantScheme s) {
        s.requireOnly(KEYS);
        Bits.weights(s);
        Bits.activations(s);
        alpha0(s);
        alphaDecay(s);
        BnPlacement.of(s);
        DorefaLevels.of(s);
    }

    static double alphaDecay(QuantScheme s) {
        return s.doubleParam("alphadecay", PactQuantizer.DEFAULT_ALPHA_DECAY, 0, 1);
    }

    static float alpha0(QuantScheme s) {
        return (float) s.doubleParam("alpha0", PactQuantizer.DEFAULT_ALPHA0, 1e-2, 1e3);
    }

    @Override
    public Block weightQuantizer(QuantScheme s, String layer, long weightCount) {
        return BnPlacement.of(s).weightQuantizer(s);
    }

    @Override
    public Block activationQuantizer(QuantScheme s, String layer, boolean signed) {
        return new PactQuantizer(new Grid(Bits.activations(s), signed), alpha0(s), alphaDecay(s));
    }

    @Override
    public boolean foldsBatchNorm(QuantScheme s) {
        return BnPlacement.of(s) == BnPlacement.FOLD;
    }
}
