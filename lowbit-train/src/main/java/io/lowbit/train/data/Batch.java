package io.lowbit.train.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * A mini-batch ready for training: normalized, augmented images and their labels.
 *
 * <p>The arrays are freshly allocated for every batch and owned by the receiver; nothing else keeps a reference.
 *
 * @param data   {@code size × 3 × 32 × 32} floats in NCHW order
 * @param labels class of each image
 * @param size   number of images; equals the loader's batch size except possibly for the last batch of an epoch
 */
public record Batch(float[] data, int[] labels, int size) {

    /** Validates that the lengths agree with {@code size}. */
    public Batch {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(labels, "labels");
        if (size < 0 || labels.length != size || (long) size * LabeledImages.IMAGE_BYTES != data.length) {
            throw new IllegalArgumentException("batch of " + size + " needs " + size + " labels and "
                    + (long) size * LabeledImages.IMAGE_BYTES + " floats, got " + labels.length + " and "
                    + data.length);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Batch other && size == other.size && Arrays.equals(labels, other.labels)
                && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(labels) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Batch[size=" + size + "]";
    }
}
