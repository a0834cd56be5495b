package io.lowbit.cli;

import io.lowbit.train.loop.CheckpointFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code lowbit report RUN_DIR}: one self-contained HTML page of a demo run. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write RUN_DIR/report.html: accuracy (float, fake-quant, integer engine, simulator), training "
                + "curves, weight histograms with the codebook levels, model size, accelerator cycles and "
                + "utilization, resources, the commands and versions. Images are embedded; it opens offline.",
        footer = {"", "Example:", "  lowbit report runs/demo-20261123-1500"})
final class ReportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run directory of lowbit demo")
    Path dir;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Output file (default: RUN_DIR/report.html)")
    Path output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        RunReport run = RunReport.read(dir);
        Path weights = null;
        Path qatCheckpoint = run.qatDir().resolve("best.lbck");
        if (run.model() != null && Files.isRegularFile(qatCheckpoint)) {
            weights = run.qatDir().resolve("weights.png");
            int classes = run.model().outputNode().output().shape().elementCount();
            WeightHistogramPlot.write(WeightHistogramPlot.collect(qatCheckpoint, run.model(), classes), weights);
        }
        String version = spec.root().commandLine().getCommandSpec().version().length > 0
                ? String.join(" ", spec.root().commandLine().getCommandSpec().version()) : "lowbit";
        String html = HtmlReport.render(run, weights, version);
        Path out = output != null ? output : dir.resolve(RunReport.HTML);
        CheckpointFile.writeAtomically(out, html.getBytes(StandardCharsets.UTF_8));
        System.out.println("wrote " + out + " (" + html.length() / 1024 + " KB, self-contained)");
        return 0;
    }
}
