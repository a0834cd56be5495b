package io.lowbit.cli;

import io.lowbit.train.loop.LrSchedule;
import io.lowbit.train.loop.OptimizerConfig;
import io.lowbit.train.loop.TrainConfig;
import io.lowbit.train.loop.TrainingRun;
import io.lowbit.train.loop.TrainingSummary;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lowbit train}: float training of a CIFAR model, resumable. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a CNN on CIFAR. Writes config.json, last.lbck/best.lbck checkpoints, metrics.csv, "
                + "summary.json and curves.png to the run directory after every epoch.",
        footer = {"", "Examples:",
            "  lowbit train --model nin --dataset cifar10 --epochs 30",
            "  lowbit train --model vgg7 --width 0.25 --optimizer adam --lr 1e-3 --epochs 10",
            "  lowbit train --model resnet20 --schedule step --milestones 100,150 --epochs 200",
            "  lowbit train --model nin --init runs/nin/best.lbck --quant clipq:p=0.2,b=2,fmt=Q3.5 --lr 0.01 --epochs 5",
            "  lowbit train --resume --run-dir runs/nin-cifar10-20261123-1500      (continue a killed run)",
            "  lowbit train --resume --run-dir runs/nin-cifar10-20261123-1500 --epochs 60   (extend it)"})
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data;

    @Option(names = "--model", defaultValue = "nin",
            description = "nin, nin-lin, vgg7, mobilenetv2 or resnet20 (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--width", defaultValue = "1.0",
            description = "Width multiplier for hidden channels (default: ${DEFAULT-VALUE})")
    double width;

    @Option(names = "--dataset", defaultValue = "cifar10",
            description = "cifar10, cifar10-mini or cifar100 (default: ${DEFAULT-VALUE})")
    String dataset;

    @Option(names = "--labels", defaultValue = "fine",
            description = "fine or coarse (CIFAR-100's 20 superclasses) (default: ${DEFAULT-VALUE})")
    String labels;

    @Option(names = "--epochs", defaultValue = "30", description = "Epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--optimizer", defaultValue = "sgd", description = "sgd or adam (default: ${DEFAULT-VALUE})")
    String optimizer;

    @Option(names = "--lr", description = "Peak learning rate (default: 0.1 for sgd, 0.001 for adam)")
    Double lr;

    @Option(names = "--momentum", defaultValue = "0.9", description = "SGD momentum (default: ${DEFAULT-VALUE})")
    double momentum;

    @Option(names = "--nesterov", description = "Nesterov momentum")
    boolean nesterov;

    @Option(names = "--weight-decay", defaultValue = "5e-4",
            description = "L2 weight decay on conv/linear weights (default: ${DEFAULT-VALUE})")
    double weightDecay;

    @Option(names = "--schedule", defaultValue = "cosine",
            description = "cosine, step or constant (default: ${DEFAULT-VALUE})")
    String schedule;

    @Option(names = "--warmup", defaultValue = "0", description = "Linear warm-up epochs (default: ${DEFAULT-VALUE})")
    double warmup;

    @Option(names = "--milestones", split = ",", description = "Step schedule: epochs where lr is multiplied by --gamma")
    List<Integer> milestones = List.of();

    @Option(names = "--gamma", defaultValue = "0.1", description = "Step schedule factor (default: ${DEFAULT-VALUE})")
    double gamma;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of init, order and augmentation (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--train-per-class", defaultValue = "0",
            description = "Use only the first N training images of each class (0 = all)")
    int trainPerClass;

    @Option(names = "--test-limit", defaultValue = "0", description = "Evaluate on the first N test images (0 = all)")
    int testLimit;

    @Option(names = "--no-augment", description = "Disable random crop and flip")
    boolean noAugment;

    @Option(names = "--eval-batch-size", defaultValue = "500", description = "Batch size of evaluation")
    int evalBatchSize;

    @Option(names = "--quant", paramLabel = "SPEC",
            description = "Quantization-aware training, e.g. clipq:p=0.2,b=2,fmt=Q3.5 or fixed:fmt=Q3.5; "
                    + "overrides after ';' (first=..., last=..., conv1=float); @FILE reads the spec from a file")
    String quant;

    @Option(names = "--init", paramLabel = "CKPT", description = "Start from this checkpoint's weights (e.g. a float model)")
    Path init;

    @Option(names = "--input-bits", paramLabel = "N",
            description = "Bits of the integer input codes a learned first layer (lsq, lsfq, pact, dorefa) trains "
                    + "on and the integer model reads, 2..8 (default: 8)")
    Integer inputBits;

    @Option(names = "--fold-bn-from", defaultValue = "0",
            description = "Epoch from which quantized layers train on BN folded into the conv (default: ${DEFAULT-VALUE})")
    int foldBnFrom;

    @Option(names = "--run-dir", paramLabel = "DIR",
            description = "Run directory (default: runs/<model>-<dataset>-<timestamp>; required with --resume)")
    Path runDir;

    @Option(names = "--resume", description = "Continue the run in --run-dir from its last checkpoint")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        TrainConfig config = null;
        if (!resume) {
            config = config();
        } else if (runDir == null) {
            throw new IllegalArgumentException("--resume needs --run-dir naming the run to continue");
        } else if (spec.commandLine().getParseResult().hasMatchedOption("--epochs")) {
            config = TrainingRunConfigs.stored(runDir).withEpochs(epochs);
        }
        Path dir = runDir != null ? runDir : Path.of("runs", String.format("%s-%s-%s", model, dataset,
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))));
        TrainingRun.Options options = new TrainingRun.Options(dir, data.root(), !data.noDownload, resume,
                CommandLines.current(spec), System.out);
        System.out.println("run directory: " + dir);
        TrainingSummary s = TrainingRun.run(config, options);
        System.out.printf(Locale.ROOT, "done: %d epochs, test accuracy %.2f%% (best %.2f%% at epoch %d), %.0f img/s"
                + " training; run directory %s%n", s.epochsDone(), 100 * s.finalTestAccuracy(),
                100 * s.bestTestAccuracy(), s.bestEpoch(), s.imagesPerSecond(), dir);
        return 0;
    }

    TrainConfig config() {
        double peak = lr != null ? lr : optimizer.equalsIgnoreCase("adam") ? 1e-3 : 0.1;
        OptimizerConfig opt = new OptimizerConfig(optimizer, optimizer.equalsIgnoreCase("sgd") ? momentum : 0,
                nesterov, 0.9, 0.999, 1e-8, weightDecay);
        LrSchedule sched = new LrSchedule(schedule, peak, warmup, epochs, milestones, gamma);
        String initPath = init == null ? null : init.toAbsolutePath().toString();
        if (inputBits == null) {
            return new TrainConfig(model, width, dataset, labels, epochs, batchSize, opt, sched, seed, trainPerClass,
                    testLimit, !noAugment, evalBatchSize, quant, initPath, foldBnFrom);
        }
        if (!TrainConfig.takesInputCodes(quant)) {
            throw new IllegalArgumentException("--input-bits applies to a first layer quantized by lsq, lsfq, pact or"
                    + " dorefa; " + (quant == null ? "a float model" : "--quant " + quant) + " quantizes its input"
                    + " otherwise (fixed point and CLIP-Q by their own format) or not at all");
        }
        return new TrainConfig(model, width, dataset, labels, epochs, batchSize, opt, sched, seed, trainPerClass,
                testLimit, !noAugment, evalBatchSize, quant, initPath, foldBnFrom, inputBits);
    }
}
