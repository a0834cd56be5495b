package io.lowbit.cli;

import io.lowbit.accel.sim.LayerTiming;
import io.lowbit.accel.sim.Timing;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
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
        BufferedImage img = new BufferedImage(2 * W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 2 * W, H);
        g.drawImage(BitmapEncoder.getBufferedImage(cycles), 0, 0, null);
        g.drawImage(BitmapEncoder.getBufferedImage(util), W, 0, null);
        g.dispose();
        Path tmp = png.resolveSibling(png.getFileName() + ".tmp");
        ImageIO.write(img, "png", tmp.toFile());
        Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
