package io.lowbit.cli;

import io.lowbit.core.model.file.IntegerModelFile;
import io.lowbit.core.storage.StorageReport;
import io.lowbit.train.loop.ChartGrid;
import io.lowbit.train.loop.Json;
import io.lowbit.train.loop.RunDirectory;
import io.lowbit.train.loop.TrainConfig;
import io.lowbit.train.loop.TrainingSummary;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The picture of a CLIP-Q search ({@code lowbit search}, {@code search.png}): every evaluation's validation accuracy
 * against the compression of the model it proposed (the uniform setting and the chosen one marked) and, when trained
 * runs are given, their final test accuracy against the compression {@code lowbit size} measures on their exported
 * model files.
 */
final class SearchChart {

    private static final int W = 720;
    private static final int H = 480;

    /** A trained run: its name, compression against float32 (NaN: a float run), final test accuracy. */
    record Trained(String run, double compression, double accuracy) {

        /**
         * Reads a training run directory: {@code summary.json}, and {@code model.lbq} (from {@code lowbit export})
         * unless the run is float.
         */
        static Trained read(Path dir) throws IOException {
            RunDirectory run = new RunDirectory(dir);
            if (!Files.isRegularFile(run.summaryJson())) {
                throw new IllegalArgumentException(dir + ": no summary.json (not a finished training run)");
            }
            TrainingSummary s = Json.MAPPER.readValue(run.summaryJson().toFile(), TrainingSummary.class);
            TrainConfig c = Json.MAPPER.readValue(run.config().toFile(), TrainConfig.class);
            String name = dir.getFileName().toString();
            if (c.quant() == null) {
                return new Trained(name, Double.NaN, s.finalTestAccuracy());
            }
            Path lbq = dir.resolve("model.lbq");
            if (!Files.isRegularFile(lbq)) {
                throw new IllegalArgumentException(dir + ": no model.lbq; export it first (lowbit export " + dir
                        + "/best.lbck --out " + lbq + ")");
            }
            return new Trained(name, StorageReport.of(IntegerModelFile.read(lbq)).compression(),
                    s.finalTestAccuracy());
        }
    }

    private SearchChart() {
    }

    static void write(SearchCommand.SearchState state, List<SearchEvaluation> evaluations, List<Trained> trained,
            Path png) throws IOException {
        long total = state.weights().values().stream().mapToLong(Long::longValue).sum();
        XYChart search = new XYChartBuilder().width(W).height(H)
                .title(String.format(Locale.ROOT, "search: %d evaluations (%d epoch(s) on %d images per class)",
                        evaluations.size(), ((Number) state.settings().get("epochs")).intValue(),
                        ((Number) state.settings().get("trainPerClass")).intValue()))
                .xAxisTitle("compression vs float32 (weight bits as the search counts them)")
                .yAxisTitle("validation top-1 (%)").build();
        search.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        search.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        search.getStyler().setMarkerSize(7);
        Map<String, List<SearchEvaluation>> byLayer = new LinkedHashMap<>();
        for (SearchEvaluation e : evaluations) {
            byLayer.computeIfAbsent(e.layer(), l -> new ArrayList<>()).add(e);
        }
        byLayer.forEach((layer, es) -> search.addSeries(layer,
                es.stream().map(e -> e.compression(total)).toList(),
                es.stream().map(e -> 100 * (1 - e.error())).toList()));
        search.getStyler().setXAxisDecimalPattern("0.0");
        search.getStyler().setYAxisDecimalPattern("0");
        // the first evaluation is the uniform setting (search.md); once every layer is chosen, the last layer's best
        // evaluation is the chosen model itself
        if (!evaluations.isEmpty()) {
            SearchEvaluation first = evaluations.get(0);
            if (Math.abs(first.p() - 0.2) < 1e-9 && first.b() == 2) {
                marker(search, "uniform p=0.2, b=2", first, total, new Color(0x424242), SeriesMarkers.SQUARE);
            }
            String last = state.layers().get(state.layers().size() - 1);
            double[] c = state.chosen().get(last);
            evaluations.stream().filter(e -> e.layer().equals(last) && c != null && e.p() == c[0] && e.b() == c[1])
                    .findFirst().ifPresent(e -> marker(search, "chosen (all layers)", e, total, Color.RED,
                            SeriesMarkers.DIAMOND));
        }
        List<XYChart> charts = new ArrayList<>(List.of(search));
        if (!trained.isEmpty()) {
            charts.add(trainedChart(trained));
        }
        ChartGrid.write(charts, charts.size(), W, H, png);
    }

    private static XYChart trainedChart(List<Trained> trained) {
        XYChart c = new XYChartBuilder().width(W).height(H).title("trained: final test accuracy vs model size")
                .xAxisTitle("compression vs float32 (lowbit size: weights, codebooks, biases)")
                .yAxisTitle("final test top-1 (%)").build();
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        c.getStyler().setMarkerSize(10);
        c.getStyler().setXAxisDecimalPattern("0.00");
        c.getStyler().setYAxisDecimalPattern("0.0");
        List<Trained> quantized = trained.stream().filter(t -> !Double.isNaN(t.compression())).toList();
        double yLo = trained.stream().mapToDouble(t -> 100 * t.accuracy()).min().orElse(0);
        double yHi = trained.stream().mapToDouble(t -> 100 * t.accuracy()).max().orElse(100);
        c.getStyler().setYAxisMin(Math.floor(yLo - 1));
        c.getStyler().setYAxisMax(Math.ceil(yHi + 1));
        double xLo = quantized.stream().mapToDouble(Trained::compression).min().orElse(1) * 0.97;
        double xHi = quantized.stream().mapToDouble(Trained::compression).max().orElse(1) * 1.03;
        for (Trained t : quantized) {
            c.addSeries(String.format(Locale.ROOT, "%s: %.2f %%, %.2f×", t.run(), 100 * t.accuracy(), t.compression()),
                    List.of(t.compression()), List.of(100 * t.accuracy())).setMarker(SeriesMarkers.DIAMOND);
        }
        for (Trained t : trained) {
            if (Double.isNaN(t.compression())) {
                XYSeries s = c.addSeries(String.format(Locale.ROOT, "%s (float): %.2f %%", t.run(),
                        100 * t.accuracy()), List.of(xLo, xHi), List.of(100 * t.accuracy(), 100 * t.accuracy()));
                s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                s.setMarker(SeriesMarkers.NONE);
                s.setLineStyle(SeriesLines.DASH_DASH);
            }
        }
        return c;
    }

    private static void marker(XYChart c, String name, SearchEvaluation e, long total, Color color,
            Marker shape) {
        XYSeries s = c.addSeries(String.format(Locale.ROOT, "%s: %.2f %%, %.2f×", name, 100 * (1 - e.error()),
                e.compression(total)), List.of(e.compression(total)), List.of(100 * (1 - e.error())));
        s.setMarker(shape);
        s.setMarkerColor(color);
    }
}
