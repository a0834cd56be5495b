package io.lowbit.train.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import java.util.function.Supplier;

/**
 * Frees a unit's intermediates when the unit returns, in inference. A fake-quant unit makes a dozen or more
 * activation-sized intermediates (LSFQ's soft clip ~19 per quantized tensor); without a scope they all live in the
 * batch's manager until the batch ends, and a MobileNetV2 evaluated at batch 500 was OOM-killed at 24 GiB. Training
 * keeps them: backward needs them.
 */
final class InferenceScope {

    private InferenceScope() {
    }

    /**
     * Runs {@code forward}; in inference closes every array it created except its outputs, which move to the
     * enclosing scope (if any) so that nested units free in turn. An output that is one of {@code inputs} was not
     * created here and is left where it belongs.
     */
    static NDList run(boolean training, NDList inputs, Supplier<NDList> forward) {
        if (training) {
            return forward.get();
        }
        NDList out;
        try (NDScope scope = new NDScope()) {
            out = forward.get();
            NDScope.unregister(out);
        }
        for (NDArray a : out) {
            if (!containsSame(inputs, a)) {
                NDScope.register(a);
            }
        }
        return out;
    }

    private static boolean containsSame(NDList list, NDArray a) {
        for (NDArray e : list) {
            if (e == a) {
                return true;
            }
        }
        return false;
    }
}
