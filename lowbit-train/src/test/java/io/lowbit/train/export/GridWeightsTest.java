package io.lowbit.train.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import io.lowbit.train.quant.learned.DorefaWeightQuantizer;
import io.lowbit.train.quant.learned.Granularity;
import io.lowbit.train.quant.learned.Grid;
import io.lowbit.train.quant.learned.LsfqQuantizer;
import io.lowbit.train.quant.learned.LsqQuantizer;
import io.lowbit.train.quant.learned.TensorRole;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Exported weight codes times their step are the training forward's values, bit for bit, including weights that lie
 * within float rounding of a rounding tie (where a host re-evaluation of the quantizer's formula can flip a code).
 */
class GridWeightsTest {

    private static final int OUT = 4;
    private static final int PER = 120;
    private static final Shape SHAPE = new Shape(OUT, 40, 3, 1);

    /** Per channel: values at float neighbours of every half-code tie of {@code step}, then random values. */
    private static float[] tieHeavy(float[] steps, int qp, long seed) {
        Random r = new Random(seed);
        float[] w = new float[OUT * PER];
        for (int o = 0; o < OUT; o++) {
            float s = steps[steps.length == 1 ? 0 : o];
            for (int i = 0; i < PER; i++) {
                int k = r.nextInt(2 * qp + 2) - qp - 1;
                float tie = (float) ((k + 0.5) * s);
                w[o * PER + i] = switch (i % 4) {
                    case 0 -> tie;
                    case 1 -> Math.nextUp(tie);
                    case 2 -> Math.nextDown(tie);
                    default -> (float) (r.nextGaussian() * qp * s / 2);
                };
            }
        }
        return w;
    }

    private static void initialize(AbstractBlock q, NDManager m) {
        q.initialize(m, DataType.FLOAT32, SHAPE);
    }

    private static float[] forward(AbstractBlock q, float[] w, NDManager m) {
        return q.forward(new ai.djl.training.ParameterStore(m, false),
                new ai.djl.ndarray.NDList(m.create(w, SHAPE)), false).singletonOrThrow().toFloatArray();
    }

    @Test
    void lsqPerChannelCodesTimesStepAreTheForwardValues() {
        float[] steps = {0.1f, 0.0123f, 0.7f, 3e-3f};
        Grid grid = new Grid(4, true);
        try (NDManager m = NDManager.newBaseManager()) {
            LsqQuantizer q = new LsqQuantizer(grid, TensorRole.WEIGHT, Granularity.CHANNEL);
            float[] w = tieHeavy(steps, grid.qp(), 1);
            initialize(q, m);
            q.scaleParameter().getArray().set(steps);
            GridWeights.Codes c = GridWeights.of("test", q, w, SHAPE);
            float[] y = forward(q, w, m);
            for (int i = 0; i < w.length; i++) {
                assertEquals(y[i], c.codes()[i] * steps[i / PER], "weight " + i + " = " + w[i]);
                assertTrue(Math.abs(c.codes()[i]) <= grid.qp());
            }
        }
    }

    @Test
    void lsfqCodesTimesStepAreTheForwardValues() {
        float[] alpha = {0.37f};
        Grid grid = new Grid(3, true);
        float step = alpha[0] / grid.qp();
        try (NDManager m = NDManager.newBaseManager()) {
            LsfqQuantizer q = new LsfqQuantizer(grid, TensorRole.WEIGHT, Granularity.TENSOR, 0.1);
            float[] w = tieHeavy(new float[] {step}, grid.qp(), 2);
            initialize(q, m);
            q.scaleParameter().getArray().set(alpha);
            GridWeights.Codes c = GridWeights.of("test", q, w, SHAPE);
            float[] y = forward(q, w, m);
            for (int i = 0; i < w.length; i++) {
                assertEquals(y[i], c.codes()[i] * step, "weight " + i + " = " + w[i]);
                assertEquals(step, c.steps()[i / PER]);
            }
        }
    }

    /** A learned scale trained below 0 (a learning rate too high for it) is refused with that reason. */
    @Test
    void aNegativeLearnedScaleIsRefusedWithItsCause() {
        try (NDManager m = NDManager.newBaseManager()) {
            LsfqQuantizer q = new LsfqQuantizer(new Grid(3, true), TensorRole.WEIGHT, Granularity.TENSOR, 0.1);
            initialize(q, m);
            q.scaleParameter().getArray().set(new float[] {-0.05f});
            var e = org.junit.jupiter.api.Assertions.assertThrows(ExportException.class,
                    () -> GridWeights.of("conv6", q, new float[OUT * PER], SHAPE));
            assertTrue(e.getMessage().contains("conv6") && e.getMessage().contains("trained below 0"),
                    e.getMessage());
        }
    }

    @Test
    void dorefaCodesOverQAreTheForwardValues() {
        Grid grid = new Grid(4, true);
        try (NDManager m = NDManager.newBaseManager()) {
            DorefaWeightQuantizer q = new DorefaWeightQuantizer(grid.bits());
            float[] w = tieHeavy(new float[] {0.05f}, grid.qp(), 3);
            initialize(q, m);
            GridWeights.Codes c = GridWeights.of("test", q, w, SHAPE);
            float[] y = forward(q, w, m);
            int qp = grid.qp();
            for (int i = 0; i < w.length; i++) {
                assertEquals(y[i], (float) c.codes()[i] / qp, "weight " + i + " = " + w[i]);
            }
        }
    }

    /** The folded variant's steps come from the weights of the forward GridWeights runs (per channel). */
    @Test
    void foldedDorefaCodesTimesTheForwardStepsAreTheForwardValues() {
        Grid grid = new Grid(4, true);
        try (NDManager m = NDManager.newBaseManager()) {
            io.lowbit.train.quant.learned.FoldedDorefaWeightQuantizer q =
                    new io.lowbit.train.quant.learned.FoldedDorefaWeightQuantizer(grid.bits());
            float[] w = tieHeavy(new float[] {0.05f, 0.002f, 0.3f, 0.01f}, grid.qp(), 5);
            initialize(q, m);
            GridWeights.Codes c = GridWeights.of("test", q, w, SHAPE);
            float[] steps = q.steps();
            float[] y = forward(q, w, m);
            for (int i = 0; i < w.length; i++) {
                assertEquals(y[i], c.codes()[i] * steps[i / PER], "weight " + i + " = " + w[i]);
                assertEquals(steps[i / PER], c.steps()[i / PER]);
            }
        }
    }
}
