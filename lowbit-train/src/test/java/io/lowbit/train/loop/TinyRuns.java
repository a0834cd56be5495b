package io.lowbit.train.loop;

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

/** Small, fast training configurations on the shared CIFAR-10 mini set, for tests. */
final class TinyRuns {

    private TinyRuns() {
    }

    static Path sharedData() {
        return io.lowbit.train.TestData.sharedData();
    }

    /** A 1/16-width NIN on 50 images per class of the mini set, batch 50, 200 test images. */
    static TrainConfig config(int epochs, double lr) {
        return new TrainConfig("nin", 0.0625, "cifar10-mini", "fine", epochs, 50,
                OptimizerConfig.sgd(0.9, false, 5e-4), new LrSchedule("cosine", lr, 0, epochs, List.of(), 0.1),
                7, 50, 200, true, 100);
    }

    static TrainingRun.Options options(Path runDir, boolean resume) {
        return new TrainingRun.Options(runDir, sharedData(), false, resume, "test", quiet());
    }

    static PrintStream quiet() {
        return new PrintStream(OutputStream.nullOutputStream());
    }
}
