package io.lowbit.train.quant.clipq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.lowbit.core.arith.FixedPointFormat;
import io.lowbit.core.arith.Rounding;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The O(n) quantizer against {@link NaiveClipQ} (full sorts, a division per weight): exact equality. */
class ClipQuantizerVsNaiveTest {

    @Provide
    Arbitrary<float[]> layers() {
        return ClipQArbitraries.layers(400);
    }

    @Provide
    Arbitrary<ClipQConfig> configs() {
        return ClipQArbitraries.configs();
    }

    @Property(tries = 600)
    void agreesOnGeneratedLayers(@ForAll("configs") ClipQConfig c, @ForAll("layers") float[] w) {
        assertSame(c, w, new ClipQuantizer(c).quantize(w), "generated");
    }

    /** Realistic sizes and shapes, seeded: gaussian, coarse grids (many ties at the thresholds), one narrow bucket. */
    @Test
    void agreesOnLargeSeededLayers() {
        Random rnd = new Random(20220719);
        ClipQConfig[] configs = {
            ClipQConfig.paperHardware(), ClipQConfig.authorsCode(),
            ClipQConfig.of(0.25, 3, PartitionMode.GLOBAL_LINEAR),
            ClipQConfig.of(0.3, 8, PartitionMode.PER_SIGN_LINEAR)
                    .withLevelFormat(FixedPointFormat.Q3_5, Rounding.ROUND_HALF_EVEN),
            ClipQConfig.of(0, 5, PartitionMode.GLOBAL_LINEAR)};
        for (int shape = 0; shape < 4; shape++) {
            int n = 20_000 + rnd.nextInt(20_000);
            float[] w = new float[n];
            for (int i = 0; i < n; i++) {
                double g = rnd.nextGaussian();
                w[i] = switch (shape) {
                    case 0 -> (float) (g * 0.05);
                    case 1 -> Math.round(g * 6) / 8f;                       // ties everywhere
                    case 2 -> (float) (1 + Math.abs(g) * 1e-4) * (rnd.nextBoolean() ? 1 : -1);  // one top bucket
                    default -> rnd.nextInt(10) == 0 ? 0f : (float) (g * Math.exp(rnd.nextGaussian() * 3));
                };
            }
            ClipQuantizer[] quantizers = Arrays.stream(configs).map(ClipQuantizer::new).toArray(ClipQuantizer[]::new);
            for (ClipQuantizer q : quantizers) {
                assertSame(q.config(), w, q.quantize(w), "shape " + shape + ", n " + n);
            }
        }
    }

    private static void assertSame(ClipQConfig c, float[] w, ClipQResult fast, String what) {
        NaiveClipQ.Reference slow = NaiveClipQ.run(c, w);
        String ctx = what + ", " + c.toSpec() + ", n = " + w.length;
        for (int i = 0; i < w.length; i++) {
            if (fast.index(i) != (slow.indexes()[i] & 0xFF)) {
                fail(ctx + ": weights[" + i + "] = " + w[i] + " (bits " + Integer.toHexString(Float.floatToRawIntBits(w[i]))
                        + ") fast index " + fast.index(i) + ", naive " + (slow.indexes()[i] & 0xFF)
                        + "; c⁺ " + fast.clipPositive() + "/" + slow.clipPositive() + ", c⁻ " + fast.clipNegative()
                        + "/" + slow.clipNegative());
            }
        }
        assertEquals(Arrays.toString(slow.levels()), Arrays.toString(fast.levels()), ctx + ": levels");
        assertEquals(Arrays.toString(slow.means()), Arrays.toString(fast.means()), ctx + ": means");
        assertEquals(Arrays.toString(slow.counts()), Arrays.toString(fast.levelCounts()), ctx + ": counts");
        assertEquals(slow.clipPositive(), fast.clipPositive(), ctx + ": c⁺");
        assertEquals(slow.clipNegative(), fast.clipNegative(), ctx + ": c⁻");
        assertEquals(slow.positives(), fast.positives(), ctx);
        assertEquals(slow.negatives(), fast.negatives(), ctx);
        assertEquals(slow.prunedPositive(), fast.prunedPositive(), ctx);
        assertEquals(slow.prunedNegative(), fast.prunedNegative(), ctx);
    }
}
