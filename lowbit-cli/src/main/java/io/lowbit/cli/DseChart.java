package io.lowbit.cli;

import io.lowbit.accel.dse.DesignPoint;
import io.lowbit.accel.resource.DeviceBudget;
import io.lowbit.train.loop.ChartGrid;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** {@code pareto.png}: simulated GOP/s against estimated LUTs, the front, the device's LUT budget, reference, best. */
final class DseChart {

    private static final int W = 900;
    private static final int H = 560;

    private DseChart() {
    }

    static void write(List<DesignPoint> points, DesignPoint ref, DesignPoint best, DeviceBudget device, double margin,
            String model, Path png) throws IOException {
        XYChart c = new XYChartBuilder().width(W).height(H)
                .title(String.format(Locale.ROOT, "%s on %s at %.0f MHz: simulated GOP/s vs estimated LUTs", model,
                        device.name(), ref.config().clockMHz()))
                .xAxisTitle("LUTs (conv unit, estimated)").yAxisTitle("GOP/s (simulated)").build();
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        c.getStyler().setMarkerSize(5);
        c.getStyler().setXAxisDecimalPattern("#,###");
        List<DesignPoint> sim = points.stream().filter(DesignPoint::simulated).toList();
        scatter(c, "over budget", sim, p -> !p.fits(), new Color(0xBDBDBD), SeriesMarkers.CIRCLE);
        scatter(c, "fits, RTL", sim, p -> p.fits() && p.realizable(), new Color(0x1565C0), SeriesMarkers.CIRCLE);
        scatter(c, "fits, no RTL (line buffers; PES too short for the adder tree)", sim,
                p -> p.fits() && !p.realizable(), new Color(0x8E24AA), SeriesMarkers.CIRCLE);
        List<DesignPoint> front = sim.stream().filter(DesignPoint::pareto)
                .sorted(Comparator.comparingLong(p -> p.checked().luts())).toList();
        if (!front.isEmpty()) {
            XYSeries s = c.addSeries("Pareto front", front.stream().map(p -> (double) p.checked().luts()).toList(),
                    front.stream().map(DesignPoint::gops).toList());
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setLineColor(new Color(0x2E7D32));
            s.setMarker(SeriesMarkers.NONE);
        }
        double maxGops = Math.max(ref.gops(), sim.stream().mapToDouble(DesignPoint::gops).max().orElse(1));
        double lutLimit = (1 - margin) * device.resources().luts();
        XYSeries limit = c.addSeries(String.format(Locale.ROOT, "LUT budget (%.0f %% of %,d)", 100 * (1 - margin),
                device.resources().luts()), List.of(lutLimit, lutLimit), List.of(0.0, maxGops * 1.05));
        limit.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        limit.setLineColor(Color.RED);
        limit.setMarker(SeriesMarkers.NONE);
        single(c, String.format(Locale.ROOT, "%s (reference, %.1f GOP/s)", ref.name(), ref.gops()), ref, Color.RED,
                SeriesMarkers.DIAMOND);
        if (best != null) {
            single(c, String.format(Locale.ROOT, "best: %s (%.1f GOP/s)", best.name(), best.gops()), best,
                    new Color(0xFF8F00), SeriesMarkers.SQUARE);
        }
        ChartGrid.write(List.of(c), 1, W, H, png);
    }

    private static void scatter(XYChart c, String name, List<DesignPoint> sim, Predicate<DesignPoint> which,
            Color color, org.knowm.xchart.style.markers.Marker marker) {
        List<DesignPoint> ps = sim.stream().filter(which).toList();
        if (ps.isEmpty()) {
            return;
        }
        XYSeries s = c.addSeries(name, ps.stream().map(p -> (double) p.checked().luts()).toList(),
                ps.stream().map(DesignPoint::gops).toList());
        s.setMarkerColor(color);
        s.setMarker(marker);
    }

    private static void single(XYChart c, String name, DesignPoint p, Color color,
            org.knowm.xchart.style.markers.Marker marker) {
        XYSeries s = c.addSeries(name, List.of((double) p.checked().luts()), List.of(p.gops()));
        s.setMarkerColor(color);
        s.setMarker(marker);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    }
}
