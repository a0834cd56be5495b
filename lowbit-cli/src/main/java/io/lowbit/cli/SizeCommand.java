package io.lowbit.cli;

import io.lowbit.core.model.file.IntegerModelFile;
import io.lowbit.core.storage.LayerStorage;
import io.lowbit.core.storage.StorageReport;
import io.lowbit.train.loop.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lowbit size}: storage of an integer model's weights, dense or sparse, against float32. */
@Command(name = "size", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Storage of an integer model: per weighted layer the pruned fraction, dense bits (b-bit "
                + "indexes or codes), the relative-index sparse encoding of the non-zero weights (Deep Compression, "
                + "best gap width), codebook and int32 bias bits, the smaller encoding, and the compression against "
                + "float32 (docs/storage.md).",
        footer = {"", "Example:", "  lowbit size runs/demo/qat/model.lbq --json"})
final class SizeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "An .lbq integer model file")
    Path modelFile;

    @Option(names = "--json", description = "Print JSON instead of a table")
    boolean json;

    @Override
    public Integer call() throws Exception {
        StorageReport r = StorageReport.of(IntegerModelFile.read(modelFile));
        if (json) {
            System.out.println(Json.MAPPER.writeValueAsString(toMap(r)));
            return 0;
        }
        System.out.printf(Locale.ROOT, "%-8s %10s %7s %4s %12s %12s %4s %9s %9s %10s %8s%n", "layer", "weights",
                "pruned", "b", "dense bits", "sparse bits", "gap", "codebook", "bias", "bytes", "vs fp32");
        for (LayerStorage l : r.layers()) {
            System.out.printf(Locale.ROOT, "%-8s %,10d %6.1f%% %4d %,12d %,12d %4d %9d %9d %,10d %7.1f×%n", l.layer(),
                    l.weights(), 100 * l.prunedFraction(), l.valueBits(), l.denseBits(), l.sparseBits(), l.gapBits(),
                    l.codebookBits(), l.biasBits(), (l.bits() + 7) / 8, l.compression());
        }
        System.out.printf(Locale.ROOT, "total: %,d bytes (float32 %,d bytes): %.1f× smaller%n", (r.bits() + 7) / 8,
                r.float32Bits() / 8, r.compression());
        return 0;
    }

    static Map<String, Object> toMap(StorageReport r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", r.model());
        List<Map<String, Object>> layers = new ArrayList<>();
        for (LayerStorage l : r.layers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("layer", l.layer());
            m.put("weights", l.weights());
            m.put("nonZero", l.nonZero());
            m.put("prunedFraction", l.prunedFraction());
            m.put("valueBits", l.valueBits());
            m.put("denseBits", l.denseBits());
            m.put("sparseBits", l.sparseBits());
            m.put("sparseGapBits", l.gapBits());
            m.put("encoding", l.sparseIsSmaller() ? "relative-index" : "dense");
            m.put("codebookBits", l.codebookBits());
            m.put("biasBits", l.biasBits());
            m.put("bits", l.bits());
            m.put("float32Bits", l.float32Bits());
            m.put("compression", l.compression());
            layers.add(m);
        }
        out.put("layers", layers);
        out.put("bits", r.bits());
        out.put("float32Bits", r.float32Bits());
        out.put("compression", r.compression());
        return out;
    }
}
