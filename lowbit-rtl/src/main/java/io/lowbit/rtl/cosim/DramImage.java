package io.lowbit.rtl.cosim;

import io.lowbit.rtl.RtlParameters;
import io.lowbit.rtl.sim.HexImage;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The DRAM of a program run with DMA ({@code dram.hex}, beats of the configuration's DMA bytes per cycle) and the
 * DMA queue that moves it ({@code dq.hex}, {@code lowbit_dma}; docs/rtl.md §2). Words travel in slots of the next
 * power of two bits ({@link RtlParameters#slotBits}): a beat holds whole words, or a word spans whole beats, so
 * the DMA writes a beat into a bank without re-packing. A feature map moved whole ({@code load_input},
 * {@code store_output}) is its channel groups one after the other, each group's {@code H·W} words padded to whole
 * beats; a map in DRAM moved by row tiles ({@code load_rows}, {@code store_rows}) is row-major: row {@code y}, then
 * group {@code g}, each line of {@code W} words padded to whole beats, so that a row tile is one burst.
 */
public final class DramImage {

    /** Queue opcodes ({@code lowbit_dma} {@code d0[1:0]}). */
    public static final int OP_LOAD_INPUT = 0;
    public static final int OP_LOAD_WEIGHTS = 1;
    public static final int OP_STORE_OUTPUT = 2;
    public static final int OP_LOAD_ROWS = 3;
    public static final int OP_STORE_ROWS = 4;
    /** Queue entry bits ({@code lowbit_dma}: six 32-bit words). */
    public static final int ENTRY_BITS = 192;
    /** {@code d4} of a whole map: more lines per row than any map has (one row of whole-group lines). */
    public static final int WHOLE_MAP_LINES = 0xFFFF;

    /** One queue entry: what it moves, in beats. */
    public record Transfer(String what, int op, long beats) {
    }

    private final RtlParameters p;
    private final HexImage dram;
    private final HexImage queue = new HexImage(ENTRY_BITS);
    private final List<Transfer> transfers = new ArrayList<>();

    public DramImage(RtlParameters p) {
        this.p = p;
        this.dram = new HexImage(p.dmaBeatBits());
    }

    /** Beats of {@code words} words of {@code bits} each. */
    public long beats(long words, int bits) {
        int slot = RtlParameters.slotBits(bits);
        int beat = p.dmaBeatBits();
        return slot <= beat ? (words * slot + beat - 1) / beat : words * (slot / beat);
    }

    /** Appends {@code words} ({@code bits} each) from the next beat on; returns the first beat's address. */
    public int append(List<BigInteger> words, int bits) {
        int base = dram.size();
        int slot = RtlParameters.slotBits(bits);
        int beat = p.dmaBeatBits();
        BigInteger mask = BigInteger.ONE.shiftLeft(beat).subtract(BigInteger.ONE);
        if (slot <= beat) {
            int perBeat = beat / slot;
            for (int k = 0; k < words.size(); k += perBeat) {
                BigInteger b = BigInteger.ZERO;
                for (int j = 0; j < perBeat && k + j < words.size(); j++) {
                    b = b.or(words.get(k + j).shiftLeft(j * slot));
                }
                dram.add(0);
                dram.set(dram.size() - 1, b);
            }
        } else {
            for (BigInteger w : words) {
                for (int j = 0; j < slot / beat; j++) {
                    dram.add(0);
                    dram.set(dram.size() - 1, w.shiftRight(j * beat).and(mask));
                }
            }
        }
        return base;
    }

    /** Reserves {@code beats} zero beats (the output area); returns the first one's address. */
    public int reserve(long beats) {
        int base = dram.size();
        for (long k = 0; k < beats; k++) {
            dram.add(0);
        }
        return base;
    }

    /** Appends a queue entry ({@code lowbit_dma}: {@code d0 .. d3}; {@code d4}, {@code d5} as for a whole map). */
    public void entry(String what, int op, long d0, long address, long beats, long d3) {
        entry(what, op, d0, address, beats, d3, WHOLE_MAP_LINES | ((d3 >>> 16) << 16), 0);
    }

    /** Appends a queue entry ({@code lowbit_dma}: {@code d0 .. d5}). */
    public void entry(String what, int op, long d0, long address, long beats, long d3, long d4, long d5) {
        require(queue.size() < RtlParameters.DMA_QUEUE_DEPTH, what + ": more than " + RtlParameters.DMA_QUEUE_DEPTH
                + " DMA transfers (the DMA queue)");
        require(beats >= 1 && beats < (1L << 31) && address + beats <= DRAM_BEATS, what + ": " + beats
                + " beats at " + address + " do not fit the " + DRAM_BEATS + "-beat DRAM model");
        queue.addLanes(new long[] {d0 | op, address, beats, d3, d4, d5}, 32);
        transfers.add(new Transfer(what, op, beats));
    }

    /** A feature map's channel groups ({@code plane} words each) padded to whole beats: {@code beats | plane<<16}. */
    public long mapGeometry(int plane) {
        long groupBeats = beats(plane, p.fmWordBits());
        require(plane < (1 << 16) && groupBeats < (1 << 16), "a map plane of " + plane + " words");
        return groupBeats | ((long) plane << 16);
    }

    /** Beats of one line of a row-major map in DRAM: {@code width} words padded to whole beats. */
    public long lineBeats(int width) {
        return beats(width, p.fmWordBits());
    }

    /** Beats of a row-major {@code C·H·W} map in DRAM ({@code load_rows}, {@code store_rows}). */
    public long rowMajorBeats(int channels, int height, int width) {
        return (long) height * new FeatureMapLayout(p).groups(channels) * lineBeats(width);
    }

    /** The {@code C·H·W} map from the DRAM dump {@code beats}, row-major from beat {@code base} on. */
    public int[] decodeRowMajorMap(List<BigInteger> beats, int base, int channels, int height, int width,
            int codeBits, boolean signed) {
        int groups = new FeatureMapLayout(p).groups(channels);
        long line = lineBeats(width);
        int plane = height * width;
        int[] out = new int[channels * plane];
        for (int c = 0; c < channels; c++) {
            int g = c / p.pi();
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    BigInteger word = wordAt(beats, base + ((long) y * groups + g) * line, x, p.fmWordBits());
                    int lane = HexImage.lane(word, c % p.pi(), p.activationBits(), false);
                    out[c * plane + y * width + x] = HexImage.lane(BigInteger.valueOf(lane), 0, codeBits, signed);
                }
            }
        }
        return out;
    }

    /** Appends a {@code C·H·W} map of codes in the DRAM map format; returns its first beat. */
    public int appendMap(int[] codes, int channels, int plane) {
        int base = dram.size();
        int groups = (channels + p.pi() - 1) / p.pi();
        for (int g = 0; g < groups; g++) {
            List<BigInteger> words = new ArrayList<>();
            for (int k = 0; k < plane; k++) {
                BigInteger w = BigInteger.ZERO;
                for (int i = p.pi() - 1; i >= 0; i--) {
                    int ch = g * p.pi() + i;
                    long code = ch < channels ? codes[ch * plane + k] & ((1L << p.activationBits()) - 1) : 0;
                    w = w.shiftLeft(p.activationBits()).or(BigInteger.valueOf(code));
                }
                words.add(w);
            }
            append(words, p.fmWordBits());
        }
        return base;
    }

    /** The {@code C·H·W} map from the DRAM dump of a map in the DRAM map format. */
    public int[] decodeMap(List<BigInteger> beats, int channels, int plane, int codeBits, boolean signed) {
        long groupBeats = beats(plane, p.fmWordBits());
        int[] out = new int[channels * plane];
        for (int c = 0; c < channels; c++) {
            int g = c / p.pi();
            for (int k = 0; k < plane; k++) {
                BigInteger word = wordAt(beats, g * groupBeats, k, p.fmWordBits());
                int lane = HexImage.lane(word, c % p.pi(), p.activationBits(), false);
                out[c * plane + k] = HexImage.lane(BigInteger.valueOf(lane), 0, codeBits, signed);
            }
        }
        return out;
    }

    /** Words of the result memory ({@code resultWordBits} each) from the DRAM dump. */
    public List<BigInteger> decodeWords(List<BigInteger> beats, int words, int bits) {
        BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
        List<BigInteger> out = new ArrayList<>();
        for (int k = 0; k < words; k++) {
            out.add(wordAt(beats, 0, k, bits).and(mask));
        }
        return out;
    }

    /**
     * Word {@code k} of words of {@code bits} stored from beat {@code base} on as {@link #append} stores them: from
     * its slot within a beat, or gathered from its beats, the low beat first (bits above the word: slot padding).
     */
    BigInteger wordAt(List<BigInteger> beats, long base, long k, int bits) {
        int slot = RtlParameters.slotBits(bits);
        int beat = p.dmaBeatBits();
        if (slot <= beat) {
            int perBeat = beat / slot;
            return beats.get(Math.toIntExact(base + k / perBeat)).shiftRight((int) (k % perBeat) * slot);
        }
        int n = slot / beat;
        BigInteger w = BigInteger.ZERO;
        for (int j = n - 1; j >= 0; j--) {
            w = w.shiftLeft(beat).or(beats.get(Math.toIntExact(base + k * n + j)));
        }
        return w;
    }

    /** Beats written so far. */
    public int size() {
        return dram.size();
    }

    public HexImage dram() {
        return dram;
    }

    public HexImage queue() {
        return queue;
    }

    public List<Transfer> transfers() {
        return List.copyOf(transfers);
    }

    /** Beats of {@code tb_top}'s DRAM model. */
    public static final int DRAM_BEATS = 1 << 21;

    static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
