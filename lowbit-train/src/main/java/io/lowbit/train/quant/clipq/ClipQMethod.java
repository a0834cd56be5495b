package io.lowbit.train.quant.clipq;

import ai.djl.nn.Block;
import io.lowbit.core.arith.FixedPointFormat;
import io.lowbit.train.quant.FixedPointMethod;
import io.lowbit.train.quant.FixedPointQuantizer;
import io.lowbit.train.quant.QuantMethod;
import io.lowbit.train.quant.QuantScheme;
import java.util.Set;

/**
 * {@code clipq:p=0.2,b=2,mode=per-sign,fmt=Q3.5,round=trunc,act=Q3.5,wexp=auto} — CLIP-Q pruning-quantization of
 * the weights (defaults: the FPGA paper's hardware variant) and fixed-point activations. {@code fmt=none} keeps
 * float levels (the original CLIP-Q); {@code act} defaults to {@code fmt} and {@code act=none} leaves
 * activations float. {@code wexp} is a per-layer power-of-two weight exponent k (levels are {@code fmt} codes of
 * {@code w·2^k}): {@code auto} (default) fits each layer's BN-folded weights to the format, {@code 0} is the
 * paper's plain Q3.5 (which leaves layers with small folded weights all-zero, see
 * {@link ClipQWeightQuantizer#autoExponent}). Activations are quantized where they are produced and at the network input, which is what
 * the authors' per-conv-input quantizer amounts to.
 */
public final class ClipQMethod implements QuantMethod {

    private static final Set<String> KEYS = Set.of("p", "b", "mode", "fmt", "round", "act", "wexp");

    @Override
    public String name() {
        return "clipq";
    }

    @Override
    public void validate(QuantScheme s) {
        s.requireOnly(KEYS);
        config(s);
        activationFormat(s);
        weightExponent(s);
    }

    static int weightExponent(QuantScheme s) {
        String v = s.get("wexp", "auto");
        return v.equalsIgnoreCase("auto") ? ClipQWeightQuantizer.AUTO_EXPONENT
                : s.intParam("wexp", 0, ClipQWeightQuantizer.MIN_EXPONENT, ClipQWeightQuantizer.MAX_EXPONENT);
    }

    static ClipQConfig config(QuantScheme s) {
        double p = s.doubleParam("p", 0.2, 0, 0.999);
        int b = s.intParam("b", 2, 1, ClipQConfig.MAX_BITS);
        PartitionMode mode = PartitionMode.parse(s.get("mode", "per-sign"));
        String fmt = s.get("fmt", "Q3.5");
        FixedPointFormat format = fmt.equalsIgnoreCase("none") ? null : FixedPointFormat.parse(fmt);
        return new ClipQConfig(p, b, mode, format, FixedPointMethod.rounding(s));
    }

    private static FixedPointFormat activationFormat(QuantScheme s) {
        String act = s.get("act", s.get("fmt", "Q3.5"));
        return act.equalsIgnoreCase("none") ? null : FixedPointFormat.parse(act);
    }

    @Override
    public Block weightQuantizer(QuantScheme s, String layer, long weightCount) {
        return new ClipQWeightQuantizer(config(s), weightExponent(s));
    }

    @Override
    public Block activationQuantizer(QuantScheme s, String layer, boolean signed) {
        FixedPointFormat f = activationFormat(s);
        return f == null ? null
                : new FixedPointQuantizer(f, FixedPointMethod.activationRounding(s, layer, signed));
    }

    @Override
    public boolean quantizesNetworkInput(QuantScheme s) {
        return activationFormat(s) != null;
    }
}
