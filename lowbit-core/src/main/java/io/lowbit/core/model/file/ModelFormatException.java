package io.lowbit.core.model.file;

import java.io.IOException;

/**
 * A {@code .lbq} file (or a part of one) that cannot be read as an integer model: corrupt or truncated ZIP, unknown
 * format or version, missing/extra/duplicate entries, checksum mismatches, bad {@code .npy} headers, dtype or shape
 * mismatches, or a graph that fails validation. The message names the file, the entry and the problem. This is the
 * only exception the reader throws for bad content; plain {@link IOException}s mean the file could not be read at all.
 */
public class ModelFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code "<entry>: <problem>"}. */
    static ModelFormatException inEntry(String entry, String problem) {
        return new ModelFormatException("entry '" + entry + "': " + problem);
    }

    static ModelFormatException inEntry(String entry, String problem, Throwable cause) {
        return new ModelFormatException("entry '" + entry + "': " + problem, cause);
    }
}
