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
        int[] values; // what the sparse stream stores: 0 is a pruned weight
        int valueBits;
        boolean signed;
        int denseBits;
        long codebookBits = 0;
        if (op.weights() instanceof CodebookWeights cb) {
            values = cb.indexes().toArray(); // CLIP-Q's entry 0 is the level 0
            valueBits = cb.indexBits();
            signed = false;
            denseBits = valueBits;
            codebookBits = (long) cb.levels().size() * cb.levelType().bits();
        } else {
            values = op.weights().decode().toArray();
            valueBits = op.weights().codeType().bits();
            signed = op.weights().codeType().signed();
            denseBits = valueBits;
            CodeTable table = CodeTable.of(values);
            long tableBits = (long) table.levels().length * valueBits;
            if ((long) values.length * table.indexBits() + tableBits < (long) values.length * valueBits) {
                // few distinct codes: dense indexes into a table of them take fewer bits, table included
                denseBits = table.indexBits();
                codebookBits = tableBits;
                if (table.levels()[0] == 0) { // the sparse stream too, index 0 being code 0
                    values = table.encode(values);
                    valueBits = denseBits;
                    signed = false;
                } // else no weight is 0: the sparse stream keeps the codes (and never wins)
            }
        }
        long nonZero = 0;
        for (int v : values) {
            nonZero += v != 0 ? 1 : 0;
        }
        RelativeIndexEncoding sparse = RelativeIndexEncoding.best(values, valueBits, signed);
        return new LayerStorage(id, values.length, nonZero, denseBits, (long) values.length * denseBits,
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
