package io.lowbit.cli;

import io.lowbit.train.loop.ChartGrid;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Final test accuracy against bits, one line per method and variant ({@link RunComparison.Row#series}), the float
 * run as a dashed grey line (a colour of its own, whatever the number of methods): the picture of a quantization
 * sweep. Only runs with equal weight and activation bits (W{@code k}A{@code k}) are drawn; runs of one line at one
 * bit width (seeds) are drawn as their mean, with a bar of ± their sample standard deviation.
 */
final class AccuracyVsBitsChart {

    private static final int W = 720;
    private static final int H = 460;

    private AccuracyVsBitsChart() {
    }

    /** Writes the PNG; returns the number of runs drawn. */
    static int write(RunComparison c, String title, Path png) throws IOException {
        Map<String, List<RunComparison.Row>> byMethod = new LinkedHashMap<>();
        List<RunComparison.Row> floats = new ArrayList<>();
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (RunComparison.Row r : c.rows()) {
            if (r.epochsDone() == 0) {
                continue; // started, nothing measured yet
            } else if (r.isFloat()) {
                floats.add(r);
            } else if (r.weightBits().equals(r.activationBits())) {
                byMethod.computeIfAbsent(r.series(), k -> new ArrayList<>()).add(r);
                min = Math.min(min, r.weightBits());
                max = Math.max(max, r.weightBits());
            }
        }
        if (byMethod.isEmpty()) {
            throw new IllegalArgumentException("no quantized run with equal weight and activation bits to draw");
        }
        XYChart chart = new XYChartBuilder().width(W).height(H).title(title)
                .xAxisTitle("bits (weights = activations; first and last layer as configured)")
                .yAxisTitle("final test top-1 (%)").build();
        chart.getStyler().setXAxisMin(min - 0.5);
        chart.getStyler().setXAxisMax(max + 0.5);
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        int drawn = 0;
        for (Map.Entry<String, List<RunComparison.Row>> e : byMethod.entrySet()) {
            // several runs at one point (seeds): their mean, with a bar of ± their sample standard deviation
            TreeMap<Integer, List<Double>> byBits = new TreeMap<>();
            for (RunComparison.Row r : e.getValue()) {
                byBits.computeIfAbsent(r.weightBits(), k -> new ArrayList<>()).add(100 * r.finalAccuracy());
            }
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            List<Double> bar = new ArrayList<>();
            boolean spread = false;
            for (Map.Entry<Integer, List<Double>> p : byBits.entrySet()) {
                x.add((double) p.getKey());
                y.add(RunComparison.mean(p.getValue()));
                bar.add(RunComparison.sampleSd(p.getValue()));
                spread |= p.getValue().size() > 1;
            }
            String name = e.getKey() + (spread ? " (mean ± sd of seeds)" : "");
            XYSeries s = spread ? chart.addSeries(name, x, y, bar) : chart.addSeries(name, x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
            drawn += e.getValue().size();
        }
        for (RunComparison.Row f : floats) {
            XYSeries s = chart.addSeries("float (" + f.run() + ")", List.of(min - 0.5, max + 0.5),
                    List.of(100 * f.finalAccuracy(), 100 * f.finalAccuracy()));
            s.setMarker(SeriesMarkers.NONE);
            s.setLineStyle(SeriesLines.DASH_DASH);
            s.setLineColor(Color.DARK_GRAY);
        }
        ChartGrid.write(List.of(chart), 1, W, H, png);
        return drawn;
    }
}
