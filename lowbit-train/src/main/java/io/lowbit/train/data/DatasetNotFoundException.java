package io.lowbit.train.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Dataset files are missing and could not be downloaded. The message says which files, where they were looked for
 * and how to provide them.
 */
public class DatasetNotFoundException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path directory;
    private final List<String> missingFiles;

    DatasetNotFoundException(String message, Path directory, List<String> missingFiles, Throwable cause) {
        super(message, cause);
        this.directory = directory;
        this.missingFiles = List.copyOf(missingFiles);
    }

    /** The dataset folder that was searched, {@code <data dir>/<folder name>}. */
    public Path directory() {
        return directory;
    }

    /** Names of the missing files, relative to {@link #directory()}. */
    public List<String> missingFiles() {
        return missingFiles;
    }
}
