package io.lowbit.train.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.pytorch.jni.JniUtils;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Measures training throughput the way training runs: real CIFAR images through the augmenting
 * {@link BatchLoader}, the same {@link TrainStep} as {@code lowbit train}, SGD with momentum. Achieved GFLOP/s
 * counts a training step as 3 forward passes (forward, input gradient, weight gradient) of 2 FLOPs per MAC,
 * and is set against the matmul ceiling measured in the same process.
 */
public final class TrainingThroughput {

    private TrainingThroughput() {
    }

    /**
     * One configuration's measurement; {@code quant} is "float" or the quantization spec trained with. With several
     * rounds, {@code imagesPerSecond} is the median over the rounds and {@code stepTimeVsFloat} the median of the
     * per-round ratios of this configuration's step time to float's (measured in the same round, so that a drift
     * of the shared machine's speed cancels); with one round the plain ratio. {@code profile}: the native operators of
     * the profiled steps, largest self time first, milliseconds per step (empty when not profiled).
     */
    public record Result(String model, String quant, int batchSize, int steps, int rounds, double imagesPerSecond,
                         double gflopsPerSecond, double fractionOfCeiling, double dataWaitFraction, long macsPerImage,
                         double stepTimeVsFloat, double[] imagesPerSecondByRound, List<OpProfile> profile) {
    }

    /** Where {@link #measure} writes operator profiles, and of how many steps each ({@code null}: none). */
    public record Profiling(Path dir, int steps) {
        public Profiling {
            if (steps < 1) {
                throw new IllegalArgumentException("profile at least one step, got " + steps);
            }
        }
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
     * Float training ({@code quants} without null gets it first) and QAT with each spec of {@code quants}, all set
     * up at once and each warmed up by {@code warmupSteps}; then {@code rounds} rounds in which every configuration
     * trains {@code steps} timed steps in turn. With a quantization spec the layers train as QAT does (quantizers
     * installed, BN folded). Results in the order float, then {@code quants}.
     */
    public static List<Result> measure(ModelSpec spec, List<String> quants, LabeledImages data, Normalization norm,
                                       int batchSize, int warmupSteps, int steps, int rounds, double ceilingGflops) {
        return measure(spec, quants, data, norm, batchSize, warmupSteps, steps, rounds, ceilingGflops, null);
    }

    /**
     * As above; with {@code profiling}, each configuration then trains {@code profiling.steps()} more steps under the
     * PyTorch profiler, which writes {@code <model>-<n>.trace.json} (chrome trace, n = the configuration's index, 0
     * float) to {@code profiling.dir()}, summarized in the result ({@link OpProfile}). Profiled steps are not timed.
     */
    public static List<Result> measure(ModelSpec spec, List<String> quants, LabeledImages data, Normalization norm,
                                       int batchSize, int warmupSteps, int steps, int rounds, double ceilingGflops,
                                       Profiling profiling) {
        if (rounds < 1 || steps < 1 || warmupSteps < 0) {
            throw new IllegalArgumentException("rounds and steps must be ≥ 1, warm-up ≥ 0");
        }
        List<String> configs = new ArrayList<>();
        configs.add(null);
        for (String q : quants) {
            if (q != null) {
                configs.add(q);
            }
        }
        List<Trainee> trainees = new ArrayList<>();
        try {
            for (String q : configs) {
                trainees.add(new Trainee(spec, q, data, norm, batchSize, warmupSteps + rounds * steps
                        + (profiling == null ? 0 : profiling.steps() + 1)));
            }
            for (Trainee t : trainees) {
                t.run(warmupSteps);
            }
            double[][] seconds = new double[configs.size()][rounds];
            double[] wait = new double[configs.size()];
            for (int r = 0; r < rounds; r++) {
                for (int c = 0; c < trainees.size(); c++) {
                    long waitAtStart = trainees.get(c).loader.waitNanos();
                    seconds[c][r] = trainees.get(c).run(steps);
                    wait[c] += (trainees.get(c).loader.waitNanos() - waitAtStart) / 1e9;
                }
            }
            List<List<OpProfile>> profiles = new ArrayList<>();
            for (int c = 0; c < configs.size(); c++) {
                profiles.add(profiling == null ? List.of()
                        : profile(trainees.get(c), profiling, profiling.dir().resolve(spec.label() + "-" + c
                                + ".trace.json")));
            }
            List<Result> results = new ArrayList<>();
            for (int c = 0; c < configs.size(); c++) {
                double[] ips = new double[rounds];
                double[] ratio = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    ips[r] = (double) steps * batchSize / seconds[c][r];
                    ratio[r] = seconds[c][r] / seconds[0][r];
                }
                double median = median(ips);
                long macs = trainees.get(c).macs;
                double gflops = median * 6.0 * macs / 1e9;
                double total = Arrays.stream(seconds[c]).sum();
                results.add(new Result(spec.label(), configs.get(c) == null ? "float" : configs.get(c), batchSize,
                        steps, rounds, median, gflops, gflops / ceilingGflops, wait[c] / total, macs, median(ratio),
                        ips, profiles.get(c)));
            }
            return results;
        } finally {
            for (Trainee t : trainees) {
                t.close();
            }
        }
    }

    /**
     * Trains {@code p.steps()} steps of {@code t} under the profiler; its operators, milliseconds per step. One step
     * under the profiler first, not recorded: the first profiled step of a process runs about a third slower (the
     * profiler's own start-up), which would inflate float's profile, measured first.
     */
    private static List<OpProfile> profile(Trainee t, Profiling p, Path trace) {
        try {
            Files.createDirectories(p.dir());
            JniUtils.startProfile(false, false, false);
            try {
                t.run(1);
            } finally {
                JniUtils.stopProfile(trace.toString());
            }
            JniUtils.startProfile(false, false, false);
            try {
                t.run(p.steps());
            } finally {
                JniUtils.stopProfile(trace.toString());
            }
            List<OpProfile> ops = new ArrayList<>();
            for (OpProfile o : OpProfile.read(trace)) {
                ops.add(new OpProfile(o.op(), o.calls(), o.selfMillis() / p.steps()));
            }
            return ops;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** One configuration ready to train: its network, optimizer, step and augmenting loader. */
    private static final class Trainee implements AutoCloseable {
        final NDManager root = NDManager.newBaseManager();
        final long macs;
        final ParameterOptimizer opt;
        final TrainStep step;
        final BatchLoader loader;

        Trainee(ModelSpec spec, String quant, LabeledImages data, Normalization norm, int batchSize, int batches) {
            SequentialBlock net = Models.build(spec);
            QuantPlan plan = quant == null ? null : QuantPlan.apply(net, QuantSpec.parse(quant));
            Networks.initialize(net, root, 1);
            if (plan != null) {
                plan.setFolded(true);
            }
            macs = Networks.macsPerImage(net);
            opt = new ParameterOptimizer(OptimizerConfig.sgd(0.9, false, 5e-4), root,
                    plan == null ? Map.of() : plan.parameterDecays(), plan == null ? Map.of() : plan.parameterFloors());
            step = new TrainStep(net, Networks.namedParameters(net), opt, root);
            loader = BatchLoader.forEpoch(data, batchSize, true, true, Augmentation.STANDARD, norm, 1, 0);
            if (loader.batchesPerEpoch() < batches) {
                close();
                throw new IllegalArgumentException(data.size() + " images give " + loader.batchesPerEpoch()
                        + " batches of " + batchSize + ", fewer than the " + batches + " steps to run");
            }
        }

        /** Trains {@code n} steps; the wall seconds. */
        double run(int n) {
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                step.run(loader.next(), 0.01);
            }
            return (System.nanoTime() - start) / 1e9;
        }

        @Override
        public void close() {
            loader.close();
            opt.close();
            root.close();
        }
    }
}
