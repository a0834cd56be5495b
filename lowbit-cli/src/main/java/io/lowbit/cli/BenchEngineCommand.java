package io.lowbit.cli;

import io.lowbit.cli.onnx.OnnxRuntimeEngine;
import io.lowbit.cli.onnx.OnnxRuntimeFloat;
import io.lowbit.core.engine.ConvKernel;
import io.lowbit.core.engine.EngineComparison;
import io.lowbit.core.onnx.IntegerOnnxExport;
import io.lowbit.core.engine.FastEngine;
import io.lowbit.core.engine.IntegerEngine;
import io.lowbit.core.engine.ReferenceEngine;
import io.lowbit.core.model.Conv2d;
import io.lowbit.core.model.Input;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.Linear;
import io.lowbit.core.model.Node;
import io.lowbit.core.model.file.IntegerModelFile;
import io.lowbit.train.loop.Json;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lowbit bench-engine}: integer inference speed of the fast engine (one thread, and batches over all threads)
 * against the reference engine and against ONNX Runtime running the model's exact integer ONNX form and its
 * dequantized float form (batch 1 on one thread, batch 64 on the batch threads), measured in one run, with every
 * integer output checked for equality. The fast engine with its previous convolution kernel ({@link ConvKernel#AXPY})
 * is timed in the same run too, for an A/B ratio.
 */
@Command(name = "bench-engine", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure integer inference (images/s) of the reference engine and the fast engine (one thread, "
                + "and batches over all threads) on one model in the same run, and check that all outputs are "
                + "identical.",
        footer = {"", "Examples:", "  lowbit bench-engine --json-out bench/results/engine-nin.json",
            "  lowbit bench-engine runs/demo/qat/model.lbq --images 256",
            "  lowbit bench-engine --arch vgg7 --json-out bench/results/engine-vgg7.json",
            "  lowbit bench-engine --width 0.25 --reference-images 2"})
final class BenchEngineCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL",
            description = "An .lbq integer model file (default: a random CLIP-Q-style --arch model)")
    Path modelFile;

    @Option(names = "--arch", defaultValue = "nin", paramLabel = "nin|vgg7",
            description = "Architecture of the random model when no MODEL is given (default: ${DEFAULT-VALUE})")
    String arch;

    @Option(names = "--width", defaultValue = "1.0",
            description = "Width multiplier of the random model (default: ${DEFAULT-VALUE})")
    double width;

    @Option(names = "--images", defaultValue = "128",
            description = "Images timed on the fast engine, each way (default: ${DEFAULT-VALUE})")
    int images;

    @Option(names = "--reference-images", defaultValue = "4",
            description = "Images timed on the reference engine, the first of the same images (default: "
                    + "${DEFAULT-VALUE})")
    int referenceImages;

    @Option(names = "--threads", defaultValue = "0",
            description = "Threads of the batch run (default: 0 = every processor)")
    int threads;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the random model and images "
            + "(default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--warmup-seconds", defaultValue = "2",
            description = "Untimed runs of each fast engine before timing, at least this long: the JIT compiles the"
                    + " Vector API kernels only after many calls (default: ${DEFAULT-VALUE})")
    double warmupSeconds;

    @Option(names = "--json-out", paramLabel = "FILE", description = "Also write the results as JSON")
    Path jsonOut;

    @Option(names = "--no-onnx", description = "Skip ONNX Runtime (timed by default on the model's exact integer ONNX"
            + " form and its dequantized float form)")
    boolean noOnnx;

    /**
     * One timed run: which engine, how, on how many images; {@code cpuSeconds} is the process's CPU time during the
     * run, so {@code cpuSeconds / seconds} is the number of cores it actually got (less than {@code threads} when
     * another job competes for them).
     */
    record Timing(String run, String engine, int threads, int images, double seconds, double cpuSeconds,
            double imagesPerSecond) {
    }

    @Override
    public Integer call() throws Exception {
        if (!(warmupSeconds >= 0 && warmupSeconds <= 600)) {
            throw new IllegalArgumentException("--warmup-seconds must be within [0, 600], got " + warmupSeconds);
        }
        if (images < 1 || referenceImages < 1 || referenceImages > images) {
            throw new IllegalArgumentException("need 1 ≤ --reference-images ≤ --images, got " + referenceImages
                    + " and " + images);
        }
        double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        IntegerModel model = modelFile != null ? IntegerModelFile.read(modelFile) : RandomNetwork.build(arch, width,
                seed);
        String subject = modelFile != null ? modelFile.toString() : model.metadata().name() + " (seed " + seed + ")";
        long macs = macsPerImage(model);
        List<byte[]> inputs = randomImages(model, images, new SplittableRandom(seed));
        System.out.printf(Locale.ROOT, "%s: %.1f M MAC/image, %d images, load average %.2f on %d processors%n",
                subject, macs / 1e6, images, loadAtStart, Runtime.getRuntime().availableProcessors());

        ReferenceEngine reference = new ReferenceEngine();
        FastEngine single = new FastEngine(1);
        FastEngine batch = threads > 0 ? new FastEngine(threads) : new FastEngine();
        // the previous convolution kernel, timed in the same run: an A/B ratio the machine's load cannot skew much
        FastEngine axpySingle = new FastEngine(1, ConvKernel.AXPY);
        FastEngine axpyBatch = new FastEngine(batch.threads(), ConvKernel.AXPY);
        reference.run(model, inputs.get(0)); // warm-up: class loading and the JIT, not timed
        // until the JIT is done: before C2 compiles them, the Vector API kernels run as (much slower) Java code
        List<byte[]> warm = inputs.subList(0, Math.min(images, 8));
        for (FastEngine engine : List.of(single, batch, axpySingle, axpyBatch)) {
            warmUp(() -> engine.runBatch(model, warm), warmupSeconds);
        }

        int[][][] outputs = new int[5][][];
        List<Timing> timings = new ArrayList<>(List.of(
                time("reference", reference.name(), 1, referenceImages,
                        () -> outputs[0] = reference.runBatch(model, inputs.subList(0, referenceImages))),
                time("fast, one thread", single.name(), 1, images, () -> outputs[1] = single.runBatch(model, inputs)),
                time("fast, batch", batch.name(), batch.threads(), images,
                        () -> outputs[2] = batch.runBatch(model, inputs))));
        int[][][] axpyOutputs = new int[2][][];
        List<Timing> axpyTimings = List.of(
                time("fast axpy, one thread", axpySingle.name(), 1, images,
                        () -> axpyOutputs[0] = axpySingle.runBatch(model, inputs)),
                time("fast axpy, batch", axpyBatch.name(), axpyBatch.threads(), images,
                        () -> axpyOutputs[1] = axpyBatch.runBatch(model, inputs)));
        requireEqual(reference, single, model, inputs, outputs[0], outputs[1]);
        requireEqual(single, batch, model, inputs, outputs[1], outputs[2]);
        requireEqual(single, axpySingle, model, inputs, outputs[1], axpyOutputs[0]);
        requireEqual(single, axpyBatch, model, inputs, outputs[1], axpyOutputs[1]);
        boolean onnx = !noOnnx;
        double qlinearAgreement = Double.NaN;
        if (onnx) {
            int batchThreads = batch.threads();
            try (OnnxRuntimeEngine ortOne = new OnnxRuntimeEngine(1, 1, IntegerOnnxExport.Form.EXACT);
                    OnnxRuntimeEngine ortBatch = new OnnxRuntimeEngine(batchThreads, OnnxRuntimeEngine.BATCH,
                            IntegerOnnxExport.Form.EXACT);
                    OnnxRuntimeFloat floatOne = new OnnxRuntimeFloat(1, 1);
                    OnnxRuntimeFloat floatBatch = new OnnxRuntimeFloat(batchThreads, OnnxRuntimeEngine.BATCH);
                    OnnxRuntimeEngine qOne = new OnnxRuntimeEngine(1, 1, IntegerOnnxExport.Form.QLINEAR);
                    OnnxRuntimeEngine qBatch = new OnnxRuntimeEngine(batchThreads, OnnxRuntimeEngine.BATCH,
                            IntegerOnnxExport.Form.QLINEAR)) {
                // sessions are built and warmed up here, not timed, on whole batches of the timed size: ONNX
                // Runtime plans its memory per input shape, and the first run of a new shape pays for it
                List<byte[]> warmBatch = inputs.subList(0, Math.min(images, OnnxRuntimeEngine.BATCH));
                for (int k = 0; k < 2; k++) {
                    ortOne.runBatch(model, warm);
                    ortBatch.runBatch(model, warmBatch);
                    floatOne.runBatch(model, warm);
                    floatBatch.runBatch(model, warmBatch);
                    qOne.runBatch(model, warm);
                    qBatch.runBatch(model, warmBatch);
                }
                timings.add(time("onnxruntime int, batch 1", ortOne.name(), 1, images,
                        () -> outputs[3] = ortOne.runBatch(model, inputs)));
                timings.add(time("onnxruntime int, batch 64", ortBatch.name(), batchThreads, images,
                        () -> outputs[4] = ortBatch.runBatch(model, inputs)));
                timings.add(time("onnxruntime float, batch 1", "onnxruntime-float", 1, images,
                        () -> floatOne.runBatch(model, inputs)));
                timings.add(time("onnxruntime float, batch 64", "onnxruntime-float", batchThreads, images,
                        () -> floatBatch.runBatch(model, inputs)));
                int[][][] q = new int[1][][];
                timings.add(time("onnxruntime qlinear, batch 1", qOne.name(), 1, images,
                        () -> q[0] = qOne.runBatch(model, inputs)));
                timings.add(time("onnxruntime qlinear, batch 64", qBatch.name(), batchThreads, images,
                        () -> qBatch.runBatch(model, inputs)));
                qlinearAgreement = agreement(model, outputs[1], q[0]);
                requireEqual(single, ortOne, model, inputs, outputs[1], outputs[3]);
                requireEqual(single, ortBatch, model, inputs, outputs[1], outputs[4]);
            }
        }
        int axpyAt = timings.size();
        timings.addAll(axpyTimings); // after the ONNX rows, so that the ratio indexes below stay as they were
        double referenceRate = timings.get(0).imagesPerSecond();
        System.out.printf("%-30s %7s %6s %7s %9s %12s%n", "run", "threads", "cores", "images", "img/s",
                "vs reference");
        for (Timing t : timings) {
            System.out.printf(Locale.ROOT, "%-30s %7d %6.2f %7d %9.2f %11.1fx%n", t.run(), t.threads(),
                    t.cpuSeconds() / t.seconds(), t.images(), t.imagesPerSecond(), t.imagesPerSecond() / referenceRate);
        }
        System.out.println("outputs identical: " + referenceImages + " images on all three, " + images
                + " on the four fast runs" + (onnx ? " and both onnxruntime integer runs" : ""));
        System.out.printf(Locale.ROOT, "tiled over axpy convolutions: %.2fx one thread, %.2fx batch%n",
                ratio(timings, 1, axpyAt), ratio(timings, 2, axpyAt + 1));
        if (onnx) {
            System.out.printf(Locale.ROOT, "fast engine vs onnxruntime: batch 1 %.2fx float, %.2fx int, %.2fx qlinear;"
                    + " batch %.2fx float, %.2fx int, %.2fx qlinear%n", ratio(timings, 1, 5), ratio(timings, 1, 3),
                    ratio(timings, 1, 7), ratio(timings, 2, 6), ratio(timings, 2, 4), ratio(timings, 2, 8));
            System.out.printf(Locale.ROOT, "onnxruntime qlinear (float-rounded requantization) predicts the fast engine's"
                    + " class on %.1f %% of the images%n", 100 * qlinearAgreement);
        }
        if (jsonOut != null) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("model", subject);
            out.put("fingerprint", model.fingerprint());
            out.put("macsPerImage", macs);
            out.put("timings", timings);
            out.put("speedupSingleThread", timings.get(1).imagesPerSecond() / referenceRate);
            out.put("speedupBatch", timings.get(2).imagesPerSecond() / referenceRate);
            out.put("batchOverSingleThread", timings.get(2).imagesPerSecond() / timings.get(1).imagesPerSecond());
            out.put("tiledOverAxpySingleThread", ratio(timings, 1, axpyAt));
            out.put("tiledOverAxpyBatch", ratio(timings, 2, axpyAt + 1));
            if (onnx) {
                out.put("fastOverOnnxruntimeFloatBatch1", ratio(timings, 1, 5));
                out.put("fastOverOnnxruntimeIntBatch1", ratio(timings, 1, 3));
                out.put("fastOverOnnxruntimeFloatBatch64", ratio(timings, 2, 6));
                out.put("fastOverOnnxruntimeIntBatch64", ratio(timings, 2, 4));
                out.put("fastOverOnnxruntimeQlinearBatch1", ratio(timings, 1, 7));
                out.put("fastOverOnnxruntimeQlinearBatch64", ratio(timings, 2, 8));
                out.put("qlinearPredictionAgreement", qlinearAgreement);
                out.put("onnxruntime", ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion());
            }
            out.put("outputsIdentical", true);
            out.put("loadAverageAtStart", loadAtStart);
            out.put("java", Runtime.version().toString());
            out.put("processors", Runtime.getRuntime().availableProcessors());
            out.put("commit", System.getProperty("lowbit.commit", "unknown"));
            Path parent = jsonOut.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.write(jsonOut, Json.MAPPER.writeValueAsBytes(out));
        }
        return 0;
    }

    /** Runs {@code work} at least three times and until {@code seconds} have passed. */
    private static void warmUp(Runnable work, double seconds) {
        long until = System.nanoTime() + (long) (seconds * 1e9);
        for (int k = 0; k < 3 || System.nanoTime() < until; k++) {
            work.run();
        }
    }

    /** Runs {@code work} and times it (wall clock and process CPU time). */
    private static Timing time(String run, String engine, int threads, int images, Runnable work) {
        long cpu = cpuNanos();
        long start = System.nanoTime();
        work.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Timing(run, engine, threads, images, seconds, (cpuNanos() - cpu) / 1e9, images / seconds);
    }

    /** Fraction of images whose top class is the same in both output lists. */
    private static double agreement(IntegerModel model, int[][] a, int[][] b) {
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            if (model.topClass(a[i]) == model.topClass(b[i])) {
                same++;
            }
        }
        return (double) same / a.length;
    }

    /** Throughput of run {@code a} over run {@code b}. */
    private static double ratio(List<Timing> timings, int a, int b) {
        return timings.get(a).imagesPerSecond() / timings.get(b).imagesPerSecond();
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Throws, naming the first differing node, unless {@code got} starts with the outputs {@code want} holds. */
    private static void requireEqual(IntegerEngine wantEngine, IntegerEngine gotEngine, IntegerModel model,
            List<byte[]> inputs, int[][] want, int[][] got) {
        for (int i = 0; i < want.length; i++) {
            if (!Arrays.equals(want[i], got[i])) {
                String where = EngineComparison.firstMismatch(wantEngine, gotEngine, model, inputs.get(i))
                        .map(Object::toString).orElse("the node outputs agree when run one by one");
                throw new IllegalStateException("image " + i + ": outputs differ (" + wantEngine.name() + " vs "
                        + gotEngine.name() + "): " + where);
            }
        }
    }

    /** Multiply-accumulates per image: {@code outC·outH·outW·K} per conv, {@code outF·inF} per linear layer. */
    private static long macsPerImage(IntegerModel model) {
        long macs = 0;
        for (Node node : model.nodes()) {
            if (node.op() instanceof Conv2d c) {
                macs += node.output().shape().elementCount() * c.reductionLength(model.node(node.input()).output());
            } else if (node.op() instanceof Linear l) {
                macs += (long) l.outChannels() * l.weights().shape().dim(1);
            }
        }
        return macs;
    }

    /** Random valid images: raw pixels for a pixel or host-table input, codes of the input type otherwise. */
    private static List<byte[]> randomImages(IntegerModel model, int count, SplittableRandom rng) {
        Input in = (Input) model.inputNode().op();
        boolean pixels = in.normalization() != null || in.hostTable() != null;
        int lo = pixels ? 0 : in.type().min();
        int hi = pixels ? 255 : in.type().max();
        List<byte[]> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            byte[] image = new byte[in.shape().elementCount()];
            for (int i = 0; i < image.length; i++) {
                image[i] = (byte) rng.nextInt(lo, hi + 1);
            }
            out.add(image);
        }
        return out;
    }
}
