package io.lowbit.train.quant.learned;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** DoReFa weights with their scale kept, per output channel, for BN-folded weights (bn=fold). */
class FoldedDorefaWeightQuantizerTest {

    /** Channel 0 spans ±0.2, channel 1 ten times less: each gets its own step max|tanh|/Q and all 2Q+1 codes. */
    @Test
    void codesAreDorefasPerChannelAndValuesKeepTheScale() {
        FoldedDorefaWeightQuantizer q = new FoldedDorefaWeightQuantizer(3);
        float[] w = {-0.2f, -0.05f, 0f, 0.12f, 0.2f, -0.02f, 0.005f, 0f, 0.011f, 0.02f};
        Shape shape = new Shape(2, 5);
        try (NDManager m = NDManager.newBaseManager()) {
            Harness.initialize(q, m, shape);
            float[] y = Harness.run(q, m, shape, w, null).y();
            float[] steps = q.steps();
            assertEquals(2, steps.length);
            for (int o = 0; o < 2; o++) {
                double max = Math.tanh(o == 0 ? 0.2 : 0.02);
                assertEquals(max / 3, steps[o], 1e-7, "step of channel " + o);
                for (int i = o * 5; i < o * 5 + 5; i++) {
                    int code = (int) Math.floor(Math.tanh(w[i]) / max * 3 + 0.5);
                    assertEquals(code * steps[o], y[i], "weight " + i);
                    assertEquals(Math.tanh(w[i]), y[i], steps[o] / 2 + 1e-7, "the scale is kept");
                }
            }
        }
    }

    /** Straight through the round: a weight that is not its channel's max gets exactly tanh's derivative. */
    @Test
    void gradientIsStraightThroughTanh() {
        FoldedDorefaWeightQuantizer q = new FoldedDorefaWeightQuantizer(4);
        float[] w = {-0.3f, 0.1f, 0.05f, 0.9f, -0.4f, 0.2f};
        float[] r = {0.3f, -1f, 2f, 0.5f, -0.7f, 1.1f};
        Shape shape = new Shape(2, 3);
        try (NDManager m = NDManager.newBaseManager()) {
            Harness.initialize(q, m, shape);
            float[] dx = Harness.run(q, m, shape, w, r).dx();
            for (int i : new int[] {1, 2, 4, 5}) {
                double t = Math.tanh(w[i]);
                assertEquals(r[i] * (1 - t * t), dx[i], 1e-5, "∂/∂w_" + i);
            }
        }
    }

    /**
     * DoReFa's original levels at 2 bits: {@code M_o·{−1, −1/3, 1/3, 1}} per channel, codes the odd integers of a
     * 3-bit grid (no zero: a zero weight takes the level above, half up); gradient straight through, as before.
     */
    @Test
    void dorefaLevelsAreTheOriginalFourAt2Bits() {
        FoldedDorefaWeightQuantizer q = new FoldedDorefaWeightQuantizer(2, DorefaLevels.DOREFA);
        assertEquals(new Grid(3, true), q.grid());
        float[] w = {-0.2f, -0.05f, 0f, 0.12f, 0.2f, -0.02f, -0.004f, 0f, 0.011f, 0.02f};
        float[] r = {0.3f, -1f, 2f, 0.5f, -0.7f, 1.1f, 0.2f, -0.4f, 0.9f, 1f};
        Shape shape = new Shape(2, 5);
        try (NDManager m = NDManager.newBaseManager()) {
            Harness.initialize(q, m, shape);
            Harness.Result res = Harness.run(q, m, shape, w, r);
            float[] steps = q.steps();
            int[][] codes = {{-3, -1, 1, 1, 3}, {-3, -1, 1, 1, 3}};
            for (int o = 0; o < 2; o++) {
                double max = Math.tanh(o == 0 ? 0.2 : 0.02);
                assertEquals(max / 3, steps[o], 1e-7, "step of channel " + o);
                for (int k = 0; k < 5; k++) {
                    int i = o * 5 + k;
                    assertEquals(codes[o][k] * steps[o], res.y()[i], 1e-9, "weight " + i);
                }
            }
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                double t = Math.tanh(w[i]);
                assertEquals(r[i] * (1 - t * t), res.dx()[i], 1e-5, "∂/∂w_" + i);
            }
        }
    }

    /** A dead channel keeps a finite step (2^−16 of the tensor's max) and all-zero weights stay zeros. */
    @Test
    void deadChannelsAndZeroTensorsStayFinite() {
        FoldedDorefaWeightQuantizer q = new FoldedDorefaWeightQuantizer(4);
        Shape shape = new Shape(2, 2);
        try (NDManager m = NDManager.newBaseManager()) {
            Harness.initialize(q, m, shape);
            float[] y = Harness.run(q, m, shape, new float[] {0.5f, -0.25f, 0f, 0f}, null).y();
            assertEquals(0f, y[2]);
            float[] steps = q.steps();
            assertEquals(Math.tanh(0.5) / (1 << 16) / 7, steps[1], 1e-12);
            Harness.Result zero = Harness.run(q, m, shape, new float[4], null);
            assertArrayEquals(new float[4], zero.y());
            for (float d : zero.dx()) {
                assertTrue(Float.isFinite(d));
            }
        }
    }
}
