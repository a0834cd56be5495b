package io.lowbit.train.loop;

/**
 * Everything that determines a training run's result, stored in the run directory and in every checkpoint so
 * that {@code --resume} and {@code eval} need nothing repeated on the command line.
 *
 * @param model      architecture name (see {@link io.lowbit.train.model.Architecture})
 * @param width      width multiplier of hidden channels
 * @param dataset    "cifar10", "cifar10-mini" or "cifar100"
 * @param labels     "fine" or "coarse" (CIFAR-100 superclasses)
 * @param trainLimit use only the first N training images per class (0 = all), for quick runs
 * @param testLimit  evaluate on the first N test images (0 = all)
 * @param augment    random crop (pad 4) and horizontal flip on training images
 * @param quant      quantization spec ({@link io.lowbit.train.quant.QuantSpec}); null or empty = float training
 * @param init       checkpoint whose weights initialize the model (e.g. the float model before QAT), or null
 * @param foldBnFromEpoch from this epoch (0-based) on, layers whose quantization method folds BN train on the
 *                   folded deployment graph with frozen BN statistics; before it, float BN with batch statistics
 */
public record TrainConfig(String model, double width, String dataset, String labels, int epochs, int batchSize,
                          OptimizerConfig optimizer, LrSchedule schedule, long seed, int trainLimit, int testLimit,
                          boolean augment, int evalBatchSize, String quant, String init, int foldBnFromEpoch) {

    /** A float training configuration. */
    public TrainConfig(String model, double width, String dataset, String labels, int epochs, int batchSize,
                       OptimizerConfig optimizer, LrSchedule schedule, long seed, int trainLimit, int testLimit,
                       boolean augment, int evalBatchSize) {
        this(model, width, dataset, labels, epochs, batchSize, optimizer, schedule, seed, trainLimit, testLimit,
                augment, evalBatchSize, null, null, 0);
    }

    public TrainConfig {
        // Names are checked here so that a typo fails before anything is loaded or written.
        io.lowbit.train.model.Architecture.parse(model);
        io.lowbit.train.data.DatasetName name = io.lowbit.train.data.DatasetName.parse(dataset);
        io.lowbit.train.data.LabelKind kind = parseLabels(labels);
        if (!name.supports(kind)) {
            throw new IllegalArgumentException(dataset + " has no " + labels + " labels");
        }
        if (!(width > 0 && width <= 8)) {
            throw new IllegalArgumentException("--width must be in (0, 8], got " + width);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be ≥ 1, got " + epochs);
        }
        if (batchSize < 1 || batchSize > 65536) {
            throw new IllegalArgumentException("--batch-size must be in [1, 65536], got " + batchSize);
        }
        if (trainLimit < 0 || testLimit < 0) {
            throw new IllegalArgumentException("limits must be ≥ 0");
        }
        if (evalBatchSize < 1) {
            throw new IllegalArgumentException("eval batch size must be ≥ 1");
        }
        if (quant != null && quant.isBlank()) {
            quant = null;
        }
        if (quant != null) {
            io.lowbit.train.quant.QuantSpec.parse(quant);
        }
        if (foldBnFromEpoch < 0) {
            throw new IllegalArgumentException("--fold-bn-from must be ≥ 0, got " + foldBnFromEpoch);
        }
        if (schedule.totalEpochs() != epochs) {
            schedule = schedule.withTotalEpochs(epochs);
        }
    }

    /** "fine" or "coarse", case-insensitive. */
    public static io.lowbit.train.data.LabelKind parseLabels(String labels) {
        try {
            return io.lowbit.train.data.LabelKind.valueOf(labels.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown labels '" + labels + "'; choose fine or coarse");
        }
    }

    /** The same run continued to a different number of epochs (the schedule is stretched accordingly). */
    public TrainConfig withEpochs(int newEpochs) {
        return new TrainConfig(model, width, dataset, labels, newEpochs, batchSize, optimizer,
                schedule.withTotalEpochs(newEpochs), seed, trainLimit, testLimit, augment, evalBatchSize, quant,
                init, foldBnFromEpoch);
    }
}
