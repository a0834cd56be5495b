package io.lowbit.train.quant.clipq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Small BN-folded weights keep their three CLIP-Q levels thanks to the per-layer power-of-two exponent. */
class ClipQWeightExponentTest {

    private static float[] smallWeights() {
        Random r = new Random(2);
        float[] w = new float[2000];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextGaussian() * 0.02); // like NIN's conv4 after folding: mean |w| ≈ 0.02
        }
        w[0] = 0.1f;
        return w;
    }

    @Test
    void autoExponentFitsTheLargestWeightIntoTheFormat() {
        ClipQConfig cfg = ClipQConfig.paperHardware();
        assertEquals(5, ClipQWeightQuantizer.autoExponent(smallWeights(), cfg)); // 0.1·32 = 3.2 ≤ 3.97 < 6.4
        assertEquals(-1, ClipQWeightQuantizer.autoExponent(new float[] {-7f, 1f}, cfg));
        assertEquals(0, ClipQWeightQuantizer.autoExponent(new float[] {0f, 0f}, cfg));
        assertEquals(0, ClipQWeightQuantizer.autoExponent(smallWeights(), ClipQConfig.of(0.2, 2,
                PartitionMode.PER_SIGN_LINEAR)));
    }

    @Test
    void withoutTheExponentSmallLayersLoseTheirLevels() {
        float[] w = smallWeights();
        float[] plain = quantizeThrough(new ClipQWeightQuantizer(ClipQConfig.paperHardware(), 0), w);
        float[] auto = quantizeThrough(new ClipQWeightQuantizer(ClipQConfig.paperHardware(),
                ClipQWeightQuantizer.AUTO_EXPONENT), w);
        assertEquals(4, distinct(auto), "auto exponent: three levels and zero");
        assertNotEquals(4, distinct(plain), "plain Q3.5 truncates some of this layer's levels to 0");
        for (float v : auto) {
            assertEquals(0f, v * 1024 - Math.round(v * 1024), 0f, "levels on the Q3.5 grid scaled by 2^-5");
        }
    }

    private static float[] quantizeThrough(ClipQWeightQuantizer q, float[] w) {
        try (NDManager m = NDManager.newBaseManager()) {
            q.initialize(m, DataType.FLOAT32, new Shape(w.length));
            NDArray out = q.forward(new ParameterStore(m, false), new NDList(m.create(w)), false).singletonOrThrow();
            return out.toFloatArray();
        }
    }

    private static long distinct(float[] v) {
        return java.util.stream.IntStream.range(0, v.length).mapToDouble(i -> v[i]).distinct().count();
    }
}
