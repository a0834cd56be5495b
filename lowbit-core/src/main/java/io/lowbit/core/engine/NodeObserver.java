package io.lowbit.core.engine;

import io.lowbit.core.model.IntTensor;
import io.lowbit.core.model.Node;

/**
 * Receives every node's output tensor during a run, in model order, exactly once per node — the hook that compares
 * the engine, the accelerator simulator and the RTL layer by layer.
 */
@FunctionalInterface
public interface NodeObserver {

    /** Observes nothing; engines skip the copies it would need. */
    NodeObserver NONE = (node, output) -> { };

    /** Called after {@code node} is computed; {@code output} has the node's declared shape and is immutable. */
    void onOutput(Node node, IntTensor output);
}
