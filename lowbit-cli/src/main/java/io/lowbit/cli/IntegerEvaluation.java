package io.lowbit.cli;

import ai.djl.ndarray.NDManager;
import io.lowbit.cli.onnx.OnnxRuntimeEngine;
import io.lowbit.core.engine.FastEngine;
import io.lowbit.core.onnx.IntegerOnnxExport;
import io.lowbit.core.engine.IntegerEngine;
import io.lowbit.core.engine.ReferenceEngine;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.file.IntegerModelFile;
import io.lowbit.train.data.CifarDataset;
import io.lowbit.train.data.DatasetName;
import io.lowbit.train.data.LabelKind;
import io.lowbit.train.data.LabeledImages;
import io.lowbit.train.data.Normalization;
import io.lowbit.train.loop.CheckpointFile;
import io.lowbit.train.loop.Evaluator;
import io.lowbit.train.loop.Json;
import io.lowbit.train.loop.TrainedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code lowbit eval --int}: accuracy of an integer model file on raw test images, integer arithmetic only. */
final class IntegerEvaluation {

    /**
     * The integer engines {@code --engine} chooses from; all but {@code onnxruntime_qlinear} (ONNX Runtime's int8
     * QLinearConv path, which rounds with float scales) give identical outputs.
     */
    enum Engine {
        REFERENCE, FAST, ONNXRUNTIME, ONNXRUNTIME_QLINEAR;

        IntegerEngine create() {
            return switch (this) {
                case FAST -> new FastEngine();
                case REFERENCE -> new ReferenceEngine();
                case ONNXRUNTIME -> new OnnxRuntimeEngine(0);
                case ONNXRUNTIME_QLINEAR -> new OnnxRuntimeEngine(0, OnnxRuntimeEngine.BATCH,
                        IntegerOnnxExport.Form.QLINEAR);
            };
        }
    }

    private IntegerEvaluation() {
    }

    static int run(Path modelFile, String datasetName, DataOptions data, int testLimit, boolean json, Engine choice,
            Engine agreeWith, Path fakeQuant, Path jsonOut) throws Exception {
        IntegerModel model = IntegerModelFile.read(modelFile);
        DatasetName name = DatasetName.parse(datasetName);
        LabeledImages test = CifarDataset.load(name, LabelKind.FINE, data.root(), !data.noDownload).test();
        if (testLimit > 0) {
            test = test.first(Math.min(testLimit, test.size()));
        }
        IntegerEngine engine = choice.create();
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            images.add(Arrays.copyOfRange(test.pixels(), i * LabeledImages.IMAGE_BYTES,
                    (i + 1) * LabeledImages.IMAGE_BYTES));
        }
        long start = System.nanoTime();
        int[][] outputs = engine.runBatch(model, images);
        int correct = 0;
        for (int i = 0; i < outputs.length; i++) {
            if (model.topClass(outputs[i]) == test.labels()[i]) {
                correct++;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double accuracy = (double) correct / test.size();
        Map<String, Object> agreement = agreeWith == null ? null : agreement(agreeWith, model, images, outputs);
        Map<String, Object> fake = fakeQuant == null ? null
                : fakeQuantAgreement(fakeQuant, model, name, test, outputs);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", modelFile.toString());
        out.put("fingerprint", model.fingerprint());
        out.put("engine", engine.name());
        out.put("dataset", name.id());
        out.put("images", test.size());
        out.put("correct", correct);
        out.put("accuracy", accuracy);
        out.put("seconds", seconds);
        if (agreement != null) {
            out.put("agreement", agreement);
        }
        if (fake != null) {
            out.put("fakeQuant", fake);
        }
        if (jsonOut != null) {
            CheckpointFile.writeAtomically(jsonOut, Json.MAPPER.writeValueAsBytes(out));
        }
        if (json) {
            System.out.println(Json.MAPPER.writeValueAsString(out));
        } else {
            System.out.printf(Locale.ROOT, "%s on %s (%s engine): accuracy %.2f%% (%d/%d), %.1f images/s%n",
                    modelFile, name.id(), engine.name(), 100 * accuracy, correct, test.size(), test.size() / seconds);
            if (agreement != null) {
                System.out.printf(Locale.ROOT, "vs %s engine: outputs identical on %d of %d images, predicted class"
                        + " on %d%n", agreement.get("engine"), agreement.get("identicalOutputs"), test.size(),
                        agreement.get("samePrediction"));
            }
            if (fake != null) {
                System.out.printf(Locale.ROOT, "fake-quant model %s: accuracy %.2f%% (%d/%d); predicted class the same"
                        + " on %d of %d images (%.2f%%)%n", fakeQuant, 100 * (double) fake.get("accuracy"),
                        fake.get("correct"), test.size(), fake.get("samePrediction"), test.size(),
                        100 * (double) fake.get("agreement"));
            }
        }
        if (engine instanceof AutoCloseable c) {
            c.close();
        }
        return agreement == null || (int) agreement.get("identicalOutputs") == test.size() ? 0 : 1;
    }

    /**
     * The fake-quant model of {@code checkpoint} (DJL, inference mode, fed the input encoding it trained on) on the
     * same images: its accuracy and how many of its predictions equal the integer model's.
     */
    private static Map<String, Object> fakeQuantAgreement(Path checkpoint, IntegerModel model, DatasetName name,
            LabeledImages test, int[][] outputs) throws Exception {
        int[] predicted;
        try (NDManager m = NDManager.newBaseManager()) {
            TrainedModel trained = TrainedModel.load(checkpoint, test.numClasses(), m);
            ExportCommand.reportUnseenScales(trained);
            if (trained.plan() == null) {
                throw new IllegalArgumentException(checkpoint + " is a float checkpoint: pass the QAT checkpoint the"
                        + " integer model was exported from");
            }
            predicted = Evaluator.predictions(trained.net(), m, test, trained.networkInput(
                    Normalization.forDataset(name)), 500);
        }
        int correct = 0;
        int same = 0;
        for (int i = 0; i < predicted.length; i++) {
            correct += predicted[i] == test.labels()[i] ? 1 : 0;
            same += predicted[i] == model.topClass(outputs[i]) ? 1 : 0;
        }
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("checkpoint", checkpoint.toString());
        a.put("correct", correct);
        a.put("accuracy", (double) correct / predicted.length);
        a.put("samePrediction", same);
        a.put("agreement", (double) same / predicted.length);
        return a;
    }

    /** Runs the images on a second engine: how many outputs are identical, how many predictions agree. */
    private static Map<String, Object> agreement(Engine choice, IntegerModel model, List<byte[]> images,
            int[][] outputs) throws Exception {
        IntegerEngine other = choice.create();
        int[][] theirs = other.runBatch(model, images);
        int identical = 0;
        int same = 0;
        int firstDifference = -1;
        for (int i = 0; i < outputs.length; i++) {
            if (Arrays.equals(outputs[i], theirs[i])) {
                identical++;
            } else if (firstDifference < 0) {
                firstDifference = i;
            }
            if (model.topClass(outputs[i]) == model.topClass(theirs[i])) {
                same++;
            }
        }
        if (other instanceof AutoCloseable c) {
            c.close();
        }
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("engine", other.name());
        a.put("identicalOutputs", identical);
        a.put("samePrediction", same);
        a.put("firstDifferentImage", firstDifference);
        return a;
    }
}
