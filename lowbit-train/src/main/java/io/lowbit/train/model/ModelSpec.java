package io.lowbit.train.model;

/**
 * What to build: an architecture, a width multiplier applied to every hidden channel count (1.0 = the
 * published network; smaller values make fast experiments) and the number of classes.
 */
public record ModelSpec(Architecture architecture, double width, int numClasses) {

    public ModelSpec {
        if (!(width > 0 && width <= 8)) {
            throw new IllegalArgumentException("width multiplier must be in (0, 8], got " + width);
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("need at least 2 classes, got " + numClasses);
        }
    }

    public static ModelSpec of(String name, double width, int numClasses) {
        return new ModelSpec(Architecture.parse(name), width, numClasses);
    }

    /** Hidden channel count scaled by the width multiplier (at least 1). */
    public int channels(int published) {
        return Math.max(1, (int) Math.round(published * width));
    }

    /** e.g. "nin", "vgg7@0.25". */
    public String label() {
        return architecture.cliName() + (width == 1.0 ? "" : "@" + width);
    }
}
