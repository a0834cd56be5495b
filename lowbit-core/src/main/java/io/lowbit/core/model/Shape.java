package io.lowbit.core.model;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The dimensions of a tensor, outermost first: {@code (C, H, W)} for feature maps, {@code (features)} for vectors,
 * {@code (outC, inC/groups, kH, kW)} or {@code (outF, inF)} for weights. Rank 1..4, every dimension ≥ 1, and at most
 * {@link #MAX_ELEMENTS} elements (checked without overflow), so every flat index fits an {@code int}.
 */
public record Shape(List<Integer> dims) {

    /** Largest element count of any tensor: 2^30, far above any CIFAR model and safely below Java's array limit. */
    public static final int MAX_ELEMENTS = 1 << 30;
    public static final int MAX_RANK = 4;

    public Shape {
        dims = List.copyOf(dims);
        if (dims.isEmpty() || dims.size() > MAX_RANK) {
            throw new IllegalArgumentException("a shape has rank 1.." + MAX_RANK + ", got " + dims.size());
        }
        long count = 1;
        for (int d : dims) {
            if (d < 1) {
                throw new IllegalArgumentException("shape " + format(dims) + " has a dimension < 1");
            }
            count *= d; // ≤ 2^30 · 2^31 < 2^63 before the check below stops the loop
            if (count > MAX_ELEMENTS) {
                throw new IllegalArgumentException("shape " + format(dims) + " has more than 2^30 elements");
            }
        }
    }

    public static Shape of(int... dims) {
        return new Shape(java.util.Arrays.stream(dims).boxed().toList());
    }

    /** A feature map {@code (channels, height, width)}. */
    public static Shape chw(int channels, int height, int width) {
        return of(channels, height, width);
    }

    /** A vector {@code (features)}. */
    public static Shape features(int count) {
        return of(count);
    }

    public int rank() {
        return dims.size();
    }

    public int dim(int axis) {
        return dims.get(axis);
    }

    /** Product of the dimensions, ≤ {@link #MAX_ELEMENTS}. */
    public int elementCount() {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    public boolean isFeatureMap() {
        return dims.size() == 3;
    }

    /** {@code C} of a {@code (C, H, W)} map, or the length of a vector. */
    public int channels() {
        return dims.get(0);
    }

    /** {@code H} of a {@code (C, H, W)} map. */
    public int height() {
        requireFeatureMap();
        return dims.get(1);
    }

    /** {@code W} of a {@code (C, H, W)} map. */
    public int width() {
        requireFeatureMap();
        return dims.get(2);
    }

    public int[] toArray() {
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    private void requireFeatureMap() {
        if (dims.size() != 3) {
            throw new IllegalStateException("shape " + this + " is not a (C, H, W) feature map");
        }
    }

    @Override
    public String toString() {
        return format(dims);
    }

    private static String format(List<Integer> dims) {
        return dims.stream().map(String::valueOf).collect(Collectors.joining("×", "(", ")"));
    }
}
