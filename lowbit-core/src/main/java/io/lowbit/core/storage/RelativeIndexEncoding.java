package io.lowbit.core.storage;

import java.util.Objects;

/**
 * Sparse encoding of one layer's weight codes as in Deep Compression (Han et al., ICLR 2016, §3): the non-zero
 * entries in row-major order, each stored as a {@code gapBits}-bit distance from the previous stored entry and a
 * {@code valueBits}-bit value (a codebook index, or a code in two's complement); a distance beyond
 * {@code 2^gapBits} is bridged by a stored zero ("filler"). {@code docs/storage.md} gives the bit layout.
 *
 * @param gapBits   bits of a relative index, 1..16
 * @param valueBits bits of a stored value, 1..16
 * @param signed    values are two's-complement codes (plain weights), else unsigned codebook indexes
 */
public record RelativeIndexEncoding(int gapBits, int valueBits, boolean signed) {

    public RelativeIndexEncoding {
        if (gapBits < 1 || gapBits > 16 || valueBits < 1 || valueBits > 16) {
            throw new IllegalArgumentException("gap and value bits must be in 1..16, got " + gapBits + ", "
                    + valueBits);
        }
    }

    /** Largest distance one entry can express: {@code 2^gapBits}. */
    public int maxGap() {
        return 1 << gapBits;
    }

    /** Entries (non-zeros plus fillers) the encoding of {@code values} takes, without encoding it. */
    public long entries(int[] values) {
        long entries = 0;
        int last = -1;
        for (int i = 0; i < values.length; i++) {
            if (values[i] != 0) {
                entries += (i - last - 1) / maxGap() + 1; // fillers to bridge the gap, then the entry
                last = i;
            }
        }
        return entries;
    }

    /** Bits of the encoding of {@code values}. */
    public long bits(int[] values) {
        return entries(values) * (gapBits + valueBits);
    }

    /** The encoded stream: entries of {@code gap − 1} then the value (low {@code valueBits} bits), LSB first. */
    public Encoded encode(int[] values) {
        Objects.requireNonNull(values, "values");
        BitWriter out = new BitWriter();
        long entries = 0;
        int last = -1;
        for (int i = 0; i < values.length; i++) {
            int v = values[i];
            if (v == 0) {
                continue;
            }
            int lo = signed ? -(1 << (valueBits - 1)) : 0;
            int hi = signed ? (1 << (valueBits - 1)) - 1 : (1 << valueBits) - 1;
            if (v < lo || v > hi) {
                throw new IllegalArgumentException("value " + v + " at " + i + " does not fit " + valueBits + " "
                        + (signed ? "signed" : "unsigned") + " bits");
            }
            int gap = i - last;
            while (gap > maxGap()) {
                out.write(maxGap() - 1, gapBits); // filler: a stored zero maxGap positions on
                out.write(0, valueBits);
                entries++;
                gap -= maxGap();
            }
            out.write(gap - 1, gapBits);
            out.write(v, valueBits);
            entries++;
            last = i;
        }
        return new Encoded(values.length, entries, out.toBytes(), out.bitCount());
    }

    /** Decodes {@code encoded} to its values; rejects streams that run past the length or end mid-entry. */
    public int[] decode(Encoded encoded) {
        int[] values = new int[encoded.length()];
        BitReader in = new BitReader(encoded.bytes(), encoded.bits());
        int pos = -1;
        for (long e = 0; e < encoded.entries(); e++) {
            pos += in.read(gapBits) + 1;
            int raw = in.read(valueBits);
            int v = signed && (raw & (1 << (valueBits - 1))) != 0 ? raw - (1 << valueBits) : raw;
            if (pos >= values.length) {
                throw new IllegalArgumentException("relative index runs past the " + values.length + " weights");
            }
            values[pos] = v;
        }
        if (in.position() != encoded.bits()) {
            throw new IllegalArgumentException("encoded stream has " + (encoded.bits() - in.position())
                    + " trailing bits");
        }
        return values;
    }

    /** The smallest-stream gap width in 1..8 for {@code values} (Deep Compression fixes 8 for conv, 5 for fc). */
    public static RelativeIndexEncoding best(int[] values, int valueBits, boolean signed) {
        RelativeIndexEncoding best = null;
        long bestBits = Long.MAX_VALUE;
        for (int g = 1; g <= 8; g++) {
            RelativeIndexEncoding e = new RelativeIndexEncoding(g, valueBits, signed);
            long b = e.bits(values);
            if (b < bestBits) {
                best = e;
                bestBits = b;
            }
        }
        return best;
    }

    /**
     * One encoded layer.
     *
     * @param length  number of weights
     * @param entries stored entries (non-zeros and fillers)
     * @param bytes   the bit stream, LSB first
     * @param bits    bits used in {@code bytes}
     */
    public record Encoded(int length, long entries, byte[] bytes, long bits) {
    }

    /** Appends bit fields, least significant bit first. */
    private static final class BitWriter {
        private byte[] buf = new byte[64];
        private long bits;

        void write(int value, int width) {
            for (int b = 0; b < width; b++) {
                if (bits / 8 >= buf.length) {
                    buf = java.util.Arrays.copyOf(buf, buf.length * 2);
                }
                if (((value >>> b) & 1) != 0) {
                    buf[(int) (bits / 8)] |= (byte) (1 << (bits % 8));
                }
                bits++;
            }
        }

        long bitCount() {
            return bits;
        }

        byte[] toBytes() {
            return java.util.Arrays.copyOf(buf, (int) ((bits + 7) / 8));
        }
    }

    /** Reads bit fields written by {@link BitWriter}; refuses to read past the end. */
    private static final class BitReader {
        private final byte[] buf;
        private final long limit;
        private long pos;

        BitReader(byte[] buf, long limit) {
            if (limit > 8L * buf.length) {
                throw new IllegalArgumentException("stream claims " + limit + " bits in " + buf.length + " bytes");
            }
            this.buf = buf;
            this.limit = limit;
        }

        int read(int width) {
            if (pos + width > limit) {
                throw new IllegalArgumentException("encoded stream ends inside an entry");
            }
            int v = 0;
            for (int b = 0; b < width; b++, pos++) {
                v |= ((buf[(int) (pos / 8)] >>> (pos % 8)) & 1) << b;
            }
            return v;
        }

        long position() {
            return pos;
        }
    }
}
