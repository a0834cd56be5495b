package io.lowbit.train.loop;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint file that is truncated, corrupt, of another version, or does not fit the model. */
public final class CheckpointFormatException extends IOException {

    public CheckpointFormatException(Path file, String problem) {
        super("checkpoint " + file + ": " + problem);
    }
}
