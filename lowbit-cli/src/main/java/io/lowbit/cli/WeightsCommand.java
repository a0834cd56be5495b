package io.lowbit.cli;

import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.file.IntegerModelFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lowbit weights}: per-layer histograms of a QAT checkpoint's weights with its integer model's levels. */
@Command(name = "weights", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Per layer, the histogram of the full-precision (shadow) weights a QAT checkpoint trained, BN "
                + "folded as in training, with the exported quantized values marked (each codebook level or distinct "
                + "code at its real value, its height the number of weights that take it), and the pruned fraction: "
                + "the weights before and after quantization in one picture.",
        footer = {"", "Example:",
            "  lowbit weights runs/qat/best.lbck runs/qat/model.lbq -o weights.png"})
final class WeightsCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CKPT", description = "The QAT checkpoint (.lbck)")
    Path checkpoint;

    @Parameters(index = "1", paramLabel = "MODEL", description = "Its integer model (.lbq, from lowbit export)")
    Path modelFile;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", required = true, description = "PNG to write")
    Path output;

    @Override
    public Integer call() throws Exception {
        IntegerModel model = IntegerModelFile.read(modelFile);
        int classes = model.outputNode().output().shape().elementCount();
        List<WeightHistogramPlot.Layer> layers = WeightHistogramPlot.collect(checkpoint, model, classes);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("no layer of " + checkpoint + " matches a weighted node of " + modelFile
                    + ": is the model the export of this checkpoint?");
        }
        WeightHistogramPlot.write(layers, output);
        for (WeightHistogramPlot.Layer l : layers) {
            System.out.printf(Locale.ROOT, "%-10s %,9d weights, %2d levels, %5.1f %% zero%n", l.name(),
                    l.fullPrecision().length, l.levels().length, 100 * l.prunedFraction());
        }
        System.out.println("wrote " + output);
        return 0;
    }
}
