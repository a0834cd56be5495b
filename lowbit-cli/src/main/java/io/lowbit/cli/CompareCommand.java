package io.lowbit.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lowbit compare}: training runs side by side as a Markdown table, and accuracy vs bits as a PNG. */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Tabulate training runs (model, quantization, bits, epochs done of the budget, seed, final and "
                + "best test accuracy, difference to the float run of the same model, training time, status) as "
                + "Markdown; optionally draw final accuracy vs bits per method. With --agreement: the fake-quant "
                + "model against the integer engine instead, from each run's eval-int.json.",
        footer = {"", "Example:",
            "  lowbit compare experiments/vgg7w025-* --png docs/img/vgg7-accuracy-vs-bits.png",
            "  lowbit compare --agreement experiments/*-c10"})
final class CompareCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "Run directories of lowbit train")
    List<Path> runs;

    @Option(names = "--png", paramLabel = "FILE", description = "Also draw accuracy vs bits per method to FILE")
    Path png;

    @Option(names = "--title", description = "Title of the chart (default: the model of the first run)")
    String title;

    @Option(names = "--agreement", description = "Tabulate the integer engine against the fake-quant model instead: "
            + "accuracies and predicted classes equal, from RUN_DIR/eval-int.json (lowbit eval --int MODEL "
            + "--agree-with-checkpoint CKPT --json-out); runs without it are listed, not tabulated")
    boolean agreement;

    @Override
    public Integer call() throws Exception {
        if (agreement) {
            if (png != null) {
                throw new IllegalArgumentException("--png draws accuracy vs bits; it does not go with --agreement");
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
        if (png != null) {
            RunComparison.Row first = c.rows().get(0);
            String t = title != null ? title : first.model() + " (width " + first.width() + "): accuracy vs bits";
            int drawn = AccuracyVsBitsChart.write(c, t, png);
            System.out.println("wrote " + png + " (" + drawn + " quantized runs)");
        }
        return 0;
    }
}
