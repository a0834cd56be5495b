package io.lowbit.train.loop;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import io.lowbit.train.data.Augmentation;
import io.lowbit.train.data.Batch;
import io.lowbit.train.data.BatchLoader;
import io.lowbit.train.data.CifarDataset;
import io.lowbit.train.data.DatasetName;
import io.lowbit.train.data.InputEncoding;
import io.lowbit.train.data.LabelKind;
import io.lowbit.train.data.LabeledImages;
import io.lowbit.train.data.Normalization;
import io.lowbit.train.model.ModelSpec;
import io.lowbit.train.model.Models;
import io.lowbit.train.model.Networks;
import io.lowbit.train.quant.QuantPlan;
import io.lowbit.train.quant.learned.ScaledQuantizer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One training run: data, model, optimizer and the epoch loop, with a checkpoint, {@code metrics.csv},
 * {@code summary.json} and {@code curves.png} rewritten after every epoch. Each step's arrays live in a
 * sub-manager closed after the step (freeing them at once is what keeps PyTorch's allocator fast).
 * Determinism: the batch order and augmentation are a pure function of (seed, epoch) and the weights are
 * initialized from the seed, so a resumed run repeats the uninterrupted one up to the non-associativity of
 * multi-threaded float reductions in PyTorch's CPU kernels.
 */
public final class TrainingRun {

    /** Where and how to run; none of this changes the result. */
    public record Options(Path runDir, Path dataRoot, boolean allowDownload, boolean resume, String commandLine,
                          PrintStream log) {
    }

    private final TrainConfig config;
    private final Options options;
    private final RunDirectory dir;

    private TrainingRun(TrainConfig config, Options options) {
        this.config = config;
        this.options = options;
        this.dir = new RunDirectory(options.runDir());
    }

    /**
     * Starts a new run in an empty or absent run directory, or ({@code resume}) continues the one there; for a
     * resumed run {@code config} may be null (the stored one is used) or differ from it only in epochs. Refused
     * at once when another process trains in the directory ({@link RunLock}).
     */
    public static TrainingSummary run(TrainConfig config, Options options) throws IOException {
        RunDirectory dir = new RunDirectory(options.runDir());
        if (!options.resume() && config == null) {
            throw new IllegalArgumentException("a new run needs a configuration");
        }
        if (options.resume() && !Files.isRegularFile(dir.config())) {
            throw new IOException("cannot resume: " + dir.config() + " does not exist (no run in " + dir.root() + ")");
        }
        Files.createDirectories(dir.root());
        try (RunLock lock = RunLock.acquire(dir)) { // before reading or writing anything of the run
            return runLocked(config, options, dir);
        }
    }

    private static TrainingSummary runLocked(TrainConfig config, Options options, RunDirectory dir)
            throws IOException {
        TrainConfig effective = config;
        if (options.resume()) {
            if (!Files.isRegularFile(dir.config())) {
                throw new IOException("cannot resume: " + dir.config() + " does not exist (no run in "
                        + dir.root() + ")");
            }
            TrainConfig stored = Json.MAPPER.readValue(dir.config().toFile(), TrainConfig.class);
            if (config != null && !stored.withEpochs(config.epochs()).equals(config)) {
                throw new IllegalArgumentException("cannot resume " + dir.root() + " with a different configuration"
                        + " (only --epochs may change); stored: " + stored);
            }
            effective = config == null ? stored : config;
        } else if (Files.exists(dir.config()) || Files.exists(dir.lastCheckpoint())) {
            throw new IOException("run directory " + dir.root() + " already holds a run; use --resume to "
                    + "continue it or choose another --run-dir");
        }
        CheckpointFile.writeAtomically(dir.config(),
                Json.MAPPER.writeValueAsString(effective).getBytes(StandardCharsets.UTF_8));
        try {
            return new TrainingRun(effective, options).execute();
        } catch (IOException | RuntimeException e) {
            // A new run that failed before its first checkpoint (bad data, a batch larger than the set, NaN in
            // epoch 1) has nothing to resume: drop its config so that the corrected command may reuse the directory.
            if (!options.resume() && !Files.exists(dir.lastCheckpoint())) {
                Files.deleteIfExists(dir.config());
            }
            throw e;
        }
    }

    private TrainingSummary execute() throws IOException {
        PrintStream log = options.log();
        DatasetName datasetName = DatasetName.parse(config.dataset());
        LabelKind kind = TrainConfig.parseLabels(config.labels());
        CifarDataset data = CifarDataset.load(datasetName, kind, options.dataRoot(), options.allowDownload());
        LabeledImages train = config.trainLimit() > 0 ? data.train().balancedSubset(config.trainLimit())
                : data.train();
        LabeledImages test = config.testLimit() > 0 ? data.test().first(Math.min(config.testLimit(),
                data.test().size())) : data.test();
        Normalization norm = Normalization.forDataset(datasetName);
        Augmentation aug = config.augment() ? Augmentation.STANDARD : Augmentation.NONE;
        ModelSpec spec = ModelSpec.of(config.model(), config.width(), data.numClasses());

        try (NDManager root = NDManager.newBaseManager()) {
            SequentialBlock net = Models.build(spec);
            QuantPlan plan = config.quant() == null ? null
                    : QuantPlan.apply(net, config.quantSpec(), config.inputCodes());
            InputEncoding input = plan == null ? norm : plan.networkInput(norm);
            Networks.initialize(net, root, config.seed());
            Map<String, Parameter> params = Networks.namedParameters(net);
            long paramCount = Networks.trainableParameterCount(net);
            long macs = Networks.macsPerImage(net);
            try (ParameterOptimizer optimizer = new ParameterOptimizer(config.optimizer(), root,
                    plan == null ? Map.of() : plan.parameterDecays(),
                    plan == null ? Map.of() : plan.parameterFloors())) {
                List<EpochMetrics> history = new ArrayList<>();
                int startEpoch = 0;
                double best = -1;
                int bestEpoch = -1;
                boolean resuming = options.resume() && Files.exists(dir.lastCheckpoint());
                if (config.init() != null && !resuming) {
                    Checkpoints.loadWeights(Path.of(config.init()), net, root);
                    log.printf("initialized from %s%n", config.init());
                }
                if (plan != null) {
                    log.printf("quantization %s: %s%n", config.quant(), plan.schemes());
                    if (plan.inputCodes() != null) {
                        log.printf("network input: %s (the integer model's input codes·step)%n", plan.inputCodes());
                    }
                }
                if (resuming) {
                    CheckpointMeta meta = Checkpoints.load(dir.lastCheckpoint(), net, optimizer, root);
                    history.addAll(meta.history());
                    startEpoch = meta.epochsDone();
                    best = meta.bestTestAccuracy();
                    bestEpoch = meta.bestEpoch();
                    log.printf("resuming %s after epoch %d of %d%n", dir.root(), startEpoch, config.epochs());
                }
                log.printf("model %s: %,d trainable parameters, %.1f MMAC/image%n", spec.label(), paramCount,
                        macs / 1e6);
                log.printf("data %s (%s labels): %,d training images (augmentation %s), %,d test images, from %s%n",
                        datasetName.id(), kind.name().toLowerCase(Locale.ROOT), train.size(),
                        config.augment() ? "crop+flip" : "off", test.size(), options.dataRoot());
                Loop loop = new Loop(net, new TrainStep(net, params, optimizer, root), root, train, input, aug);
                String status = "completed";
                String message = "";
                try {
                    for (int epoch = startEpoch; epoch < config.epochs(); epoch++) {
                        if (plan != null) {
                            plan.setFolded(epoch >= config.foldBnFromEpoch());
                        }
                        EpochMetrics m = loop.epoch(epoch, test, history);
                        history.add(m);
                        if (plan != null) {
                            reportDeadTensors(QuantPlan.uninitializedScales(net), log);
                        }
                        if (m.testAccuracy() > best) {
                            best = m.testAccuracy();
                            bestEpoch = m.epoch();
                        }
                        CheckpointMeta meta = new CheckpointMeta(config, epoch + 1, optimizer.steps(), best,
                                bestEpoch, history);
                        Checkpoints.save(dir.lastCheckpoint(), net, optimizer, meta);
                        if (bestEpoch == m.epoch()) {
                            Checkpoints.save(dir.bestCheckpoint(), net, null, meta);
                        }
                        writeMetrics(history);
                        writeSummary("running", spec, paramCount, macs, train, test, history, best, bestEpoch, "");
                    }
                } catch (TrainingDivergedException e) {
                    status = "diverged";
                    message = e.getMessage();
                    writeSummary(status, spec, paramCount, macs, train, test, history, best, bestEpoch, message);
                    throw e;
                }
                return writeSummary(status, spec, paramCount, macs, train, test, history, best, bestEpoch, message);
            }
        }
    }

    private final Set<String> reportedDeadTensors = new HashSet<>();

    /** Once per layer: a learned scale that has seen only zeros (a dead tensor) is worth knowing before export. */
    private void reportDeadTensors(List<String> uninitialized, PrintStream log) {
        for (String s : uninitialized) {
            if (reportedDeadTensors.add(s)) {
                log.printf("note: %s has seen only zeros so far (a dead tensor?): its scale stays uninitialized, and"
                        + " export gives it %s unless non-zero values come (docs/quantization.md#initialization)%n", s,
                        ScaledQuantizer.UNSEEN_SCALE);
            }
        }
    }

    /** The per-epoch work, holding what stays fixed across epochs. */
    private final class Loop {
        private final SequentialBlock net;
        private final NDManager root;
        private final LabeledImages train;
        private final InputEncoding input;
        private final Augmentation aug;
        private final TrainStep step;

        Loop(SequentialBlock net, TrainStep step, NDManager root, LabeledImages train, InputEncoding input,
             Augmentation aug) {
            this.net = net;
            this.step = step;
            this.root = root;
            this.train = train;
            this.input = input;
            this.aug = aug;
        }

        EpochMetrics epoch(int epoch, LabeledImages test, List<EpochMetrics> history) throws IOException {
            long start = System.nanoTime();
            double lossSum = 0;
            long correct = 0;
            long seen = 0;
            double lr = 0;
            double trainSeconds;
            double waitSeconds;
            try (BatchLoader loader = BatchLoader.forEpoch(train, config.batchSize(), true, true, aug, input,
                    config.seed(), epoch);
                 ProgressReporter bar = new ProgressReporter(String.format("epoch %d/%d", epoch + 1,
                         config.epochs()), loader.batchesPerEpoch(), options.log())) {
                int steps = loader.batchesPerEpoch();
                if (steps == 0) {
                    throw new IllegalArgumentException("batch size " + config.batchSize() + " exceeds the "
                            + train.size() + " training images");
                }
                for (int i = 0; loader.hasNext(); i++) {
                    Batch b = loader.next();
                    lr = config.schedule().at(epoch + (double) i / steps);
                    TrainStep.Result r = step.run(b, lr);
                    if (!r.finite()) {
                        throw diverged(epoch, i, lr, r.loss());
                    }
                    float loss = r.loss();
                    correct += r.correct();
                    lossSum += (double) loss * b.size();
                    seen += b.size();
                    double elapsed = (System.nanoTime() - start) / 1e9;
                    bar.step(String.format(Locale.ROOT, "loss %.3f acc %.1f%% %.0f img/s lr %.3g%s",
                            lossSum / seen, 100.0 * correct / seen, seen / elapsed, lr, runEta(history, epoch)));
                }
                trainSeconds = (System.nanoTime() - start) / 1e9;
                waitSeconds = loader.waitNanos() / 1e9;
            }
            Evaluator.Result r = Evaluator.evaluate(net, root, test, input, config.evalBatchSize());
            double seconds = (System.nanoTime() - start) / 1e9;
            EpochMetrics m = new EpochMetrics(epoch + 1, lossSum / seen, (double) correct / seen, r.loss(),
                    r.accuracy(), lr, seconds, seen / trainSeconds, waitSeconds);
            options.log().printf(Locale.ROOT, "epoch %d/%d: train loss %.4f acc %.2f%% | test loss %.4f acc "
                    + "%.2f%% | %.0f img/s, data wait %.1f%% | %.0f s%n", m.epoch(), config.epochs(),
                    m.trainLoss(), 100 * m.trainAccuracy(), m.testLoss(), 100 * m.testAccuracy(),
                    m.imagesPerSecond(), 100 * waitSeconds / trainSeconds, seconds);
            return m;
        }

        private String runEta(List<EpochMetrics> history, int epoch) {
            if (history.isEmpty()) {
                return "";
            }
            double mean = history.stream().mapToDouble(EpochMetrics::seconds).average().orElse(0);
            long rest = Math.round(mean * (config.epochs() - epoch - 1));
            return String.format(" | run ETA after this epoch %d:%02d:%02d", rest / 3600, rest / 60 % 60, rest % 60);
        }
    }

    private TrainingDivergedException diverged(int epoch, int step, double lr, float loss) {
        String last = Files.exists(dir.lastCheckpoint())
                ? "the last good checkpoint " + dir.lastCheckpoint() + " is kept"
                : "no epoch had completed, so there is no checkpoint";
        return new TrainingDivergedException(String.format(Locale.ROOT,
                "training diverged: loss is %s at epoch %d, step %d (learning rate %.4g); the run stopped and %s. "
                        + "Lower --lr or add --warmup, then start again (or --resume from the checkpoint).",
                Float.isNaN(loss) ? "NaN" : "infinite", epoch + 1, step + 1, lr, last));
    }

    private void writeMetrics(List<EpochMetrics> history) throws IOException {
        StringBuilder sb = new StringBuilder(EpochMetrics.CSV_HEADER).append('\n');
        history.forEach(m -> sb.append(m.csvRow()).append('\n'));
        CheckpointFile.writeAtomically(dir.metricsCsv(), sb.toString().getBytes(StandardCharsets.UTF_8));
        CurvePlot.write(history, config.model() + " on " + config.dataset(), dir.curvesPng());
    }

    private TrainingSummary writeSummary(String status, ModelSpec spec, long params, long macs, LabeledImages train,
                                         LabeledImages test, List<EpochMetrics> history, double best, int bestEpoch,
                                         String message) throws IOException {
        double seconds = 0;
        double trainSeconds = 0;
        double wait = 0;
        long images = 0;
        for (EpochMetrics m : history) {
            seconds += m.seconds();
            double ts = m.imagesPerSecond() > 0 ? (double) imagesPerEpoch(train) / m.imagesPerSecond() : 0;
            trainSeconds += ts;
            wait += m.dataWaitSeconds();
            images += imagesPerEpoch(train);
        }
        double finalAcc = history.isEmpty() ? Double.NaN : history.get(history.size() - 1).testAccuracy();
        TrainingSummary s = new TrainingSummary(status, spec.label(), params, macs, config.dataset(), train.size(),
                test.size(), history.size(), config.epochs(), finalAcc, best, bestEpoch, seconds,
                trainSeconds > 0 ? images / trainSeconds : 0, trainSeconds > 0 ? wait / trainSeconds : 0,
                config.seed(), options.commandLine(), Versions.describe(), message);
        CheckpointFile.writeAtomically(dir.summaryJson(), Json.MAPPER.writeValueAsBytes(s));
        return s;
    }

    private int imagesPerEpoch(LabeledImages train) {
        return train.size() / config.batchSize() * config.batchSize();
    }
}
