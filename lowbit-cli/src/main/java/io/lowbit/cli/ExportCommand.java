package io.lowbit.cli;

import ai.djl.ndarray.NDManager;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.file.IntegerModelFile;
import io.lowbit.train.data.DatasetName;
import io.lowbit.train.export.IntegerExport;
import io.lowbit.train.loop.Checkpoints;
import io.lowbit.train.loop.TrainConfig;
import io.lowbit.train.loop.TrainedModel;
import io.lowbit.train.quant.learned.ScaledQuantizer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lowbit export}: a quantized checkpoint → the integer model file the engine, simulator and RTL read. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Fold BN and integerize a quantization-aware-trained checkpoint into an integer model file "
                + "(.lbq, docs/integer-model-format.md): nin, nin-lin, vgg7, resnet20 and mobilenetv2 trained with "
                + "fixed, clipq, lsq, lsfq, pact or dorefa, mixed per layer (docs/export.md); anything else is refused "
                + "with the layer and the reason.",
        footer = {"", "Example:", "  lowbit export runs/demo/qat/best.lbck -o runs/demo/qat/model.lbq"})
final class ExportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "A quantized .lbck checkpoint")
    Path checkpoint;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The .lbq file to write")
    Path output;

    @Override
    public Integer call() throws Exception {
        TrainConfig cfg = Checkpoints.readMeta(checkpoint).config();
        if (cfg.quant() == null) {
            throw new IllegalArgumentException(checkpoint + " is a float model: train it with --quant (and --init) "
                    + "before exporting");
        }
        int classes = DatasetName.parse(cfg.dataset()).numClasses(TrainConfig.parseLabels(cfg.labels()));
        try (NDManager root = NDManager.newBaseManager()) {
            TrainedModel trained = TrainedModel.load(checkpoint, classes, root);
            reportUnseenScales(trained);
            IntegerExport.Result r = IntegerExport.exportWithReport(trained);
            IntegerModel model = r.model();
            IntegerModelFile.write(model, output.toAbsolutePath());
            System.out.println(r.summary());
            System.out.printf("wrote %s (%d nodes, fingerprint %s)%n", output, model.nodes().size(),
                    model.fingerprint().substring(0, 16));
        }
        return 0;
    }

    /** Tells which layers' learned scales were never trained on a non-zero value (TrainedModel.unseenScales). */
    static void reportUnseenScales(TrainedModel trained) {
        for (String s : trained.unseenScales()) {
            System.err.println("note: " + s + " saw only zeros in training (a dead tensor); its scale is set to "
                    + ScaledQuantizer.UNSEEN_SCALE + " (docs/quantization.md, \"Initialization\")");
        }
    }
}
