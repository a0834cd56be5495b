package io.lowbit.train.loop;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Draws loss and accuracy per epoch side by side into one PNG. */
public final class CurvePlot {

    private static final int W = 640;
    private static final int H = 420;

    private CurvePlot() {
    }

    public static void write(List<EpochMetrics> history, String title, Path png) throws IOException {
        double[] epochs = history.stream().mapToDouble(EpochMetrics::epoch).toArray();
        XYChart loss = new XYChartBuilder().width(W).height(H).title(title + " — loss")
                .xAxisTitle("epoch").yAxisTitle("cross-entropy").build();
        loss.addSeries("train", epochs, history.stream().mapToDouble(EpochMetrics::trainLoss).toArray())
                .setMarker(SeriesMarkers.CIRCLE);
        loss.addSeries("test", epochs, history.stream().mapToDouble(EpochMetrics::testLoss).toArray())
                .setMarker(SeriesMarkers.DIAMOND);
        XYChart acc = new XYChartBuilder().width(W).height(H).title(title + " — accuracy")
                .xAxisTitle("epoch").yAxisTitle("accuracy (%)").build();
        acc.addSeries("train", epochs,
                history.stream().mapToDouble(m -> 100 * m.trainAccuracy()).toArray()).setMarker(SeriesMarkers.CIRCLE);
        acc.addSeries("test", epochs,
                history.stream().mapToDouble(m -> 100 * m.testAccuracy()).toArray()).setMarker(SeriesMarkers.DIAMOND);
        ChartGrid.write(List.of(loss, acc), 2, W, H, png);
    }
}
