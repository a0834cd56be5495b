package io.lowbit.cli;

import picocli.CommandLine;

/** Prints the lowbit commit and the Java runtime, without starting the deep-learning engine. */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"lowbit " + System.getProperty("lowbit.commit", "(unknown commit)"),
            "Java " + Runtime.version()};
    }
}
