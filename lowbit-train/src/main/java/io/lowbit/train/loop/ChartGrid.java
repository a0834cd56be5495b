package io.lowbit.train.loop;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/** Several charts of one size in a grid, written as one PNG atomically (a reader never sees half a file). */
public final class ChartGrid {

    private ChartGrid() {
    }

    /** Charts row by row, {@code columns} per row, each {@code width × height}. */
    public static void write(List<? extends Chart<?, ?>> charts, int columns, int width, int height, Path png)
            throws IOException {
        int rows = Math.max(1, (charts.size() + columns - 1) / columns);
        BufferedImage img = new BufferedImage(columns * width, rows * height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        for (int i = 0; i < charts.size(); i++) {
            g.drawImage(BitmapEncoder.getBufferedImage(charts.get(i)), (i % columns) * width, (i / columns) * height,
                    null);
        }
        g.dispose();
        Path tmp = png.resolveSibling(png.getFileName() + ".tmp");
        ImageIO.write(img, "png", tmp.toFile());
        Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
