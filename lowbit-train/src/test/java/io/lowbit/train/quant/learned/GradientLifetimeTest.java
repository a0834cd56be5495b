package io.lowbit.train.quant.learned;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Gradients do not depend on what the JVM frees between forward and backward. DJL's {@code mul(Number)} keeps
 * the number in a Java buffer that autograd still reads in the backward pass; after a garbage collection that
 * memory is reused and the gradient is garbage (see {@code QuantOps}). Each quantizer's gradients are computed
 * twice, once with heavy direct-buffer churn and collections between forward and backward, and must agree.
 */
class GradientLifetimeTest {

    @ParameterizedTest
    @ValueSource(strings = {"lsq", "lsfq", "pact", "dorefa-w", "dorefa-folded", "dorefa-a"})
    void gradientsAreTheSameAfterGarbageCollection(String kind) throws InterruptedException {
        Shape shape = new Shape(2, 3, 4, 4);
        float[] x = new float[(int) shape.size()];
        Random rnd = new Random(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rnd.nextGaussian() * 1.5);
        }
        float[][] clean = gradients(kind, shape, x, false);
        float[][] churned = gradients(kind, shape, x, true);
        assertArrayEquals(clean[0], churned[0], kind + ": input gradient");
        assertArrayEquals(clean[1], churned[1], kind + ": scale gradient");
    }

    private static Block build(String kind) {
        return switch (kind) {
            case "lsq" -> new LsqQuantizer(new Grid(3, true), TensorRole.WEIGHT, Granularity.CHANNEL);
            case "lsfq" -> new LsfqQuantizer(new Grid(3, true), TensorRole.WEIGHT, Granularity.CHANNEL, 0.3);
            case "pact" -> new PactQuantizer(new Grid(3, true), 1.2f);
            case "dorefa-w" -> new DorefaWeightQuantizer(3);
            case "dorefa-folded" -> new FoldedDorefaWeightQuantizer(3);
            default -> new DorefaActivationQuantizer(new Grid(3, true));
        };
    }

    private static float[][] gradients(String kind, Shape shape, float[] x, boolean churn)
            throws InterruptedException {
        Block q = build(kind);
        try (NDManager m = NDManager.newBaseManager()) {
            Harness.initialize(q, m, shape);
            if (!q.getParameters().isEmpty()) {
                float[] s = new float[(int) Harness.onlyParameter(q).getArray().size()];
                java.util.Arrays.fill(s, 0.6f);
                Harness.setScale(q, s);
            }
            try (NDManager step = m.newSubManager()) {
                NDArray in = step.create(x, shape);
                in.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray y = q.forward(new ParameterStore(m, false), new NDList(in), true).singletonOrThrow();
                    if (churn) {
                        churn(m);
                    }
                    gc.backward(y.sum());
                }
                float[] ds = q.getParameters().isEmpty() ? new float[0]
                        : Harness.onlyParameter(q).getArray().getGradient().toFloatArray();
                return new float[][] {in.getGradient().toFloatArray(), ds};
            }
        }
    }

    private static void churn(NDManager m) throws InterruptedException {
        io.lowbit.train.quant.GcChurn.churn(m);
    }
}
