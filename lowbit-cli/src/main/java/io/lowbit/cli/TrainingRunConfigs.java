package io.lowbit.cli;

import io.lowbit.train.loop.Json;
import io.lowbit.train.loop.RunDirectory;
import io.lowbit.train.loop.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the configuration stored in a run directory. */
final class TrainingRunConfigs {

    private TrainingRunConfigs() {
    }

    static TrainConfig stored(Path runDir) throws IOException {
        Path file = new RunDirectory(runDir).config();
        if (!Files.isRegularFile(file)) {
            throw new IOException("no run in " + runDir + " (missing " + file.getFileName() + ")");
        }
        return Json.MAPPER.readValue(file.toFile(), TrainConfig.class);
    }
}
