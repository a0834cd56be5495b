package io.lowbit.train.quant.learned;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** PACT against papers.md §4.2: values, and PACT's estimator (which ignores the rounding term in ∂/∂α). */
class PactQuantizerTest {

    private static final float TOL = 1e-5f;

    /** 2 bits (n = 3), α = 1.5: step 0.5. */
    @Test
    void unsignedValuesAndGradientsFollowThePaper() {
        PactQuantizer q = new PactQuantizer(new Grid(2, false), 10f);
        Shape shape = new Shape(1, 7);
        //           clamp·n/α:  0   0   0.4   1.6  3(=α) 3   3
        float[] x = {-1f, 0f, 0.2f, 0.8f, 1.5f, 2f, 10f};
        try (NDManager m = NDManager.newBaseManager()) {
            Harness.initialize(q, m, shape);
            assertArrayEquals(new float[] {10f}, Harness.scale(q), "α starts at alpha0");
            Harness.setScale(q, 1.5f);
            Harness.Result r = Harness.run(q, m, shape, x, null);
            assertArrayEquals(new float[] {0, 0, 0, 1f, 1.5f, 1.5f, 1.5f}, r.y(), TOL);
            assertArrayEquals(new float[] {0, 1, 1, 1, 1, 0, 0}, r.dx(), TOL, "∂/∂x = 1 on [0, α]");
            assertArrayEquals(new float[] {0, 0, 0, 0, 1, 1, 1}, Harness.scaleGradientPerElement(q, m, shape, x), TOL,
                    "∂/∂α = 1[x ≥ α], no rounding term, no gradient scale");
        }
    }

    /** Symmetric variant, 3 bits (n = 3), α = 1.5: clamp(x, −α, α), step 0.5. */
    @Test
    void signedVariantIsSymmetric() {
        PactQuantizer q = new PactQuantizer(new Grid(3, true), 10f);
        Shape shape = new Shape(1, 7);
        //           clamp·n/α: -3  -3(=−α) -1.4  0   0.8  3(=α)  3
        float[] x = {-5f, -1.5f, -0.7f, 0f, 0.4f, 1.5f, 3f};
        try (NDManager m = NDManager.newBaseManager()) {
            Harness.initialize(q, m, shape);
            Harness.setScale(q, 1.5f);
            Harness.Result r = Harness.run(q, m, shape, x, null);
            assertArrayEquals(new int[] {-3, -3, -1, 0, 1, 3, 3}, Harness.codes(r.y(), 0.5f, q.grid()));
            assertArrayEquals(new float[] {0, 1, 1, 1, 1, 1, 0}, r.dx(), TOL);
            assertArrayEquals(new float[] {-1, -1, 0, 0, 0, 1, 1}, Harness.scaleGradientPerElement(q, m, shape, x),
                    TOL);
        }
    }

    /** Away from 0 and α, the gradients equal central differences of y = clamp(x, 0, α). */
    @Test
    void gradientsMatchFiniteDifferencesOfTheClamp() {
        PactQuantizer q = new PactQuantizer(new Grid(4, false), 10f);
        float alpha = 2f;
        Random rnd = new Random(3);
        float[] x = new float[24];
        for (int i = 0; i < x.length; i++) {
            float v;
            do {
                v = (float) (rnd.nextGaussian() * 2);
            } while (Math.abs(v) < 0.05 || Math.abs(v - alpha) < 0.05);
            x[i] = v;
        }
        Shape shape = new Shape(1, x.length);
        try (NDManager m = NDManager.newBaseManager()) {
            Harness.initialize(q, m, shape);
            Harness.setScale(q, alpha);
            Harness.Result r = Harness.run(q, m, shape, x, null);
            double h = 1e-3;
            double dAlpha = 0;
            for (int i = 0; i < x.length; i++) {
                assertEquals((clamp(x[i] + h, alpha) - clamp(x[i] - h, alpha)) / (2 * h), r.dx()[i], 1e-3);
                dAlpha += (clamp(x[i], alpha + h) - clamp(x[i], alpha - h)) / (2 * h);
            }
            assertEquals(dAlpha, r.dScale()[0], 1e-3);
        }
    }

    private static double clamp(double x, double alpha) {
        return Math.max(0, Math.min(alpha, x));
    }
}
