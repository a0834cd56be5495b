package io.lowbit.train.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A set of 32×32 RGB images with one class label each, held as the raw uint8 bytes of the CIFAR files.
 *
 * <p>{@code pixels} holds {@code size() × 3 × 32 × 32} bytes: per image a red, a green and a blue plane, each
 * row-major (CHW). That is exactly the file order with the label bytes removed, so reading needs no reshuffling and an
 * image is one contiguous slice. Bytes are unsigned: use {@link #pixel} or {@code Byte.toUnsignedInt}.
 *
 * <p>For speed the arrays are neither copied on construction nor on access (a training set is 150 MB): treat them as
 * read-only. {@link #equals} and {@link #hashCode} compare contents.
 *
 * @param pixels     images in CHW order, {@code labels.length × IMAGE_BYTES} bytes
 * @param labels     class of each image, in {@code [0, numClasses)}
 * @param numClasses number of classes
 * @param classNames name of each class, {@code numClasses} entries
 */
public record LabeledImages(byte[] pixels, int[] labels, int numClasses, List<String> classNames) {

    /** Image side length in pixels. */
    public static final int SIDE = 32;
    /** Colour channels (R, G, B). */
    public static final int CHANNELS = 3;
    /** Bytes of one channel plane. */
    public static final int PLANE_BYTES = SIDE * SIDE;
    /** Bytes of one image. */
    public static final int IMAGE_BYTES = CHANNELS * PLANE_BYTES;

    /** Validates that the lengths agree and every label is a valid class. */
    public LabeledImages {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        classNames = List.copyOf(classNames);
        if (numClasses <= 0) {
            throw new IllegalArgumentException("numClasses must be positive, got " + numClasses);
        }
        if (classNames.size() != numClasses) {
            throw new IllegalArgumentException(
                    "expected " + numClasses + " class names, got " + classNames.size() + ": " + classNames);
        }
        if ((long) labels.length * IMAGE_BYTES != pixels.length) {
            throw new IllegalArgumentException("pixels has " + pixels.length + " bytes, but " + labels.length
                    + " labels need " + (long) labels.length * IMAGE_BYTES + " (" + IMAGE_BYTES + " per image)");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException(
                        "label of image " + i + " is " + labels[i] + ", outside [0, " + numClasses + ")");
            }
        }
    }

    /** Number of images. */
    public int size() {
        return labels.length;
    }

    /** Name of the class of image {@code i}. */
    public String className(int image) {
        return classNames.get(labels[Objects.checkIndex(image, size())]);
    }

    /**
     * One pixel value.
     *
     * @return the value in {@code [0, 255]}
     */
    public int pixel(int image, int channel, int y, int x) {
        Objects.checkIndex(image, size());
        Objects.checkIndex(channel, CHANNELS);
        Objects.checkIndex(y, SIDE);
        Objects.checkIndex(x, SIDE);
        return Byte.toUnsignedInt(pixels[image * IMAGE_BYTES + channel * PLANE_BYTES + y * SIDE + x]);
    }

    /** Number of images per class, indexed by label. */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /** The first {@code n} images, in order. */
    public LabeledImages first(int n) {
        if (n < 0 || n > size()) {
            throw new IllegalArgumentException("cannot take the first " + n + " of " + size() + " images");
        }
        return new LabeledImages(Arrays.copyOf(pixels, n * IMAGE_BYTES), Arrays.copyOf(labels, n),
                numClasses, classNames);
    }

    /** The images at the given indices, in the order given (indices may repeat). */
    public LabeledImages subset(int[] indices) {
        byte[] newPixels = new byte[Math.multiplyExact(indices.length, IMAGE_BYTES)];
        int[] newLabels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            int source = Objects.checkIndex(indices[i], size());
            System.arraycopy(pixels, source * IMAGE_BYTES, newPixels, i * IMAGE_BYTES, IMAGE_BYTES);
            newLabels[i] = labels[source];
        }
        return new LabeledImages(newPixels, newLabels, numClasses, classNames);
    }

    /**
     * The first {@code perClass} images of every class, keeping file order (not grouped by class).
     *
     * @throws IllegalArgumentException if some class has fewer than {@code perClass} images
     */
    public LabeledImages balancedSubset(int perClass) {
        if (perClass < 0) {
            throw new IllegalArgumentException("perClass must be >= 0, got " + perClass);
        }
        int[] counts = classCounts();
        for (int c = 0; c < numClasses; c++) {
            if (counts[c] < perClass) {
                throw new IllegalArgumentException("cannot take " + perClass + " images per class: class " + c
                        + " (" + classNames.get(c) + ") has only " + counts[c]);
            }
        }
        int[] taken = new int[numClasses];
        int[] indices = new int[perClass * numClasses];
        int n = 0;
        for (int i = 0; i < labels.length && n < indices.length; i++) {
            if (taken[labels[i]] < perClass) {
                taken[labels[i]]++;
                indices[n++] = i;
            }
        }
        return subset(indices);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabeledImages other
                && numClasses == other.numClasses
                && classNames.equals(other.classNames)
                && Arrays.equals(labels, other.labels)
                && Arrays.equals(pixels, other.pixels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(numClasses, classNames, Arrays.hashCode(labels), Arrays.hashCode(pixels));
    }

    @Override
    public String toString() {
        return "LabeledImages[" + size() + " images, " + numClasses + " classes]";
    }
}
