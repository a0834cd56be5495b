package io.lowbit.train.quant.clipq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowbit.core.arith.FixedPointFormat;
import io.lowbit.core.arith.Rounding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ClipQuantizerEdgeCasesTest {

    private static ClipQResult run(ClipQConfig c, float... w) {
        return new ClipQuantizer(c).quantize(w);
    }

    @Test
    void allPositiveLeavesTheNegativeLevelsEmptyAtZero() {
        ClipQResult r = run(ClipQConfig.of(0.2, 2, PartitionMode.PER_SIGN_LINEAR), 0.1f, 0.2f, 0.3f, 0.4f, 0.5f);
        assertArrayEquals(new byte[] {0, 3, 3, 3, 3}, r.indexes());
        assertArrayEquals(new float[] {0, 0, 0, 0.35f}, r.levels(), 1e-7f);
        assertArrayEquals(new int[] {1, 0, 0, 4}, r.levelCounts());
        assertEquals(0f, r.clipNegative());
        assertEquals(0.1f, r.clipPositive());
    }

    @Test
    void allNegativeLeavesThePositiveLevelEmpty() {
        // c⁻ = −0.1, min = −0.9, boundary −0.5: {−0.2, −0.3, −0.4} near, {−0.5 … −0.9} far
        ClipQResult r = run(ClipQConfig.of(0.1, 2, PartitionMode.PER_SIGN_LINEAR),
                -0.1f, -0.2f, -0.3f, -0.4f, -0.6f, -0.7f, -0.8f, -0.9f);
        assertArrayEquals(new byte[] {0, 2, 2, 2, 1, 1, 1, 1}, r.indexes());
        assertEquals(0f, r.level(3));
        assertEquals(-0.75f, r.level(1), 1e-6f);
        assertEquals(-0.3f, r.level(2), 1e-6f);
    }

    @ParameterizedTest
    @EnumSource(PartitionMode.class)
    void allZeroIncludingNegativeZero(PartitionMode mode) {
        ClipQResult r = run(ClipQConfig.of(0.5, 2, mode), 0f, -0f, 0f);
        assertArrayEquals(new byte[3], r.indexes());
        assertArrayEquals(new float[4], r.levels());
        assertEquals(0, r.positives() + r.negatives() + r.prunedPositive() + r.prunedNegative());
        assertArrayEquals(new int[] {3, 0, 0, 0}, r.levelCounts());
    }

    @Test
    void emptyLayer() {
        ClipQResult r = run(ClipQConfig.paperHardware());
        assertEquals(0, r.size());
        assertArrayEquals(new int[4], r.levelCounts());
    }

    @Test
    void singleWeight() {
        // ⌈0.2·1⌉ = 1: a lone weight of either sign is clipped
        assertEquals(0, run(ClipQConfig.paperHardware(), 0.5f).index(0));
        assertEquals(0, run(ClipQConfig.paperHardware(), -0.5f).index(0));
        // p = 0: the extreme goes to its side's last segment (far negative for a negative)
        ClipQResult pos = run(ClipQConfig.of(0, 2, PartitionMode.PER_SIGN_LINEAR), 0.5f);
        assertEquals(3, pos.index(0));
        assertEquals(0.5f, pos.level(3));
        ClipQResult neg = run(ClipQConfig.of(0, 2, PartitionMode.PER_SIGN_LINEAR), -0.5f);
        assertEquals(1, neg.index(0));
        assertEquals(-0.5f, neg.level(1));
        // global, p = 0: the axis is [−0.5, 0] and −0.5 sits at its bottom
        assertEquals(1, run(ClipQConfig.of(0, 2, PartitionMode.GLOBAL_LINEAR), -0.5f).index(0));
    }

    @Test
    void fewerWeightsThanSegments() {
        ClipQResult r = run(ClipQConfig.of(0, 4, PartitionMode.PER_SIGN_LINEAR), -1f, 0.5f, 2f);
        // negatives: 8 segments from 0 down to −1, −1 in the last (index 1); positives: 7 over (0, 2]
        assertEquals(1, r.index(0));
        assertEquals(9 + 1, r.index(1));    // ⌊0.5 / (2/7)⌋ = 1 → 8 + 1 + 1
        assertEquals(15, r.index(2));
        int used = 0;
        for (int m = 1; m < 16; m++) {
            used += r.levelCount(m) > 0 ? 1 : 0;
            if (r.levelCount(m) == 0) {
                assertEquals(0f, r.level(m));
            }
        }
        assertEquals(3, used);
    }

    /** b = 8: indexes up to 255 are stored in a byte and read back unsigned. */
    @Test
    void eightBitIndexesUseTheFullByte() {
        float[] w = new float[1000];
        for (int i = 0; i < w.length; i++) {
            w[i] = (i - 499.5f) / 100;
        }
        ClipQResult r = run(ClipQConfig.of(0, 8, PartitionMode.PER_SIGN_LINEAR), w);
        assertEquals(1, r.index(0));           // most negative
        assertEquals(255, r.index(999));       // most positive
        assertEquals(-1, r.indexes()[999]);    // raw byte
        assertEquals(4.98f, r.level(255), 1e-6f);  // top of 127 segments over (0, 4.995]: 4.965 … 4.995
        int previous = 0;
        for (int i = 0; i < w.length; i++) {
            assertTrue(r.index(i) >= previous);
            previous = r.index(i);
        }
        assertArrayEquals(NaiveClipQ.run(r.config(), w).indexes(), r.indexes());
    }

    @Test
    void tiesAtTheThresholdClipTheLowestIndexesFirst() {
        // 5 positives, ⌈0.5·5⌉ = 3: 0.1, then two of the four 0.3s, the first two by index
        ClipQResult r = run(ClipQConfig.of(0.5, 2, PartitionMode.PER_SIGN_LINEAR), 0.3f, 0.3f, 0.1f, 0.3f, 0.3f);
        assertArrayEquals(new byte[] {0, 0, 0, 3, 3}, r.indexes());
        assertEquals(0.3f, r.clipPositive());
        ClipQResult n = run(ClipQConfig.of(0.5, 2, PartitionMode.PER_SIGN_LINEAR), -0.3f, -0.3f, -0.3f, -0.9f);
        assertArrayEquals(new byte[] {0, 0, 2, 1}, n.indexes());
    }

    @Test
    void nonFiniteWeightsAreRejectedByName() {
        ClipQuantizer q = new ClipQuantizer(ClipQConfig.paperHardware());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> q.quantize(new float[] {0.1f, -0.2f, Float.NaN, 0.3f}));
        assertTrue(nan.getMessage().contains("weights[2] = NaN"), nan.getMessage());
        IllegalArgumentException inf = assertThrows(IllegalArgumentException.class,
                () -> q.quantize(new float[] {Float.NEGATIVE_INFINITY}));
        assertTrue(inf.getMessage().contains("weights[0] = -Infinity"), inf.getMessage());
        assertTrue(inf.getMessage().contains("finite"), inf.getMessage());
        // a NaN past n is not looked at
        assertEquals(1, q.quantize(new float[] {0.5f, Float.NaN}, 1, new byte[1]).size());
    }

    @Test
    void rejectsShortArrays() {
        ClipQuantizer q = new ClipQuantizer(ClipQConfig.paperHardware());
        assertThrows(IllegalArgumentException.class, () -> q.quantize(new float[4], 4, new byte[3]));
        assertThrows(IllegalArgumentException.class, () -> q.quantize(new float[4], 5, new byte[5]));
        assertThrows(IllegalArgumentException.class, () -> q.quantize(null));
        assertThrows(IllegalArgumentException.class, () -> new ClipQuantizer(null));
    }

    @Test
    void hotPathWritesOnlyTheCallersPrefixAndLeavesWeightsAlone() {
        float[] w = {0.5f, -0.4f, 0.25f, -1f, 7f, 7f};
        float[] copy = w.clone();
        byte[] out = {9, 9, 9, 9, 9, 9, 9, 9};
        ClipQResult r = new ClipQuantizer(ClipQConfig.of(0, 2, PartitionMode.PER_SIGN_LINEAR)).quantize(w, 4, out);
        assertArrayEquals(copy, w);
        assertSame(out, r.indexes());
        assertArrayEquals(new byte[] {3, 2, 3, 1, 9, 9, 9, 9}, out);
        assertThrows(IndexOutOfBoundsException.class, () -> r.index(4));
        float[] deq = {5, 5, 5, 5, 5};
        r.dequantizeInto(deq);
        assertArrayEquals(new float[] {0.375f, -0.4f, 0.375f, -1f, 5f}, deq);
    }

    @Test
    void resultArraysCannotBeChangedThroughAccessors() {
        ClipQResult r = run(ClipQConfig.paperHardware(), 0.5f, 0.7f, -0.5f, -1f, -2f, -3f);
        r.levels()[3] = 42;
        r.levelCounts()[3] = 42;
        r.levelCodes()[3] = 42;
        r.means()[3] = 42;
        assertNotEquals(42f, r.level(3));
        assertNotEquals(42, r.levelCount(3));
        assertNotEquals(42, r.levelCodes()[3]);
        assertNotEquals(42.0, r.means()[3]);
        assertNull(run(ClipQConfig.of(0, 2, PartitionMode.GLOBAL_LINEAR), 1f).levelCodes());
    }

    @Test
    void levelsSaturateToTheFormat() {
        ClipQResult r = run(ClipQConfig.of(0, 2, PartitionMode.PER_SIGN_LINEAR)
                .withLevelFormat(FixedPointFormat.Q3_5, Rounding.TRUNCATE_TOWARD_ZERO), 10f, -9f, -20f);
        assertArrayEquals(new float[] {0f, -4f, -4f, 3.96875f}, r.levels());
        assertArrayEquals(new int[] {0, -128, -128, 127}, r.levelCodes());
    }

    /** A small level may truncate to 0 in Q3.5 while its index stays non-zero: export must keep the index. */
    @Test
    void aLevelCanTruncateToZero() {
        ClipQResult r = run(ClipQConfig.paperHardware().withP(0), 0.02f, -1f);
        assertEquals(3, r.index(0));
        assertEquals(0f, r.level(3));
    }

    /** Why the requantization property only claims a fixed point: one pass can merge two negative levels. */
    @Test
    void requantizingIsNotIdempotentInGeneral() {
        ClipQuantizer q = new ClipQuantizer(ClipQConfig.of(0, 2, PartitionMode.PER_SIGN_LINEAR));
        float[] once = q.quantize(new float[] {-1f, -0.51f, -0.49f}).dequantize();
        assertArrayEquals(new float[] {-0.755f, -0.755f, -0.49f}, once, 1e-6f);
        float[] twice = q.quantize(once).dequantize();   // boundary moves to −0.3775: −0.49 joins the far level
        assertEquals(twice[0], twice[2]);
        assertArrayEquals(twice, q.quantize(twice).dequantize());
    }

    @Test
    void reusedQuantizerMatchesAFreshOne() {
        ClipQuantizer reused = new ClipQuantizer(ClipQConfig.paperHardware());
        java.util.Random rnd = new java.util.Random(7);
        for (int trial = 0; trial < 30; trial++) {
            float[] w = new float[rnd.nextInt(5000)];
            for (int i = 0; i < w.length; i++) {
                w[i] = trial % 3 == 0 ? (rnd.nextInt(9) - 4) / 4f : (float) rnd.nextGaussian() * 0.05f;
            }
            assertEquals(new ClipQuantizer(ClipQConfig.paperHardware()).quantize(w), reused.quantize(w));
        }
    }
}
