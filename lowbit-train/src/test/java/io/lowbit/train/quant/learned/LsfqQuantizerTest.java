package io.lowbit.train.quant.learned;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** lowbit's reading of LSFQ (docs/quantization.md): hard forward, soft-clamp gradients, MSE initialization. */
class LsfqQuantizerTest {

    /** softclip'(u): signed σ((u+1)/τ) − σ((u−1)/τ), unsigned σ(u/τ) − σ((u−1)/τ). */
    static double softSlope(double u, double tau, boolean signed) {
        double lo = signed ? -1 : 0;
        return sigmoid((u - lo) / tau) - sigmoid((u - 1) / tau);
    }

    static double softClip(double u, double tau, boolean signed) {
        double lo = signed ? -1 : 0;
        return tau * (softplus((u - lo) / tau) - softplus((u - 1) / tau)) + lo;
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    private static double softplus(double z) {
        return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
    }

    /** Checks values against the hard reference and both gradients against the formulas, element by element. */
    private static void checkAgainstFormulas(Grid grid, TensorRole role, Shape shape, float[] v, float alpha,
                                             double tau, double tol) {
        checkAgainstFormulas(grid, role, shape, v, alpha, tau, tol, false);
    }

    private static void checkAgainstFormulas(Grid grid, TensorRole role, Shape shape, float[] v, float alpha,
                                             double tau, double tol, boolean hardLower) {
        LsfqQuantizer q = new LsfqQuantizer(grid, role, Granularity.TENSOR, tau, hardLower);
        try (NDManager m = NDManager.newBaseManager()) {
            Harness.initialize(q, m, shape);
            Harness.setScale(q, alpha);
            Harness.Result r = Harness.run(q, m, shape, v, null);
            float[] perElement = Harness.scaleGradientPerElement(q, m, shape, v);
            long n = role == TensorRole.WEIGHT ? shape.size() : shape.size() / shape.get(0);
            double g = 1 / Math.sqrt((double) n * grid.qp());
            int[] codes = Harness.codes(r.y(), alpha / grid.qp(), grid);
            for (int i = 0; i < v.length; i++) {
                double ref = InitialScales.quantize(v[i], alpha, grid);
                assertEquals(ref, r.y()[i], 1e-6, "q(" + v[i] + ")");
                double u = v[i] / (double) alpha;
                double slope = hardLower ? (u > 0 ? sigmoid((1 - u) / tau) : 0) : softSlope(u, tau, grid.signed());
                assertEquals(slope, r.dx()[i], tol, "∂q/∂v at v = " + v[i]);
                assertEquals(g * ((double) codes[i] / grid.qp() - slope * u), perElement[i], tol * g,
                        "∂q/∂α at v = " + v[i]);
            }
        }
    }

    @Test
    void signedWeightsInsideOutsideAndAtTheClip() {
        //           beyond, at −α, inside ×4, at +α, just beyond, beyond
        float[] w = {-5f, -1f, -0.5f, 0f, 0.2f, 0.9f, 1f, 1.05f, 4f};
        checkAgainstFormulas(new Grid(3, true), TensorRole.WEIGHT, new Shape(w.length), w, 1f, 0.1, 1e-5);
        // values just beyond the clip still learn: softclip'(1.05) = σ(20.5) − σ(0.5) ≈ 0.38
        assertTrue(softSlope(1.05, 0.1, true) > 0.3);
    }

    @Test
    void unsignedActivationsInsideOutsideAndAtTheClip() {
        float[] x = {0f, 0.1f, 1f, 1.7f, 2f, 2.2f, 10f};
        checkAgainstFormulas(new Grid(2, false), TensorRole.ACTIVATION, new Shape(1, x.length), x, 2f, 0.1, 1e-5);
    }

    /** lower=hard: an unsigned clip hard at 0 (slope 0 at and below it, 1 just above), soft at α as before. */
    @Test
    void hardLowerClipOfUnsignedActivations() {
        float[] x = {-0.3f, 0f, 0.01f, 0.1f, 1f, 1.7f, 2f, 2.2f, 10f};
        checkAgainstFormulas(new Grid(2, false), TensorRole.ACTIVATION, new Shape(1, x.length), x, 2f, 0.1, 1e-5,
                true);
        assertEquals(1.0, sigmoid((1 - 0.005) / 0.1), 1e-4); // x = 0.01: the soft clamp would give ≈ 0.51
        assertEquals(0.51, softSlope(0.005, 0.1, false), 0.01);
    }

    /** As τ → 0 the gradients become LSQ's with the clip in units of α: 1/0 for v, code/Q − u inside, ±1 outside. */
    @Test
    void smallTemperatureGivesLsqClipGradients() {
        Grid grid = new Grid(4, true);
        float[] w = {-3f, -0.6f, 0.13f, 0.52f, 2.5f};
        Shape shape = new Shape(w.length);
        LsfqQuantizer q = new LsfqQuantizer(grid, TensorRole.WEIGHT, Granularity.TENSOR, 1e-3);
        try (NDManager m = NDManager.newBaseManager()) {
            Harness.initialize(q, m, shape);
            Harness.setScale(q, 1f);
            Harness.Result r = Harness.run(q, m, shape, w, null);
            assertArrayEquals(new float[] {0, 1, 1, 1, 0}, r.dx(), 1e-6f);
            double g = 1 / Math.sqrt(w.length * 7.0);
            float[] perElement = Harness.scaleGradientPerElement(q, m, shape, w);
            double[] lsq = {-1, -4 / 7.0 + 0.6, 1 / 7.0 - 0.13, 4 / 7.0 - 0.52, 1};
            for (int i = 0; i < w.length; i++) {
                assertEquals(g * lsq[i], perElement[i], 1e-6, "∂q/∂α at " + w[i]);
            }
        }
    }

    /**
     * With a large τ the soft path is far from the hard clamp, and the gradients are those of the smooth
     * surrogate S(v, α) = α·softclip(v/α) plus the quantization-error term: ∂q/∂v = ∂S/∂v,
     * ∂q/∂α = g·(∂S/∂α + round(Q·clamp(u))/Q − softclip(u)); checked by central differences of S.
     */
    @Test
    void gradientsMatchFiniteDifferencesOfTheSoftSurrogate() {
        for (boolean signed : new boolean[] {true, false}) {
            Grid grid = new Grid(3, signed);
            double tau = 1.0;
            float alpha = 1.5f;
            Random rnd = new Random(11);
            float[] x = new float[20];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (rnd.nextGaussian() * 2 + (signed ? 0 : 1));
            }
            Shape shape = new Shape(1, x.length);
            LsfqQuantizer q = new LsfqQuantizer(grid, TensorRole.ACTIVATION, Granularity.TENSOR, tau);
            try (NDManager m = NDManager.newBaseManager()) {
                Harness.initialize(q, m, shape);
                Harness.setScale(q, alpha);
                Harness.Result r = Harness.run(q, m, shape, x, null);
                int[] codes = Harness.codes(r.y(), alpha / grid.qp(), grid);
                double g = 1 / Math.sqrt(x.length * (double) grid.qp());
                double h = 1e-4;
                double dAlpha = 0;
                for (int i = 0; i < x.length; i++) {
                    double dv = (surrogate(x[i] + h, alpha, tau, signed) - surrogate(x[i] - h, alpha, tau, signed))
                            / (2 * h);
                    assertEquals(dv, r.dx()[i], 1e-3, "∂q/∂v at " + x[i] + (signed ? " signed" : " unsigned"));
                    double ds = (surrogate(x[i], alpha + h, tau, signed) - surrogate(x[i], alpha - h, tau, signed))
                            / (2 * h);
                    dAlpha += ds + (double) codes[i] / grid.qp() - softClip(x[i] / alpha, tau, signed);
                }
                assertEquals(g * dAlpha, r.dScale()[0], 1e-3 * Math.max(1, Math.abs(g * dAlpha)));
            }
        }
    }

    private static double surrogate(double v, double alpha, double tau, boolean signed) {
        return alpha * softClip(v / alpha, tau, signed);
    }

    /** The initial α is the candidate f·max|v| whose forward (run on the device) has the least squared error. */
    @Test
    void mseSearchPicksTheBestCandidate() {
        Random rnd = new Random(5);
        float[] x = new float[400];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.abs(rnd.nextGaussian());
        }
        x[17] = 9f; // an outlier: clipping well below max|v| pays off
        Grid grid = new Grid(3, false);
        Shape shape = new Shape(4, 100);
        try (NDManager m = NDManager.newBaseManager()) {
            LsfqQuantizer q = new LsfqQuantizer(grid, TensorRole.ACTIVATION, Granularity.TENSOR, 0.1);
            Harness.initialize(q, m, shape);
            Harness.infer(q, m, shape, x);
            float chosen = Harness.scale(q)[0];

            double bestErr = Double.POSITIVE_INFINITY;
            double bestAlpha = 0;
            LsfqQuantizer probe = new LsfqQuantizer(grid, TensorRole.ACTIVATION, Granularity.TENSOR, 0.1);
            Harness.initialize(probe, m, shape);
            for (int k = 6; k <= 20; k++) {
                float a = (float) (k / 20.0 * 9.0);
                Harness.setScale(probe, a);
                float[] y = Harness.infer(probe, m, shape, x);
                double err = 0;
                for (int i = 0; i < x.length; i++) {
                    err += (x[i] - y[i]) * (double) (x[i] - y[i]);
                }
                if (err < bestErr) {
                    bestErr = err;
                    bestAlpha = a;
                }
            }
            assertEquals(bestAlpha, chosen, 1e-5);
            assertTrue(chosen < 9f * 0.9, "the outlier is clipped: α = " + chosen);
        }
    }

    /** Per-channel weights: one α per output channel, each the best candidate of its own channel. */
    @Test
    void perChannelClipsComeFromEachChannel() {
        Grid grid = new Grid(4, true);
        Shape shape = new Shape(3, 2, 3, 3);
        Random rnd = new Random(9);
        float[] w = new float[(int) shape.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rnd.nextGaussian() * (1 + i / 18));
        }
        LsfqQuantizer q = new LsfqQuantizer(grid, TensorRole.WEIGHT, Granularity.CHANNEL, 0.1);
        try (NDManager m = NDManager.newBaseManager()) {
            Harness.initialize(q, m, shape);
            assertEquals(new Shape(3), q.scaleParameter().getArray().getShape());
            Harness.Result r = Harness.run(q, m, shape, w, null);
            float[] alpha = Harness.scale(q);
            for (int c = 0; c < 3; c++) {
                assertEquals(InitialScales.bestClip(w, c * 18, (c + 1) * 18, grid), alpha[c], 1e-6);
                float[] yc = java.util.Arrays.copyOfRange(r.y(), c * 18, (c + 1) * 18);
                Harness.codes(yc, alpha[c] / 7, grid);
            }
            assertEquals(3, r.dScale().length);
            for (float d : r.dScale()) {
                assertTrue(Float.isFinite(d) && d != 0);
            }
        }
    }

    @Test
    void restoredClipIsNotReinitialized() {
        LsfqQuantizer q = new LsfqQuantizer(new Grid(4, false), TensorRole.ACTIVATION, Granularity.TENSOR, 0.1);
        Shape shape = new Shape(1, 3);
        try (NDManager m = NDManager.newBaseManager()) {
            Harness.initialize(q, m, shape);
            Harness.setScale(q, 0.8f);
            Harness.run(q, m, shape, new float[] {1, 5, 2}, null);
            assertArrayEquals(new float[] {0.8f}, Harness.scale(q));
        }
    }
}
