package io.lowbit.train.quant.clipq;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Prints the time to CLIP-Q about 1M weights on one core (no assertion: machines and load differ). Wall time and
 * this thread's CPU time are both shown; on a shared machine the CPU time is the better estimate.
 */
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

        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        int reps = 25;
        double[] quantize = new double[reps];
        double[] quantizeCpu = new double[reps];
        double[] dequantize = new double[reps];
        double[] network = new double[reps];
        double[] networkCpu = new double[reps];
        for (int rep = -20; rep < reps; rep++) {     // 20 warm-up rounds for the JIT
            long c0 = cpu.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            ClipQResult r = q.quantize(big, big.length, indexes);
            long t1 = System.nanoTime();
            long c1 = cpu.getCurrentThreadCpuTime();
            r.dequantizeInto(dequantized);
            long t2 = System.nanoTime();
            long c2 = cpu.getCurrentThreadCpuTime();
            for (float[] layer : layers) {
                q.quantize(layer, layer.length, indexes).dequantizeInto(dequantized);
            }
            long t3 = System.nanoTime();
            long c3 = cpu.getCurrentThreadCpuTime();
            if (rep >= 0) {
                quantize[rep] = (t1 - t0) / 1e6;
                quantizeCpu[rep] = (c1 - c0) / 1e6;
                dequantize[rep] = (t2 - t1) / 1e6;
                network[rep] = (t3 - t2) / 1e6;
                networkCpu[rep] = (c3 - c2) / 1e6;
            }
        }
        System.out.printf("CLIP-Q [%s], medians of %d (min), wall / thread CPU:%n"
                        + "  quantize 1 layer of %d weights: %.2f (%.2f) / %.2f ms; dequantize it: %.2f ms%n"
                        + "  NIN's 9 layers (%d weights), quantize + dequantize: %.2f (%.2f) / %.2f ms%n",
                ClipQConfig.paperHardware().toSpec(), reps, big.length, median(quantize), min(quantize),
                median(quantizeCpu), median(dequantize), Arrays.stream(NIN_LAYERS).sum(), median(network),
                min(network), median(networkCpu));
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
