package io.lowbit.train.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The data files a dataset needs inside its folder, and which of them are missing.
 *
 * @param folder the dataset folder, {@code <data dir>/<folder name>}
 * @param train  training files in reading order
 * @param test   the test file
 */
record DatasetFiles(Path folder, List<Path> train, Path test) {

    /** Stands for "at least one training batch" of the mini set when none is present. */
    static final String ANY_MINI_BATCH = "data_batch_*.bin (at least one)";

    private static final Pattern MINI_BATCH = Pattern.compile("data_batch_(\\d{1,6})\\.bin");

    DatasetFiles {
        train = List.copyOf(train);
    }

    /** The files {@code name} needs in {@code folder}. Lists the folder only for {@link DatasetName#CIFAR10_MINI}. */
    static DatasetFiles of(DatasetName name, Path folder) throws IOException {
        return switch (name) {
            case CIFAR10 -> new DatasetFiles(folder,
                    IntStream.rangeClosed(1, 5).mapToObj(i -> folder.resolve("data_batch_" + i + ".bin")).toList(),
                    folder.resolve("test_batch.bin"));
            case CIFAR10_MINI -> new DatasetFiles(folder, miniBatches(folder), folder.resolve("test_batch.bin"));
            case CIFAR100 -> new DatasetFiles(folder, List.of(folder.resolve("train.bin")),
                    folder.resolve("test.bin"));
        };
    }

    /** Names (relative to {@link #folder}) of the required files that are not regular files. */
    List<String> missing() {
        List<String> missing = new ArrayList<>();
        if (train.isEmpty()) {
            missing.add(ANY_MINI_BATCH);
        }
        Stream.concat(train.stream(), Stream.of(test))
                .filter(file -> !Files.isRegularFile(file))
                .forEach(file -> missing.add(folder.relativize(file).toString()));
        return missing;
    }

    /** Every {@code data_batch_<n>.bin} in the folder, by increasing n (so 10 comes after 9). */
    private static List<Path> miniBatches(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries
                    .filter(path -> MINI_BATCH.matcher(path.getFileName().toString()).matches())
                    .sorted(Comparator.comparingInt(DatasetFiles::batchNumber))
                    .toList();
        }
    }

    private static int batchNumber(Path path) {
        Matcher m = MINI_BATCH.matcher(path.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalStateException("not a batch file: " + path);
        }
        return Integer.parseInt(m.group(1));
    }
}
