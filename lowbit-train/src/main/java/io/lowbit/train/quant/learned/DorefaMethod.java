package io.lowbit.train.quant.learned;

import ai.djl.nn.Block;
import io.lowbit.train.quant.QuantMethod;
import io.lowbit.train.quant.QuantScheme;
import java.util.Set;

/**
 * {@code dorefa:w=4,a=4}: DoReFa weights in UltraNet's symmetric form ({@link DorefaWeightQuantizer}) and clamp-to-1
 * activations ({@link DorefaActivationQuantizer}). BN is not folded (the weight normalization discards the weights'
 * scale): weights are quantized before BN, as UltraNet trains, and export folds BN into per-channel multipliers.
 */
public final class DorefaMethod implements QuantMethod {

    static final Set<String> KEYS = Set.of("w", "a");

    @Override
    public String name() {
        return "dorefa";
    }

    @Override
    public void validate(QuantScheme s) {
        s.requireOnly(KEYS);
        Bits.weights(s);
        Bits.activations(s);
    }

    @Override
    public Block weightQuantizer(QuantScheme s, String layer, long weightCount) {
        return new DorefaWeightQuantizer(Bits.weights(s));
    }

    @Override
    public Block activationQuantizer(QuantScheme s, String layer, boolean signed) {
        return new DorefaActivationQuantizer(new Grid(Bits.activations(s), signed));
    }

    @Override
    public boolean foldsBatchNorm(QuantScheme s) {
        return false;
    }
}
