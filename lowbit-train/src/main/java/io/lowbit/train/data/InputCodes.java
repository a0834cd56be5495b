package io.lowbit.train.data;

import java.util.Objects;

/**
 * The network input as the integer model of a learned-method network holds it: per channel and raw pixel value a
 * symmetric signed {@code bits}-bit code of the normalized pixel {@code n}, {@code code = ⌊clip(n/step, −Q_P, Q_P)
 * + ½⌋} (half up in float32, as the learned quantizers round), with the smallest step that holds every normalized
 * value, {@code step = max|n|/Q_P}. Export writes exactly this table as the integer model's host input quantization;
 * training feeds the first layer {@code code·step} ({@link #value}), so both see the same input (docs/export.md).
 *
 * <p>A lookup on the raw pixel, not a quantizer on the float input: nothing is rounded twice, and the random crop's
 * zero padding (raw pixel 0) gets the code of pixel value 0 like any black pixel.
 */
public final class InputCodes implements InputEncoding {

    /** Code bits by default: the widest integer input type, so the rounding is finest (half a pixel level). */
    public static final int DEFAULT_BITS = 8;

    private final int bits;
    private final float step;
    private final int[] codes;

    private InputCodes(int bits, float step, int[] codes) {
        this.bits = bits;
        this.step = step;
        this.codes = codes;
    }

    /** The codes of {@code normalization}'s values on a signed {@code bits}-bit grid ({@code 2..8}). */
    public static InputCodes of(Normalization normalization, int bits) {
        Objects.requireNonNull(normalization, "normalization");
        if (bits < 2 || bits > 8) {
            throw new IllegalArgumentException("input codes have 2..8 bits, got " + bits);
        }
        int qp = (1 << (bits - 1)) - 1;
        int channels = LabeledImages.CHANNELS;
        float max = 0;
        for (int c = 0; c < channels; c++) {
            for (int p = 0; p < 256; p++) {
                max = Math.max(max, Math.abs(normalization.apply(c, p)));
            }
        }
        float step = max / qp;
        int[] codes = new int[channels * 256];
        for (int c = 0; c < channels; c++) {
            for (int p = 0; p < 256; p++) {
                float u = Math.min(qp, Math.max(-qp, normalization.apply(c, p) / step));
                codes[c * 256 + p] = (int) Math.floor(u + 0.5f);
            }
        }
        return new InputCodes(bits, step, codes);
    }

    /** Bits of a code (signed, symmetric: {@code [−Q_P, Q_P]}, zero-point 0). */
    public int bits() {
        return bits;
    }

    /** The real value of one code step. */
    public float step() {
        return step;
    }

    /** The code of one pixel value. */
    public int code(int channel, int pixel0to255) {
        Objects.checkIndex(channel, LabeledImages.CHANNELS);
        Objects.checkIndex(pixel0to255, 256);
        return codes[channel * 256 + pixel0to255];
    }

    /** All codes, {@code [c·256 + p]}: the integer model's host input table. */
    public int[] table() {
        return codes.clone();
    }

    /** {@code code·step} in float32: the integer model's input in real units, what training feeds the network. */
    @Override
    public float value(int channel, int pixel0to255) {
        return code(channel, pixel0to255) * step;
    }

    @Override
    public String toString() {
        return "InputCodes[int" + bits + " ×" + step + "]";
    }
}
