package io.lowbit.cli;

import io.lowbit.accel.sim.LayerTiming;
import io.lowbit.accel.sim.Timing;
import io.lowbit.train.loop.ChartGrid;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/** Per-layer latency (stream, stall, drain stacked) and PE utilization of a simulated network, one PNG. */
final class SimChart {

    private static final int W = 720;
    private static final int H = 420;

    private SimChart() {
    }

    static void write(Timing t, String title, Path png) throws IOException {
        List<String> layers = t.layers().stream().map(LayerTiming::layer).toList();
        double kilo = 1000.0;
        CategoryChart cycles = new CategoryChartBuilder().width(W).height(H)
                .title(String.format(Locale.ROOT, "%s: cycles per layer (%.0f k in all, %.2f ms)", title,
                        t.totalCycles() / kilo, 1000 * t.latencySeconds()))
                .xAxisTitle("layer").yAxisTitle("kilocycles").build();
        cycles.getStyler().setStacked(true);
        cycles.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        cycles.getStyler().setXAxisLabelRotation(45);
        cycles.addSeries("stream", layers, t.layers().stream().map(l -> l.streamCycles() / kilo).toList());
        cycles.addSeries("stall (DMA, preload)", layers, t.layers().stream().map(l -> l.stallCycles() / kilo).toList());
        cycles.addSeries("drain", layers, t.layers().stream().map(l -> l.drainCycles() / kilo).toList());
        CategoryChart util = new CategoryChartBuilder().width(W).height(H)
                .title(String.format(Locale.ROOT, "PE utilization (network %.1f %%, %.1f GOP/s of %.1f peak)",
                        100 * t.utilization(), t.gops(), 2.0 * t.peakMacsPerCycle() * t.clockMHz() / 1000))
                .xAxisTitle("layer").yAxisTitle("useful MACs / peak (%)").build();
        util.getStyler().setLegendVisible(false);
        util.getStyler().setXAxisLabelRotation(45);
        util.getStyler().setYAxisMax(100.0);
        util.getStyler().setYAxisMin(0.0);
        util.addSeries("utilization", layers, t.layers().stream().map(l -> 100 * l.utilization()).toList())
                .setFillColor(new Color(0x2E7D32));
        ChartGrid.write(List.of(cycles, util), 2, W, H, png);
    }
}
