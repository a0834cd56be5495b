package io.lowbit.train.quant.learned;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Arrays;

/** Runs one quantizer forward and backward on given values and reads outputs and gradients back. */
final class Harness {

    /** Outputs, and for the upstream gradient of the last backward: input gradient and scale gradient. */
    record Result(float[] y, float[] dx, float[] dScale) {
    }

    private Harness() {
    }

    /** Initializes {@code q} for input shape {@code shape}; trainable parameters get gradient storage. */
    static void initialize(Block q, NDManager m, Shape shape) {
        q.initialize(m, DataType.FLOAT32, shape);
    }

    /** Writes {@code values} into the block's only parameter. */
    static void setScale(Block q, float... values) {
        onlyParameter(q).getArray().set(values);
    }

    static float[] scale(Block q) {
        return onlyParameter(q).getArray().toFloatArray();
    }

    static Parameter onlyParameter(Block q) {
        return q.getParameters().values().get(0);
    }

    /** Forward in training mode and backward of {@code Σ upstream·y} ({@code upstream} null: all ones). */
    static Result run(Block q, NDManager m, Shape shape, float[] x, float[] upstream) {
        try (NDManager step = m.newSubManager()) {
            NDArray in = step.create(x, shape);
            in.setRequiresGradient(true);
            NDArray r = upstream == null ? step.ones(shape) : step.create(upstream, shape);
            NDArray y;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                zeroGradients(q);
                y = q.forward(new ParameterStore(m, false), new NDList(in), true).singletonOrThrow();
                gc.backward(y.mul(r).sum());
            }
            float[] dScale = null;
            if (!q.getParameters().isEmpty()) {
                NDArray g = onlyParameter(q).getArray().getGradient();
                dScale = g.toFloatArray();
                g.subi(g);
            }
            return new Result(y.toFloatArray(), in.getGradient().toFloatArray(), dScale);
        }
    }

    /** Element-wise: the scale gradient of each output alone (one backward per element, one-hot upstream). */
    static float[] scaleGradientPerElement(Block q, NDManager m, Shape shape, float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            float[] r = new float[x.length];
            r[i] = 1;
            out[i] = run(q, m, shape, x, r).dScale()[0];
        }
        return out;
    }

    /** Forward only, inference mode. */
    static float[] infer(Block q, NDManager m, Shape shape, float[] x) {
        try (NDManager step = m.newSubManager()) {
            NDArray y = q.forward(new ParameterStore(m, false), new NDList(step.create(x, shape)), false)
                    .singletonOrThrow();
            return y.toFloatArray();
        }
    }

    private static void zeroGradients(Block q) {
        for (Parameter p : q.getParameters().values()) {
            NDArray a = p.getArray();
            if (a.hasGradient()) {
                NDArray g = a.getGradient();
                g.subi(g);
            }
        }
    }

    /** Codes {@code y/step}, asserting each is an integer to 1e-3 and lies in the grid. */
    static int[] codes(float[] y, float step, Grid grid) {
        int[] c = new int[y.length];
        for (int i = 0; i < y.length; i++) {
            double v = y[i] / (double) step;
            long r = Math.round(v);
            if (Math.abs(v - r) > 1e-3 || r < -grid.qn() || r > grid.qp()) {
                throw new AssertionError("output " + y[i] + " at " + i + " is " + v + " steps of " + step
                        + ", not a code of " + grid + "; outputs " + Arrays.toString(y));
            }
            c[i] = (int) r;
        }
        return c;
    }
}
