package io.lowbit.train.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import io.lowbit.train.data.Augmentation;
import io.lowbit.train.data.BatchLoader;
import io.lowbit.train.data.LabeledImages;
import io.lowbit.train.data.Normalization;
import io.lowbit.train.loop.OptimizerConfig;
import io.lowbit.train.loop.ParameterOptimizer;
import io.lowbit.train.loop.TrainStep;
import io.lowbit.train.model.ModelSpec;
import io.lowbit.train.model.Models;
import io.lowbit.train.model.Networks;
import io.lowbit.train.quant.QuantPlan;
import io.lowbit.train.quant.QuantSpec;

/**
 * Measures training throughput the way training runs: real CIFAR images through the augmenting
 * {@link BatchLoader}, the same {@link TrainStep} as {@code lowbit train}, SGD with momentum. Achieved GFLOP/s
 * counts a training step as 3 forward passes (forward, input gradient, weight gradient) of 2 FLOPs per MAC,
 * and is set against the matmul ceiling measured in the same process.
 */
public final class TrainingThroughput {

    private TrainingThroughput() {
    }

    /** One model's measurement; {@code quant} is "float" or the quantization spec trained with. */
    public record Result(String model, String quant, int batchSize, int steps, double imagesPerSecond,
                         double gflopsPerSecond, double fractionOfCeiling, double dataWaitFraction, long macsPerImage) {
    }

    /** GFLOP/s of an n×n float32 matrix product, best of {@code repeats} after a warm-up. */
    public static double matmulCeiling(int n, int repeats) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.randomNormal(new Shape(n, n));
            NDArray b = m.randomNormal(new Shape(n, n));
            double best = Double.MAX_VALUE;
            for (int i = 0; i < repeats + 2; i++) {
                try (NDManager sm = m.newSubManager()) {
                    NDArray x = a.duplicate();
                    x.attach(sm);
                    long t = System.nanoTime();
                    x.matMul(b); // synchronous on the CPU engine; the result belongs to sm
                    double s = (System.nanoTime() - t) / 1e9;
                    if (i >= 2) {
                        best = Math.min(best, s);
                    }
                }
            }
            return 2.0 * n * n * n / best / 1e9;
        }
    }

    /**
     * Trains {@code warmupSteps + steps} steps and times the last {@code steps}. With a quantization spec the
     * layers train as QAT does (quantizers installed, BN folded).
     */
    public static Result measure(ModelSpec spec, String quant, LabeledImages data, Normalization norm, int batchSize,
                                 int warmupSteps, int steps, double ceilingGflops) {
        try (NDManager root = NDManager.newBaseManager()) {
            SequentialBlock net = Models.build(spec);
            QuantPlan plan = quant == null ? null : QuantPlan.apply(net, QuantSpec.parse(quant));
            Networks.initialize(net, root, 1);
            if (plan != null) {
                plan.setFolded(true);
            }
            long macs = Networks.macsPerImage(net);
            try (ParameterOptimizer opt = new ParameterOptimizer(OptimizerConfig.sgd(0.9, false, 5e-4), root)) {
                TrainStep step = new TrainStep(net, Networks.namedParameters(net), opt, root);
                try (BatchLoader loader = BatchLoader.forEpoch(data, batchSize, true, true, Augmentation.STANDARD,
                        norm, 1, 0)) {
                    if (loader.batchesPerEpoch() < warmupSteps + steps) {
                        throw new IllegalArgumentException(data.size() + " images give " + loader.batchesPerEpoch()
                                + " batches of " + batchSize + ", fewer than the " + (warmupSteps + steps)
                                + " steps to run");
                    }
                    for (int i = 0; i < warmupSteps; i++) {
                        step.run(loader.next(), 0.01);
                    }
                    long start = System.nanoTime();
                    long waitAtStart = loader.waitNanos();
                    for (int i = 0; i < steps; i++) {
                        step.run(loader.next(), 0.01);
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    double wait = (loader.waitNanos() - waitAtStart) / 1e9;
                    double ips = (double) steps * batchSize / seconds;
                    double gflops = ips * 6.0 * macs / 1e9;
                    return new Result(spec.label(), quant == null ? "float" : quant, batchSize, steps, ips, gflops,
                            gflops / ceilingGflops, wait / seconds, macs);
                }
            }
        }
    }
}
