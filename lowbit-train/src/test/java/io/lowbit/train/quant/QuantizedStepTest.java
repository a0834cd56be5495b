package io.lowbit.train.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.SequentialBlock;
import io.lowbit.train.data.Batch;
import io.lowbit.train.loop.OptimizerConfig;
import io.lowbit.train.loop.ParameterOptimizer;
import io.lowbit.train.loop.TrainStep;
import io.lowbit.train.model.ModelSpec;
import io.lowbit.train.model.Models;
import io.lowbit.train.model.Networks;
import io.lowbit.train.nn.ConvUnit;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Quantized training steps: gradients reach the shadow weights, and no step leaves arrays behind. */
public class QuantizedStepTest {

    @ParameterizedTest(name = "{0}, folded={1}")
    @CsvSource({"fixed:fmt=Q3.5, true", "fixed:fmt=Q3.5, false", "'clipq:p=0.2,b=2,fmt=Q3.5', true",
        "'clipq:p=0.25,b=3,mode=global,fmt=none,act=none', false"})
    void stepsTrainTheShadowWeightsWithoutLeaking(String quant, boolean folded) {
        SequentialBlock net = Models.build(ModelSpec.of("nin", 0.0625, 10));
        QuantPlan plan = QuantPlan.apply(net, QuantSpec.parse(quant));
        try (NDManager root = NDManager.newBaseManager();
             ParameterOptimizer opt = new ParameterOptimizer(OptimizerConfig.sgd(0.9, false, 5e-4), root)) {
            Networks.initialize(net, root, 1);
            plan.setFolded(folded);
            ConvUnit conv2 = (ConvUnit) Networks.units(net).get(1);
            float[] before = conv2.weight().getArray().toFloatArray();
            TrainStep step = new TrainStep(net, Networks.namedParameters(net), opt, root);
            Batch batch = randomBatch(16);
            step.run(batch, 0.05);
            int arraysAfterFirst = root.getManagedArrays().size();
            for (int i = 0; i < 3; i++) {
                assertTrue(step.run(batch, 0.05).finite());
            }
            assertEquals(arraysAfterFirst, root.getManagedArrays().size(), "arrays leaked into the model's manager");
            float[] after = conv2.weight().getArray().toFloatArray();
            double change = 0;
            for (int i = 0; i < before.length; i++) {
                change += Math.abs(after[i] - before[i]);
            }
            assertTrue(change > 0, "no gradient reached the full-precision weights");
        }
    }

    /** A seeded batch of Gaussian images and random labels (shared by the quantizer tests). */
    public static Batch randomBatch(int n) {
        SplittableRandom r = new SplittableRandom(3);
        float[] data = new float[n * 3 * 32 * 32];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextGaussian();
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(10);
        }
        return new Batch(data, labels, n);
    }

    /** The FPGA paper's claim in training: after BN folding every layer uses at most 4 weight values (3 + zero). */
    @org.junit.jupiter.api.Test
    void clipQHardwareVariantLeavesFourValuesPerLayer() {
        SequentialBlock net = Models.build(ModelSpec.of("nin", 0.125, 10));
        QuantPlan plan = QuantPlan.apply(net, QuantSpec.parse("clipq:p=0.2,b=2,fmt=Q3.5"));
        try (NDManager root = NDManager.newBaseManager();
             ParameterOptimizer opt = new ParameterOptimizer(OptimizerConfig.sgd(0.9, false, 5e-4), root)) {
            Networks.initialize(net, root, 1);
            plan.setFolded(true);
            new TrainStep(net, Networks.namedParameters(net), opt, root).run(randomBatch(8), 0.01);
            for (ai.djl.nn.Block u : Networks.units(net)) {
                ConvUnit c = (ConvUnit) u;
                var q = (io.lowbit.train.quant.clipq.ClipQWeightQuantizer) c.getChildren().values().stream()
                        .filter(b -> b instanceof io.lowbit.train.quant.clipq.ClipQWeightQuantizer).findFirst()
                        .orElseThrow();
                var r = q.lastResult();
                assertEquals(4, r.levels().length, c.spec().name());
                long distinct = new java.util.HashSet<>(java.util.Arrays.asList(
                        java.util.stream.IntStream.range(0, r.size()).mapToObj(i -> r.levels()[r.index(i)])
                                .toArray())).size();
                assertTrue(distinct <= 4, c.spec().name() + " uses " + distinct + " weight values");
                for (float level : r.levels()) {
                    assertEquals(0f, level * 32 - Math.round(level * 32), 0f, "level on the Q3.5 grid");
                }
            }
        }
    }
}
