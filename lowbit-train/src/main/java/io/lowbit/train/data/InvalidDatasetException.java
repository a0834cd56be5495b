package io.lowbit.train.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/** A dataset or archive file exists but its content is not what it should be (truncated, corrupt, hostile). */
public class InvalidDatasetException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * @param file    the offending file; its path starts the message
     * @param problem what is wrong with it
     */
    public InvalidDatasetException(Path file, String problem) {
        this(file, problem, null);
    }

    /** Like {@link #InvalidDatasetException(Path, String)}, keeping the underlying failure. */
    public InvalidDatasetException(Path file, String problem, Throwable cause) {
        super(Objects.requireNonNull(file, "file") + ": " + problem, cause);
        this.file = file;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }
}
