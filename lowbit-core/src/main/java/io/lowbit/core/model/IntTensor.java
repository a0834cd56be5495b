package io.lowbit.core.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable integer tensor in row-major (C) order: weight codes, codebook indexes, biases, per-channel
 * multiplier mantissas and shifts, and captured activations. The values are {@code int}s whatever their declared
 * type; the owner of the tensor says which type they belong to and checks it.
 */
public final class IntTensor {

    private final Shape shape;
    private final int[] data;

    private IntTensor(Shape shape, int[] data) {
        this.shape = Objects.requireNonNull(shape, "shape");
        if (data.length != shape.elementCount()) {
            throw new IllegalArgumentException("shape " + shape + " needs " + shape.elementCount() + " values, got "
                    + data.length);
        }
        this.data = data;
    }

    /** A tensor holding a copy of {@code data}, row-major in {@code shape}. */
    public static IntTensor of(Shape shape, int... data) {
        return new IntTensor(shape, data.clone());
    }

    /** A rank-1 tensor. */
    public static IntTensor vector(int... data) {
        return of(Shape.features(data.length), data);
    }

    public Shape shape() {
        return shape;
    }

    public int size() {
        return data.length;
    }

    /** The element at row-major position {@code flatIndex}. */
    public int get(int flatIndex) {
        return data[flatIndex];
    }

    /** A copy of all elements in row-major order. */
    public int[] toArray() {
        return data.clone();
    }

    public int min() {
        return Arrays.stream(data).min().orElseThrow();
    }

    public int max() {
        return Arrays.stream(data).max().orElseThrow();
    }

    /** Returns this tensor or throws naming {@code what} if its shape differs from {@code expected}. */
    IntTensor requireShape(Shape expected, String what) {
        if (!shape.equals(expected)) {
            throw new IllegalArgumentException(what + " has shape " + shape + ", expected " + expected);
        }
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IntTensor t && shape.equals(t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * shape.hashCode() + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        int shown = Math.min(data.length, 8);
        StringBuilder sb = new StringBuilder("IntTensor").append(shape).append('[');
        for (int i = 0; i < shown; i++) {
            sb.append(i == 0 ? "" : ", ").append(data[i]);
        }
        return sb.append(data.length > shown ? ", …]" : "]").toString();
    }
}
