package io.lowbit.cli;

import io.lowbit.accel.compile.Program;
import io.lowbit.accel.config.AcceleratorConfig;
import io.lowbit.accel.config.AcceleratorConfigs;
import io.lowbit.accel.sim.CycleSimulator;
import io.lowbit.accel.sim.LayerTiming;
import io.lowbit.accel.sim.Timing;
import io.lowbit.core.engine.FastEngine;
import io.lowbit.core.model.IntegerModel;
import io.lowbit.core.model.file.IntegerModelFile;
import io.lowbit.train.data.CifarDataset;
import io.lowbit.train.data.DatasetName;
import io.lowbit.train.data.LabelKind;
import io.lowbit.train.data.LabeledImages;
import io.lowbit.train.loop.CheckpointFile;
import io.lowbit.train.loop.Json;
import java.io.PrintStream;
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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code lowbit sim}: compile an integer model for an accelerator, time it, and check it is bit-exact. */
@Command(name = "sim", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Compile an integer model for an accelerator configuration, simulate it cycle by cycle and "
                + "report per-layer cycles, utilization, DRAM traffic, latency, frames/s and GOP/s (1 MAC = 2 ops). "
                + "With test images, also run them through the simulated datapath and check every output is "
                + "bit-exact with the integer engine (the fast engine, itself bit-exact with the reference one).",
        footer = {"", "Examples:", "  lowbit sim model.lbq                                  (pynq-z2-clipq, timing only)",
            "  lowbit sim model.lbq --images 100 --data-dir ../shared/data   (and bit-exactness on 100 test images)",
            "  lowbit sim model.lbq --accel my-design.json --out-dir runs/sim",
            "", "Design, timing model and program format: docs/accelerator.md."})
final class SimCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "An .lbq integer model file (lowbit export)")
    Path modelFile;

    @Option(names = "--accel", defaultValue = "pynq-z2-clipq", paramLabel = "PRESET|FILE",
            description = "Accelerator preset or JSON configuration (default: ${DEFAULT-VALUE})")
    String accel;

    @Option(names = "--images", defaultValue = "0",
            description = "Simulate the first N test images and compare with the integer engine (0 = timing only)")
    int images;

    @Option(names = "--dataset", defaultValue = "cifar10", description = "Dataset of the test images")
    String dataset;

    @Mixin
    DataOptions data;

    @Option(names = "--out-dir", paramLabel = "DIR",
            description = "Write sim.json, sim-layers.png and program.json there")
    Path outDir;

    @Option(names = "--bench", defaultValue = "0", paramLabel = "N",
            description = "Also time the simulation of N images, single-threaded and as a batch (bench/README.md)")
    int bench;

    @Option(names = "--json", description = "Print the report as JSON instead of a table")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        AcceleratorConfig config = AcceleratorConfigs.resolve(accel);
        IntegerModel model = IntegerModelFile.read(modelFile);
        long t0 = System.nanoTime();
        CycleSimulator sim = new CycleSimulator(config, model);
        double compileSeconds = (System.nanoTime() - t0) / 1e9;
        Timing timing = sim.timing();
        Map<String, Object> check = images > 0 ? checkImages(sim) : null;
        Map<String, Object> report = report(config, model, sim.program(), timing, check, compileSeconds);
        if (bench > 0) {
            report.put("bench", SimBench.run(sim, bench));
        }
        if (outDir != null) {
            Files.createDirectories(outDir);
            CheckpointFile.writeAtomically(outDir.resolve("sim.json"), Json.MAPPER.writeValueAsBytes(report));
            CheckpointFile.writeAtomically(outDir.resolve("program.json"),
                    Json.MAPPER.writeValueAsBytes(sim.program()));
            SimChart.write(timing, config.name(), outDir.resolve("sim-layers.png"));
        }
        if (json) {
            System.out.println(Json.MAPPER.writeValueAsString(report));
        } else {
            printTable(System.out, config, timing, check);
            if (bench > 0) {
                Map<?, ?> b = (Map<?, ?>) report.get("bench");
                System.out.printf(Locale.ROOT, "simulation speed: %.3f s/image single-threaded, %.3f s/image as a"
                        + " batch on %s cores%n", b.get("secondsPerImageSingleThread"), b.get("secondsPerImageBatch"),
                        b.get("cores"));
            }
            if (outDir != null) {
                System.out.println("wrote " + outDir.resolve("sim.json") + ", " + outDir.resolve("sim-layers.png")
                        + ", " + outDir.resolve("program.json"));
            }
        }
        return check != null && !(Boolean) check.get("bitExact") ? 1 : 0;
    }

    private Map<String, Object> checkImages(CycleSimulator sim) throws Exception {
        DatasetName name = DatasetName.parse(dataset);
        LabeledImages test = CifarDataset.load(name, LabelKind.FINE, data.root(), !data.noDownload).test();
        test = test.first(Math.min(images, test.size()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dataset", name.id());
        out.putAll(SimulatorCheck.run(sim, test, new FastEngine()));
        return out;
    }

    private Map<String, Object> report(AcceleratorConfig config, IntegerModel model, Program program, Timing t,
            Map<String, Object> check, double compileSeconds) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("command", CommandLines.current(spec));
        r.put("model", modelFile.toString());
        r.put("modelName", model.metadata().name());
        r.put("fingerprint", model.fingerprint());
        r.put("accelerator", config);
        r.put("opCounting", "1 MAC = 2 ops; MACs of convolutions and linear layers, padding included");
        Map<String, Object> total = new LinkedHashMap<>();
        total.put("cycles", t.totalCycles());
        total.put("analyticCycles", t.analyticCycles());
        total.put("analyticError", t.analyticError());
        total.put("latencyMs", 1000 * t.latencySeconds());
        total.put("framesPerSecond", t.framesPerSecond());
        total.put("gops", t.gops());
        total.put("peakGops", config.peakGops());
        total.put("utilization", t.utilization());
        total.put("macs", t.macs());
        total.put("dramBytes", t.dramBytes());
        total.put("inputLoadCycles", t.inputLoadCycles());
        total.put("outputStoreCycles", t.outputStoreCycles());
        total.put("instructions", program.instructions().size());
        total.put("compileSeconds", compileSeconds);
        r.put("total", total);
        List<Map<String, Object>> layers = new ArrayList<>();
        for (LayerTiming l : t.layers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("layer", l.layer());
            m.put("kind", l.kind());
            m.put("mapping", l.mapping());
            m.put("macs", l.macs());
            m.put("passes", l.passes());
            m.put("cycles", l.cycles());
            m.put("streamCycles", l.streamCycles());
            m.put("stallCycles", l.stallCycles());
            m.put("drainCycles", l.drainCycles());
            m.put("analyticCycles", l.analyticCycles());
            m.put("utilization", l.utilization());
            m.put("dramBytes", l.dramBytes());
            m.put("rowTiles", program.layer(l.layer()).isConv() ? program.layer(l.layer()).rowTiles() : 1);
            m.put("weightTiles", program.layer(l.layer()).weightTiles());
            layers.add(m);
        }
        r.put("layers", layers);
        if (check != null) {
            r.put("check", check);
        }
        return r;
    }

    private static void printTable(PrintStream out, AcceleratorConfig config, Timing t, Map<String, Object> check) {
        out.printf(Locale.ROOT, "%s: %s%n", config.name(), config.description());
        out.printf(Locale.ROOT, "%-8s %-9s %-24s %12s %6s %10s %10s %8s %8s %6s %10s%n", "layer", "kind", "mapping",
                "MACs", "passes", "cycles", "analytic", "stall", "drain", "util", "DRAM B");
        for (LayerTiming l : t.layers()) {
            out.printf(Locale.ROOT, "%-8s %-9s %-24s %,12d %6d %,10d %,10d %,8d %,8d %5.1f%% %,10d%n", l.layer(),
                    l.kind(), l.mapping(), l.macs(), l.passes(), l.cycles(), l.analyticCycles(), l.stallCycles(),
                    l.drainCycles(), 100 * l.utilization(), l.dramBytes());
        }
        out.printf(Locale.ROOT, "total: %,d cycles (input DMA %,d, output DMA %,d) = %.3f ms at %.0f MHz → %.1f frames/s, "
                + "%.2f GOP/s of %.1f peak (utilization %.1f %%), %,d DRAM bytes%n", t.totalCycles(),
                t.inputLoadCycles(), t.outputStoreCycles(), 1000 * t.latencySeconds(), t.clockMHz(),
                t.framesPerSecond(), t.gops(), config.peakGops(), 100 * t.utilization(), t.dramBytes());
        out.printf(Locale.ROOT, "analytic estimate: %,d cycles (%+.1f %% vs simulated)%n", t.analyticCycles(),
                100 * t.analyticError());
        if (check != null) {
            out.printf(Locale.ROOT, "%d %s test images: %s (%d mismatched%s), top-1 accuracy %.2f %%, %.1f simulated "
                    + "images/s%n", check.get("images"), check.get("dataset"),
                    (Boolean) check.get("bitExact") ? "bit-exact with the integer engine" : "NOT bit-exact",
                    check.get("mismatchedImages"), check.get("firstMismatch") == null ? ""
                            : ", first: " + check.get("firstMismatch"), 100 * (Double) check.get("accuracy"),
                    check.get("simulatedImagesPerSecond"));
        }
    }
}
