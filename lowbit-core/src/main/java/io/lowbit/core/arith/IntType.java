package io.lowbit.core.arith;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A two's-complement ({@code intB}) or unsigned ({@code uintB}) integer of {@code bits} bits whose values all fit a
 * Java {@code int}: signed 2..32 bits, unsigned 1..31 bits. Activations use 2..8 (and 16) bits, weights signed 2..8,
 * accumulators and bias {@code int32} ({@code docs/integer-semantics.md} §1).
 */
public record IntType(int bits, boolean signed) {

    public static final IntType INT8 = signed(8);
    public static final IntType UINT8 = unsigned(8);
    public static final IntType INT16 = signed(16);
    public static final IntType INT32 = signed(32);

    private static final Pattern SYNTAX = Pattern.compile("(u?)int(\\d+)");

    public IntType {
        if (signed ? bits < 2 || bits > 32 : bits < 1 || bits > 31) {
            throw new IllegalArgumentException((signed ? "signed" : "unsigned") + " integer type of " + bits
                    + " bits is not supported; signed types have 2..32 bits, unsigned 1..31");
        }
    }

    public static IntType signed(int bits) {
        return new IntType(bits, true);
    }

    public static IntType unsigned(int bits) {
        return new IntType(bits, false);
    }

    /** Parses {@code int8}, {@code uint4}, … (the spelling of {@link #toString()}). */
    public static IntType parse(String text) {
        Matcher m = SYNTAX.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not an integer type; write intB or uintB, e.g. int8");
        }
        return new IntType(Integer.parseInt(m.group(2)), m.group(1).isEmpty());
    }

    /** −2^(b−1) if signed, else 0. */
    public int min() {
        return signed ? (int) -(1L << (bits - 1)) : 0;
    }

    /** 2^(b−1) − 1 if signed, else 2^b − 1. */
    public int max() {
        return (int) ((1L << (signed ? bits - 1 : bits)) - 1);
    }

    public boolean contains(long value) {
        return value >= min() && value <= max();
    }

    /** Returns {@code value} or throws naming {@code what} when it is outside this type. */
    public int require(long value, String what) {
        if (!contains(value)) {
            throw new IllegalArgumentException(what + " = " + value + " is outside " + this + " [" + min() + ", "
                    + max() + "]");
        }
        return (int) value;
    }

    @Override
    public String toString() {
        return (signed ? "int" : "uint") + bits;
    }
}
