package io.lowbit.train.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import io.lowbit.core.arith.FixedPointFormat;
import io.lowbit.core.arith.Rounding;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@code fixed}'s weights with a per-layer power of two: small BN-folded layers keep their resolution. */
class ScaledFixedPointWeightsTest {

    private static float[] forward(ai.djl.nn.Block q, float[] w) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(w);
            q.initialize(m, DataType.FLOAT32, x.getShape());
            return q.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow().toFloatArray();
        }
    }

    @Test
    void autoExponentKeepsSmallWeightsAndLiesOnTheFinerGrid() {
        Random r = new Random(3);
        float[] w = new float[500];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextGaussian() * 0.02);
        }
        w[0] = 0.1f;
        ScaledFixedPointWeights q = new ScaledFixedPointWeights(FixedPointFormat.Q3_5, Rounding.TRUNCATE_TOWARD_ZERO,
                WeightExponent.AUTO);
        float[] y = forward(q, w);
        assertEquals(5 + 5, q.fractionBits()); // 0.1·2^5 = 3.2 fits Q3.5 (max 3.97), 2^6 would not
        long distinct = java.util.Arrays.stream(toDouble(y)).distinct().count();
        for (float v : y) {
            double code = Math.scalb((double) v, q.fractionBits());
            assertEquals(Math.rint(code), code, 0, "on the 2^-10 grid");
        }
        float[] plain = forward(new FixedPointQuantizer(FixedPointFormat.Q3_5, Rounding.TRUNCATE_TOWARD_ZERO), w);
        long plainDistinct = java.util.Arrays.stream(toDouble(plain)).distinct().count();
        assertTrue(distinct > 8 * plainDistinct, distinct + " levels with the exponent, " + plainDistinct + " without");
    }

    @Test
    void exponentZeroIsPlainFixedPoint() {
        float[] w = {0.3f, -1.7f, 5f, -9f, 0.01f, 2.03125f};
        assertArrayEquals(forward(new FixedPointQuantizer(FixedPointFormat.Q3_5, Rounding.ROUND_HALF_UP), w),
                forward(new ScaledFixedPointWeights(FixedPointFormat.Q3_5, Rounding.ROUND_HALF_UP, 0), w), 0f);
        assertThrows(IllegalArgumentException.class, () -> WeightExponent.parse("17", "fixed"));
        assertEquals(WeightExponent.AUTO, WeightExponent.parse("auto", "fixed"));
        assertEquals(-2, WeightExponent.parse("-2", "fixed"));
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
