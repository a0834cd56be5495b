package io.lowbit.train.data;

/**
 * What the network receives for a raw pixel: the float its first layer sees for each channel and pixel value
 * 0..255. {@link Normalization} is the usual one; {@link InputCodes} is the integer model's own input (code·step),
 * which the learned quantization methods train on (docs/export.md).
 */
public interface InputEncoding {

    /**
     * The value fed to the network for one pixel.
     *
     * @param channel     0 = red, 1 = green, 2 = blue
     * @param pixel0to255 the raw value
     */
    float value(int channel, int pixel0to255);

    /** {@link #value} for every value of a channel, indexed by pixel value; lets batch assembly use a lookup. */
    default float[] table(int channel) {
        float[] table = new float[256];
        for (int p = 0; p < 256; p++) {
            table[p] = value(channel, p);
        }
        return table;
    }
}
