package io.lowbit.core.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lowbit.core.arith.IntType;
import io.lowbit.core.model.CodebookWeights;
import io.lowbit.core.model.Conv2d;
import io.lowbit.core.model.IntTensor;
import io.lowbit.core.model.IntegerWeights;
import io.lowbit.core.model.OutputStage;
import io.lowbit.core.model.Shape;
import io.lowbit.core.model.Window;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RelativeIndexEncodingTest {

    /** Deep Compression's figure: a gap larger than 2^gapBits is bridged by a stored zero. */
    @Test
    void aLongGapIsBridgedByAFiller() {
        int[] v = {0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        RelativeIndexEncoding e = new RelativeIndexEncoding(3, 2, false);
        RelativeIndexEncoding.Encoded enc = e.encode(v);
        assertEquals(3, enc.entries()); // 3 at distance 3, filler at distance 8, 1 at distance 1
        assertEquals(15, enc.bits());
        assertEquals(15, e.bits(v));
        assertArrayEquals(v, e.decode(enc));
    }

    @Property(tries = 300)
    void roundTripsAndCountsExactly(@ForAll("seeds") long seed, @ForAll @IntRange(min = 1, max = 8) int gapBits,
            @ForAll @IntRange(min = 1, max = 8) int valueBits, @ForAll boolean signed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = rng.nextInt(0, 3000);
        double density = rng.nextDouble();
        int lo = signed ? -(1 << (valueBits - 1)) : 0;
        int hi = signed ? (1 << (valueBits - 1)) - 1 : (1 << valueBits) - 1;
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            if (rng.nextDouble() < density) {
                v[i] = rng.nextInt(lo, hi + 1);
            }
        }
        RelativeIndexEncoding e = new RelativeIndexEncoding(gapBits, valueBits, signed);
        RelativeIndexEncoding.Encoded enc = e.encode(v);
        assertArrayEquals(v, e.decode(enc));
        assertEquals(e.entries(v), enc.entries());
        assertEquals(e.bits(v), enc.bits());
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Long> seeds() {
        return net.jqwik.api.Arbitraries.longs();
    }

    @Test
    void corruptStreamsAreRejected() {
        RelativeIndexEncoding e = new RelativeIndexEncoding(4, 2, false);
        RelativeIndexEncoding.Encoded enc = e.encode(new int[] {1, 0, 2, 3});
        var past = new RelativeIndexEncoding.Encoded(2, enc.entries(), enc.bytes(), enc.bits());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> e.decode(past)).getMessage()
                .contains("past"));
        var truncated = new RelativeIndexEncoding.Encoded(4, enc.entries(), enc.bytes(), enc.bits() - 1);
        assertThrows(IllegalArgumentException.class, () -> e.decode(truncated));
        var lying = new RelativeIndexEncoding.Encoded(4, enc.entries(), new byte[1], 1000);
        assertThrows(IllegalArgumentException.class, () -> e.decode(lying));
        assertThrows(IllegalArgumentException.class, () -> e.encode(new int[] {4}));
    }

    /** A CLIP-Q layer with 20 % pruned: dense 2-bit indexes beat any relative-index stream. */
    @Test
    void clipQAtP02StaysDenseAndHighPruningGoesSparse() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 96 * 192 * 9;
        for (double pruned : new double[] {0.2, 0.9}) {
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                idx[i] = rng.nextDouble() < pruned ? 0 : rng.nextInt(1, 4);
            }
            Conv2d conv = new Conv2d(Window.square(3, 1, 1), 1, new CodebookWeights(IntType.INT8,
                    List.of(0, -20, -5, 17), IntTensor.of(Shape.of(96, 192, 3, 3), idx)), IntTensor.vector(new int[96]),
                    new OutputStage.Accumulator());
            LayerStorage s = StorageReport.layer("conv", conv);
            assertEquals(2L * n, s.denseBits());
            assertEquals(32, s.codebookBits());
            assertEquals(pruned > 0.5, s.sparseIsSmaller(), "pruned " + pruned + ": " + s);
            assertEquals(pruned, s.prunedFraction(), 0.01);
        }
        int[] codes = new int[64];
        codes[5] = -7;
        Conv2d plain = new Conv2d(Window.square(1, 1, 0), 1, new IntegerWeights(IntType.INT8,
                IntTensor.of(Shape.of(8, 8, 1, 1), codes)), IntTensor.vector(new int[8]), new OutputStage.Accumulator());
        LayerStorage p = StorageReport.layer("fc", plain);
        assertEquals(1, p.nonZero());
        assertTrue(p.sparseIsSmaller());
        assertEquals(32 * 64 + 32 * 8, p.float32Bits());
    }
}
