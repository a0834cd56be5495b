package io.lowbit.cli;

import io.lowbit.train.loop.ChartGrid;
import io.lowbit.train.loop.EpochMetrics;
import io.lowbit.train.loop.RunDirectory;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The training curves of several runs on common axes — test accuracy and training loss per epoch, one line per run
 * ({@code lowbit compare --curves}): how fast each method recovers from quantization, not only where it ends.
 * Float runs are dashed (grey, as in {@link AccuracyVsBitsChart}, when there is one; in their own colours when
 * several are compared). Each run's epochs are its own (a fine-tuning run
 * starts at its epoch 1). The legend goes below the plot, where a sweep's long run names fit.
 */
final class TrainingCurvesChart {

    private static final int W = 640;
    private static final int H = 560;

    private TrainingCurvesChart() {
    }

    /** Writes the PNG; returns the runs drawn (those with at least one finished epoch). */
    static List<String> write(RunComparison c, List<Path> runDirs, String title, Path png) throws IOException {
        XYChart acc = new XYChartBuilder().width(W).height(H).title(title + ": test accuracy")
                .xAxisTitle("epoch of the run").yAxisTitle("test top-1 (%)").build();
        XYChart loss = new XYChartBuilder().width(W).height(H).title(title + ": training loss")
                .xAxisTitle("epoch of the run").yAxisTitle("cross-entropy").build();
        for (XYChart chart : List.of(acc, loss)) {
            chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        }
        boolean grey = c.rows().stream().filter(RunComparison.Row::isFloat).count() == 1;
        List<String> drawn = new ArrayList<>();
        for (int i = 0; i < runDirs.size(); i++) {
            RunComparison.Row row = c.rows().get(i);
            Path csv = new RunDirectory(runDirs.get(i)).metricsCsv();
            if (row.epochsDone() == 0 || !Files.isRegularFile(csv)) {
                continue; // started, no epoch finished yet
            }
            List<EpochMetrics> history = EpochMetrics.readCsv(csv);
            if (history.isEmpty()) {
                continue;
            }
            String name = row.run() + " (" + row.bitsLabel() + ")";
            add(acc, name, history, m -> 100 * m.testAccuracy(), row.isFloat(), grey);
            add(loss, name, history, EpochMetrics::trainLoss, row.isFloat(), grey);
            drawn.add(row.run());
        }
        if (drawn.isEmpty()) {
            throw new IllegalArgumentException("no run has a finished epoch to draw (metrics.csv)");
        }
        ChartGrid.write(List.of(acc, loss), 2, W, H, png);
        return drawn;
    }

    private static void add(XYChart chart, String name, List<EpochMetrics> history,
            ToDoubleFunction<EpochMetrics> y, boolean dashed, boolean grey) {
        XYSeries s = chart.addSeries(name, history.stream().mapToDouble(EpochMetrics::epoch).toArray(),
                history.stream().mapToDouble(y).toArray());
        s.setMarker(history.size() <= 30 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        if (dashed) {
            s.setLineStyle(SeriesLines.DASH_DASH);
            if (grey) {
                s.setLineColor(Color.DARK_GRAY);
                s.setMarkerColor(Color.DARK_GRAY);
            }
        }
    }
}
