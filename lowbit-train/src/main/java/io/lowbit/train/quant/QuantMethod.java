package io.lowbit.train.quant;

import ai.djl.nn.Block;
import java.util.Map;

/**
 * A quantization method: builds the fake-quantizer blocks that {@link QuantPlan} installs into a model's
 * transform slots. Quantizers are DJL blocks so that learnable quantization parameters (steps, clipping levels)
 * train and checkpoint like any other parameter.
 */
public interface QuantMethod {

    /** The name used in specs, e.g. "lsfq". */
    String name();

    /**
     * The value of each optional parameter that a spec may leave out (the bit widths excepted), as written in a
     * spec: {@code pact:w=2,a=2,alpha0=10} and {@code pact:w=2,a=2} are one setting. Empty where not listed.
     */
    default Map<String, String> defaults() {
        return Map.of();
    }

    /** Checks a scheme's parameters, naming any that is unknown or out of range. */
    void validate(QuantScheme scheme);

    /** Fake-quantizer of one conv/linear weight tensor (of {@code weightCount} values), or null to keep it float. */
    Block weightQuantizer(QuantScheme scheme, String layer, long weightCount);

    /**
     * Fake-quantizer of an activation tensor produced by {@code layer}, or null to keep it float; {@code signed}
     * is false when the tensor follows a ReLU.
     */
    Block activationQuantizer(QuantScheme scheme, String layer, boolean signed);

    /** Whether the (normalized) network input is quantized too, as CLIP-Q's authors quantize every conv input. */
    default boolean quantizesNetworkInput(QuantScheme scheme) {
        return false;
    }

    /** Whether the method trains on BN-folded weights (the deployment graph). */
    default boolean foldsBatchNorm(QuantScheme scheme) {
        return true;
    }
}
