package io.lowbit.train.loop;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One row of {@code metrics.csv}: the training and test figures of one epoch. */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                           double learningRate, double seconds, double imagesPerSecond, double dataWaitSeconds) {

    static final String CSV_HEADER = "epoch,train_loss,train_acc,test_loss,test_acc,lr,seconds,images_per_s,data_wait_s";
    /** More rows than any run has epochs: a longer file is not a {@code metrics.csv} (and is not read whole). */
    static final int MAX_ROWS = 100_000;
    /** A row is under 100 bytes; a larger file (one endless line, say) is refused before it is read. */
    static final long MAX_BYTES = 100L * MAX_ROWS;

    String csvRow() {
        return String.format(java.util.Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f,%.6g,%.2f,%.1f,%.3f", epoch, trainLoss,
                trainAccuracy, testLoss, testAccuracy, learningRate, seconds, imagesPerSecond, dataWaitSeconds);
    }

    /**
     * The rows of a run's {@code metrics.csv} ({@link TrainingRun} writes it after every epoch, atomically).
     *
     * @throws IOException naming the file and the line when it is not one: another header, a row of other length,
     *                     a value that is no number, more than {@value #MAX_ROWS} rows or {@value #MAX_BYTES} bytes
     */
    public static List<EpochMetrics> readCsv(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new IOException(file + ": " + size + " bytes, more than a metrics.csv of " + MAX_ROWS
                    + " epochs; not a lowbit metrics.csv");
        }
        List<EpochMetrics> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null || !header.strip().equals(CSV_HEADER)) {
                throw new IOException(file + ": not a lowbit metrics.csv (its first line is not \"" + CSV_HEADER
                        + "\")");
            }
            String line;
            int n = 1;
            while ((line = in.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                if (rows.size() == MAX_ROWS) {
                    throw new IOException(file + ": more than " + MAX_ROWS + " rows; not a lowbit metrics.csv");
                }
                String[] f = line.split(",", -1);
                if (f.length != 9) {
                    throw new IOException(file + " line " + n + ": " + f.length + " fields, expected 9 ("
                            + CSV_HEADER + ")");
                }
                try {
                    rows.add(new EpochMetrics(Integer.parseInt(f[0].strip()), num(f[1]), num(f[2]), num(f[3]),
                            num(f[4]), num(f[5]), num(f[6]), num(f[7]), num(f[8])));
                } catch (NumberFormatException e) {
                    throw new IOException(file + " line " + n + ": not a number (" + e.getMessage() + ")");
                }
            }
        }
        return rows;
    }

    private static double num(String s) {
        return Double.parseDouble(s.strip());
    }
}
