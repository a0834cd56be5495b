package io.lowbit.train.quant.learned;

import ai.djl.nn.Block;
import io.lowbit.train.quant.QuantMethod;
import io.lowbit.train.quant.QuantScheme;
import java.util.Map;
import java.util.Set;

/**
 * {@code dorefa:w=4,a=4,bn=fold}: DoReFa weights in UltraNet's symmetric form and clamp-to-1 activations
 * ({@link DorefaActivationQuantizer}). {@code bn=fold} (default) quantizes the BN-folded weights keeping their
 * scale ({@link FoldedDorefaWeightQuantizer}), the deployment graph; {@code bn=after} quantizes them before BN as
 * UltraNet trains ({@link DorefaWeightQuantizer}, scale-free), and export folds BN afterwards ({@link BnPlacement}).
 */
public final class DorefaMethod implements QuantMethod {

    static final Set<String> KEYS = Set.of("w", "a", BnPlacement.KEY, DorefaLevels.KEY);

    @Override
    public String name() {
        return "dorefa";
    }

    @Override
    public Map<String, String> defaults() {
        return Map.of(BnPlacement.KEY, BnPlacement.DEFAULT, DorefaLevels.KEY, DorefaLevels.DEFAULT);
    }

    @Override
    public void validate(QuantScheme s) {
        s.requireOnly(KEYS);
        Bits.weights(s);
        Bits.activations(s);
        BnPlacement.of(s);
        DorefaLevels.of(s);
    }

    @Override
    public Block weightQuantizer(QuantScheme s, String layer, long weightCount) {
        return BnPlacement.of(s).weightQuantizer(s);
    }

    @Override
    public Block activationQuantizer(QuantScheme s, String layer, boolean signed) {
        return new DorefaActivationQuantizer(new Grid(Bits.activations(s), signed));
    }

    @Override
    public boolean foldsBatchNorm(QuantScheme s) {
        return BnPlacement.of(s) == BnPlacement.FOLD;
    }
}
