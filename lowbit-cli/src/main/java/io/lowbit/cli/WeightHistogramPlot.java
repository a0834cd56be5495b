package io.lowbit.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import io.lowbit.core.model.CodebookWeights;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.Node;
import io.lowbit.core.model.OutputStage;
import io.lowbit.core.model.WeightedOp;
import io.lowbit.train.export.HostFloat;
import io.lowbit.train.loop.ChartGrid;
import io.lowbit.train.loop.TrainedModel;
import io.lowbit.train.nn.ConvUnit;
import io.lowbit.train.nn.LinearUnit;
import io.lowbit.train.nn.ResidualBlock;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Per layer, the histogram of the full-precision weights the quantizer sees (the QAT checkpoint's shadow weights,
 * BN folded as in training) with the exported quantized values marked: each codebook level (or distinct code) as a
 * vertical line whose height is the number of weights that take it, at its real value {@code code·S_w}. For a shift
 * output stage {@code S_w = S_out·2^−s/S_in} follows from the integer model itself (integer-semantics.md §9).
 */
final class WeightHistogramPlot {

    private static final int W = 420;
    private static final int H = 300;
    private static final int COLUMNS = 3;
    private static final int BINS = 60;

    /** One layer's data. */
    record Layer(String name, float[] fullPrecision, double[] levels, long[] levelCounts, double prunedFraction) {
    }

    private WeightHistogramPlot() {
    }

    /** Layers of the checkpoint matched with the integer model's nodes of the same name. */
    static List<Layer> collect(Path qatCheckpoint, IntegerModel model, int numClasses) throws IOException {
        List<Layer> layers = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainedModel trained = TrainedModel.load(qatCheckpoint, numClasses, manager);
            if (trained.plan() == null) {
                throw new IllegalArgumentException(qatCheckpoint + " is a float checkpoint: pass the QAT checkpoint"
                        + " the integer model was exported from");
            }
            List<Block> blocks = new ArrayList<>();
            flatten(trained.net(), blocks);
            for (Block b : blocks) {
                String name;
                float[] w;
                if (b instanceof ConvUnit c) {
                    name = c.spec().name();
                    w = c.spec().batchNorm() && c.bnMode() == ConvUnit.BnMode.FOLDED ? HostFloat.foldBn(c).weight()
                            : c.weight().getArray().toFloatArray();
                } else if (b instanceof LinearUnit l) {
                    name = l.name();
                    w = l.weight().getArray().toFloatArray();
                } else {
                    continue;
                }
                Node node = model.nodes().stream().filter(n -> n.id().equals(name)).findFirst().orElse(null);
                if (node != null && node.op() instanceof WeightedOp op) {
                    layers.add(layer(name, w, model, node, op));
                }
            }
        }
        return layers;
    }

    private static Layer layer(String name, float[] w, IntegerModel model, Node node, WeightedOp op) {
        double sw = weightScale(model, node, op);
        int[] codes = op.weights().decode().toArray();
        List<Integer> distinct = new ArrayList<>();
        if (op.weights() instanceof CodebookWeights cb) {
            distinct.addAll(cb.levels());
        } else {
            java.util.Arrays.stream(codes).distinct().sorted().forEach(distinct::add);
        }
        double[] levels = new double[distinct.size()];
        long[] counts = new long[distinct.size()];
        long zeros = 0;
        for (int code : codes) {
            counts[distinct.indexOf(code)]++;
            zeros += code == 0 ? 1 : 0;
        }
        for (int i = 0; i < levels.length; i++) {
            levels[i] = distinct.get(i) * sw;
        }
        return new Layer(name, w, levels, counts, (double) zeros / codes.length);
    }

    /** {@code S_w}: from the shift (§9) or the first channel's multiplier (§8); NaN for a raw accumulator output. */
    private static double weightScale(IntegerModel model, Node node, WeightedOp op) {
        double sIn = model.node(node.input()).output().scale(0);
        double sOut = node.output().scale(0);
        if (op.outputStage() instanceof OutputStage.Shift s) {
            return sOut * Math.scalb(1.0, -s.shift().rightShift()) / sIn;
        } else if (op.outputStage() instanceof OutputStage.Requantize r) {
            return r.requantizer().multiplier(0).toScale() * sOut / sIn;
        }
        return sOut / sIn; // accumulator output: its scale is S_in·S_w
    }

    static void write(List<Layer> layers, Path png) throws IOException {
        ChartGrid.write(layers.stream().map(WeightHistogramPlot::chart).toList(), COLUMNS, W, H, png);
    }

    private static XYChart chart(Layer l) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float v : l.fullPrecision()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        for (double v : l.levels()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double width = (hi - lo) / BINS;
        if (!(width > 0)) {
            width = 1;
        }
        double[] x = new double[BINS];
        double[] y = new double[BINS];
        for (int b = 0; b < BINS; b++) {
            x[b] = lo + (b + 0.5) * width;
        }
        for (float v : l.fullPrecision()) {
            y[Math.min(BINS - 1, (int) ((v - lo) / width))]++;
        }
        XYChart c = new XYChartBuilder().width(W).height(H)
                .title(String.format(Locale.ROOT, "%s: %d weights, %.1f %% zero after quantization", l.name(),
                        l.fullPrecision().length, 100 * l.prunedFraction()))
                .xAxisTitle("weight (real value)").yAxisTitle("count (red: per level, scaled)").build();
        c.getStyler().setLegendVisible(false);
        c.getStyler().setChartTitleFont(c.getStyler().getChartTitleFont().deriveFont(11f));
        XYSeries hist = c.addSeries("full precision", x, y);
        hist.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.StepArea);
        hist.setMarker(SeriesMarkers.NONE);
        hist.setFillColor(new Color(0x90CAF9));
        hist.setLineColor(new Color(0x1E88E5));
        // quantized values: their counts are up to BINS× a bin's, so scale them to the histogram's peak
        double peak = 1;
        for (double v : y) {
            peak = Math.max(peak, v);
        }
        long maxCount = 1;
        for (long n : l.levelCounts()) {
            maxCount = Math.max(maxCount, n);
        }
        for (int i = 0; i < l.levels().length; i++) {
            double h = peak * l.levelCounts()[i] / maxCount;
            XYSeries s = c.addSeries(String.format(Locale.ROOT, "level %.4g (%d)", l.levels()[i],
                    l.levelCounts()[i]), new double[] {l.levels()[i], l.levels()[i]}, new double[] {0, h});
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(new Color(0xD32F2F));
            s.setLineWidth(2.5f);
        }
        return c;
    }

    private static void flatten(Block b, List<Block> out) {
        if (b instanceof ResidualBlock r) {
            flatten(r.main(), out);
            if (r.projection() != null) {
                out.add(r.projection());
            }
        } else if (b instanceof SequentialBlock s) {
            for (Block child : s.getChildren().values()) {
                flatten(child, out);
            }
        } else {
            out.add(b);
        }
    }
}
