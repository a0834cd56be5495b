package io.lowbit.cli;

import ai.djl.ndarray.NDManager;
import io.lowbit.accel.config.AcceleratorConfig;
import io.lowbit.accel.config.WeightDecoder;
import io.lowbit.accel.sim.CycleSimulator;
import io.lowbit.train.data.Normalization;
import io.lowbit.train.data.DatasetName;
import io.lowbit.train.data.LabeledImages;
import io.lowbit.train.export.IntegerExport;
import io.lowbit.train.loop.Evaluator;
import io.lowbit.train.loop.TrainConfig;
import io.lowbit.train.loop.TrainedModel;
import io.lowbit.train.loop.TrainingRun;
import io.lowbit.train.loop.TrainingSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One evaluation of the CLIP-Q search objective {@code ε(θ) − λ·c(θ)} (Tung &amp; Mori 2018 §3.2;
 * docs/search.md): fine-tune the float model briefly with CLIP-Q at the per-layer settings {@code θ}, measure the
 * error on held-out training images, and the benefit: bits saved by the searched layer relative to the float32
 * network, and/or simulated cycles saved on an accelerator.
 *
 * @param base         the fine-tuning configuration (init = the float checkpoint); its quant spec is replaced
 * @param validation   held-out training images (disjoint from the fine-tuning images)
 * @param norm         the dataset's normalization
 * @param dataRoot     dataset root
 * @param totalWeights weights of all quantized layers (denominator of the bit benefit)
 * @param accel        accelerator of the cycle benefit, or null
 * @param cyclesRef    cycles of the uniform setting on {@code accel} (0 without one)
 * @param benefit      {@code bits}, {@code cycles} or {@code both}
 * @param lambda       weight of the benefit
 */
record ClipQSearch(TrainConfig base, LabeledImages validation, Normalization norm, Path dataRoot, long totalWeights,
        AcceleratorConfig accel, long cyclesRef, String benefit, double lambda) {

    /** Format of the levels (the FPGA paper's Q3.5 and truncation of its code are the defaults of clipq). */
    static final String LEVELS = "fmt=Q3.5";

    /** Relative-index width assumed by the bit count of a sparse layer (docs/storage.md). */
    static final int GAP_BITS = 4;

    /** The outcome of one evaluation. */
    record Outcome(double error, double bitBenefit, double cycleBenefit, double objective, long cycles) {
    }

    /** The quant spec: uniform {@code p, b} with per-layer overrides. */
    static String spec(double uniformP, int uniformB, Map<String, double[]> perLayer) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "clipq:p=%.4f,b=%d,%s", uniformP, uniformB,
                LEVELS));
        perLayer.forEach((layer, t) -> sb.append(String.format(Locale.ROOT, ";%s=clipq:p=%.4f,b=%d,%s", layer, t[0],
                (int) t[1], LEVELS)));
        return sb.toString();
    }

    /** Weight bits of a layer of {@code n} weights at {@code (p, b)}: dense or sparse, plus the codebook. */
    static double bits(long n, double p, int b) {
        double dense = (double) n * b;
        double sparse = (1 - p) * n * (b + GAP_BITS);
        return Math.min(dense, sparse) + (1 << b) * 8.0;
    }

    /** Weight bits of a model with {@code settings} per layer, the other layers at the uniform p = 0.2, b = 2. */
    static double modelBits(Map<String, Long> weights, Map<String, double[]> settings) {
        double sum = 0;
        for (Map.Entry<String, Long> e : weights.entrySet()) {
            double[] t = settings.get(e.getKey());
            sum += t == null ? bits(e.getValue(), 0.2, 2) : bits(e.getValue(), t[0], (int) t[1]);
        }
        return sum;
    }

    /** Bits saved by layer {@code n} at {@code (p, b)} relative to the float32 network. */
    double bitBenefit(long n, double p, int b) {
        return (32.0 * n - bits(n, p, b)) / (32.0 * totalWeights);
    }

    Outcome evaluate(String quant, long layerWeights, double p, int b, Path dir) throws IOException {
        if (Files.exists(dir)) {
            deleteTree(dir); // a half-finished evaluation of a killed search starts over
        }
        TrainConfig cfg = new TrainConfig(base.model(), base.width(), base.dataset(), base.labels(), base.epochs(),
                base.batchSize(), base.optimizer(), base.schedule(), base.seed(), base.trainLimit(), base.testLimit(),
                base.augment(), base.evalBatchSize(), quant, base.init(), base.foldBnFromEpoch());
        TrainingSummary s = TrainingRun.run(cfg, new TrainingRun.Options(dir, dataRoot, false, false,
                "lowbit search (evaluation)", new PrintStream(PrintStream.nullOutputStream())));
        if (!"completed".equals(s.status())) {
            throw new IOException("fine-tuning in " + dir + " ended " + s.status() + ": " + s.message());
        }
        Path ckpt = dir.resolve("last.lbck");
        double error;
        long cycles = 0;
        try (NDManager m = NDManager.newBaseManager()) {
            TrainedModel trained = TrainedModel.load(ckpt, validation.numClasses(), m);
            error = 1 - Evaluator.evaluate(trained.net(), m, validation, trained.networkInput(norm), 250).accuracy();
            if (accel != null) {
                cycles = new CycleSimulator(accel, IntegerExport.export(trained)).timing().totalCycles();
            }
        }
        for (String f : new String[] {"last.lbck", "best.lbck"}) {
            Files.deleteIfExists(dir.resolve(f)); // megabytes per evaluation; summary.json stays
        }
        double bitB = bitBenefit(layerWeights, p, b);
        double cycleB = cyclesRef > 0 ? (double) (cyclesRef - cycles) / cyclesRef : 0;
        double gain = switch (benefit) {
            case "bits" -> bitB;
            case "cycles" -> cycleB;
            default -> bitB + cycleB;
        };
        return new Outcome(error, bitB, cycleB, error - lambda * gain, cycles);
    }

    /** The largest index codebook the accelerator decodes, or 8 without one. */
    static int maxIndexBits(AcceleratorConfig accel) {
        return accel == null || accel.weightDecoder().kind() != WeightDecoder.Kind.CODEBOOK ? 8
                : accel.weightDecoder().indexBits();
    }

    /** The last {@code n} training images, checked disjoint from the first {@code perClass} of each class. */
    static LabeledImages holdout(LabeledImages train, int perClass, int n) {
        int[] taken = new int[train.numClasses()];
        int lastUsed = -1;
        int need = perClass * train.numClasses();
        for (int i = 0, got = 0; i < train.size() && got < need; i++) {
            if (taken[train.labels()[i]] < perClass) {
                taken[train.labels()[i]]++;
                got++;
                lastUsed = i;
            }
        }
        if (n < 1 || lastUsed >= train.size() - n) {
            throw new IllegalArgumentException("--val-images " + n + ": the last " + n + " training images overlap"
                    + " the fine-tuning images (first " + perClass + " per class reach image " + lastUsed + " of "
                    + train.size() + "); lower --train-per-class or --val-images");
        }
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = train.size() - n + i;
        }
        return train.subset(idx);
    }

    static Normalization normalization(String dataset) {
        return Normalization.forDataset(DatasetName.parse(dataset));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
