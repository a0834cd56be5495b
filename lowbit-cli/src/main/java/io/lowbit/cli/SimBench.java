package io.lowbit.cli;

import io.lowbit.accel.sim.CycleSimulator;
import io.lowbit.core.model.Input;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code lowbit sim --bench N}: wall time of simulating one image (timing and datapath), single-threaded and as a
 * batch on all cores, after two warm-up batches. Random valid input bytes: the datapath's cost does not depend on them.
 */
final class SimBench {

    private SimBench() {
    }

    static Map<String, Object> run(CycleSimulator sim, int images) {
        Input in = (Input) sim.model().inputNode().op();
        SplittableRandom rng = new SplittableRandom(1);
        List<byte[]> batch = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            byte[] image = new byte[in.shape().elementCount()];
            int lo = in.hostTable() != null ? 0 : in.type().min();
            int hi = in.hostTable() != null ? 255 : in.type().max();
            for (int k = 0; k < image.length; k++) {
                image[k] = (byte) rng.nextInt(lo, hi + 1);
            }
            batch.add(image);
        }
        for (int i = 0; i < 2; i++) {
            sim.runBatch(batch); // warm-up: the JIT needs a few images before the loops reach full speed
        }
        long t0 = System.nanoTime();
        for (byte[] image : batch) {
            sim.run(image);
        }
        double single = (System.nanoTime() - t0) / 1e9 / images;
        long t1 = System.nanoTime();
        sim.runBatch(batch);
        double batched = (System.nanoTime() - t1) / 1e9 / images;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("images", images);
        out.put("cores", Runtime.getRuntime().availableProcessors());
        out.put("secondsPerImageSingleThread", single);
        out.put("secondsPerImageBatch", batched);
        out.put("batchSpeedup", single / batched);
        return out;
    }
}
