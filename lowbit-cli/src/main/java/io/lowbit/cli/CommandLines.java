package io.lowbit.cli;

import picocli.CommandLine.Model.CommandSpec;

/** Reconstructs the command a result came from, to be stored beside the result. */
final class CommandLines {

    private CommandLines() {
    }

    /** {@code lowbit} followed by the arguments as given (they include the subcommand). */
    static String current(CommandSpec spec) {
        StringBuilder sb = new StringBuilder("lowbit");
        for (String a : spec.commandLine().getParseResult().originalArgs()) {
            sb.append(' ').append(a.contains(" ") ? "'" + a + "'" : a);
        }
        return sb.toString();
    }
}
