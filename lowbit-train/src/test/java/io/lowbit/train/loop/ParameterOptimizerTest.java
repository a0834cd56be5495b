package io.lowbit.train.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.engine.Engine;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Updates checked against the textbook formulas on f(w) = Σ c·w² (gradient 2·c·w). */
class ParameterOptimizerTest {

    private static final float C = 0.5f;

    @Test
    void sgdMomentumNesterovAndWeightDecayFollowPyTorch() {
        OptimizerConfig cfg = OptimizerConfig.sgd(0.9, true, 0.01);
        float[] w = {1f, -2f};
        float[] v = {0f, 0f};
        float[] actual = run(cfg, w.clone(), 3, 0.1);
        for (int step = 0; step < 3; step++) {
            for (int i = 0; i < 2; i++) {
                float g = 2 * C * w[i] + 0.01f * w[i];
                v[i] = 0.9f * v[i] + g;
                w[i] -= 0.1f * (g + 0.9f * v[i]);
            }
        }
        assertArrayEquals(w, actual, 1e-6f);
    }

    @Test
    void adamWithBiasCorrection() {
        OptimizerConfig cfg = OptimizerConfig.adam(0);
        double[] w = {1, -2};
        double[] m = new double[2];
        double[] v = new double[2];
        float[] actual = run(cfg, new float[] {1f, -2f}, 3, 0.01);
        for (int t = 1; t <= 3; t++) {
            for (int i = 0; i < 2; i++) {
                double g = 2 * C * w[i];
                m[i] = 0.9 * m[i] + 0.1 * g;
                v[i] = 0.999 * v[i] + 0.001 * g * g;
                double mh = m[i] / (1 - Math.pow(0.9, t));
                double vh = v[i] / (1 - Math.pow(0.999, t));
                w[i] -= 0.01 * mh / (Math.sqrt(vh) + 1e-8);
            }
        }
        assertArrayEquals(new float[] {(float) w[0], (float) w[1]}, actual, 1e-5f);
    }

    /** PACT's α: an OTHER parameter decays only when the optimizer is told to (w ← w − lr·λ·w with no gradient). */
    @Test
    void extraDecayAppliesToTheNamedParameterOnly() {
        try (NDManager root = NDManager.newBaseManager()) {
            Parameter alpha = Parameter.builder().setName("alpha").setType(Parameter.Type.OTHER).build();
            Parameter other = Parameter.builder().setName("beta").setType(Parameter.Type.OTHER).build();
            for (Parameter p : new Parameter[] {alpha, other}) {
                p.setArray(root.create(new float[] {10f}));
                p.getArray().setRequiresGradient(true);
            }
            try (ParameterOptimizer opt = new ParameterOptimizer(OptimizerConfig.sgd(0, false, 0.1), root,
                    Map.of(alpha, 0.01))) {
                try (NDManager sm = root.newSubManager()) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        gc.backward(alpha.getArray().mul(0f).add(other.getArray().mul(0f)).sum());
                    }
                    opt.step(Map.of("alpha", alpha, "beta", other), 0.5, sm);
                }
            }
            assertArrayEquals(new float[] {10f - 0.5f * 0.01f * 10f}, alpha.getArray().toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {10f}, other.getArray().toFloatArray(), 0f); // weight decay skips OTHER
        }
    }

    /**
     * A learned scale with a floor: a step that would take an entry to 0 or below leaves it at the floor, an entry
     * that stays above is updated as usual, and an entry that is exactly 0 (not yet initialized) stays 0.
     */
    @Test
    void floorsHoldLearnedScalesPositiveAndLeaveUninitializedOnesAtZero() {
        try (NDManager root = NDManager.newBaseManager()) {
            Parameter scale = Parameter.builder().setName("alpha").setType(Parameter.Type.OTHER).build();
            scale.setArray(root.create(new float[] {0.01f, 1f, 0f}));
            scale.getArray().setRequiresGradient(true);
            try (ParameterOptimizer opt = new ParameterOptimizer(OptimizerConfig.sgd(0, false, 0), root, Map.of(),
                    Map.of(scale, 1e-6f))) {
                try (NDManager sm = root.newSubManager()) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        gc.backward(scale.getArray().sum()); // gradient 1 everywhere; lr 0.5: −0.5 each
                    }
                    opt.step(Map.of("alpha", scale), 0.5, sm);
                }
            }
            assertArrayEquals(new float[] {1e-6f, 0.5f, 0f}, scale.getArray().toFloatArray(), 0f);
        }
    }

    private static float[] run(OptimizerConfig cfg, float[] init, int steps, double lr) {
        try (NDManager root = NDManager.newBaseManager();
             ParameterOptimizer opt = new ParameterOptimizer(cfg, root)) {
            Parameter p = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
            p.setArray(root.create(init));
            p.getArray().setRequiresGradient(true);
            for (int s = 0; s < steps; s++) {
                try (NDManager sm = root.newSubManager()) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray loss = p.getArray().square().mul(C).sum();
                        gc.backward(loss);
                    }
                    opt.step(Map.of("w", p), lr, sm);
                }
            }
            return p.getArray().toFloatArray();
        }
    }
}
