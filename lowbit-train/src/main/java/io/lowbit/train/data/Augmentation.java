package io.lowbit.train.data;

/**
 * Training-time augmentation, with the semantics of torchvision's {@code RandomCrop(32, padding)} followed by
 * {@code RandomHorizontalFlip()}.
 *
 * <p>Crop: the uint8 image is padded with {@code padding} zero pixels on every side, then a 32×32 window is cut at
 * offsets drawn uniformly from {@code [0, 2·padding]} (rows, then columns). Padding happens before normalization, so
 * a padded pixel becomes {@code (0 − mean[c]) / std[c]}, as in torchvision where {@code Normalize} comes last (or,
 * when the input is {@link InputCodes}, the code of pixel value 0 times the step).
 * Flip: with probability 0.5 the cropped image is mirrored left to right.
 *
 * @param padding        zero border for the random crop, 0 to disable cropping
 * @param horizontalFlip whether to mirror half of the images
 */
public record Augmentation(int padding, boolean horizontalFlip) {

    /** No augmentation: batches hold the normalized pixels unchanged (evaluation). */
    public static final Augmentation NONE = new Augmentation(0, false);

    /** The usual CIFAR training augmentation: crop with 4 pixels of padding and random flips. */
    public static final Augmentation STANDARD = new Augmentation(4, true);

    /** Validates the padding. */
    public Augmentation {
        if (padding < 0 || padding > LabeledImages.SIDE) {
            throw new IllegalArgumentException(
                    "padding must be in 0.." + LabeledImages.SIDE + ", got " + padding);
        }
    }

    /** Whether images pass through unchanged. */
    public boolean isIdentity() {
        return padding == 0 && !horizontalFlip;
    }
}
