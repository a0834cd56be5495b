package io.lowbit.train.loop;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.lowbit.train.data.DatasetName;
import io.lowbit.train.data.InputCodes;
import io.lowbit.train.data.Normalization;
import io.lowbit.train.model.Models;
import io.lowbit.train.quant.QuantMethods;
import io.lowbit.train.quant.QuantScheme;
import io.lowbit.train.quant.QuantSpec;
import io.lowbit.train.quant.learned.BnPlacement;

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
 * @param inputBits  when the first layer's method does not quantize the network input itself (lsq, lsfq, pact,
 *                   dorefa): training feeds it the integer model's input, the {@link InputCodes} of this many bits
 *                   times their step, instead of the float normalized pixel. Null: the float input (every such run
 *                   before this field existed: a config or checkpoint without it loads and exports as before) or
 *                   not applicable (float, fixed, clipq first layers: always null). The short constructors choose
 *                   {@link InputCodes#DEFAULT_BITS} where it applies.
 * @param bnPlacement where {@code pact} and {@code dorefa} layers whose scheme has no {@code bn} key put BN
 *                   ({@link BnPlacement}): "fold" (the short constructors' choice since the key exists) or null,
 *                   read as "after": every such run before it kept BN after the conv, and its config or checkpoint
 *                   loads and exports as it trained ({@link #quantSpec}). Null where no layer uses pact or dorefa.
 */
public record TrainConfig(String model, double width, String dataset, String labels, int epochs, int batchSize,
                          OptimizerConfig optimizer, LrSchedule schedule, long seed, int trainLimit, int testLimit,
                          boolean augment, int evalBatchSize, String quant, String init, int foldBnFromEpoch,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Integer inputBits,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String bnPlacement) {

    /** The methods whose {@code bn} default changed from "after" to "fold". */
    private static final java.util.Set<String> BN_KEY_METHODS = java.util.Set.of("pact", "dorefa");

    /** A float training configuration. */
    public TrainConfig(String model, double width, String dataset, String labels, int epochs, int batchSize,
                       OptimizerConfig optimizer, LrSchedule schedule, long seed, int trainLimit, int testLimit,
                       boolean augment, int evalBatchSize) {
        this(model, width, dataset, labels, epochs, batchSize, optimizer, schedule, seed, trainLimit, testLimit,
                augment, evalBatchSize, null, null, 0);
    }

    /** A configuration whose learned first layer, if any, trains on the integer model's 8-bit input codes. */
    public TrainConfig(String model, double width, String dataset, String labels, int epochs, int batchSize,
                       OptimizerConfig optimizer, LrSchedule schedule, long seed, int trainLimit, int testLimit,
                       boolean augment, int evalBatchSize, String quant, String init, int foldBnFromEpoch) {
        this(model, width, dataset, labels, epochs, batchSize, optimizer, schedule, seed, trainLimit, testLimit,
                augment, evalBatchSize, quant, init, foldBnFromEpoch,
                takesInputCodes(quant) ? InputCodes.DEFAULT_BITS : null);
    }

    /** A new run's configuration with the given input bits; pact and dorefa fold BN unless their spec says not. */
    public TrainConfig(String model, double width, String dataset, String labels, int epochs, int batchSize,
                       OptimizerConfig optimizer, LrSchedule schedule, long seed, int trainLimit, int testLimit,
                       boolean augment, int evalBatchSize, String quant, String init, int foldBnFromEpoch,
                       Integer inputBits) {
        this(model, width, dataset, labels, epochs, batchSize, optimizer, schedule, seed, trainLimit, testLimit,
                augment, evalBatchSize, quant, init, foldBnFromEpoch, inputBits, "fold");
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
        if (inputBits != null && (inputBits < 2 || inputBits > 8)) {
            throw new IllegalArgumentException("inputBits must be in [2, 8], got " + inputBits);
        }
        if (!takesInputCodes(quant)) {
            inputBits = null; // the first layer quantizes the input itself (or is float): nothing to choose
        }
        if (bnPlacement != null && !bnPlacement.equals("fold") && !bnPlacement.equals("after")) {
            throw new IllegalArgumentException("bnPlacement must be fold or after, got " + bnPlacement);
        }
        if (quant == null || !QuantSpec.parse(quant).uses(BN_KEY_METHODS)) {
            bnPlacement = null; // no pact or dorefa layer: nothing to choose
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
                init, foldBnFromEpoch, inputBits, bnPlacement);
    }

    /** The quantization spec as this run trains it (null: float), pact/dorefa's {@code bn} default pinned. */
    public QuantSpec quantSpec() {
        if (quant == null) {
            return null;
        }
        return QuantSpec.parse(quant).withDefault(BN_KEY_METHODS, BnPlacement.KEY,
                bnPlacement == null ? "after" : bnPlacement);
    }

    /**
     * The input codes training feeds the first layer ({@link #inputBits}) for this run's dataset, or null when it
     * is fed the float normalized pixels or quantizes them itself.
     */
    public InputCodes inputCodes() {
        return inputBits == null ? null
                : InputCodes.of(Normalization.forDataset(DatasetName.parse(dataset)), inputBits);
    }

    /** Whether {@code quant} gives the first layer a method that leaves the network input float (learned ones). */
    public static boolean takesInputCodes(String quant) {
        if (quant == null || quant.isBlank()) {
            return false;
        }
        QuantScheme first = QuantSpec.parse(quant).schemeFor(Models.FIRST_LAYER, true, false);
        return !first.isFloat() && !QuantMethods.forName(first.method()).quantizesNetworkInput(first);
    }
}
