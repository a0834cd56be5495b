package io.lowbit.rtl.cosim;

import io.lowbit.rtl.RtlParameters;
import io.lowbit.rtl.sim.HexImage;
import java.math.BigInteger;
import java.util.List;

/**
 * Where a feature map lives in the accelerator's two feature-map buffers ({@code docs/rtl.md} §2): the input-map
 * layout (word = {@code PI} codes of one pixel, lane {@code i} = channel {@code g·PI + i}), channel group {@code g}
 * in bank {@code g mod NB} at in-bank address {@code (g / NB)·H·W + y·W + x}. The flat memory index is
 * {@code (buffer·NB + bank)·bankDepth + in-bank address}; {@code tb_top} dumps a buffer bank by bank.
 */
public final class FeatureMapLayout {

    private final RtlParameters p;

    public FeatureMapLayout(RtlParameters p) {
        this.p = p;
    }

    public int groups(int channels) {
        return (channels + p.pi() - 1) / p.pi();
    }

    public int bank(int group) {
        return group % p.fmBanks();
    }

    /** In-bank address of pixel {@code pixel} ({@code y·W + x}) of group {@code group}; {@code plane} = H·W. */
    public long inBankAddress(int group, long pixel, long plane) {
        return (long) (group / p.fmBanks()) * plane + pixel;
    }

    /** Words each bank holds of a map of {@code channels} × {@code plane} pixels. */
    public int bankWords(int channels, int plane) {
        return (groups(channels) + p.fmBanks() - 1) / p.fmBanks() * plane;
    }

    /** Throws unless a map of {@code channels} × {@code plane} pixels fits buffer 0. */
    public void requireFits(String what, int channels, int plane) {
        requireFits(what, channels, plane, 0);
    }

    /** Throws unless a map of {@code channels} × {@code plane} pixels fits buffer {@code buffer}. */
    public void requireFits(String what, int channels, int plane, int buffer) {
        if (bankWords(channels, plane) > p.fmBankWords(buffer)) { // the memories' depth, not the index stride
            throw new IllegalArgumentException(what + ": " + bankWords(channels, plane) + " words per bank > "
                    + p.fmBankWords(buffer) + " (" + p.fmBanks() + " banks of buffer " + buffer % 2 + ")");
        }
    }

    /** Flat memory index of a word. */
    public long flatIndex(int buffer, int group, long pixel, long plane) {
        return ((long) buffer * p.fmBanks() + bank(group)) * p.fmBankDepth() + inBankAddress(group, pixel, plane);
    }

    /** A {@code C·H·W} map as the words of buffer 0 from flat index 0 on (gaps between banks are zero). */
    public HexImage encode(int[] codes, int channels, int plane) {
        requireFits("input map", channels, plane);
        HexImage image = new HexImage(p.fmWordBits());
        int groups = groups(channels);
        for (int g = 0; g < groups; g++) {
            for (int k = 0; k < plane; k++) {
                long[] lanes = new long[p.pi()];
                for (int i = 0; i < p.pi(); i++) {
                    int ch = g * p.pi() + i;
                    lanes[i] = ch < channels ? codes[ch * plane + k] & ((1L << p.activationBits()) - 1) : 0;
                }
                image.set((int) flatIndex(0, g, k, plane), word(lanes));
            }
        }
        return image;
    }

    private BigInteger word(long[] lanes) {
        BigInteger w = BigInteger.ZERO;
        for (int i = lanes.length - 1; i >= 0; i--) {
            w = w.shiftLeft(p.activationBits()).or(BigInteger.valueOf(lanes[i]));
        }
        return w;
    }

    /**
     * The {@code C·H·W} map from a buffer dump ({@code tb_top}: {@code bankWords} words of every bank, bank-major,
     * read through the host port, whose lanes are {@code resultWordBits / pi} bits wide) of {@code codeBits}-bit
     * codes.
     */
    public int[] decode(List<BigInteger> dump, int bankWords, int channels, int plane, int codeBits,
            boolean signed) {
        int stride = p.resultWordBits() / p.pi();
        int[] out = new int[channels * plane];
        for (int c = 0; c < channels; c++) {
            int g = c / p.pi();
            for (int k = 0; k < plane; k++) {
                BigInteger w = dump.get((int) ((long) bank(g) * bankWords + inBankAddress(g, k, plane)));
                BigInteger lane = BigInteger.valueOf(HexImage.lane(w, c % p.pi(), stride, false));
                out[c * plane + k] = HexImage.lane(lane, 0, codeBits, signed);
            }
        }
        return out;
    }
}
