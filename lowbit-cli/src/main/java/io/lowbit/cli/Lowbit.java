package io.lowbit.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code lowbit} command. */
@Command(name = "lowbit", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Hardware-software co-design of quantized CNNs on FPGAs: train, quantize, export, "
                + "simulate and generate hardware.",
        subcommands = {DemoCommand.class, TrainCommand.class, EvalCommand.class, ExportCommand.class, SizeCommand.class,
            SimCommand.class, OnnxCommand.class, RtlCommand.class, DseCommand.class, ReportCommand.class,
            CompareCommand.class, WeightsCommand.class, SearchCommand.class, BenchCommand.class, BenchEngineCommand.class,
            CommandLine.HelpCommand.class},
        footer = {"", "Examples:",
            "  lowbit demo                                    the whole flow on a small default",
            "  lowbit train --model nin --dataset cifar10 --epochs 30",
            "  lowbit train --resume --run-dir runs/nin-cifar10-20261123-1500",
            "  lowbit eval runs/nin-cifar10-20261123-1500/best.lbck --json",
            "  lowbit export runs/qat/best.lbck -o model.lbq && lowbit eval --int model.lbq",
            "  lowbit sim model.lbq --accel pynq-z2-clipq --images 100",
            "", "Data: --data-dir, else $LOWBIT_DATA, else ~/.lowbit/data (CIFAR is downloaded there if missing)."})
public final class Lowbit {

    private Lowbit() {
    }

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** The configured command line; tests call {@code execute} on it without exiting the JVM. */
    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new Lowbit());
        cl.setExecutionExceptionHandler(Lowbit::handleExecutionException);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }

    /**
     * Failures a user can act on (bad data, bad files, divergence, bad option values found late) print one
     * clear message instead of a stack trace; {@code LOWBIT_DEBUG=1} shows the trace.
     */
    private static int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        err.println("lowbit " + cl.getCommandName() + ": error: " + e.getMessage());
        if (System.getenv("LOWBIT_DEBUG") != null) {
            e.printStackTrace(err);
        }
        err.flush();
        return e instanceof IllegalArgumentException ? 2 : 1;
    }
}
