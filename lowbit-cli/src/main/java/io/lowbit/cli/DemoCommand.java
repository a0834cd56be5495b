package io.lowbit.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code lowbit demo}: the flow on a small default, as a sequence of the real subcommands (each step can be run
 * alone with the command it prints). It currently covers float training and evaluation; quantization, export,
 * simulation and hardware join as they land.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the lowbit flow end to end on a small default (a half-width NIN on a 10,000-image "
                + "CIFAR-10 subset, a few minutes on 2 cores). --full runs the full-size experiment instead.")
final class DemoCommand implements Callable<Integer> {

    @Mixin
    DataOptions data;

    @Option(names = "--run-dir", paramLabel = "DIR", description = "Run directory (default: runs/demo-<timestamp>)")
    Path runDir;

    @Option(names = "--model", defaultValue = "nin", description = "Model (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--width", defaultValue = "0.5", description = "Width multiplier (default: ${DEFAULT-VALUE})")
    double width;

    @Option(names = "--epochs", defaultValue = "4", description = "Epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--train-per-class", defaultValue = "1000",
            description = "Training images per class, 0 = all (default: ${DEFAULT-VALUE})")
    int trainPerClass;

    @Option(names = "--test-limit", defaultValue = "2000", description = "Test images, 0 = all (default: ${DEFAULT-VALUE})")
    int testLimit;

    @Option(names = "--dataset", defaultValue = "cifar10", description = "Dataset (default: ${DEFAULT-VALUE})")
    String dataset;

    @Option(names = "--full", description = "Full experiment: full width, all data, 30 epochs (hours on 2 cores)")
    boolean full;

    @Override
    public Integer call() throws Exception {
        if (full) {
            width = 1.0;
            trainPerClass = 0;
            testLimit = 0;
            epochs = 30;
        }
        Path dir = runDir != null ? runDir : Path.of("runs", "demo-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        List<String> train = new ArrayList<>(List.of("train", "--model", model, "--width", Double.toString(width),
                "--dataset", dataset, "--epochs", Integer.toString(epochs), "--train-per-class",
                Integer.toString(trainPerClass), "--test-limit", Integer.toString(testLimit),
                "--warmup", epochs > 1 ? "1" : "0", "--run-dir", dir.toString()));
        train.addAll(dataArgs());
        List<String> eval = new ArrayList<>(List.of("eval", dir.resolve("best.lbck").toString(),
                "--test-limit", Integer.toString(testLimit)));
        eval.addAll(dataArgs());
        List<List<String>> steps = List.of(train, eval);
        String[] titles = {"float training", "evaluation of the best checkpoint"};
        long start = System.nanoTime();
        for (int i = 0; i < steps.size(); i++) {
            System.out.printf(Locale.ROOT, "%n== step %d/%d: %s ==%n$ lowbit %s%n", i + 1, steps.size(), titles[i],
                    String.join(" ", steps.get(i)));
            long t0 = System.nanoTime();
            int rc = Lowbit.newCommandLine().execute(steps.get(i).toArray(String[]::new));
            if (rc != 0) {
                System.err.printf("lowbit demo: step %d (%s) failed with exit code %d%n", i + 1, titles[i], rc);
                return rc;
            }
            System.out.printf(Locale.ROOT, "step %d done in %.0f s%n", i + 1, (System.nanoTime() - t0) / 1e9);
        }
        System.out.printf(Locale.ROOT, "%ndemo finished in %.0f s. Results in %s: curves.png, metrics.csv, "
                + "summary.json, best.lbck%n", (System.nanoTime() - start) / 1e9, dir);
        return 0;
    }

    private List<String> dataArgs() {
        List<String> a = new ArrayList<>();
        if (data.dataDir != null) {
            a.add("--data-dir");
            a.add(data.dataDir.toString());
        }
        if (data.noDownload) {
            a.add("--no-download");
        }
        return a;
    }
}
