package io.lowbit.train.quant.clipq;

import io.lowbit.core.arith.FixedPointFormat;
import io.lowbit.core.arith.Rounding;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Generators shared by the CLIP-Q property tests: layers rich in ties, zeros and extreme magnitudes. */
final class ClipQArbitraries {

    private ClipQArbitraries() {}

    static Arbitrary<float[]> layers(int maxSize) {
        Arbitrary<Float> value = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.floats().between(-2f, 2f).ofScale(6)),
                Tuple.of(4, Arbitraries.of(0f, -0f, 0.1f, -0.1f, 0.5f, -0.5f, 1f, -1f, 0.25f, -0.75f, 1.5f)),
                Tuple.of(1, bitsBetween(Float.floatToIntBits(1f), Float.floatToIntBits(1f) + 3000)), // one top bucket
                Tuple.of(1, bitsBetween(1, Float.floatToIntBits(Float.MAX_VALUE))),                  // any magnitude
                Tuple.of(1, Arbitraries.of(Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE,
                        Float.MIN_NORMAL, -Float.MIN_NORMAL)));
        return value.array(float[].class).ofMaxSize(maxSize);
    }

    /** Finite floats of either sign whose magnitude bit patterns lie in [lo, hi]. */
    private static Arbitrary<Float> bitsBetween(int lo, int hi) {
        return Combinators.combine(Arbitraries.integers().between(lo, hi), Arbitraries.of(1f, -1f))
                .as((bits, sign) -> sign * Float.intBitsToFloat(bits));
    }

    /** Every valid config: p among typical and arbitrary values, b 1..8, both modes, float / fixed levels. */
    static Arbitrary<ClipQConfig> configs() {
        Arbitrary<Double> p = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(0.0, 0.1, 0.2, 0.25, 0.4, 0.5, 0.7, 0.9)),
                Tuple.of(1, Arbitraries.doubles().between(0, 0.999).ofScale(4)));
        Arbitrary<FixedPointFormat> format = Arbitraries.of(FixedPointFormat.Q3_5, new FixedPointFormat(1, 7),
                new FixedPointFormat(8, 8)).injectNull(0.4);
        return Combinators.combine(p, Arbitraries.integers().between(1, 8), Arbitraries.of(PartitionMode.class),
                        format, Arbitraries.of(Rounding.class))
                .as((pp, b, mode, f, r) -> new ClipQConfig(pp, mode == PartitionMode.PER_SIGN_LINEAR ? Math.max(2, b) : b,
                        mode, f, r));
    }

    /** Float-level configs (for properties about means and requantization). */
    static Arbitrary<ClipQConfig> floatConfigs() {
        return configs().map(c -> c.withLevelFormat(null, Rounding.TRUNCATE_TOWARD_ZERO));
    }
}
