package io.lowbit.core.arith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** docs/integer-semantics.md §3, invariant 10. */
class PixelNormalizationTest {

    private static final PixelNormalization CIFAR10 = new PixelNormalization(
            new double[] {0.4914f, 0.4822f, 0.4465f}, new double[] {0.2470f, 0.2435f, 0.2616f});

    @Test
    void zeroPointsAreTheSnappedMeans() {
        assertEquals(125, CIFAR10.zeroPoint(0)); // 125.31
        assertEquals(123, CIFAR10.zeroPoint(1)); // 122.96
        assertEquals(114, CIFAR10.zeroPoint(2)); // 113.86
        assertEquals(125 / 255.0, CIFAR10.snappedMean(0));
        assertEquals(new QuantizedType(IntType.UINT8, 114), CIFAR10.inputType(2));
        assertEquals(0.0, CIFAR10.normalized(1, 123));
        assertEquals((0 - 125) / (255 * (double) 0.2470f), CIFAR10.normalized(0, 0), 1e-15);
        assertEquals(3, CIFAR10.channels());
    }

    /**
     * A 3×3 convolution with padding 1 on a 3-channel 5×5 image: the float graph (normalize with the snapped mean,
     * zero-pad) equals the folded layer (raw pixels minus Z_c, padded with Z_c, weights w/σ_c, input scale 1/255) at
     * every position, borders included; padding with pixel 0 instead breaks the border.
     */
    @Test
    void foldedFirstLayerMatchesTheFloatGraphIncludingBorders() {
        Random rnd = new Random(42);
        int c = 3, h = 5, w = 5;
        int[][][] pixels = new int[c][h][w];
        double[][][] weights = new double[c][3][3];
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    weights[ch][i][j] = rnd.nextGaussian();
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    pixels[ch][y][x] = rnd.nextInt(256);
                }
            }
        }
        double bias = 0.3;
        boolean borderBrokenByPixelZero = false;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double floatGraph = bias;
                double folded = bias;
                double foldedPadZero = bias;
                for (int ch = 0; ch < c; ch++) {
                    double wScale = CIFAR10.weightFactor(ch);
                    for (int i = 0; i < 3; i++) {
                        for (int j = 0; j < 3; j++) {
                            int yy = y + i - 1, xx = x + j - 1;
                            boolean inside = yy >= 0 && yy < h && xx >= 0 && xx < w;
                            double n = inside ? (pixels[ch][yy][xx] / 255.0 - CIFAR10.snappedMean(ch))
                                    / CIFAR10.std()[ch] : 0.0;
                            floatGraph += weights[ch][i][j] * n;
                            int code = inside ? pixels[ch][yy][xx] : CIFAR10.zeroPoint(ch);
                            folded += weights[ch][i][j] * wScale * PixelNormalization.INPUT_SCALE
                                    * (code - CIFAR10.zeroPoint(ch));
                            int codeZero = inside ? pixels[ch][yy][xx] : 0;
                            foldedPadZero += weights[ch][i][j] * wScale * PixelNormalization.INPUT_SCALE
                                    * (codeZero - CIFAR10.zeroPoint(ch));
                        }
                    }
                }
                assertEquals(floatGraph, folded, 1e-12, "position " + y + "," + x);
                borderBrokenByPixelZero |= Math.abs(floatGraph - foldedPadZero) > 0.1;
            }
        }
        assertTrue(borderBrokenByPixelZero);
    }

    @Test
    void rejectsBadStatistics() {
        assertThrows(IllegalArgumentException.class, () -> new PixelNormalization(new double[] {0.5}, new double[] {}));
        assertThrows(IllegalArgumentException.class, () -> new PixelNormalization(new double[] {1.2}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new PixelNormalization(new double[] {0.5}, new double[] {0}));
        assertThrows(IllegalArgumentException.class,
                () -> new PixelNormalization(new double[] {0.5}, new double[] {Double.NaN}));
        assertThrows(IllegalArgumentException.class, () -> CIFAR10.normalized(0, 256));
    }
}
