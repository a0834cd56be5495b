package io.lowbit.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lowbit compare}: training runs side by side as a Markdown table; accuracy vs bits and the runs' training
 * curves as PNGs.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Tabulate training runs (model, quantization, bits, epochs done of the budget, seed, final and "
                + "best test accuracy, difference to the float run of the same model, training time, status) as "
                + "Markdown; optionally draw final accuracy vs bits per method (--png) and the runs' test accuracy "
                + "and training loss per epoch on common axes (--curves). With --agreement: the fake-quant "
                + "model against the integer engine instead, from each run's eval-int.json.",
        footer = {"", "Example:",
            "  lowbit compare experiments/vgg7w025-* --png docs/img/vgg7-accuracy-vs-bits.png",
            "  lowbit compare experiments/vgg7w025-*-w3a3-c10 --curves w3a3-curves.png",
            "  lowbit compare --agreement experiments/*-c10"})
final class CompareCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "Run directories of lowbit train")
    List<Path> runs;

    @Option(names = "--png", paramLabel = "FILE", description = "Also draw accuracy vs bits per method to FILE")
    Path png;

    @Option(names = "--curves", paramLabel = "FILE", description = "Also draw every run's test accuracy and "
            + "training loss per epoch (metrics.csv) to FILE, one line per run")
    Path curves;

    @Option(names = "--title", description = "Title of the charts (default: the model of the first run)")
    String title;

    @Option(names = "--agreement", description = "Tabulate the integer engine against the fake-quant model instead: "
            + "accuracies and predicted classes equal, from RUN_DIR/eval-int.json (lowbit eval --int MODEL "
            + "--agree-with-checkpoint CKPT --json-out); runs without it are listed, not tabulated")
    boolean agreement;

    @Override
    public Integer call() throws Exception {
        if (agreement) {
            if (png != null || curves != null) {
                throw new IllegalArgumentException((png != null ? "--png" : "--curves") + " draws training runs;"
                        + " it does not go with --agreement");
            }
            AgreementTable t = AgreementTable.read(runs);
            System.out.print(t.markdown());
            if (!t.unmeasured().isEmpty()) {
                System.out.println("not measured (no " + AgreementTable.FILE + "): " + String.join(", ",
                        t.unmeasured()));
            }
            return 0;
        }
        RunComparison c = RunComparison.read(runs);
        System.out.print(c.markdown());
        RunComparison.Row first = c.rows().get(0);
        String model = first.model() + " (width " + first.width() + ")";
        if (png != null) {
            int drawn = AccuracyVsBitsChart.write(c, title != null ? title : model + ": accuracy vs bits", png);
            System.out.println("wrote " + png + " (" + drawn + " quantized runs)");
        }
        if (curves != null) {
            List<String> drawn = TrainingCurvesChart.write(c, runs, title != null ? title : model, curves);
            System.out.println("wrote " + curves + " (curves of " + drawn.size() + " runs)");
        }
        return 0;
    }
}
