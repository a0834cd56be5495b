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
