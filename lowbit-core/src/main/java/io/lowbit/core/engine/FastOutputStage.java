package io.lowbit.core.engine;

import io.lowbit.core.arith.FixedPointMultiplier;
import io.lowbit.core.arith.OutputClamp;
import io.lowbit.core.arith.Requantizer;
import io.lowbit.core.arith.Rounding;
import io.lowbit.core.arith.RoundingShift;
import io.lowbit.core.arith.ShiftRequantizer;
import io.lowbit.core.model.OutputStage;
import java.util.Arrays;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * An {@link OutputStage} unpacked into per-channel arrays, so that the per-output loop of a layer calls one final
 * class the JIT inlines: the model's three stage records behind one interface call site would make that call
 * megamorphic. It uses the stages' own primitives, {@link RoundingShift#shiftRight} and {@link OutputClamp#apply},
 * so it is exact by construction: requantization (§8) is {@code clamp(shift_r(acc·M0[o], 31 + n[o]))}, shift
 * requantization (§9) the same with {@code M0 = 1, shift = s}, and an accumulator output (§15) is {@code acc}.
 */
final class FastOutputStage {

    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;

    private final boolean accumulator;
    /** A shift stage (§9): every multiplier is 1, so a row needs no 64-bit product. */
    private final boolean shiftOnly;
    private final long[] multiplier;
    private final int[] shift;
    private final OutputClamp clamp;
    private final Rounding rounding;

    private FastOutputStage(boolean accumulator, long[] multiplier, int[] shift, OutputClamp clamp,
            Rounding rounding) {
        this.accumulator = accumulator;
        this.shiftOnly = multiplier != null && Arrays.stream(multiplier).allMatch(m -> m == 1);
        this.multiplier = multiplier;
        this.shift = shift;
        this.clamp = clamp;
        this.rounding = rounding;
    }

    static FastOutputStage of(OutputStage stage, int channels) {
        if (stage instanceof OutputStage.Requantize r) {
            Requantizer q = r.requantizer();
            long[] m = new long[channels];
            int[] s = new int[channels];
            for (int o = 0; o < channels; o++) {
                FixedPointMultiplier mo = q.multiplier(o);
                m[o] = mo.multiplierQ31();
                s[o] = mo.totalRightShift();
            }
            return new FastOutputStage(false, m, s, q.output(), q.rounding());
        } else if (stage instanceof OutputStage.Shift sh) {
            ShiftRequantizer q = sh.shift();
            long[] m = new long[channels];
            int[] s = new int[channels];
            Arrays.fill(m, 1);
            Arrays.fill(s, q.rightShift());
            return new FastOutputStage(false, m, s, q.output(), q.rounding());
        } else if (stage instanceof OutputStage.Accumulator) {
            return new FastOutputStage(true, null, null, null, null);
        }
        throw new IllegalStateException("no implementation of output stage " + stage.kind());
    }

    /** The output of accumulator {@code acc} of output channel {@code channel}; equals {@code stage.apply}. */
    int apply(int acc, int channel) {
        if (accumulator) {
            return acc;
        }
        // |acc·M0| < 2^31·2^31 = 2^62: within RoundingShift's range, as in FixedPointMultiplier.multiply
        return clamp.apply(RoundingShift.shiftRight(acc * multiplier[channel], shift[channel], rounding));
    }

    /**
     * {@code y[to + q] = apply(bias + sums[q], channel)} for {@code q < n}: one output channel's row. The two roundings
     * the hardware has (§6) take a loop without calls: for them {@code shift_r(v, s) = (v + c) >> s} with the
     * constant {@code c = 2^(s−1)} (half up, {@code s ≥ 1}) or {@code c = 0} (floor, or {@code s = 0}), and the
     * range checks of {@link RoundingShift} and {@link OutputClamp} cannot fail here ({@code |acc·M0| < 2^62}), so
     * the loop computes exactly what {@link #apply} does.
     */
    void applyRow(int[] sums, int n, int bias, int channel, int[] y, int to) {
        applyRow(sums, 0, n, bias, channel, y, to);
    }

    /** {@link #applyRow(int[], int, int, int, int[], int)} on the sums {@code sums[from ..< from + n]}. */
    void applyRow(int[] sums, int from, int n, int bias, int channel, int[] y, int to) {
        if (accumulator) {
            for (int q = 0; q < n; q++) {
                y[to + q] = bias + sums[from + q];
            }
        } else if (shiftOnly && shift[channel] > 0
                && (rounding == Rounding.FLOOR || rounding == Rounding.ROUND_HALF_UP)) {
            shiftRow(sums, from, n, bias, shift[channel], rounding == Rounding.ROUND_HALF_UP ? 1 : 0, y, to);
        } else if (rounding == Rounding.FLOOR || rounding == Rounding.ROUND_HALF_UP) {
            long m = multiplier[channel];
            int s = shift[channel];
            long half = rounding == Rounding.ROUND_HALF_UP && s > 0 ? 1L << (s - 1) : 0;
            long z = clamp.zeroPoint();
            long lo = clamp.lo();
            long hi = clamp.hi();
            for (int q = 0; q < n; q++) {
                long v = z + (((bias + sums[from + q]) * m + half) >> s);
                y[to + q] = (int) Math.min(hi, Math.max(lo, v));
            }
        } else {
            for (int q = 0; q < n; q++) {
                y[to + q] = apply(bias + sums[from + q], channel);
            }
        }
    }

    /**
     * {@link #applyRow} of a shift stage with {@code s ≥ 1}, in {@code int} so that the loop vectorizes (the 64-bit
     * form does not on JDK 17): with {@code acc = q·2^s + r}, {@code 0 ≤ r < 2^s}, {@code (acc + 2^(s−1)) >> s} is
     * {@code q} plus 1 exactly when {@code r ≥ 2^(s−1)}, i.e. when bit {@code s − 1} of {@code r} (= of {@code acc})
     * is set: {@code (acc >> s) + ((acc >> (s − 1)) & 1)}, with no addition that could overflow. {@code |acc >> s| ≤
     * 2^30} and the zero-point is a code of at most 16 bits, so {@code Z_out + v} fits too; then the clamp.
     */
    private void shiftRow(int[] sums, int from, int n, int bias, int s, int halfUp, int[] y, int to) {
        int z = clamp.zeroPoint();
        int lo = clamp.lo();
        int hi = clamp.hi();
        int q = 0;
        // the same expression in vectors (JDK 17's auto-vectorizer leaves short rows, the common case, scalar)
        for (int end = INTS.loopBound(n); q < end; q += INTS.length()) {
            IntVector acc = IntVector.fromArray(INTS, sums, from + q).add(bias);
            acc.lanewise(VectorOperators.ASHR, s).add(acc.lanewise(VectorOperators.ASHR, s - 1).and(halfUp)).add(z)
                    .max(lo).min(hi).intoArray(y, to + q);
        }
        for (; q < n; q++) {
            int acc = bias + sums[from + q];
            int v = z + (acc >> s) + ((acc >> (s - 1)) & halfUp);
            y[to + q] = Math.min(hi, Math.max(lo, v));
        }
    }
}
