package io.lowbit.train.quant.clipq;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Prints the time to CLIP-Q about 1M weights on one core (no assertion: machines and load differ). */
class ClipQuantizerSpeedTest {

    /** Weight counts of a NIN's 9 conv layers (5×5/1×1, 192-160-96 | 192-192-192 | 192-192-10), ≈ 0.97M in all. */
    private static final int[] NIN_LAYERS = {5 * 5 * 3 * 192, 192 * 160, 160 * 96, 5 * 5 * 96 * 192, 192 * 192,
        192 * 192, 3 * 3 * 192 * 192, 192 * 192, 192 * 10};

    @Test
    void printsTheTimeFor1MWeights() {
        Random rnd = new Random(1);
        float[] big = new float[1 << 20];
        for (int i = 0; i < big.length; i++) {
            big[i] = (float) (rnd.nextGaussian() * 0.05);
        }
        float[][] layers = new float[NIN_LAYERS.length][];
        for (int l = 0, offset = 0; l < layers.length; offset += NIN_LAYERS[l], l++) {
            layers[l] = Arrays.copyOfRange(big, offset, offset + NIN_LAYERS[l]);
        }
        byte[] indexes = new byte[big.length];
        float[] dequantized = new float[big.length];
        ClipQuantizer q = new ClipQuantizer(ClipQConfig.paperHardware());

        int reps = 25;
        double[] quantize = new double[reps];
        double[] dequantize = new double[reps];
        double[] network = new double[reps];
        for (int rep = -20; rep < reps; rep++) {     // 20 warm-up rounds for the JIT
            long t0 = System.nanoTime();
            ClipQResult r = q.quantize(big, big.length, indexes);
            long t1 = System.nanoTime();
            r.dequantizeInto(dequantized);
            long t2 = System.nanoTime();
            for (float[] layer : layers) {
                q.quantize(layer, layer.length, indexes).dequantizeInto(dequantized);
            }
            long t3 = System.nanoTime();
            if (rep >= 0) {
                quantize[rep] = (t1 - t0) / 1e6;
                dequantize[rep] = (t2 - t1) / 1e6;
                network[rep] = (t3 - t2) / 1e6;
            }
        }
        System.out.printf("CLIP-Q [%s] on one core, median of %d (min): quantize 1 layer of %d weights %.2f ms (%.2f),"
                        + " dequantize it %.2f ms (%.2f); NIN's 9 layers (%d weights) quantize + dequantize %.2f ms"
                        + " (%.2f)%n", ClipQConfig.paperHardware().toSpec(), reps, big.length, median(quantize),
                min(quantize), median(dequantize), min(dequantize), Arrays.stream(NIN_LAYERS).sum(), median(network),
                min(network));
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double min(double[] a) {
        return Arrays.stream(a).min().orElseThrow();
    }
}
