package io.lowbit.core.engine;

import io.lowbit.core.model.IntTensor;
import io.lowbit.core.model.IntegerModel;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an {@link IntegerModel} on one image with integer arithmetic only, exactly as
 * {@code docs/integer-semantics.md} says. Every implementation must be bit-exact with {@link ReferenceEngine}, node by
 * node ({@link EngineComparison} checks it); they differ only in speed.
 *
 * <p>Life-cycle: the model is validated when it is built or read, so {@code run} only checks the image. An engine
 * is stateless between calls and safe to share; one that compiles models (a fast engine) caches that work keyed by
 * model identity and must not observe a difference.
 *
 * <p>Image layout: one byte per input code, row-major {@code (C, H, W)} — channel planes in order, as the CIFAR
 * binary format stores them. A uint8 input reads bytes as 0..255, a signed input as two's complement; codes outside a
 * narrower input type are rejected.
 */
public interface IntegerEngine {

    /** Short name for reports, e.g. {@code reference}. */
    String name();

    /**
     * The output node's values, row-major: requantized codes or int32 accumulators (logits, §15).
     *
     * @param observer called with every node's output, in model order
     * @throws IllegalArgumentException if the image does not fit the model's input (size or code range)
     */
    int[] run(IntegerModel model, byte[] image, NodeObserver observer);

    default int[] run(IntegerModel model, byte[] image) {
        return run(model, image, NodeObserver.NONE);
    }

    /**
     * The output of each image, in order: {@code run(model, images.get(i))}. One after the other here; an engine that
     * can run images in parallel overrides it.
     */
    default int[][] runBatch(IntegerModel model, List<byte[]> images) {
        int[][] outputs = new int[images.size()][];
        for (int i = 0; i < outputs.length; i++) {
            outputs[i] = run(model, images.get(i));
        }
        return outputs;
    }

    /** Top-1 class ({@link IntegerModel#topClass}: argmax, ties to the lowest index, §15). */
    default int predict(IntegerModel model, byte[] image) {
        return model.topClass(run(model, image));
    }

    /** Every node's output, keyed by node id in model order. */
    default Map<String, IntTensor> runAllNodes(IntegerModel model, byte[] image) {
        Map<String, IntTensor> outputs = new LinkedHashMap<>();
        run(model, image, (node, output) -> outputs.put(node.id(), output));
        return Collections.unmodifiableMap(outputs);
    }
}
