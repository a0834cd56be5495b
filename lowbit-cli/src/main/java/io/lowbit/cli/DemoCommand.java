package io.lowbit.cli;

import io.lowbit.rtl.sim.ExternalTool;
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
 * alone with the command it prints): float training, CLIP-Q quantization-aware fine-tuning from the float model
 * (the FPGA paper's hardware variant), evaluation of both, export to the integer model file, evaluation on the
 * integer engine, cycle-level simulation, Verilator co-simulation of the first conv layer and a Yosys synthesis of
 * one conv-module slice (the whole preset with {@code --full}), then the report.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the lowbit flow end to end on a small default: a half-width NIN trained on a "
                + "10,000-image CIFAR-10 subset, then fine-tuned with CLIP-Q (4 weight values per layer, Q3.5), "
                + "both evaluated, exported, run on the integer engine, simulated on the paper's accelerator "
                + "(bit-exact check), its first layer co-simulated in the generated Verilog (Verilator) and one "
                + "conv-module slice synthesized (Yosys) — about 10 minutes on 2 cores. --full runs the full-size "
                + "experiment instead.")
final class DemoCommand implements Callable<Integer> {

    private static final int INTEGER_EVAL_IMAGES = 500;
    /** Images the simulator check runs (about 5 per second for the demo's NIN). */
    private static final int SIM_CHECK_IMAGES = 100;

    @Mixin
    DataOptions data;

    @Option(names = "--run-dir", paramLabel = "DIR", description = "Run directory (default: runs/demo-<timestamp>)")
    Path runDir;

    @Option(names = "--no-rtl", description = "Skip the RTL steps (Verilator co-simulation, Yosys synthesis)")
    boolean noRtl;

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

    @Option(names = "--quant", defaultValue = "clipq:p=0.2,b=2,fmt=Q3.5",
            description = "Quantization of the fine-tuning step (default: ${DEFAULT-VALUE})")
    String quant;

    @Option(names = "--qat-epochs", defaultValue = "2", description = "Fine-tuning epochs (default: ${DEFAULT-VALUE})")
    int qatEpochs;

    @Option(names = "--accel", defaultValue = "pynq-z2-clipq", paramLabel = "PRESET|FILE",
            description = "Accelerator of the simulation step (default: ${DEFAULT-VALUE})")
    String accel;

    @Option(names = "--full", description = "Full experiment: full width, all data, 30 epochs (hours on 2 cores)")
    boolean full;

    @Override
    public Integer call() throws Exception {
        if (full) {
            width = 1.0;
            trainPerClass = 0;
            testLimit = 0;
            epochs = 30;
            qatEpochs = 5;
        }
        Path dir = runDir != null ? runDir : Path.of("runs", "demo-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        List<String> train = new ArrayList<>(List.of("train", "--model", model, "--width", Double.toString(width),
                "--dataset", dataset, "--epochs", Integer.toString(epochs), "--train-per-class",
                Integer.toString(trainPerClass), "--test-limit", Integer.toString(testLimit),
                "--warmup", epochs > 1 ? "1" : "0", "--run-dir", dir.toString()));
        train.addAll(dataArgs());
        Path qatDir = dir.resolve("qat");
        List<String> qat = new ArrayList<>(List.of("train", "--model", model, "--width", Double.toString(width),
                "--dataset", dataset, "--epochs", Integer.toString(qatEpochs), "--train-per-class",
                Integer.toString(trainPerClass), "--test-limit", Integer.toString(testLimit), "--init",
                dir.resolve("best.lbck").toString(), "--quant", quant, "--lr", "0.01", "--run-dir",
                qatDir.toString()));
        qat.addAll(dataArgs());
        // The reference engine runs plain loops (a few images/s for this NIN), so the fake-quant vs integer
        // comparison uses the first INTEGER_EVAL_IMAGES test images.
        String intLimit = Integer.toString(testLimit > 0 ? Math.min(testLimit, INTEGER_EVAL_IMAGES)
                : INTEGER_EVAL_IMAGES);
        Path lbq = qatDir.resolve("model.lbq");
        List<String> export = List.of("export", qatDir.resolve("best.lbck").toString(), "-o", lbq.toString());
        List<String> evalInt = new ArrayList<>(List.of("eval", "--int", lbq.toString(), "--dataset", dataset,
                "--test-limit", intLimit, "--json-out", qatDir.resolve(RunReport.EVAL_INT).toString()));
        evalInt.addAll(dataArgs());
        List<String> sim = new ArrayList<>(List.of("sim", lbq.toString(), "--accel", accel, "--images",
                Integer.toString(Math.min(Integer.parseInt(intLimit), SIM_CHECK_IMAGES)), "--dataset", dataset,
                "--out-dir", qatDir.resolve("sim").toString()));
        sim.addAll(dataArgs());
        List<List<String>> steps = new ArrayList<>(List.of(train, qat, evalOf(dir, Integer.toString(testLimit)),
                evalOf(qatDir, intLimit), export, evalInt));
        List<String> report = List.of("report", dir.toString());
        List<String> titles = new ArrayList<>(List.of("float training", "quantization-aware fine-tuning (" + quant
                + ")", "evaluation of the float model", "evaluation of the quantized model (fake-quant, DJL)",
                "export to the integer model file",
                "evaluation on the integer engine (must equal the fake-quant result)"));
        if (quant.startsWith("clipq") || !accel.equals("pynq-z2-clipq")) {
            steps.add(sim);
            titles.add("accelerator simulation on " + accel + " (outputs checked bit for bit against the engine)");
            steps.add(List.of("dse", lbq.toString(), "--device", "xc7z020", "--base", accel, "--pe-style",
                    "codebook-select,multiplier", "--multipliers", "lut,dsp,dsp-packed", "--out-dir",
                    qatDir.resolve(RunReport.DSE).toString()));
            titles.add("design-space exploration: the fastest design for this model within the XC7Z020, beside "
                    + accel);
            if (!noRtl) {
                addRtlSteps(steps, titles, lbq, qatDir);
            }
        } else {
            System.out.println("(the accelerator step needs CLIP-Q codebook weights for pynq-z2-clipq; with --quant "
                    + quant + " give --accel a configuration with a plain weight decoder)");
        }
        steps.add(report);
        titles.add("the report: " + dir.resolve(RunReport.HTML));
        long start = System.nanoTime();
        for (int i = 0; i < steps.size(); i++) {
            System.out.printf(Locale.ROOT, "%n== step %d/%d: %s ==%n$ lowbit %s%n", i + 1, steps.size(), titles.get(i),
                    String.join(" ", steps.get(i)));
            long t0 = System.nanoTime();
            int rc = Lowbit.newCommandLine().execute(steps.get(i).toArray(String[]::new));
            if (rc != 0) {
                System.err.printf("lowbit demo: step %d (%s) failed with exit code %d%n", i + 1, titles.get(i), rc);
                return rc;
            }
            System.out.printf(Locale.ROOT, "step %d done in %.0f s%n", i + 1, (System.nanoTime() - t0) / 1e9);
        }
        System.out.printf(Locale.ROOT, "%ndemo finished in %.0f s. Float run in %s, quantized run in %s "
                + "(curves.png, metrics.csv, summary.json, best.lbck in each; model.lbq and sim/ in the latter)%n",
                (System.nanoTime() - start) / 1e9, dir, qatDir);
        return 0;
    }

    /**
     * Verilator co-simulation of the first conv layer on test image 0 and Yosys synthesis of one conv module with one
     * RCA (about 2 minutes; the whole preset, about 20, with {@code --full}), each only when its tool is installed.
     */
    private void addRtlSteps(List<List<String>> steps, List<String> titles, Path lbq, Path qatDir) {
        if (ExternalTool.find("verilator").isPresent()) {
            List<String> cosim = new ArrayList<>(List.of("rtl", "cosim", lbq.toString(), "--accel", accel, "--dataset",
                    dataset, "--json-out", qatDir.resolve(RunReport.COSIM).toString()));
            cosim.addAll(dataArgs());
            steps.add(cosim);
            titles.add("RTL co-simulation of the first conv layer under Verilator (bit for bit vs the engine, cycles"
                    + " vs the simulator)");
        } else {
            System.out.println("(skipping the RTL co-simulation: verilator is not on PATH; apt-get install verilator)");
        }
        if (ExternalTool.find("yosys").isPresent()) {
            List<String> synth = new ArrayList<>(List.of("rtl", "synth", "--accel", accel, "--nodsp", "--json-out",
                    qatDir.resolve(RunReport.SYNTH).toString()));
            if (!full) {
                synth.addAll(List.of("--po", "1", "--pi", "1"));
            }
            steps.add(synth);
            titles.add(full ? "Yosys synthesis of the whole conv unit for the XC7Z020 (about 20 minutes)"
                    : "Yosys synthesis of one conv module with one RCA for the XC7Z020 (--full: the whole unit)");
        } else {
            System.out.println("(skipping the synthesis: yosys is not on PATH; apt-get install yosys)");
        }
    }

    private List<String> evalOf(Path runDir, String limit) {
        List<String> eval = new ArrayList<>(List.of("eval", runDir.resolve("best.lbck").toString(),
                "--test-limit", limit, "--json-out", runDir.resolve(RunReport.EVAL).toString()));
        eval.addAll(dataArgs());
        return eval;
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
