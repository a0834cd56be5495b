package io.lowbit.train.loop;

import java.nio.file.Path;

/** The files of one training run (layout documented in {@code docs/training.md}). */
public record RunDirectory(Path root) {

    public Path config() {
        return root.resolve("config.json");
    }

    /** Written atomically after every epoch. */
    public Path lastCheckpoint() {
        return root.resolve("last.lbck");
    }

    /** The checkpoint with the best test accuracy so far. */
    public Path bestCheckpoint() {
        return root.resolve("best.lbck");
    }

    public Path metricsCsv() {
        return root.resolve("metrics.csv");
    }

    public Path summaryJson() {
        return root.resolve("summary.json");
    }

    public Path curvesPng() {
        return root.resolve("curves.png");
    }

    /** Locked while a training process works here ({@link RunLock}). */
    public Path lock() {
        return root.resolve(".lock");
    }
}
