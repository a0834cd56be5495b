package io.lowbit.cli;

import io.lowbit.core.engine.FastEngine;
import io.lowbit.core.engine.IntegerEngine;
import io.lowbit.core.engine.ReferenceEngine;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.file.IntegerModelFile;
import io.lowbit.train.data.CifarDataset;
import io.lowbit.train.data.DatasetName;
import io.lowbit.train.data.LabelKind;
import io.lowbit.train.data.LabeledImages;
import io.lowbit.train.loop.CheckpointFile;
import io.lowbit.train.loop.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code lowbit eval --int}: accuracy of an integer model file on raw test images, integer arithmetic only. */
final class IntegerEvaluation {

    /** The integer engines {@code --engine} chooses from; both give identical outputs. */
    enum Engine {
        REFERENCE, FAST;

        IntegerEngine create() {
            return this == FAST ? new FastEngine() : new ReferenceEngine();
        }
    }

    private IntegerEvaluation() {
    }

    static int run(Path modelFile, String datasetName, DataOptions data, int testLimit, boolean json, Engine choice,
            Path jsonOut) throws Exception {
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
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", modelFile.toString());
        out.put("fingerprint", model.fingerprint());
        out.put("engine", engine.name());
        out.put("dataset", name.id());
        out.put("images", test.size());
        out.put("correct", correct);
        out.put("accuracy", accuracy);
        out.put("seconds", seconds);
        if (jsonOut != null) {
            CheckpointFile.writeAtomically(jsonOut, Json.MAPPER.writeValueAsBytes(out));
        }
        if (json) {
            System.out.println(Json.MAPPER.writeValueAsString(out));
        } else {
            System.out.printf(Locale.ROOT, "%s on %s (%s engine): accuracy %.2f%% (%d/%d), %.1f images/s%n",
                    modelFile, name.id(), engine.name(), 100 * accuracy, correct, test.size(), test.size() / seconds);
        }
        return 0;
    }
}
