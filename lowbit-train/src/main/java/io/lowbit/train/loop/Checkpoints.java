package io.lowbit.train.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.lowbit.train.model.Networks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Saves and restores a network (all parameters including BN running statistics, by hierarchical name), the
 * optimizer state and the run metadata as one {@link CheckpointFile}.
 */
public final class Checkpoints {

    private static final String PARAM = "param/";
    private static final String OPT = "opt/";

    private Checkpoints() {
    }

    public static void save(Path file, Block net, ParameterOptimizer optimizer, CheckpointMeta meta)
            throws IOException {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        Networks.namedParameters(net).forEach((name, p) -> tensors.put(PARAM + name, p.getArray()));
        if (optimizer != null) {
            optimizer.stateArrays().forEach((name, a) -> tensors.put(OPT + name, a));
        }
        CheckpointFile.write(file, Json.MAPPER.writeValueAsString(meta), tensors);
    }

    /** Reads only the metadata (e.g. to rebuild the model a checkpoint belongs to). */
    public static CheckpointMeta readMeta(Path file) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            return parseMeta(file, CheckpointFile.read(file, m));
        }
    }

    /**
     * Copies the checkpoint's parameters into {@code net} (which must have exactly the same parameter names and
     * shapes) and, when {@code optimizer} is non-null, restores its state.
     */
    public static CheckpointMeta load(Path file, Block net, ParameterOptimizer optimizer, NDManager manager)
            throws IOException {
        try (NDManager m = manager.newSubManager()) {
            CheckpointFile.Contents c = CheckpointFile.read(file, m);
            CheckpointMeta meta = parseMeta(file, c);
            Map<String, Parameter> params = Networks.namedParameters(net);
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                NDArray t = c.tensors().get(PARAM + e.getKey());
                if (t == null) {
                    throw new CheckpointFormatException(file, "has no parameter " + e.getKey()
                            + " (was it written for another model?)");
                }
                NDArray target = e.getValue().getArray();
                if (!t.getShape().equals(target.getShape())) {
                    throw new CheckpointFormatException(file, "parameter " + e.getKey() + " has shape "
                            + t.getShape() + ", the model expects " + target.getShape());
                }
                t.copyTo(target);
            }
            long extra = c.tensors().keySet().stream()
                    .filter(k -> k.startsWith(PARAM) && !params.containsKey(k.substring(PARAM.length()))).count();
            if (extra > 0) {
                throw new CheckpointFormatException(file, extra + " parameters do not exist in this model");
            }
            if (optimizer != null) {
                Map<String, NDArray> state = new LinkedHashMap<>();
                c.tensors().forEach((k, v) -> {
                    if (k.startsWith(OPT)) {
                        state.put(k.substring(OPT.length()), v);
                    }
                });
                optimizer.restore(state, meta.optimizerSteps(), params);
            }
            return meta;
        }
    }

    /**
     * Initializes {@code net} from another run's checkpoint (e.g. float weights before quantization-aware
     * training): every parameter of the checkpoint must exist in {@code net} with the same shape; parameters of
     * {@code net} absent from the checkpoint must belong to quantizers (they keep their own initialization).
     */
    public static CheckpointMeta loadWeights(Path file, Block net, NDManager manager) throws IOException {
        try (NDManager m = manager.newSubManager()) {
            CheckpointFile.Contents c = CheckpointFile.read(file, m);
            CheckpointMeta meta = parseMeta(file, c);
            Map<String, Parameter> params = Networks.namedParameters(net);
            for (Map.Entry<String, NDArray> e : c.tensors().entrySet()) {
                if (!e.getKey().startsWith(PARAM)) {
                    continue;
                }
                String name = e.getKey().substring(PARAM.length());
                Parameter p = params.get(name);
                if (p == null) {
                    throw new CheckpointFormatException(file, "parameter " + name + " does not exist in this model "
                            + "(was the checkpoint written for another model or width?)");
                }
                if (!e.getValue().getShape().equals(p.getArray().getShape())) {
                    throw new CheckpointFormatException(file, "parameter " + name + " has shape "
                            + e.getValue().getShape() + ", the model expects " + p.getArray().getShape());
                }
                e.getValue().copyTo(p.getArray());
            }
            for (String name : params.keySet()) {
                if (!c.tensors().containsKey(PARAM + name) && !name.contains("Transform")) {
                    throw new CheckpointFormatException(file, "has no parameter " + name);
                }
            }
            return meta;
        }
    }

    private static CheckpointMeta parseMeta(Path file, CheckpointFile.Contents c) throws CheckpointFormatException {
        try {
            return Json.MAPPER.readValue(c.metadataJson(), CheckpointMeta.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new CheckpointFormatException(file, "unreadable metadata: " + e.getMessage());
        }
    }
}
