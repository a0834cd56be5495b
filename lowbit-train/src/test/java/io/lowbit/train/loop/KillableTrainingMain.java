package io.lowbit.train.loop;

import java.nio.file.Path;

/** Runs {@link TinyRuns#config} in a separate JVM so that a test can kill it with SIGKILL mid-run. */
public final class KillableTrainingMain {

    private KillableTrainingMain() {
    }

    public static void main(String[] args) throws Exception {
        TrainingRun.run(TinyRuns.config(Integer.parseInt(args[1]), 0.05), TinyRuns.options(Path.of(args[0]), false));
    }
}
