package io.lowbit.core.storage;

import io.lowbit.core.model.CodebookWeights;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.Node;
import io.lowbit.core.model.WeightedOp;
import java.util.ArrayList;
import java.util.List;

/** Storage of every weighted layer of an integer model and the total, against float32 ({@code docs/storage.md}). */
public record StorageReport(String model, List<LayerStorage> layers) {

    public StorageReport {
        layers = List.copyOf(layers);
    }

    public static StorageReport of(IntegerModel model) {
        List<LayerStorage> layers = new ArrayList<>();
        for (Node n : model.nodes()) {
            if (n.op() instanceof WeightedOp op) {
                layers.add(layer(n.id(), op));
            }
        }
        return new StorageReport(model.metadata().name(), layers);
    }

    static LayerStorage layer(String id, WeightedOp op) {
        int[] values;
        int valueBits;
        long codebookBits = 0;
        boolean signed;
        if (op.weights() instanceof CodebookWeights cb) {
            values = cb.indexes().toArray();
            valueBits = cb.indexBits();
            codebookBits = (long) cb.levels().size() * cb.levelType().bits();
            signed = false;
        } else {
            values = op.weights().decode().toArray();
            valueBits = op.weights().codeType().bits();
            signed = op.weights().codeType().signed();
        }
        long nonZero = 0;
        for (int v : values) {
            nonZero += v != 0 ? 1 : 0;
        }
        RelativeIndexEncoding sparse = RelativeIndexEncoding.best(values, valueBits, signed);
        return new LayerStorage(id, values.length, nonZero, valueBits, (long) values.length * valueBits,
                sparse.bits(values), sparse.gapBits(), codebookBits, 32L * op.outChannels());
    }

    public long bits() {
        return layers.stream().mapToLong(LayerStorage::bits).sum();
    }

    public long float32Bits() {
        return layers.stream().mapToLong(LayerStorage::float32Bits).sum();
    }

    public double compression() {
        return (double) float32Bits() / bits();
    }
}
