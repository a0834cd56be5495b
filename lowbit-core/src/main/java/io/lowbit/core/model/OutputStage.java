package io.lowbit.core.model;

import io.lowbit.core.arith.IntType;
import io.lowbit.core.arith.QuantizedType;
import io.lowbit.core.arith.Requantizer;
import io.lowbit.core.arith.ShiftRequantizer;
import java.util.Objects;

/**
 * What a {@link Conv2d} or {@link Linear} layer does with its int32 accumulator {@code acc[o]}: requantize it per
 * output channel (§8), shift-requantize it (§9, the CLIP-Q hardware path), or emit it unchanged as int32 logits
 * (§15). Sections refer to {@code docs/integer-semantics.md}.
 */
public sealed interface OutputStage {

    /** JSON name of the stage. */
    String kind();

    /** Type and zero-point of the layer's output. */
    QuantizedType outputType();

    /** The output code of accumulator {@code acc} of output channel {@code channel}. */
    int apply(int acc, int channel);

    /** Checks that the stage serves {@code outChannels} channels. */
    void requireChannels(int outChannels);

    /** §8: {@code y = clamp(Z_out + round_r(acc·M0[o]·2^−(31+n[o])), lo, hi)}. */
    record Requantize(Requantizer requantizer) implements OutputStage {

        public Requantize {
            Objects.requireNonNull(requantizer, "requantizer");
        }

        @Override
        public String kind() {
            return "requantize";
        }

        @Override
        public QuantizedType outputType() {
            return new QuantizedType(requantizer.output().type(), requantizer.output().zeroPoint());
        }

        @Override
        public int apply(int acc, int channel) {
            return requantizer.requantize(acc, channel);
        }

        @Override
        public void requireChannels(int outChannels) {
            if (requantizer.channels() != outChannels) {
                throw new IllegalArgumentException("requantizer has " + requantizer.channels()
                        + " multipliers, the layer " + outChannels + " output channels (" + Rules.SPEC + "§8)");
            }
        }
    }

    /** §9: {@code y = clamp(Z_out + round_r(acc / 2^s), lo, hi)}, one shift for the whole layer. */
    record Shift(ShiftRequantizer shift) implements OutputStage {

        public Shift {
            Objects.requireNonNull(shift, "shift");
        }

        @Override
        public String kind() {
            return "shift";
        }

        @Override
        public QuantizedType outputType() {
            return new QuantizedType(shift.output().type(), shift.output().zeroPoint());
        }

        @Override
        public int apply(int acc, int channel) {
            return shift.requantize(acc);
        }

        @Override
        public void requireChannels(int outChannels) {
            // one shift serves every channel
        }
    }

    /** §15: the int32 accumulator itself (logits {@code S_in·S_w[o]·acc[o]}); only the model output may be one. */
    record Accumulator() implements OutputStage {

        @Override
        public String kind() {
            return "accumulator";
        }

        @Override
        public QuantizedType outputType() {
            return new QuantizedType(IntType.INT32, 0);
        }

        @Override
        public int apply(int acc, int channel) {
            return acc;
        }

        @Override
        public void requireChannels(int outChannels) {
            // nothing per channel
        }
    }
}
