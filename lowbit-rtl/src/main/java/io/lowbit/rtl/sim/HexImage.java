package io.lowbit.rtl.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A memory image for {@code $readmemh}: one word per line, hex, {@code bits} wide. Words are assembled from lanes
 * (lane 0 in the low bits), as the RTL memories pack channels, indexes and biases.
 */
public final class HexImage {

    private final int bits;
    private final List<BigInteger> words = new ArrayList<>();

    public HexImage(int bits) {
        this.bits = bits;
    }

    public int bits() {
        return bits;
    }

    public int size() {
        return words.size();
    }

    public List<BigInteger> words() {
        return List.copyOf(words);
    }

    /** Appends a word made of {@code lanes} values of {@code laneBits} each (two's complement, truncated). */
    public HexImage addLanes(long[] lanes, int laneBits) {
        if ((long) lanes.length * laneBits > bits) {
            throw new IllegalArgumentException(lanes.length + " lanes of " + laneBits + " bits exceed " + bits);
        }
        BigInteger w = BigInteger.ZERO;
        BigInteger mask = BigInteger.ONE.shiftLeft(laneBits).subtract(BigInteger.ONE);
        for (int i = lanes.length - 1; i >= 0; i--) {
            w = w.shiftLeft(laneBits).or(BigInteger.valueOf(lanes[i]).and(mask));
        }
        words.add(w);
        return this;
    }

    /** Appends one value, two's complement in {@code bits}. */
    public HexImage add(long value) {
        return addLanes(new long[] {value}, bits);
    }

    /** Sets word {@code index}, growing the image with zero words. */
    public void set(int index, BigInteger word) {
        while (words.size() <= index) {
            words.add(BigInteger.ZERO);
        }
        words.set(index, word);
    }

    public void write(Path file) {
        StringBuilder s = new StringBuilder();
        int digits = (bits + 3) / 4;
        for (BigInteger w : words) {
            String h = w.toString(16);
            s.append("0".repeat(Math.max(0, digits - h.length()))).append(h).append('\n');
        }
        try {
            Files.writeString(file, s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Hex words of a {@code $fwrite("%h")} dump. */
    public static List<BigInteger> read(Path file) {
        try {
            return Files.readAllLines(file).stream().filter(l -> !l.isBlank())
                    .map(l -> new BigInteger(l.trim().replace('x', '0').replace('X', '0'), 16)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lane {@code lane} of {@code word}, {@code laneBits} wide, sign-extended if {@code signed}. */
    public static int lane(BigInteger word, int lane, int laneBits, boolean signed) {
        int v = word.shiftRight(lane * laneBits).and(BigInteger.ONE.shiftLeft(laneBits).subtract(BigInteger.ONE))
                .intValue();
        return signed && laneBits < 32 && (v & (1 << (laneBits - 1))) != 0 ? v - (1 << laneBits) : v;
    }
}
