package io.lowbit.accel.dsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The packing is exact over every input combination of the packed widths (the RTL's tb_shared_mul does the same). */
class DspPackingTest {

    @Test
    void howManyProductsFitOneSlice() {
        // CLIP-Q Q3.5: 9-bit centred input × 8-bit levels -> 2; LSFQ W4A4: 5 × 4 -> 3; W2A2: 3 × 2 -> 6
        assertEquals(2, DspPacking.maxCount(DspSlice.DSP48E1, 9, 8));
        assertEquals(3, DspPacking.maxCount(DspSlice.DSP48E1, 5, 4));
        assertEquals(3, DspPacking.maxCount(DspSlice.DSP48E2, 5, 4));
        assertEquals(6, DspPacking.maxCount(DspSlice.DSP48E1, 3, 2));
        assertEquals(1, DspPacking.maxCount(DspSlice.DSP48E1, 9, 16));
        assertEquals(2, DspPacking.maxCount(DspSlice.DSP48E2, 9, 9));
        assertEquals(1, DspPacking.maxCount(DspSlice.DSP48E1, 9, 9));
    }

    @Test
    void exhaustiveClipQ9x8TwoPerDsp48e1() {
        exhaustive(DspPacking.densest(DspSlice.DSP48E1, 9, 8)); // 511 · 256² = 33.5 M combinations
    }

    @Test
    void exhaustiveLowBitWidths() {
        exhaustive(DspPacking.densest(DspSlice.DSP48E1, 5, 4));
        exhaustive(DspPacking.densest(DspSlice.DSP48E1, 4, 3));
        exhaustive(DspPacking.densest(DspSlice.DSP48E1, 3, 2));
        exhaustive(DspPacking.densest(DspSlice.DSP48E2, 5, 4));
        exhaustive(DspPacking.densest(DspSlice.DSP48E2, 6, 5));
    }

    @Test
    void withoutTheCorrectionTheUpperProductIsWrong() {
        DspPacking p = DspPacking.densest(DspSlice.DSP48E1, 9, 8);
        long product = p.multiply(p.pack(new int[] {-3, 5}), 7); // lower field -21 borrows from the upper one
        assertEquals(34, (int) (product >> 16)); // 35 - 1
        assertArrayEquals(new int[] {-21, 35}, p.unpack(product));
    }

    @Test
    void rejectsOperandsOutsideTheirWidths() {
        DspPacking p = DspPacking.densest(DspSlice.DSP48E1, 9, 8);
        assertThrows(IllegalArgumentException.class, () -> p.pack(new int[] {128, 0}));
        assertThrows(IllegalArgumentException.class, () -> p.products(256, new int[] {1, 1}));
        assertThrows(IllegalArgumentException.class, () -> p.products(-256, new int[] {1, 1})); // not centred
        assertThrows(IllegalArgumentException.class, () -> new DspPacking(DspSlice.DSP48E1, 9, 8, 3));
        assertThrows(IllegalArgumentException.class, () -> new DspPacking(DspSlice.DSP48E1, 19, 8, 1));
    }

    @Property(tries = 400)
    void anyFittingPackingIsExact(@ForAll @IntRange(min = 2, max = 18) int sharedBits,
            @ForAll @IntRange(min = 2, max = 12) int weightBits, @ForAll boolean e2, @ForAll long seed) {
        DspSlice slice = e2 ? DspSlice.DSP48E2 : DspSlice.DSP48E1;
        DspPacking p = DspPacking.densest(slice, sharedBits, weightBits);
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        for (int t = 0; t < 200; t++) {
            int x = signed(r, sharedBits);
            int[] w = new int[p.count()];
            for (int k = 0; k < w.length; k++) {
                w[k] = r.nextInt(8) == 0 ? -(1 << (weightBits - 1)) : signed(r, weightBits);
            }
            int[] got = p.products(x, w);
            for (int k = 0; k < w.length; k++) {
                assertEquals(x * w[k], got[k], () -> p + " x=" + x);
            }
        }
    }

    /** A symmetric {@code bits}-bit value (the weights add {@code −2^(bits−1)} themselves). */
    private static int signed(java.util.SplittableRandom r, int bits) {
        // extremes are the interesting cases: draw them often
        return switch (r.nextInt(4)) {
            case 0 -> -(1 << (bits - 1)) + 1;
            case 1 -> (1 << (bits - 1)) - 1;
            default -> r.nextInt(-(1 << (bits - 1)) + 1, 1 << (bits - 1));
        };
    }

    /** Every centred x and every weight vector; stops at the first wrong product with its inputs. */
    private static void exhaustive(DspPacking p) {
        int xMin = -(1 << (p.sharedBits() - 1)) + 1;
        int wMin = -(1 << (p.weightBits() - 1));
        int wRange = 1 << p.weightBits();
        long vectors = 1;
        for (int k = 0; k < p.count(); k++) {
            vectors *= wRange;
        }
        int[] w = new int[p.count()];
        for (long v = 0; v < vectors; v++) {
            long rest = v;
            for (int k = 0; k < w.length; k++) {
                w[k] = (int) (rest % wRange) + wMin;
                rest /= wRange;
            }
            long a = p.pack(w);
            for (int x = xMin; x <= -xMin; x++) {
                int[] got = p.unpack(p.multiply(a, x));
                for (int k = 0; k < w.length; k++) {
                    if (got[k] != x * w[k]) {
                        throw new AssertionError(p + ": x=" + x + " w=" + java.util.Arrays.toString(w) + " product "
                                + k + " = " + got[k] + ", expected " + x * w[k]);
                    }
                }
            }
        }
    }
}
