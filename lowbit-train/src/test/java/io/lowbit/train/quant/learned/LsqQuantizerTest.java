package io.lowbit.train.quant.learned;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** LSQ against papers.md §4.1 on hand-picked values, inside, outside and exactly at both clip points. */
class LsqQuantizerTest {

    private static final float TOL = 1e-5f;

    /** 3-bit unsigned activation, step 0.5: Q_N = 0, Q_P = 7, g = 1/√(N·7) with N = 8 features per sample. */
    @Test
    void unsignedActivationValuesAndGradientsFollowThePaper() {
        LsqQuantizer q = new LsqQuantizer(new Grid(3, false), TensorRole.ACTIVATION, Granularity.TENSOR);
        Shape shape = new Shape(1, 8);
        //           v/s:     -0.6  0   0.4   2.6  6.8  7(clip) 7.2  20
        float[] x = {-0.3f, 0f, 0.2f, 1.3f, 3.4f, 3.5f, 3.6f, 10f};
        try (NDManager m = NDManager.newBaseManager()) {
            Harness.initialize(q, m, shape);
            Harness.setScale(q, 0.5f);
            Harness.Result r = Harness.run(q, m, shape, x, null);
            assertArrayEquals(new float[] {0, 0, 0, 1.5f, 3.5f, 3.5f, 3.5f, 3.5f}, r.y(), TOL);
            // ∂v̂/∂v = 1 strictly inside (−Q_N, Q_P): not at v/s = 0 nor at v/s = 7
            assertArrayEquals(new float[] {0, 0, 1, 1, 1, 0, 0, 0}, r.dx(), TOL);
            double g = 1 / Math.sqrt(8 * 7);
            float[] perElement = Harness.scaleGradientPerElement(q, m, shape, x);
            // ∂v̂/∂s = ⌊v/s⌉ − v/s inside, −Q_N = 0 at or below 0, +Q_P = 7 at or above 7
            float[] formula = {0, 0, -0.4f, 0.4f, 0.2f, 7, 7, 7};
            for (int i = 0; i < x.length; i++) {
                assertEquals(g * formula[i], perElement[i], 1e-5, "∂/∂s at x = " + x[i]);
            }
        }
    }

    /** 3-bit signed (symmetric) weights, step 0.25: Q_N = Q_P = 3, g = 1/√(N·3) with N = 8 weights. */
    @Test
    void symmetricWeightValuesAndGradientsFollowThePaper() {
        LsqQuantizer q = new LsqQuantizer(new Grid(3, true), TensorRole.WEIGHT, Granularity.TENSOR);
        Shape shape = new Shape(8);
        //            v/s:  -8   -3(clip) -2.4  -0.4  0   1.2   3(clip) 20
        float[] w = {-2f, -0.75f, -0.6f, -0.1f, 0f, 0.3f, 0.75f, 5f};
        try (NDManager m = NDManager.newBaseManager()) {
            Harness.initialize(q, m, shape);
            Harness.setScale(q, 0.25f);
            Harness.Result r = Harness.run(q, m, shape, w, null);
            assertArrayEquals(new int[] {-3, -3, -2, 0, 0, 1, 3, 3}, Harness.codes(r.y(), 0.25f, q.grid()));
            assertArrayEquals(new float[] {0, 0, 1, 1, 1, 1, 0, 0}, r.dx(), TOL);
            double g = 1 / Math.sqrt(8 * 3);
            float[] perElement = Harness.scaleGradientPerElement(q, m, shape, w);
            float[] formula = {-3, -3, 0.4f, 0.4f, 0, -0.2f, 3, 3};
            for (int i = 0; i < w.length; i++) {
                assertEquals(g * formula[i], perElement[i], 1e-5, "∂/∂s at w = " + w[i]);
            }
        }
    }

    /**
     * Away from the clip points, the gradients are those of the smooth surrogate S(v, s) = s·clip(v/s) plus LSQ's
     * quantization-error term: ∂v̂/∂v = ∂S/∂v, ∂v̂/∂s = g·(∂S/∂s + ⌊v/s⌉ − clip(v/s)), checked by central
     * differences of S.
     */
    @Test
    void gradientsMatchFiniteDifferencesOfTheClipSurrogate() {
        Grid grid = new Grid(4, true);
        LsqQuantizer q = new LsqQuantizer(grid, TensorRole.WEIGHT, Granularity.TENSOR);
        float s = 0.2f;
        Random rnd = new Random(7);
        float[] w = new float[32];
        for (int i = 0; i < w.length; i++) {
            float v;
            do {
                v = (float) (rnd.nextGaussian() * 1.2);
            } while (Math.abs(Math.abs(v / s) - grid.qp()) < 0.05);
            w[i] = v;
        }
        Shape shape = new Shape(w.length);
        try (NDManager m = NDManager.newBaseManager()) {
            Harness.initialize(q, m, shape);
            Harness.setScale(q, s);
            Harness.Result r = Harness.run(q, m, shape, w, null);
            double g = 1 / Math.sqrt(w.length * grid.qp());
            double expectDs = 0;
            double h = 1e-4;
            for (int i = 0; i < w.length; i++) {
                double dv = (surrogate(w[i] + h, s, grid) - surrogate(w[i] - h, s, grid)) / (2 * h);
                assertEquals(dv, r.dx()[i], 1e-3, "∂/∂v at " + w[i]);
                double ds = (surrogate(w[i], s + h, grid) - surrogate(w[i], s - h, grid)) / (2 * h);
                double c = Math.max(-grid.qn(), Math.min(grid.qp(), w[i] / (double) s));
                expectDs += ds + Math.floor(c + 0.5) - c;
            }
            assertEquals(g * expectDs, r.dScale()[0], 1e-3);
        }
    }

    private static double surrogate(double v, double s, Grid grid) {
        return s * Math.max(-grid.qn(), Math.min(grid.qp(), v / s));
    }

    @Test
    void weightStepStartsAtTwiceTheMeanMagnitudeOverRootQp() {
        LsqQuantizer q = new LsqQuantizer(new Grid(4, true), TensorRole.WEIGHT, Granularity.TENSOR);
        float[] w = {0.5f, -1.5f, 0.25f, -0.75f, 0f, 1f};
        Shape shape = new Shape(w.length);
        try (NDManager m = NDManager.newBaseManager()) {
            Harness.initialize(q, m, shape);
            assertFalse(q.isScaleInitialized());
            assertArrayEquals(new float[] {0f}, Harness.scale(q));
            Harness.run(q, m, shape, w, null);
            double mean = (0.5 + 1.5 + 0.25 + 0.75 + 0 + 1) / 6;
            assertEquals(2 * mean / Math.sqrt(7), Harness.scale(q)[0], 1e-6);
            assertTrue(q.isScaleInitialized());
            // later data never re-initialize it
            Harness.infer(q, m, shape, new float[] {9, 9, 9, 9, 9, 9});
            assertEquals(2 * mean / Math.sqrt(7), Harness.scale(q)[0], 1e-6);
        }
    }

    /** The first batch initializes an activation step, inside the gradient collector, in training mode. */
    @Test
    void activationStepStartsFromTheFirstBatch() {
        LsqQuantizer q = new LsqQuantizer(new Grid(2, false), TensorRole.ACTIVATION, Granularity.TENSOR);
        Shape shape = new Shape(2, 3);
        float[] x = {0, 1, 2, 3, 0, 0};
        try (NDManager m = NDManager.newBaseManager()) {
            Harness.initialize(q, m, shape);
            Harness.Result r = Harness.run(q, m, shape, x, null);
            double s = 2 * (6 / 6.0) / Math.sqrt(3);
            assertEquals(s, Harness.scale(q)[0], 1e-6);
            assertTrue(Float.isFinite(r.dScale()[0]) && r.dScale()[0] != 0, "the written step still gets gradients");
            Harness.codes(r.y(), (float) s, q.grid());
        }
    }

    /** A step restored from a checkpoint (non-zero before the first forward) is kept. */
    @Test
    void restoredStepIsNotReinitialized() {
        LsqQuantizer q = new LsqQuantizer(new Grid(4, true), TensorRole.WEIGHT, Granularity.CHANNEL);
        Shape shape = new Shape(2, 3);
        try (NDManager m = NDManager.newBaseManager()) {
            Harness.initialize(q, m, shape);
            Harness.setScale(q, 0.37f, 0.11f);
            Harness.run(q, m, shape, new float[] {1, 2, 3, 4, 5, 6}, null);
            assertArrayEquals(new float[] {0.37f, 0.11f}, Harness.scale(q));
        }
    }

    /** All-zero data carry no scale: the quantizer passes them (= their quantization) and waits for real data. */
    @Test
    void allZeroDataLeaveTheStepUninitialized() {
        LsqQuantizer q = new LsqQuantizer(new Grid(4, false), TensorRole.ACTIVATION, Granularity.TENSOR);
        Shape shape = new Shape(1, 4);
        try (NDManager m = NDManager.newBaseManager()) {
            Harness.initialize(q, m, shape);
            assertArrayEquals(new float[4], Harness.infer(q, m, shape, new float[4]));
            assertFalse(q.isScaleInitialized());
            Harness.infer(q, m, shape, new float[] {0, 1, 0, 1});
            assertEquals(2 * 0.5 / Math.sqrt(15), Harness.scale(q)[0], 1e-6);
        }
    }

    /** Per-channel: one step per output channel, its own init, grid and gradient scale 1/√(N_c·Q_P). */
    @Test
    void perChannelStepsHaveOneParameterPerOutputChannel() {
        LsqQuantizer q = new LsqQuantizer(new Grid(3, true), TensorRole.WEIGHT, Granularity.CHANNEL);
        Shape shape = new Shape(2, 1, 2, 2);
        float[] w = {0.1f, -0.2f, 0.3f, -0.4f, 1f, -2f, 3f, 0f};
        try (NDManager m = NDManager.newBaseManager()) {
            Harness.initialize(q, m, shape);
            assertEquals(new Shape(2), q.scaleParameter().getArray().getShape());
            Harness.run(q, m, shape, w, null);
            float[] s = Harness.scale(q);
            assertEquals(2 * 0.25 / Math.sqrt(3), s[0], 1e-6);
            assertEquals(2 * 1.5 / Math.sqrt(3), s[1], 1e-6);
            Harness.setScale(q, 0.1f, 1f);
            Harness.Result r = Harness.run(q, m, shape, w, null);
            float[] y = r.y();
            assertArrayEquals(new int[] {1, -2, 3, -3}, Harness.codes(java.util.Arrays.copyOfRange(y, 0, 4), 0.1f,
                    q.grid()));
            assertArrayEquals(new int[] {1, -2, 3, 0}, Harness.codes(java.util.Arrays.copyOfRange(y, 4, 8), 1f,
                    q.grid()));
            assertEquals(2, r.dScale().length);
            // channel 1: v/s = 1, −2 inside (errors 0), 3 at the clip (+3), 0 inside (0)
            assertEquals(3 / Math.sqrt(4 * 3), r.dScale()[1], 1e-5);
        }
    }
}
