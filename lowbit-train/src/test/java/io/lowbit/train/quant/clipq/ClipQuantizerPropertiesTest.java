package io.lowbit.train.quant.clipq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties from the {@link ClipQuantizer} definition, each checked without the naive reference. */
class ClipQuantizerPropertiesTest {

    @Provide
    Arbitrary<float[]> layers() {
        return ClipQArbitraries.layers(300);
    }

    @Provide
    Arbitrary<ClipQConfig> configs() {
        return ClipQArbitraries.configs();
    }

    @Provide
    Arbitrary<ClipQConfig> floatConfigs() {
        return ClipQArbitraries.floatConfigs();
    }

    @Property(tries = 400)
    void clipsExactlyTheCeilingOfEachSignAndTheSmallestMagnitudes(@ForAll("configs") ClipQConfig c,
                                                                 @ForAll("layers") float[] w) {
        ClipQResult r = new ClipQuantizer(c).quantize(w);
        int pos = 0, neg = 0, clippedPos = 0, clippedNeg = 0;
        float maxClippedPos = 0, minKeptPos = Float.POSITIVE_INFINITY;
        float maxClippedNegMag = 0, minKeptNegMag = Float.POSITIVE_INFINITY;
        for (int i = 0; i < w.length; i++) {
            boolean clipped = r.index(i) == 0;
            if (w[i] > 0) {
                pos++;
                if (clipped) {
                    clippedPos++;
                    maxClippedPos = Math.max(maxClippedPos, w[i]);
                } else {
                    minKeptPos = Math.min(minKeptPos, w[i]);
                }
            } else if (w[i] < 0) {
                neg++;
                if (clipped) {
                    clippedNeg++;
                    maxClippedNegMag = Math.max(maxClippedNegMag, -w[i]);
                } else {
                    minKeptNegMag = Math.min(minKeptNegMag, -w[i]);
                }
            } else {
                assertEquals(0, r.index(i), "a zero weight must get index 0");
            }
        }
        assertEquals(c.pruneCount(pos), clippedPos);
        assertEquals(c.pruneCount(neg), clippedNeg);
        assertEquals(clippedPos, r.prunedPositive());
        assertEquals(clippedNeg, r.prunedNegative());
        assertEquals(pos, r.positives());
        assertEquals(neg, r.negatives());
        assertTrue(maxClippedPos <= minKeptPos);
        assertTrue(maxClippedNegMag <= minKeptNegMag);
        assertEquals(maxClippedPos, r.clipPositive());
        assertEquals(-maxClippedNegMag, r.clipNegative() == 0 ? -0f : r.clipNegative());
    }

    @Property(tries = 400)
    void everySurvivorGetsTheLevelOfItsSegment(@ForAll("configs") ClipQConfig c, @ForAll("layers") float[] w) {
        ClipQResult r = new ClipQuantizer(c).quantize(w);
        float min = 0, max = 0;
        boolean negSurvivors = false, posSurvivors = false;
        for (int i = 0; i < w.length; i++) {
            if (r.index(i) != 0 && w[i] < 0) {
                negSurvivors = true;
                min = Math.min(min, w[i]);
            } else if (r.index(i) != 0 && w[i] > 0) {
                posSurvivors = true;
                max = Math.max(max, w[i]);
            }
        }
        float[] q = r.dequantize();
        for (int i = 0; i < w.length; i++) {
            int index = r.index(i);
            assertTrue(index >= 0 && index < c.levelCount(), "index out of range");
            if (index != 0) {
                int expected = NaiveClipQ.codeOf(c, w[i], min, r.clipNegative(), r.clipPositive(), max,
                        negSurvivors, posSurvivors);
                int at = i;
                assertEquals(expected, index, () -> "weights[" + at + "] = " + w[at] + " in " + r);
                assertEquals(r.level(expected), q[i]);
            } else {
                assertEquals(0f, q[i]);
            }
        }
    }

    @Property(tries = 400)
    void eachLevelIsTheMeanOfItsMembersRoundedAsConfigured(@ForAll("configs") ClipQConfig c,
                                                           @ForAll("layers") float[] w) {
        ClipQResult r = new ClipQuantizer(c).quantize(w);
        double[] sum = new double[c.levelCount()];
        int[] count = new int[c.levelCount()];
        for (int i = 0; i < w.length; i++) {
            sum[r.index(i)] += w[i];
            count[r.index(i)]++;
        }
        assertEquals(0f, r.level(0));
        for (int m = 1; m < c.levelCount(); m++) {
            assertEquals(count[m], r.levelCount(m));
            double mean = count[m] == 0 ? 0 : sum[m] / count[m];
            assertEquals(mean, r.means()[m]);
            float expected = c.levelFormat() == null ? (float) mean
                    : (float) c.levelFormat().quantize((float) mean, c.levelRounding());
            assertEquals(expected, r.level(m));
            if (c.levelFormat() != null) {
                assertEquals(c.levelFormat().toReal(r.levelCodes()[m]), r.level(m));
            }
        }
        assertEquals(w.length, java.util.Arrays.stream(r.levelCounts()).sum());
    }

    @Property(tries = 400)
    void levelsOfNonEmptySegmentsAscendAndSignsAreKeptPerSign(@ForAll("configs") ClipQConfig c,
                                                             @ForAll("layers") float[] w) {
        ClipQResult r = new ClipQuantizer(c).quantize(w);
        float previous = Float.NEGATIVE_INFINITY;
        for (int m = 1; m < c.levelCount(); m++) {
            if (r.levelCount(m) > 0) {
                assertTrue(r.level(m) >= previous, () -> "levels not ascending: " + r);
                previous = r.level(m);
            } else {
                assertEquals(0f, r.level(m), "empty segment must have level 0");
            }
        }
        if (c.mode() == PartitionMode.PER_SIGN_LINEAR) {
            int half = c.levelCount() / 2;
            for (int i = 0; i < w.length; i++) {
                int index = r.index(i);
                assertTrue(index == 0 || (w[i] < 0) == (index <= half), "per-sign index on the wrong side");
            }
        }
    }

    @Property(tries = 300)
    void dequantizedLayerHasAtMost2PowBDistinctValues(@ForAll("configs") ClipQConfig c,
                                                      @ForAll("layers") float[] w) {
        float[] q = new ClipQuantizer(c).quantize(w).dequantize();
        Set<Float> distinct = new HashSet<>();
        for (float v : q) {
            distinct.add(v == 0 ? 0f : v);
        }
        assertTrue(distinct.size() <= c.levelCount());
    }

    /**
     * Requantizing is <i>not</i> idempotent in general (see {@code ClipQuantizerEdgeCasesTest}), but with p = 0
     * and float levels each pass maps equal values to one level, so zeros stay zero, the number of distinct values
     * never grows, and when it stops shrinking every segment holds one value whose mean is itself: a fixed point
     * is reached within 2^b passes.
     */
    @Property(tries = 300)
    void requantizingWithoutClippingReachesAFixedPoint(@ForAll("floatConfigs") ClipQConfig c0,
                                                       @ForAll("layers") float[] w) {
        ClipQConfig c = c0.withP(0);
        ClipQuantizer quantizer = new ClipQuantizer(c);
        float[] q = quantizer.quantize(w).dequantize();
        for (int pass = 0; pass <= c.levelCount(); pass++) {
            float[] next = quantizer.quantize(q).dequantize();
            for (int i = 0; i < q.length; i++) {
                if (q[i] == 0) {
                    assertEquals(0f, next[i]);
                }
                if (c.mode() == PartitionMode.PER_SIGN_LINEAR) {
                    assertEquals(Math.signum(q[i]), Math.signum(next[i]));
                }
            }
            assertTrue(distinct(next) <= distinct(q));
            if (java.util.Arrays.equals(next, q)) {
                return;
            }
            q = next;
        }
        throw new AssertionError("no fixed point after 2^b + 1 passes");
    }

    private static int distinct(float[] a) {
        Set<Float> s = new HashSet<>();
        for (float v : a) {
            s.add(v == 0 ? 0f : v);
        }
        return s.size();
    }
}
