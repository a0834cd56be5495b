package io.lowbit.cli;

import io.lowbit.accel.sim.CycleSimulator;
import io.lowbit.core.engine.IntegerEngine;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.train.data.LabeledImages;
import io.lowbit.train.loop.ProgressReporter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs test images through the simulated datapath and an integer engine and compares every output value. */
final class SimulatorCheck {

    private static final int BATCH = 16;

    private SimulatorCheck() {
    }

    static Map<String, Object> run(CycleSimulator sim, LabeledImages test, IntegerEngine engine) {
        IntegerModel model = sim.model();
        int mismatched = 0;
        int correct = 0;
        String firstMismatch = null;
        long simNanos = 0;
        try (ProgressReporter progress = new ProgressReporter("simulate", test.size(), System.err)) {
            for (int start = 0; start < test.size(); start += BATCH) {
                List<byte[]> batch = new ArrayList<>();
                for (int i = start; i < Math.min(test.size(), start + BATCH); i++) {
                    batch.add(Arrays.copyOfRange(test.pixels(), i * LabeledImages.IMAGE_BYTES,
                            (i + 1) * LabeledImages.IMAGE_BYTES));
                }
                long t = System.nanoTime();
                int[][] outs = sim.runBatch(batch);
                simNanos += System.nanoTime() - t;
                for (int i = 0; i < batch.size(); i++) {
                    int[] expected = engine.run(model, batch.get(i));
                    if (!Arrays.equals(expected, outs[i])) {
                        mismatched++;
                        if (firstMismatch == null) {
                            firstMismatch = "image " + (start + i) + ": " + firstDifference(expected, outs[i]);
                        }
                    }
                    if (model.topClass(outs[i]) == test.labels()[start + i]) {
                        correct++;
                    }
                    progress.step(mismatched == 0 ? "bit-exact so far" : mismatched + " mismatched");
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("images", test.size());
        out.put("engine", engine.name());
        out.put("bitExact", mismatched == 0);
        out.put("mismatchedImages", mismatched);
        out.put("firstMismatch", firstMismatch);
        out.put("accuracy", (double) correct / test.size());
        out.put("simulatedImagesPerSecond", test.size() / (simNanos / 1e9));
        return out;
    }

    private static String firstDifference(int[] expected, int[] actual) {
        for (int k = 0; k < expected.length; k++) {
            if (expected[k] != actual[k]) {
                return "output " + k + ": engine " + expected[k] + ", simulator " + actual[k];
            }
        }
        return "lengths differ";
    }
}
