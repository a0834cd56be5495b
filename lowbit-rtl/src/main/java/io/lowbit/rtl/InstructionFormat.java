package io.lowbit.rtl;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The instruction word as stored in the instruction memory ({@code lowbit_accel_top}, docs/rtl.md §2): the fields of
 * the eight 32-bit instruction words {@code w0 … w7} that the sequencer and the conv controller decode, each only as
 * wide as the configuration needs (an address field as wide as its memory's address), packed one after the other.
 * The top unpacks a word back into the 256-bit layout its decoders read (zero-extended), so the decoders and every
 * cycle are unchanged. The Verilog computes the same widths from its parameters ({@code lowbit_accel_top},
 * "instruction memory"); both orders must agree.
 *
 * <p>Two fields are kept modulo their width: the in-bank input address {@code w4} and the output pixel base
 * {@code w5[23:0]} only ever reach the feature-map address through additions whose low {@code BA_W} bits are used,
 * so their low {@code BA_W} bits are exact (a negative {@code w4}, the padding rows above a strip, included).
 */
public final class InstructionFormat {

    /** The 32-bit words of an unpacked instruction. */
    public static final int WORDS = 8;

    /** One field: bits {@code [lsb, lsb + width)} of word {@code word}; {@code modulo}: its higher bits are dropped. */
    public record Field(String name, int word, int lsb, int width, int region, boolean modulo) {
    }

    private final List<Field> fields;
    private final int bits;

    public InstructionFormat(RtlParameters p) {
        int tw = RtlParameters.addressBits(p.pes() + 1);
        int icw = Math.min(8, RtlParameters.addressBits(p.pi() + 1));
        int ocw = Math.min(16, RtlParameters.addressBits(p.po() * p.pes() + 1));
        int wbw = Math.min(16, Math.max(RtlParameters.addressBits(p.wmemDepth()),
                RtlParameters.addressBits(RtlParameters.DESCRIPTOR_DEPTH)));
        int bbw = Math.min(24, RtlParameters.addressBits(p.bmemDepth()));
        int rw = p.pi() > 1 ? RtlParameters.addressBits(p.pi()) : 1;
        int baw = p.fmBankAddressBits();
        int lb = p.fmBankBits();
        if (baw > 24 || lb > 8) {
            throw new IllegalArgumentException(p.name() + ": feature-map banks of 2^" + baw + " words in 2^" + lb
                    + " banks exceed the instruction's 24-bit pixel and 8-bit bank fields");
        }
        List<Field> f = new ArrayList<>();
        f.add(new Field("w0 flags and opcode", 0, 0, 6, 8, false));
        f.add(new Field("T", 0, 8, tw, 8, false));
        f.add(new Field("slots", 0, 16, tw, 8, false));
        f.add(new Field("in_count", 0, 24, icw, 8, false));
        f.add(new Field("out_count", 1, 0, ocw, 16, false));
        f.add(new Field("d_row", 1, 16, 8, 8, false));
        f.add(new Field("d_col", 1, 24, 8, 8, false));
        f.add(new Field("weight base / descriptor", 2, 0, wbw, 16, false));
        f.add(new Field("bank loads", 2, 16, 16, 16, false));
        f.add(new Field("bias base", 3, 0, bbw, 24, false));
        f.add(new Field("r0", 3, 24, rw, 8, false));
        f.add(new Field("input address", 4, 0, baw, 32, true));
        f.add(new Field("output pixel base", 5, 0, baw, 24, true));
        f.add(new Field("input bank", 5, 24, lb, 8, false));
        f.add(new Field("in_row0", 6, 0, 16, 16, false));
        f.add(new Field("g0", 6, 16, 16, 16, false));
        f.add(new Field("rows", 7, 0, 16, 16, false));
        f.add(new Field("R", 7, 16, 16, 16, false));
        this.fields = List.copyOf(f);
        this.bits = f.stream().mapToInt(Field::width).sum();
    }

    /** Bits of a stored instruction. */
    public int bits() {
        return bits;
    }

    public List<Field> fields() {
        return fields;
    }

    /** Bit offset of field {@code index} in the stored word. */
    public int offset(int index) {
        int o = 0;
        for (int k = 0; k < index; k++) {
            o += fields.get(k).width();
        }
        return o;
    }

    /**
     * The stored word of an unpacked instruction ({@code words}: {@code w0 … w7}, as 32-bit values); throws when a
     * field's value does not fit its width or a bit outside the fields is set.
     */
    public BigInteger pack(long[] words, String what) {
        if (words.length != WORDS) {
            throw new IllegalArgumentException(what + ": " + words.length + " instruction words, not " + WORDS);
        }
        long[] covered = new long[WORDS];
        BigInteger out = BigInteger.ZERO;
        int o = 0;
        for (Field f : fields) {
            long w = words[f.word()] & 0xFFFFFFFFL;
            long regionMask = f.region() == 32 ? 0xFFFFFFFFL : ((1L << f.region()) - 1);
            long region = (w >>> f.lsb()) & regionMask;
            long mask = (1L << f.width()) - 1;
            if (!f.modulo() && (region & ~mask) != 0) {
                throw new IllegalArgumentException(what + ": " + f.name() + " = " + region + " does not fit the "
                        + f.width() + "-bit field of the " + bits + "-bit instruction word (docs/rtl.md §2)");
            }
            covered[f.word()] |= regionMask << f.lsb();
            out = out.or(BigInteger.valueOf(region & mask).shiftLeft(o));
            o += f.width();
        }
        for (int k = 0; k < WORDS; k++) {
            long stray = words[k] & 0xFFFFFFFFL & ~covered[k];
            if (stray != 0) {
                throw new IllegalArgumentException(what + ": bits 0x" + Long.toHexString(stray) + " of w" + k
                        + " are no instruction field");
            }
        }
        return out;
    }

    /** The unpacked instruction of a stored word, as the decoders see it (modulo fields zero-extended). */
    public long[] unpack(BigInteger stored) {
        long[] words = new long[WORDS];
        int o = 0;
        for (Field f : fields) {
            long v = stored.shiftRight(o).and(BigInteger.ONE.shiftLeft(f.width()).subtract(BigInteger.ONE))
                    .longValue();
            words[f.word()] |= v << f.lsb();
            o += f.width();
        }
        for (int k = 0; k < WORDS; k++) {
            words[k] &= 0xFFFFFFFFL;
        }
        return words;
    }
}
