package io.lowbit.train.quant.learned;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** DoReFa in UltraNet's symmetric form (papers.md §3.3): values and straight-through gradients. */
class DorefaQuantizerTest {

    private static final float TOL = 1e-5f;

    @Test
    void weightsAreRoundedNormalizedTanh() {
        DorefaWeightQuantizer q = new DorefaWeightQuantizer(3);
        float[] w = {-2f, -0.5f, 0f, 0.1f, 0.3f, 1f};
        Shape shape = new Shape(2, 3);
        try (NDManager m = NDManager.newBaseManager()) {
            Harness.initialize(q, m, shape);
            Harness.Result r = Harness.run(q, m, shape, w, null);
            double max = Math.tanh(2);
            int[] codes = Harness.codes(r.y(), 1f / 3, q.grid());
            for (int i = 0; i < w.length; i++) {
                assertEquals((int) Math.floor(Math.tanh(w[i]) / max * 3 + 0.5), codes[i], "code of " + w[i]);
            }
            assertEquals(-3, codes[0], "max|tanh| maps to ∓Q");
            assertEquals(0, codes[2], "zero maps to zero");
        }
    }

    /**
     * Straight through the round, the weight gradient is that of S(w) = Σ r_i·tanh(w_i)/max|tanh(w)| (max in the
     * graph, as DoReFa and UltraNet differentiate it), checked by central differences.
     */
    @Test
    void weightGradientIsThatOfTheNormalizedTanh() {
        DorefaWeightQuantizer q = new DorefaWeightQuantizer(4);
        float[] w = {-1.3f, -0.4f, 0.05f, 0.2f, 0.7f, 0.9f};
        float[] r = {0.3f, -1f, 2f, 0.5f, -0.7f, 1.1f};
        Shape shape = new Shape(w.length);
        try (NDManager m = NDManager.newBaseManager()) {
            Harness.initialize(q, m, shape);
            float[] dx = Harness.run(q, m, shape, w, r).dx();
            double h = 1e-4;
            for (int i = 0; i < w.length; i++) {
                double[] plus = toDouble(w);
                double[] minus = toDouble(w);
                plus[i] += h;
                minus[i] -= h;
                assertEquals((surrogate(plus, r) - surrogate(minus, r)) / (2 * h), dx[i], 1e-3, "∂/∂w_" + i);
            }
        }
    }

    private static double surrogate(double[] w, float[] r) {
        double max = 0;
        for (double v : w) {
            max = Math.max(max, Math.abs(Math.tanh(v)));
        }
        double s = 0;
        for (int i = 0; i < w.length; i++) {
            s += r[i] * Math.tanh(w[i]) / max;
        }
        return s;
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    @Test
    void allZeroWeightsQuantizeToZeros() {
        DorefaWeightQuantizer q = new DorefaWeightQuantizer(2);
        Shape shape = new Shape(4);
        try (NDManager m = NDManager.newBaseManager()) {
            Harness.initialize(q, m, shape);
            Harness.Result r = Harness.run(q, m, shape, new float[4], null);
            assertArrayEquals(new float[4], r.y());
            for (float d : r.dx()) {
                assertTrue(Float.isFinite(d));
            }
        }
    }

    /** 2 bits unsigned: n = 3; autograd's clamp passes the gradient at both clip points. */
    @Test
    void unsignedActivationsClampToOne() {
        DorefaActivationQuantizer q = new DorefaActivationQuantizer(new Grid(2, false));
        Shape shape = new Shape(1, 6);
        float[] x = {-1f, 0f, 0.2f, 0.5f, 1f, 3f};
        try (NDManager m = NDManager.newBaseManager()) {
            Harness.initialize(q, m, shape);
            Harness.Result r = Harness.run(q, m, shape, x, null);
            assertArrayEquals(new int[] {0, 0, 1, 2, 3, 3}, Harness.codes(r.y(), 1f / 3, q.grid()));
            assertArrayEquals(new float[] {0, 1, 1, 1, 1, 0}, r.dx(), TOL);
        }
    }

    /** 3 bits signed: clamp(x, −1, 1), n = 3. */
    @Test
    void signedActivationsClampSymmetrically() {
        DorefaActivationQuantizer q = new DorefaActivationQuantizer(new Grid(3, true));
        Shape shape = new Shape(1, 6);
        float[] x = {-4f, -1f, -0.5f, 0f, 0.6f, 2f};
        try (NDManager m = NDManager.newBaseManager()) {
            Harness.initialize(q, m, shape);
            Harness.Result r = Harness.run(q, m, shape, x, null);
            // −0.5·3 = −1.5 rounds half up to −1
            assertArrayEquals(new int[] {-3, -3, -1, 0, 2, 3}, Harness.codes(r.y(), 1f / 3, q.grid()));
            assertArrayEquals(new float[] {0, 1, 1, 1, 1, 0}, r.dx(), TOL);
        }
    }
}
