package io.lowbit.train.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Differentiable copies of parameters in the current step's manager. A DJL op's result belongs to the manager
 * of its first operand, so arithmetic that starts from a parameter (folding BN, quantizing a weight) would
 * attach a new weight-sized array to the model's long-lived manager on every step; starting from a step-local
 * copy keeps every intermediate in the step, where it is freed when the step ends. The copy is recorded by
 * autograd, so gradients still reach the parameter.
 */
final class StepLocal {

    private StepLocal() {
    }

    static NDArray copy(NDArray parameter, NDManager step) {
        if (parameter.getManager() == step) {
            return parameter;
        }
        // An op, not duplicate() (which leaves the autograd graph), and add, not mul(1): DJL 0.35.1 frees the
        // scalar of mul(Number) before backward runs (see quant/learned/QuantOps), add(Number)'s backward never reads it.
        NDArray c = parameter.add(0f);
        c.attach(step);
        return c;
    }
}
