package io.lowbit.cli;

import io.lowbit.train.data.DataDirectory;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where datasets live, shared by every command that reads CIFAR. */
final class DataOptions {

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Dataset root holding cifar-10-batches-bin/ etc. (default: $LOWBIT_DATA, else ~/.lowbit/data)")
    Path dataDir;

    @Option(names = "--no-download", description = "Fail instead of downloading missing datasets.")
    boolean noDownload;

    Path root() {
        return DataDirectory.resolve(dataDir);
    }
}
