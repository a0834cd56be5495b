package io.lowbit.train.quant.learned;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/**
 * A tensor that is 0 on every training batch (a dead unit) leaves a data-initialized scale at its "not yet" 0;
 * settling a trained model gives it {@link ScaledQuantizer#UNSEEN_SCALE}, so that evaluation quantizes with it
 * instead of learning a scale from evaluation data, and export has a positive step.
 */
class SettleTest {

    @Test
    void aScaleThatSawOnlyZerosIsSettledToTheFallbackAndStaysThere() {
        LsfqQuantizer q = new LsfqQuantizer(new Grid(4, false), TensorRole.ACTIVATION, Granularity.TENSOR, 0.1);
        Shape shape = new Shape(1, 4);
        try (NDManager m = NDManager.newBaseManager()) {
            Harness.initialize(q, m, shape);
            assertArrayEquals(new float[4], Harness.run(q, m, shape, new float[4], null).y());
            assertFalse(q.isScaleInitialized());
            assertTrue(q.settle());
            assertArrayEquals(new float[] {ScaledQuantizer.UNSEEN_SCALE}, Harness.scale(q));
            assertArrayEquals(new float[] {ScaledQuantizer.UNSEEN_SCALE / 15}, q.steps());
            // evaluation data do not initialize it: clip 1, step 1/15
            float[] y = Harness.infer(q, m, shape, new float[] {0, 0.45f, 3f, 1f / 15});
            assertArrayEquals(new float[] {0, 7 / 15f, 1f, 1f / 15}, y, 1e-6f);
            assertArrayEquals(new float[] {ScaledQuantizer.UNSEEN_SCALE}, Harness.scale(q));
        }
    }

    /** Between epochs, evaluation data do not initialize a scale training has not: the next non-zero batch does. */
    @Test
    void evaluationAfterZeroTrainingBatchesQuantizesWithTheFallbackAndLearnsNothing() {
        LsqQuantizer q = new LsqQuantizer(new Grid(4, false), TensorRole.ACTIVATION, Granularity.TENSOR);
        Shape shape = new Shape(1, 4);
        try (NDManager m = NDManager.newBaseManager()) {
            Harness.initialize(q, m, shape);
            Harness.run(q, m, shape, new float[4], null);
            // step 1: codes 0..15
            assertArrayEquals(new float[] {0, 2, 15, 3}, Harness.infer(q, m, shape, new float[] {0, 2.2f, 40, 3}));
            assertArrayEquals(new float[1], Harness.scale(q));
            Harness.run(q, m, shape, new float[] {0, 1, 0, 1}, null);
            assertArrayEquals(new float[] {(float) (2 * 0.5 / Math.sqrt(15))}, Harness.scale(q), 1e-6f);
        }
    }

    @Test
    void aTrainedScaleIsLeftAsItIs() {
        LsqQuantizer q = new LsqQuantizer(new Grid(3, true), TensorRole.WEIGHT, Granularity.CHANNEL);
        Shape shape = new Shape(2, 1, 1, 2);
        try (NDManager m = NDManager.newBaseManager()) {
            Harness.initialize(q, m, shape);
            Harness.run(q, m, shape, new float[] {0.5f, -1f, 0f, 0f}, null);
            float[] trained = Harness.scale(q);
            assertFalse(q.settle());
            assertArrayEquals(trained, Harness.scale(q));
        }
    }
}
