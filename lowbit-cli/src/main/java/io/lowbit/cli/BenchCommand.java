package io.lowbit.cli;

import io.lowbit.train.bench.OpProfile;
import io.lowbit.train.bench.TrainingThroughput;
import io.lowbit.train.data.CifarDataset;
import io.lowbit.train.data.DatasetName;
import io.lowbit.train.data.LabelKind;
import io.lowbit.train.data.Normalization;
import io.lowbit.train.loop.Json;
import io.lowbit.train.loop.Versions;
import io.lowbit.train.model.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lowbit bench-train}: training throughput per model against the machine's matmul ceiling. */
@Command(name = "bench-train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure training throughput (images/s, GFLOP/s) of each model on real CIFAR-10 batches "
                + "with augmentation, against a 2048² matmul measured in the same run.",
        footer = {"", "Examples:", "  lowbit bench-train --models nin,vgg7 --steps 30 --json bench/training.json",
            "  lowbit bench-train --models nin --quant 'clipq:p=0.2,b=2,fmt=Q3.5|fixed:fmt=Q3.5'   (QAT step time vs float)"})
final class BenchCommand implements Callable<Integer> {

    @Mixin
    DataOptions data;

    @Option(names = "--models", split = ",", defaultValue = "nin,nin-lin,vgg7,mobilenetv2,resnet20",
            description = "Models (default: ${DEFAULT-VALUE})")
    List<String> models;

    @Option(names = "--quant", split = "\\|", paramLabel = "SPEC",
            description = "Also time quantization-aware training with these specs, separated by |, next to float "
                    + "(e.g. 'clipq:p=0.2,b=2,fmt=Q3.5|lsfq:w=4,a=4')")
    List<String> quant = List.of();

    @Option(names = "--batch-size", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--warmup", defaultValue = "5", description = "Unmeasured steps of each configuration first (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--steps", defaultValue = "30", description = "Measured steps per round (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--rounds", defaultValue = "1", description = "Measure every configuration of a model this many "
            + "times, in turn, and report medians: the step-time ratios then compare steps taken minutes apart at "
            + "most, which a shared machine's drifting speed does not skew (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON")
    Path json;

    @Option(names = "--profile", paramLabel = "DIR", description = "After timing, profile each configuration's "
            + "native operators (PyTorch profiler, chrome traces written to DIR) and print where its step time goes "
            + "and, for QAT, which operators it adds to float's")
    Path profile;

    @Option(names = "--profile-steps", defaultValue = "2", paramLabel = "N",
            description = "Steps per profile (default: ${DEFAULT-VALUE})")
    int profileSteps;

    /** Operators listed per profile. */
    private static final int TOP_OPS = 12;

    @Override
    public Integer call() throws Exception {
        CifarDataset ds = CifarDataset.load(DatasetName.CIFAR10, LabelKind.FINE, data.root(), !data.noDownload);
        Normalization norm = Normalization.CIFAR10;
        double ceiling = TrainingThroughput.matmulCeiling(2048, 5);
        System.out.printf(Locale.ROOT, "matmul ceiling (2048², float32): %.1f GFLOP/s%n", ceiling);
        System.out.printf("%-14s %-28s %6s %8s %8s %10s %9s %9s%n", "model", "training", "batch", "img/s",
                "GFLOP/s", "of ceiling", "data wait", "vs float");
        if (profileSteps < 1) {
            throw new IllegalArgumentException("--profile-steps must be ≥ 1, got " + profileSteps);
        }
        TrainingThroughput.Profiling profiling = profile == null ? null
                : new TrainingThroughput.Profiling(profile, profileSteps);
        List<TrainingThroughput.Result> results = new ArrayList<>();
        for (String m : models) {
            for (TrainingThroughput.Result r : TrainingThroughput.measure(ModelSpec.of(m, 1.0, 10), quant,
                    ds.train(), norm, batchSize, warmup, steps, rounds, ceiling, profiling)) {
                results.add(r);
                System.out.printf(Locale.ROOT, "%-14s %-28s %6d %8.1f %8.1f %9.0f%% %8.1f%% %8.2fx%s%n", r.model(),
                        r.quant(), r.batchSize(), r.imagesPerSecond(), r.gflopsPerSecond(),
                        100 * r.fractionOfCeiling(), 100 * r.dataWaitFraction(), r.stepTimeVsFloat(),
                        rounds > 1 ? "  rounds: " + rates(r.imagesPerSecondByRound()) : "");
            }
        }
        if (profiling != null) {
            printProfiles(results);
        }
        if (json != null) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("matmulCeilingGflops", ceiling);
            out.put("results", results);
            out.put("versions", Versions.describe());
            out.put("ldPreload", String.valueOf(System.getenv("LD_PRELOAD")));
            Files.createDirectories(json.toAbsolutePath().getParent());
            Files.write(json, Json.MAPPER.writeValueAsBytes(out));
        }
        return 0;
    }

    /** Per configuration its largest operators; per QAT configuration the operators that grew most vs float. */
    private void printProfiles(List<TrainingThroughput.Result> results) {
        Map<String, Double> floatOps = new LinkedHashMap<>();
        for (TrainingThroughput.Result r : results) {
            double total = r.profile().stream().mapToDouble(OpProfile::selfMillis).sum();
            System.out.printf(Locale.ROOT, "%nprofile: %s %s, %.1f ms of operators per step (%s)%n", r.model(),
                    r.quant(), total, profile);
            System.out.printf("  %-36s %10s %10s %7s%n", "operator", "calls/step", "ms/step", "share");
            for (OpProfile o : r.profile().subList(0, Math.min(TOP_OPS, r.profile().size()))) {
                System.out.printf(Locale.ROOT, "  %-36s %10.1f %10.1f %6.1f%%%n", o.op(),
                        (double) o.calls() / profileSteps, o.selfMillis(), 100 * o.selfMillis() / total);
            }
            if (r.quant().equals("float")) {
                floatOps.clear();
                r.profile().forEach(o -> floatOps.put(o.op(), o.selfMillis()));
                continue;
            }
            Map<String, Double> delta = new LinkedHashMap<>();
            r.profile().forEach(o -> delta.put(o.op(), o.selfMillis()));
            floatOps.forEach((op, ms) -> delta.merge(op, -ms, Double::sum));
            double floatTotal = floatOps.values().stream().mapToDouble(Double::doubleValue).sum();
            System.out.printf(Locale.ROOT, "  vs float (%.1f ms): %+.1f ms; largest changes:%n", floatTotal,
                    total - floatTotal);
            delta.entrySet().stream()
                    .sorted((a, b) -> Double.compare(Math.abs(b.getValue()), Math.abs(a.getValue())))
                    .limit(TOP_OPS)
                    .forEach(e -> System.out.printf(Locale.ROOT, "  %-36s %+10.1f ms%n", e.getKey(), e.getValue()));
        }
    }

    private static String rates(double[] imagesPerSecond) {
        StringBuilder s = new StringBuilder();
        for (double r : imagesPerSecond) {
            s.append(s.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.1f", r));
        }
        return s.toString();
    }
}
