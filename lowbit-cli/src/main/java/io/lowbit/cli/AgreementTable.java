package io.lowbit.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.lowbit.train.loop.Json;
import io.lowbit.train.loop.RunDirectory;
import io.lowbit.train.loop.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Fake-quant model vs integer engine, one line per trained run: what {@code lowbit eval --int RUN/model.lbq
 * --agree-with-checkpoint RUN/best.lbck --json-out RUN/eval-int.json} measured ({@code lowbit compare
 * --agreement}). Issue 4's goal: the predicted class equal on at least 99.9 % of the images and the two accuracies
 * within 0.1 points.
 */
record AgreementTable(List<AgreementTable.Row> rows, List<String> unmeasured) {

    /** The file {@code agree} in {@code experiments/lib.sh} writes into a run directory. */
    static final String FILE = "eval-int.json";
    static final double MIN_AGREEMENT = 0.999;
    static final double MAX_ACCURACY_GAP = 0.001;

    record Row(String run, String model, double width, String quant, long images, long integerCorrect,
               long fakeQuantCorrect, long samePrediction) {

        boolean met() {
            return samePrediction >= MIN_AGREEMENT * images
                    && Math.abs(integerCorrect - fakeQuantCorrect) <= MAX_ACCURACY_GAP * images;
        }
    }

    /** Reads each run's {@code config.json} and {@code eval-int.json}; runs without the latter are listed apart. */
    static AgreementTable read(List<Path> runDirs) throws IOException {
        List<Row> rows = new ArrayList<>();
        List<String> unmeasured = new ArrayList<>();
        for (Path dir : runDirs) {
            Path file = dir.resolve(FILE);
            if (!Files.isRegularFile(file)) {
                unmeasured.add(dir.getFileName().toString());
                continue;
            }
            TrainConfig c = RunComparison.readJson(new RunDirectory(dir).config(), TrainConfig.class,
                    "no run in " + dir);
            JsonNode j;
            try {
                j = Json.MAPPER.readTree(file.toFile());
            } catch (JsonProcessingException e) {
                throw new IOException(file + ": not JSON (" + e.getOriginalMessage() + ")");
            }
            JsonNode fake = j.path("fakeQuant");
            long images = count(j, "images", file, Long.MAX_VALUE);
            if (images == 0) {
                throw new IOException(file + ": measured on 0 images");
            }
            rows.add(new Row(dir.getFileName().toString(), c.model(), c.width(), c.quant(), images,
                    count(j, "correct", file, images), count(fake, "correct", file, images),
                    count(fake, "samePrediction", file, images)));
        }
        return new AgreementTable(List.copyOf(rows), List.copyOf(unmeasured));
    }

    /** A count in {@code [0, max]}. */
    private static long count(JsonNode parent, String field, Path file, long max) throws IOException {
        JsonNode n = parent.get(field);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0 || n.asLong() > max) {
            throw new IOException(file + ": no count \"" + field + "\" (was it written by lowbit eval --int "
                    + "--agree-with-checkpoint --json-out?)");
        }
        return n.asLong();
    }

    String markdown() {
        StringBuilder sb = new StringBuilder("| run | model | quantization | integer engine | fake-quant | predicted"
                + " class equal | goal |\n|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            String same = r.samePrediction() == r.images()
                    ? String.format(Locale.ROOT, "%,d / %,d", r.samePrediction(), r.images())
                    : String.format(Locale.ROOT, "%,d / %,d (%.2f %%)", r.samePrediction(), r.images(),
                            100.0 * r.samePrediction() / r.images());
            sb.append(String.format(Locale.ROOT, "| `%s` | %s@%s | %s | %s | %s | %s | %s |%n", r.run(), r.model(),
                    RunComparison.trim(r.width()), RunComparison.quantLabel(r.quant()),
                    percent(r.integerCorrect(), r.images()), percent(r.fakeQuantCorrect(), r.images()), same,
                    r.met() ? "met" : "**missed**"));
        }
        return sb.toString();
    }

    private static String percent(long correct, long images) {
        return String.format(Locale.ROOT, "%.2f %%", 100.0 * correct / images);
    }
}
