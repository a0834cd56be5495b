package io.lowbit.cli;

import ai.djl.ndarray.NDManager;
import io.lowbit.train.data.CifarDataset;
import io.lowbit.train.data.DatasetName;
import io.lowbit.train.data.LabelKind;
import io.lowbit.train.data.LabeledImages;
import io.lowbit.train.data.Normalization;
import io.lowbit.train.loop.CheckpointMeta;
import io.lowbit.train.loop.Checkpoints;
import io.lowbit.train.loop.Evaluator;
import io.lowbit.train.loop.CheckpointFile;
import io.lowbit.train.loop.Json;
import io.lowbit.train.loop.TrainConfig;
import io.lowbit.train.loop.TrainedModel;
import io.lowbit.train.quant.QuantSpec;
import io.lowbit.train.model.ModelSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lowbit eval}: accuracy of a checkpoint on a test set. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a checkpoint on the test split of its dataset (or another one).",
        footer = {"", "Examples:", "  lowbit eval runs/nin-cifar10-20261123-1500/best.lbck",
            "  lowbit eval runs/demo/last.lbck --test-limit 1000 --json",
            "  lowbit eval --int runs/demo/qat/model.lbq --dataset cifar10          (integer engine)",
            "  lowbit eval --int model.lbq --engine reference                      (the golden engine, slow)",
            "  lowbit eval --int model.lbq --engine onnxruntime --agree-with fast  (ONNX Runtime, checked)",
            "  lowbit eval runs/nin/best.lbck --quant clipq:p=0.2,b=2,fmt=Q3.5    (post-training quantization)"})
final class EvalCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL",
            description = "A .lbck checkpoint written by lowbit train, or with --int an .lbq integer model file")
    Path checkpoint;

    @Option(names = "--int", description = "Run the integer model file MODEL on an integer engine "
            + "(integer arithmetic only, raw uint8 pixels in)")
    boolean integer;

    @Option(names = "--engine", defaultValue = "fast", paramLabel = "reference|fast|onnxruntime|onnxruntime_qlinear",
            description = "Integer engine for --int: fast (all cores, images in parallel), reference (the golden "
                    + "one, slow) or onnxruntime (ONNX Runtime on the exact integer ONNX form, docs/onnx.md), all with"
                    + " identical outputs; or onnxruntime_qlinear (ONNX Runtime's QLinearConv int8 path: close, not "
                    + "equal) (default: ${DEFAULT-VALUE})")
    IntegerEvaluation.Engine engine;

    @Option(names = "--agree-with", paramLabel = "ENGINE",
            description = "With --int: run a second engine on the same images and report how many outputs are "
                    + "identical and how many predictions agree (exit code 1 unless all outputs are identical)")
    IntegerEvaluation.Engine agreeWith;

    @Option(names = "--agree-with-checkpoint", paramLabel = "CKPT",
            description = "With --int: also run the fake-quant model of this QAT checkpoint (the one MODEL was "
                    + "exported from) on the same images and report its accuracy and how many predictions agree")
    Path fakeQuant;

    @Mixin
    DataOptions data;

    @Option(names = "--dataset", description = "Dataset to evaluate on (default: the one the model was trained on)")
    String dataset;

    @Option(names = "--test-limit", defaultValue = "0", description = "Evaluate on the first N test images (0 = all)")
    int testLimit;

    @Option(names = "--batch-size", defaultValue = "500", description = "Batch size (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--quant", paramLabel = "SPEC",
            description = "Post-training quantization: evaluate a float checkpoint with these quantizers installed "
                    + "(BN folded); learned scales initialize from the first evaluation batch")
    String quant;

    @Option(names = "--json", description = "Print the result as JSON")
    boolean json;

    @Option(names = "--json-out", paramLabel = "FILE", description = "Also write the JSON result to FILE")
    Path jsonOut;

    @Override
    public Integer call() throws Exception {
        if (integer) {
            return IntegerEvaluation.run(checkpoint, dataset != null ? dataset : "cifar10", data, testLimit, json,
                    engine, agreeWith, fakeQuant, jsonOut);
        }
        if (fakeQuant != null) {
            throw new IllegalArgumentException("--agree-with-checkpoint compares an integer model (--int) with its"
                    + " checkpoint");
        }
        CheckpointMeta meta = Checkpoints.readMeta(checkpoint);
        TrainConfig cfg = meta.config();
        DatasetName name = DatasetName.parse(dataset != null ? dataset : cfg.dataset());
        LabelKind kind = TrainConfig.parseLabels(cfg.labels());
        CifarDataset ds = CifarDataset.load(name, kind, data.root(), !data.noDownload);
        LabeledImages test = testLimit > 0 ? ds.test().first(Math.min(testLimit, ds.test().size())) : ds.test();
        ModelSpec spec = ModelSpec.of(cfg.model(), cfg.width(), ds.numClasses());
        if (spec.numClasses() != name.numClasses(kind)) {
            throw new IllegalArgumentException("model has " + spec.numClasses() + " classes, dataset "
                    + name.id() + " has " + name.numClasses(kind));
        }
        try (NDManager root = NDManager.newBaseManager()) {
            TrainedModel trained = quant == null ? TrainedModel.load(checkpoint, ds.numClasses(), root)
                    : TrainedModel.quantizeFloat(checkpoint, ds.numClasses(), QuantSpec.parse(quant), root);
            ExportCommand.reportUnseenScales(trained);
            // the input codes a learned first layer trained on, else the normalized pixels
            Evaluator.Result r = Evaluator.evaluate(trained.net(), root, test,
                    trained.networkInput(Normalization.forDataset(name)), batchSize);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("checkpoint", checkpoint.toString());
            out.put("model", spec.label());
            out.put("quant", quant != null ? quant + " (post-training)" : cfg.quant() == null ? "float" : cfg.quant());
            out.put("dataset", name.id());
            out.put("epochsTrained", meta.epochsDone());
            out.put("images", r.total());
            out.put("correct", r.correct());
            out.put("accuracy", r.accuracy());
            out.put("loss", r.loss());
            if (jsonOut != null) {
                CheckpointFile.writeAtomically(jsonOut, Json.MAPPER.writeValueAsBytes(out));
            }
            if (json) {
                System.out.println(Json.MAPPER.writeValueAsString(out));
            } else {
                System.out.printf(Locale.ROOT, "%s (%s%s, %d epochs) on %s: accuracy %.2f%% (%d/%d), loss %.4f%n",
                        checkpoint, spec.label(), quant != null ? ", " + quant + " (post-training)"
                                : cfg.quant() == null ? "" : ", " + cfg.quant(), meta.epochsDone(),
                        name.id(), 100 * r.accuracy(), r.correct(), r.total(), r.loss());
            }
        }
        return 0;
    }
}
