package io.lowbit.train.loop;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
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
        BufferedImage img = new BufferedImage(2 * W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 2 * W, H);
        g.drawImage(BitmapEncoder.getBufferedImage(loss), 0, 0, null);
        g.drawImage(BitmapEncoder.getBufferedImage(acc), W, 0, null);
        g.dispose();
        Path tmp = png.resolveSibling(png.getFileName() + ".tmp");
        ImageIO.write(img, "png", tmp.toFile());
        java.nio.file.Files.move(tmp, png, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
